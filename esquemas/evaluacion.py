"""Evaluación de la asistencia técnica — hoja `Evaluación`, anónima, una por sesión (§4.4)."""

from esquemas.modelo import FICHA_COMUN, FICHA_SESION, Campo, Plantilla, Tipo, campo_observaciones
from esquemas.vocabulario import TipoPlantilla

ESCALA = ("1", "2", "3", "4", "5")
SIGNIFICADO_ESCALA = ("Muy malo", "Malo", "Aceptable", "Bueno", "Excelente")


def _pregunta(nombre: str, etiqueta: str, que: str, requerido: bool = False) -> Campo:
    return Campo(
        nombre,
        etiqueta,
        Tipo.ENTERO,
        f"{que} De 1 ({SIGNIFICADO_ESCALA[0].lower()}) a 5 ({SIGNIFICADO_ESCALA[-1].lower()})."
        + ("" if requerido else " Opcional."),
        requerido=requerido,
        opciones=ESCALA,
        minimo=1,
        maximo=5,
        ancho=14,
    )


PLANTILLA = Plantilla(
    tipo=TipoPlantilla.EVALUACION,
    titulo="Evaluación de la asistencia técnica",
    hoja="Evaluación",
    archivo="evaluacion.xlsx",
    version="1.0",
    descripcion="Las respuestas anónimas de satisfacción de una sesión. Un archivo por sesión.",
    filas=300,
    hoja_formulario="Formulario",
    ficha=FICHA_COMUN + FICHA_SESION,
    columnas=(
        _pregunta("pertinencia", "Pertinencia del tema", "¿Qué tan pertinente fue el tema?"),
        _pregunta("claridad", "Claridad de la exposición", "¿Qué tan clara fue la exposición?"),
        _pregunta("metodologia", "Metodología", "¿Qué tan adecuada fue la metodología?"),
        _pregunta(
            "dominio", "Dominio del tema", "¿Qué tanto dominio del tema mostró quien expuso?"
        ),
        _pregunta("utilidad", "Utilidad para la gestión", "¿Qué tan útil es para su gestión?"),
        _pregunta(
            "satisfaccion_general",
            "Satisfacción general",
            "¿Qué tan satisfecho quedó con la sesión?",
            requerido=True,
        ),
        campo_observaciones(),
    ),
    instrucciones=(
        "Una fila por cada formulario de evaluación recibido. La evaluación es anónima: no "
        "escriba nombres ni documentos.",
        "Debe haber evaluaciones de al menos el porcentaje mínimo de asistentes fijado por la "
        "entidad, y nunca más evaluaciones que asistentes.",
        "La hoja «Formulario» es el formulario impreso que responde cada persona (una página). "
        "El sistema no la lee: transcriba cada formulario como una fila de la hoja «Evaluación».",
    ),
)
