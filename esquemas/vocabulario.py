"""El vocabulario del dominio, nombrado una vez: estados, órdenes y tipos de plantilla (§4).

Son `StrEnum`: cada miembro es el texto exacto de la lista desplegable, así que se compara con las
celdas y con las columnas de las tablas tipadas sin conversión.
"""

from enum import StrEnum


class TipoPlantilla(StrEnum):
    """Los cinco tipos de plantilla, en el orden en que se validan."""

    PLAN = "plan"
    CRONOGRAMA = "cronograma"
    ASISTENCIA = "asistencia"
    EVALUACION = "evaluacion"
    COMPROMISOS = "compromisos"


class EstadoActividad(StrEnum):
    """Estado de una sesión del cronograma (§4.2)."""

    PROGRAMADA = "Programada"
    REALIZADA = "Realizada"
    REPROGRAMADA = "Reprogramada"
    CANCELADA = "Cancelada"


# Estados de una actividad que aún debe hacerse (X15 y el indicador de pendientes).
ACTIVIDAD_PENDIENTE = (EstadoActividad.PROGRAMADA, EstadoActividad.REPROGRAMADA)


class EstadoCompromiso(StrEnum):
    """Estado de un compromiso (§4.5)."""

    PENDIENTE = "Pendiente"
    EN_CURSO = "En curso"
    CUMPLIDO = "Cumplido"
    CANCELADO = "Cancelado"


# Estados de un compromiso que ya no se sigue.
COMPROMISO_CERRADO = (EstadoCompromiso.CUMPLIDO, EstadoCompromiso.CANCELADO)


class Orden(StrEnum):
    """Nivel territorial de una asistencia del plan (§4.1)."""

    NACIONAL = "Nacional"
    TERRITORIAL = "Territorial"
