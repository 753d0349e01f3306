"""Cronograma de actividades — hoja `Cronograma` (especificación §4.2)."""

from esquemas.modelo import (
    CORTE,
    FICHA_COMUN,
    Campo,
    Comparacion,
    Plantilla,
    Si,
    Tipo,
    campo_departamento,
    campo_fecha_corte,
    campo_modalidad,
    campo_municipio,
    campo_observaciones,
)
from esquemas.vocabulario import EstadoActividad, TipoPlantilla

ESTADOS = tuple(EstadoActividad)

PLANTILLA = Plantilla(
    tipo=TipoPlantilla.CRONOGRAMA,
    titulo="Cronograma de actividades",
    hoja="Cronograma",
    archivo="cronograma.xlsx",
    version="1.0",
    descripcion="Las sesiones de cada asistencia del plan y su estado a la fecha de corte.",
    ficha=FICHA_COMUN
    + (campo_fecha_corte("Día hasta el cual está actualizado este cronograma, dd/mm/aaaa."),),
    columnas=(
        Campo(
            "id_actividad",
            "ID actividad",
            Tipo.TEXTO,
            "Código único de la sesión en toda la entidad y la vigencia, por ejemplo DGT-2025-001-01. "
            "Las listas de asistencia, evaluaciones y compromisos lo usan.",
            requerido=True,
            ancho=18,
        ),
        Campo(
            "id_asistencia",
            "ID asistencia",
            Tipo.TEXTO,
            "El ID asistencia del plan de su dirección al que pertenece la sesión.",
            requerido=True,
            ancho=16,
        ),
        Campo(
            "actividad",
            "Actividad",
            Tipo.TEXTO,
            "Nombre corto de la sesión, por ejemplo «Taller de formulación del PISCC».",
            requerido=True,
            ancho=36,
        ),
        Campo(
            "fecha_programada",
            "Fecha programada",
            Tipo.FECHA,
            "Fecha original de la sesión, dd/mm/aaaa, dentro de la vigencia. No la cambie al "
            "reprogramar: use Nueva fecha.",
            requerido=True,
            en_vigencia=True,
            ancho=14,
        ),
        Campo(
            "estado",
            "Estado",
            Tipo.CATALOGO,
            "Programada, Realizada, Reprogramada o Cancelada.",
            requerido=True,
            opciones=ESTADOS,
            ancho=14,
        ),
        Campo(
            "nueva_fecha",
            "Nueva fecha",
            Tipo.FECHA,
            "Obligatoria si el Estado es Reprogramada: la nueva fecha, dd/mm/aaaa.",
            requerido_si=Si("estado", EstadoActividad.REPROGRAMADA),
            ancho=14,
        ),
        Campo(
            "fecha_realizacion",
            "Fecha de realización",
            Tipo.FECHA,
            "Solo si el Estado es Realizada (y entonces es obligatoria): fecha en que se hizo, "
            "dd/mm/aaaa, no posterior a la Fecha de corte.",
            requerido_si=Si("estado", EstadoActividad.REALIZADA),
            solo_si=True,
            en_vigencia=True,
            comparaciones=(Comparacion("FECHA_POSTERIOR_AL_CORTE", "≤", CORTE),),
            ancho=14,
        ),
        campo_modalidad(),
        campo_departamento(),
        campo_municipio(),
        Campo(
            "fecha_entrega_informe",
            "Fecha de entrega del informe",
            Tipo.FECHA,
            "Fecha en que se entregó el informe de la sesión, dd/mm/aaaa. Opcional; no anterior a "
            "la Fecha de realización.",
            comparaciones=(Comparacion("FECHA_ENTREGA_ANTERIOR", "≥", "fecha_realizacion"),),
            ancho=16,
        ),
        Campo(
            "motivo",
            "Motivo",
            Tipo.TEXTO,
            "Obligatorio si el Estado es Reprogramada o Cancelada: explique por qué.",
            requerido_si=Si("estado", EstadoActividad.REPROGRAMADA, EstadoActividad.CANCELADA),
            ancho=30,
        ),
        campo_observaciones(),
    ),
    instrucciones=(
        "Una fila por sesión. Actualice el Estado y la Fecha de corte cada vez que reporte.",
        "Nunca sobrescriba la Fecha programada: si la sesión cambia de día, marque Reprogramada y "
        "escriba la Nueva fecha y el Motivo.",
        "La Fecha de realización se diligencia solo cuando el Estado es Realizada.",
    ),
)
