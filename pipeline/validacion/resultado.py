"""El resultado de validar una vigencia: archivos, problemas y tablas tipadas de filas válidas."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from pipeline.archivos import Estado
from pipeline.lectura import LibroLeido
from pipeline.problemas import Problema, Severidad

COLUMNAS_EXCLUIDAS = ["archivo", "fila", "tipo", "codigos"]


def marco_excluidas(filas: Iterable[tuple] = ()) -> pd.DataFrame:
    """Filas excluidas por error: (archivo, fila de Excel, tipo, códigos separados por comas)."""
    return pd.DataFrame(list(filas), columns=COLUMNAS_EXCLUIDAS).astype({"fila": "int64"})


@dataclass
class ResultadoArchivo:
    """Una fila de la hoja `Archivos` del reporte de validación (§7)."""

    ruta: str  # relativa a entradas/
    tipo: str  # título de la plantilla reconocida ("" si no se reconoció)
    version: str
    direccion: str  # código de la carpeta de la dirección
    estado: Estado
    filas_leidas: int = 0
    filas_aceptadas: int = 0
    errores: int = 0
    advertencias: int = 0
    sha256: str = ""
    motivo: str = ""  # por qué se ignoró, si se ignoró


@dataclass
class ResultadoValidacion:
    """Todo lo que sale de validar: lo usan el reporte, las devoluciones y la consolidación."""

    vigencia: str
    archivos: list[ResultadoArchivo]
    problemas: list[Problema]
    tablas: dict[str, pd.DataFrame]  # tipo → tabla tipada de filas válidas (pipeline.tablas)
    libros: list[LibroLeido] = field(default_factory=list)  # libros leídos (para las devoluciones)
    excluidas: pd.DataFrame | None = None  # archivo, fila, tipo, codigos: filas excluidas por error

    @property
    def errores(self) -> int:
        """Número de problemas con severidad error."""
        return sum(1 for p in self.problemas if p.severidad is Severidad.ERROR)

    @property
    def advertencias(self) -> int:
        """Número de problemas con severidad advertencia."""
        return sum(1 for p in self.problemas if p.severidad is Severidad.ADVERTENCIA)

    def por_codigo(self) -> Counter:
        """Cuántos problemas hay de cada código."""
        return Counter(p.codigo for p in self.problemas)
