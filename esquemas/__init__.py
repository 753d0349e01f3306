"""Las cinco plantillas del producto: cada una es la única fuente de verdad de su formato."""

from esquemas import asistencia, compromisos, cronograma, evaluacion, plan
from esquemas.modelo import Campo, Catalogo, Plantilla, Tipo

PLANTILLAS: dict[str, Plantilla] = {
    m.PLANTILLA.tipo: m.PLANTILLA for m in (plan, cronograma, asistencia, evaluacion, compromisos)
}
"""Plantillas por tipo, en el orden en que se validan (el plan antes que el cronograma, etc.)."""

__all__ = ["PLANTILLAS", "Campo", "Catalogo", "Plantilla", "Tipo"]
