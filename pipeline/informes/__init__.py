"""Los libros de salida: reporte de validación, base consolidada e informes para directivos."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.informes.datos import DatosInforme


def escribir_informes(datos: DatosInforme, carpeta_vigencia: Path) -> list[Path]:
    """Base consolidada, informes trimestrales, matrices semestrales e informe anual (§7)."""
    # Importación diferida: el reporte de validación no necesita matplotlib ni los indicadores.
    from pipeline.informes.anual import escribir_informe_anual, ruta_anual
    from pipeline.informes.base_consolidada import escribir_base_consolidada, ruta_base
    from pipeline.informes.semestral import escribir_matriz_semestral, ruta_semestral
    from pipeline.informes.trimestral import escribir_informe_trimestral, ruta_trimestral

    carpeta = Path(carpeta_vigencia)
    vigencia = datos.consolidado.vigencia
    escritos = [escribir_base_consolidada(datos, ruta_base(carpeta, vigencia))]
    for periodo in datos.periodos:
        if periodo.clase == "trimestre":
            ruta = ruta_trimestral(carpeta, periodo, vigencia)
            escritos.append(escribir_informe_trimestral(datos, periodo, ruta))
    for periodo in datos.periodos:
        if periodo.clase == "semestre":
            ruta = ruta_semestral(carpeta, periodo, vigencia)
            escritos.append(escribir_matriz_semestral(datos, periodo, ruta))
    escritos.append(escribir_informe_anual(datos, ruta_anual(carpeta, vigencia)))
    return escritos
