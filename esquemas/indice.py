"""Las cinco plantillas del producto por tipo: cada una es la única fuente de verdad de su formato."""

from esquemas import asistencia, compromisos, cronograma, evaluacion, plan
from esquemas.modelo import Plantilla

PLANTILLAS: dict[str, Plantilla] = {
    m.PLANTILLA.tipo: m.PLANTILLA for m in (plan, cronograma, asistencia, evaluacion, compromisos)
}
"""Plantillas por tipo, en el orden en que se validan (el plan antes que el cronograma, etc.)."""
