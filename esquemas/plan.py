"""Plan de asistencia técnica — hoja `Plan` (especificación §4.1)."""

from esquemas.modelo import (
    FICHA_COMUN,
    Campo,
    Catalogo,
    Comparacion,
    Plantilla,
    Si,
    Tipo,
    campo_departamento,
    campo_modalidad,
    campo_municipio,
    campo_observaciones,
)
from esquemas.vocabulario import Orden, TipoPlantilla

TIPOS_SERVICIO = ("Asesoría", "Asistencia técnica", "Capacitación", "Acompañamiento", "Orientación")
MECANISMOS = (
    "Taller",
    "Mesa de trabajo",
    "Capacitación",
    "Seminario",
    "Foro",
    "Visita técnica",
    "Reunión",
    "Conferencia",
    "Laboratorio",
    "Evento",
    "Otro",
)
ORIGENES = ("Oferta", "Demanda", "Mandato legal")
ORDENES = tuple(Orden)

PLANTILLA = Plantilla(
    tipo=TipoPlantilla.PLAN,
    titulo="Plan de asistencia técnica",
    hoja="Plan",
    archivo="plan_asistencia.xlsx",
    version="1.0",
    descripcion="Lo que la dirección planea ofrecer en la vigencia: qué, a quién, dónde, cuándo y "
    "cuántas sesiones.",
    ficha=FICHA_COMUN
    + (
        Campo(
            "aprobado_por",
            "Aprobado por",
            Tipo.TEXTO,
            "Nombre y cargo de quien aprueba el plan. Opcional.",
        ),
        Campo(
            "fecha_aprobacion",
            "Fecha de aprobación",
            Tipo.FECHA,
            "Fecha de aprobación del plan, dd/mm/aaaa. Opcional.",
        ),
    ),
    columnas=(
        Campo(
            "id_asistencia",
            "ID asistencia",
            Tipo.TEXTO,
            "Código único de la asistencia en toda la entidad y la vigencia, por ejemplo DGT-2025-001. "
            "El cronograma lo usa para enlazar sus actividades.",
            requerido=True,
            ancho=16,
        ),
        Campo(
            "tema",
            "Tema",
            Tipo.CATALOGO,
            "Elija uno de los temas de su dirección (la lista depende de la Dirección de la ficha).",
            requerido=True,
            catalogo=Catalogo.TEMAS,
            ancho=40,
        ),
        Campo(
            "tipo_servicio",
            "Tipo de servicio",
            Tipo.CATALOGO,
            "Asesoría, Asistencia técnica, Capacitación, Acompañamiento u Orientación.",
            requerido=True,
            opciones=TIPOS_SERVICIO,
        ),
        Campo(
            "mecanismo",
            "Mecanismo",
            Tipo.CATALOGO,
            "Cómo se presta: taller, mesa de trabajo, visita técnica, etc.",
            requerido=True,
            opciones=MECANISMOS,
            ancho=16,
        ),
        campo_modalidad(),
        Campo(
            "origen",
            "Origen",
            Tipo.CATALOGO,
            "Oferta (la propone la entidad), Demanda (la pide el territorio) o Mandato legal.",
            requerido=True,
            opciones=ORIGENES,
            ancho=14,
        ),
        Campo(
            "entidad_beneficiaria",
            "Entidad beneficiaria",
            Tipo.TEXTO,
            "Entidad que recibe la asistencia, por ejemplo «Alcaldía de Pasto».",
            requerido=True,
            ancho=30,
        ),
        Campo(
            "orden",
            "Orden",
            Tipo.CATALOGO,
            "Nacional o Territorial. Si es Territorial, diligencie el Departamento.",
            requerido=True,
            opciones=ORDENES,
            ancho=12,
        ),
        campo_departamento(requerido_si=Si("orden", Orden.TERRITORIAL)),
        campo_municipio(" Déjelo en blanco si la asistencia es para todo el departamento."),
        Campo(
            "fecha_inicio",
            "Fecha de inicio",
            Tipo.FECHA,
            "Fecha en que empieza la asistencia, dd/mm/aaaa, dentro de la vigencia.",
            requerido=True,
            en_vigencia=True,
            ancho=14,
        ),
        Campo(
            "fecha_fin",
            "Fecha de fin",
            Tipo.FECHA,
            "Fecha en que termina, dd/mm/aaaa, igual o posterior a la de inicio y dentro de la vigencia.",
            requerido=True,
            en_vigencia=True,
            comparaciones=(Comparacion("FECHA_FIN_ANTERIOR", "≥", "fecha_inicio"),),
            ancho=14,
        ),
        Campo(
            "sesiones_programadas",
            "Sesiones programadas",
            Tipo.ENTERO,
            "Número de sesiones planeadas: un número entero mayor o igual a 1.",
            requerido=True,
            minimo=1,
            ancho=12,
        ),
        Campo(
            "participantes_esperados",
            "Participantes esperados",
            Tipo.ENTERO,
            "Número de personas que se espera atender (entero, 0 o más). Opcional.",
            minimo=0,
            ancho=12,
        ),
        Campo(
            "presupuesto",
            "Presupuesto (COP)",
            Tipo.NUMERO,
            "Presupuesto estimado en pesos, sin puntos ni signo $ (0 o más). Opcional.",
            minimo=0,
            ancho=16,
        ),
        Campo(
            "profesional_responsable",
            "Profesional responsable",
            Tipo.TEXTO,
            "Nombre del profesional de la dirección a cargo de la asistencia.",
            requerido=True,
            ancho=26,
        ),
        campo_observaciones(),
    ),
    instrucciones=(
        "Una fila por cada asistencia técnica planeada para la vigencia.",
        "El ID asistencia no se puede repetir en ninguna dirección de la entidad durante la vigencia.",
        "Si el Orden es Territorial, el Departamento es obligatorio; el Municipio es opcional "
        "(en blanco significa asistencia al departamento).",
    ),
)
