"""Las celdas de texto de la base consolidada, escritas como XML a mano (base_consolidada._celdas)."""

from __future__ import annotations

import pandas as pd

from pipeline.informes.base_consolidada import _celdas


def test_texto_con_caracteres_especiales_se_escapa():
    serie = pd.Series(["a & b", "<x>", "uno\x01dos", None, "simple"], dtype=object)
    celdas = _celdas(serie, "texto", "B", range(2, 7), None)
    contenidos = [c.split('preserve">', 1)[1].split("</t>", 1)[0] if c else "" for c in celdas]
    assert contenidos == ["a &amp; b", "&lt;x&gt;", "uno_x0001_dos", "", "simple"]
    assert celdas[0].startswith('<c r="B2" t="inlineStr">')


def test_columna_sin_nada_que_escapar_queda_igual():
    serie = pd.Series(["Bogotá", float("nan"), "Cali"], dtype=object)
    celdas = _celdas(serie, "texto", "C", range(2, 5), None)
    assert celdas[1] == ""
    assert '<t xml:space="preserve">Bogotá</t>' in celdas[0]
    assert '<t xml:space="preserve">Cali</t>' in celdas[2]
