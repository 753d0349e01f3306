"""Lo que toda regla de validación necesita saber de la corrida."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.configuracion import Configuracion
from pipeline.divipola import Divipola, cargar_divipola


@dataclass(frozen=True)
class Contexto:
    """Configuración de la entidad, DIVIPOLA y la vigencia que se valida (carpeta entradas/<vigencia>)."""

    config: Configuracion
    vigencia: str
    divipola: Divipola

    @classmethod
    def crear(cls, config: Configuracion, vigencia: str) -> Contexto:
        """Contexto con el DIVIPOLA incluido en el proyecto."""
        return cls(config=config, vigencia=str(vigencia), divipola=cargar_divipola())
