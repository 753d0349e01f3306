"""El archivo `indicadores_<vigencia>.csv`: la tabla larga de indicadores (§7)."""

from __future__ import annotations

import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import SupportsFloat

import pandas as pd

from pipeline.escritura import escribir_texto_atomico
from pipeline.indicadores import COLUMNAS

COLUMNAS_CSV = tuple(c for c in COLUMNAS if c != "semaforo")  # las columnas de §7, en su orden


def formatear_numero(valor: SupportsFloat | None) -> str:
    """Número a 2 decimales (mitad hacia arriba, como Excel), sin ceros sobrantes; "" si vacío."""
    if valor is None or valor is pd.NA:
        return ""
    numero = float(valor)
    if not math.isfinite(numero):
        return ""
    return _redondeado(numero)


@lru_cache(maxsize=1 << 16)  # los mismos conteos se repiten en miles de filas
def _redondeado(numero: float) -> str:
    # repr da el decimal más corto que representa el float: 66.665 redondea a 66.67, no a 66.66.
    redondeado = Decimal(repr(numero)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if redondeado == redondeado.to_integral_value():
        return str(int(redondeado))
    return format(redondeado.normalize(), "f")


def _texto(valor: object) -> str:
    return "" if valor is None or valor is pd.NA else str(valor)


def texto_csv(indicadores: pd.DataFrame) -> str:
    """El contenido del CSV (sin BOM): encabezado y una línea por fila, separadas por \\r\\n."""
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\r\n")
    escritor.writerow(COLUMNAS_CSV)
    *textuales, numerador, denominador, valor = COLUMNAS_CSV
    columnas = [[_texto(v) for v in indicadores[c].tolist()] for c in textuales]
    columnas += [
        [formatear_numero(v) for v in indicadores[c].tolist()]
        for c in (numerador, denominador, valor)
    ]
    escritor.writerows(zip(*columnas, strict=True))
    return salida.getvalue()


def escribir_indicadores_csv(indicadores: pd.DataFrame, ruta: Path) -> Path:
    """Escribe la tabla larga en UTF-8 con BOM (Excel muestra las tildes), de forma atómica."""
    return escribir_texto_atomico(Path(ruta), texto_csv(indicadores), encoding="utf-8-sig")
