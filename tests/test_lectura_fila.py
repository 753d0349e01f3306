"""La limpieza de cada fila de datos al leer (lectura._valores_fila) es la de `_convertir`."""

from __future__ import annotations

import datetime as dt

from esquemas import Tipo
from pipeline.lectura import _convertir, _valores_fila


def test_fila_limpia_igual_que_celda_a_celda():
    fila = [
        None,
        "",
        "  texto ",
        "a\u00a0b\u00a0",
        45658.0,
        "15/01/2025",
        3,
        "\u00a0 ",
        dt.date(2025, 1, 2),
    ]
    tipos = [Tipo.TEXTO, Tipo.TEXTO, Tipo.TEXTO, Tipo.TEXTO, Tipo.FECHA, Tipo.FECHA, Tipo.ENTERO]
    tipos += [Tipo.TEXTO, Tipo.FECHA]
    lectura = [(j, t is Tipo.FECHA) for j, t in enumerate(tipos)] + [(-1, False), (20, True)]
    esperado = [_convertir(v, t, False) for v, t in zip(fila, tipos, strict=True)] + [None, None]
    assert _valores_fila(fila, lectura, False) == esperado
    assert esperado[2:5] == ["texto", "a b", dt.date(2025, 1, 1)]
