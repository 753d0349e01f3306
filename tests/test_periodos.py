"""Periodos de seguimiento: trimestres y semestres empezados al corte, más la vigencia (§6, §7)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipeline.periodos import Periodo, periodo, periodos

D = dt.date


def _por_codigo(corte: dt.date) -> dict[str, Periodo]:
    return {p.codigo: p for p in periodos(2025, corte)}


def _sin_meses(lista: list[Periodo]) -> list[Periodo]:
    return [p for p in lista if p.clase != "mes"]


def test_corte_a_mitad_del_segundo_trimestre():
    lista = _sin_meses(periodos(2025, D(2025, 5, 15)))
    assert [p.codigo for p in lista] == ["2025T1", "2025T2", "2025S1", "2025"]
    t1, t2, s1, anio = lista
    assert (t1.inicio, t1.fin, t1.fin_natural, t1.parcial) == (
        D(2025, 1, 1),
        D(2025, 3, 31),
        D(2025, 3, 31),
        False,
    )
    # fin(P) es el corte cuando llega antes del último día.
    assert (t2.inicio, t2.fin, t2.fin_natural, t2.parcial) == (
        D(2025, 4, 1),
        D(2025, 5, 15),
        D(2025, 6, 30),
        True,
    )
    assert (s1.fin, s1.fin_natural, s1.parcial) == (D(2025, 5, 15), D(2025, 6, 30), True)
    assert (anio.inicio, anio.fin, anio.fin_natural, anio.parcial) == (
        D(2025, 1, 1),
        D(2025, 5, 15),
        D(2025, 12, 31),
        True,
    )


def test_titulos_clase_y_numero():
    p = _por_codigo(D(2025, 8, 20))
    assert p["2025T1"].titulo == "Primer trimestre 2025"
    assert p["2025T2"].titulo == "Segundo trimestre 2025"
    assert p["2025T3"].titulo == "Tercer trimestre 2025 (Parcial)"
    assert p["2025S1"].titulo == "Primer semestre 2025"
    assert p["2025S2"].titulo == "Segundo semestre 2025 (Parcial)"
    assert p["2025"].titulo == "Vigencia 2025 (Parcial)"
    assert "2025T4" not in p
    assert (p["2025T3"].clase, p["2025T3"].numero) == ("trimestre", 3)
    assert (p["2025S2"].clase, p["2025S2"].numero) == ("semestre", 2)
    assert (p["2025"].clase, p["2025"].numero) == ("vigencia", 0)


def test_vigencia_completa():
    lista = _sin_meses(periodos(2025, D(2025, 12, 31)))
    assert [p.codigo for p in lista] == [
        "2025T1",
        "2025T2",
        "2025T3",
        "2025T4",
        "2025S1",
        "2025S2",
        "2025",
    ]
    assert not any(p.parcial for p in lista)
    assert all(p.fin == p.fin_natural for p in lista)
    assert [p.fin for p in lista[:4]] == [
        D(2025, 3, 31),
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]
    assert lista[-1].titulo == "Vigencia 2025"
    assert lista[3].titulo == "Cuarto trimestre 2025"


def test_corte_en_el_ultimo_dia_de_un_trimestre():
    p = _por_codigo(D(2025, 3, 31))
    assert list(p) == ["2025T1", "2025S1", "2025M01", "2025M02", "2025M03", "2025"]  # T2 no empieza
    assert not p["2025T1"].parcial
    assert p["2025S1"].parcial


def test_corte_en_el_primer_dia_de_un_trimestre():
    p = _por_codigo(D(2025, 4, 1))
    assert [c for c in p if "M" not in c] == ["2025T1", "2025T2", "2025S1", "2025"]
    assert p["2025M04"].fin == D(2025, 4, 1) and p["2025M04"].parcial
    assert (p["2025T2"].inicio, p["2025T2"].fin) == (D(2025, 4, 1), D(2025, 4, 1))


def test_corte_posterior_a_la_vigencia():
    lista = periodos(2025, D(2026, 2, 15))
    assert len(lista) == 4 + 2 + 12 + 1
    assert not any(p.parcial for p in lista)
    assert lista[-1].fin == D(2025, 12, 31)


def test_corte_como_datetime():
    assert periodos(2025, dt.datetime(2025, 5, 15, 10, 30))[1].fin == D(2025, 5, 15)


def test_contiene_escalares():
    t2 = _por_codigo(D(2025, 5, 15))["2025T2"]
    assert t2.contiene(D(2025, 4, 1))  # primer día, incluido
    assert t2.contiene(D(2025, 5, 15))  # el corte, incluido
    assert not t2.contiene(D(2025, 5, 16))  # después del corte: nunca está en P
    assert not t2.contiene(D(2025, 3, 31))
    assert t2.contiene(dt.datetime(2025, 5, 15, 18, 0))
    assert t2.contiene(pd.Timestamp("2025-04-20"))
    assert not t2.contiene(None)
    assert not t2.contiene(pd.NaT)


def test_contiene_vectorizado():
    t2 = _por_codigo(D(2025, 5, 15))["2025T2"]
    fechas = pd.Series(
        pd.to_datetime(["2025-03-31", "2025-04-01", "2025-05-15", "2025-05-16", None])
    )
    resultado = t2.contiene(fechas)
    assert resultado.dtype == bool
    assert resultado.tolist() == [False, True, True, False, False]
    arreglo = np.array(["2025-04-10", "NaT"], dtype="datetime64[ns]")
    assert list(t2.contiene(arreglo)) == [True, False]


def test_periodo_por_codigo():
    assert periodo(2025, D(2025, 5, 15), "2025S1").fin == D(2025, 5, 15)
    with pytest.raises(KeyError):
        periodo(2025, D(2025, 5, 15), "2025T3")  # aún no empieza


def test_meses():
    """Cada mes es un periodo `2025M01`…: escrito si empezó al corte, Parcial si no terminó."""
    p = _por_codigo(D(2025, 3, 10))
    meses = [c for c, x in p.items() if x.clase == "mes"]
    assert meses == ["2025M01", "2025M02", "2025M03"]  # abril aún no empieza
    febrero, marzo = p["2025M02"], p["2025M03"]
    assert (febrero.inicio, febrero.fin, febrero.parcial) == (D(2025, 2, 1), D(2025, 2, 28), False)
    assert febrero.titulo == "Febrero 2025" and febrero.numero == 2
    # Marzo no ha terminado: fin(P) es el corte y el título lo dice.
    assert (marzo.fin, marzo.fin_natural, marzo.parcial) == (D(2025, 3, 10), D(2025, 3, 31), True)
    assert marzo.titulo == "Marzo 2025 (Parcial)"
    assert not marzo.contiene(D(2025, 3, 11))
    assert periodo(2025, D(2025, 12, 31), "2025M12").fin == D(2025, 12, 31)


def test_informe_oportuno_hasta_el_plazo_inclusive():
    import pandas as pd

    from pipeline.dias_habiles import dias_habiles_entre, informe_oportuno

    # Lunes 3 de marzo de 2025: 2 días hábiles hasta el miércoles, 5 hasta el lunes siguiente.
    inicio = pd.Series(pd.to_datetime(["2025-03-03", "2025-03-03"]))
    fin = pd.Series(pd.to_datetime(["2025-03-05", "2025-03-10"]))
    dias = dias_habiles_entre(inicio, fin)
    assert dias.tolist() == [2, 5]
    assert informe_oportuno(dias, 2).tolist() == [True, False]
    assert informe_oportuno(pd.Series([pd.NA], dtype="Int64"), 5).tolist() == [False]
