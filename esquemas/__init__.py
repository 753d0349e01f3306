"""Las cinco plantillas del producto: cada una es la única fuente de verdad de su formato."""

from esquemas.indice import PLANTILLAS
from esquemas.modelo import Campo, Catalogo, Plantilla, Tipo

__all__ = ["PLANTILLAS", "Campo", "Catalogo", "Plantilla", "Tipo"]
