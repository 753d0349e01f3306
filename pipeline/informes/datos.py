"""Lo que reciben los libros de informes de una corrida de `asistencia consolidar`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pipeline.consolidacion import Consolidado
    from pipeline.periodos import Periodo
    from pipeline.validacion.resultado import ResultadoValidacion


@dataclass
class DatosInforme:
    """Consolidado, indicadores (tabla larga), validación, periodos, comando y fecha del documento."""

    consolidado: Consolidado
    indicadores: pd.DataFrame  # calcular_indicadores(...)
    validacion: ResultadoValidacion
    periodos: list[Periodo]
    comando: str  # línea de comandos que produjo la corrida (para Metadatos)
    fecha_documento: datetime  # fija, derivada del corte (bytes reproducibles)
