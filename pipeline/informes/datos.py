"""Lo que reciben los libros de informes de una corrida de `asistencia consolidar`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pipeline.consolidacion import Consolidado
    from pipeline.informes.textos_equipo import TextosEquipo
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
    # §10.2: diferencias de los periodos cerrados (pipeline.cierres.COLUMNAS_CAMBIOS); vacía si no hay
    cambios_cierre: pd.DataFrame = field(default_factory=pd.DataFrame)
    periodos_cerrados: frozenset[str] = frozenset()  # sus informes no se reescriben
    textos_equipo: dict[str, TextosEquipo] = field(default_factory=dict)  # §10.3, por periodo
