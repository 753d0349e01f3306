"""Compromisos (ayuda de memoria) — hoja `Compromisos` (especificación §4.5)."""

from esquemas.modelo import (
    CORTE,
    FICHA_COMUN,
    Campo,
    Comparacion,
    Plantilla,
    Si,
    Tipo,
    campo_fecha_corte,
    campo_observaciones,
)
from esquemas.vocabulario import EstadoCompromiso, TipoPlantilla

ESTADOS = tuple(EstadoCompromiso)

PLANTILLA = Plantilla(
    tipo=TipoPlantilla.COMPROMISOS,
    titulo="Compromisos (ayuda de memoria)",
    hoja="Compromisos",
    archivo="compromisos.xlsx",
    version="1.0",
    descripcion="Los compromisos acordados en las sesiones y su estado a la fecha de corte.",
    ficha=FICHA_COMUN
    + (
        campo_fecha_corte(
            "Día hasta el cual está actualizado el estado de los compromisos, dd/mm/aaaa."
        ),
    ),
    columnas=(
        Campo(
            "id_actividad",
            "ID actividad",
            Tipo.TEXTO,
            "El ID actividad de la sesión donde se acordó el compromiso (debe estar en el "
            "cronograma de su dirección).",
            requerido=True,
            ancho=18,
        ),
        Campo("compromiso", "Compromiso", Tipo.TEXTO, "Qué se acordó.", requerido=True, ancho=40),
        Campo(
            "responsable",
            "Responsable",
            Tipo.TEXTO,
            "Quién debe cumplirlo (persona, cargo o entidad).",
            requerido=True,
            ancho=26,
        ),
        Campo(
            "fecha_limite",
            "Fecha límite",
            Tipo.FECHA,
            "Fecha acordada para cumplirlo, dd/mm/aaaa.",
            requerido=True,
            ancho=14,
        ),
        Campo(
            "estado",
            "Estado",
            Tipo.CATALOGO,
            "Pendiente, En curso, Cumplido o Cancelado.",
            requerido=True,
            opciones=ESTADOS,
            ancho=14,
        ),
        Campo(
            "fecha_cumplimiento",
            "Fecha de cumplimiento",
            Tipo.FECHA,
            "Obligatoria si el Estado es Cumplido: cuándo se cumplió, dd/mm/aaaa, no posterior a la "
            "Fecha de corte.",
            requerido_si=Si("estado", EstadoCompromiso.CUMPLIDO),
            comparaciones=(Comparacion("FECHA_POSTERIOR_AL_CORTE", "≤", CORTE),),
            ancho=16,
        ),
        campo_observaciones(),
    ),
    instrucciones=(
        "Una fila por compromiso. Actualice el Estado y la Fecha de corte cada vez que reporte.",
        "Cuando un compromiso se cumpla, marque Cumplido y escriba la Fecha de cumplimiento.",
    ),
)
