"""Los periodos de seguimiento de una vigencia: trimestres, semestres, meses y el año (§6, §7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

_ORDINALES = {1: "Primer", 2: "Segundo", 3: "Tercer", 4: "Cuarto"}
_NOMBRES = {"trimestre": "trimestre", "semestre": "semestre"}
MESES = (
    "Enero",
    "Febrero",
    "Marzo",
    "Abril",
    "Mayo",
    "Junio",
    "Julio",
    "Agosto",
    "Septiembre",
    "Octubre",
    "Noviembre",
    "Diciembre",
)


@dataclass(frozen=True)
class Periodo:
    """Un periodo P: fin(P) es su último día o la fecha de corte, si esta llega antes."""

    codigo: str  # "2025T1".."2025T4", "2025S1", "2025S2", "2025M01".."2025M12", "2025"
    clase: str  # "trimestre" | "semestre" | "mes" | "vigencia"
    numero: int  # 1–4 trimestre, 1–2 semestre, 1–12 mes, 0 vigencia
    inicio: dt.date
    fin: dt.date
    fin_natural: dt.date
    parcial: bool
    titulo: str

    def contiene(self, fecha):
        """inicio <= fecha <= fin; acepta una fecha o una Serie (NaT/None no está en ningún periodo)."""
        if isinstance(fecha, pd.Series | pd.Index | np.ndarray):
            valores = pd.to_datetime(pd.Series(fecha) if isinstance(fecha, np.ndarray) else fecha)
            resultado = (valores >= pd.Timestamp(self.inicio)) & (valores <= pd.Timestamp(self.fin))
            return resultado.fillna(False).astype(bool)
        if fecha is None or pd.isna(fecha):
            return False
        if isinstance(fecha, dt.datetime):
            fecha = fecha.date()
        return self.inicio <= fecha <= self.fin


def _ultimo_dia(anio: int, mes: int) -> dt.date:
    siguiente = dt.date(anio + 1, 1, 1) if mes == 12 else dt.date(anio, mes + 1, 1)
    return siguiente - dt.timedelta(days=1)


def _periodo(vigencia: int, clase: str, numero: int, corte: dt.date) -> Periodo:
    if clase == "vigencia":
        inicio, fin_natural = dt.date(vigencia, 1, 1), dt.date(vigencia, 12, 31)
        codigo, titulo = str(vigencia), f"Vigencia {vigencia}"
    elif clase == "mes":
        inicio, fin_natural = dt.date(vigencia, numero, 1), _ultimo_dia(vigencia, numero)
        codigo, titulo = f"{vigencia}M{numero:02d}", f"{MESES[numero - 1]} {vigencia}"
    else:
        meses = 3 if clase == "trimestre" else 6
        inicio = dt.date(vigencia, (numero - 1) * meses + 1, 1)
        fin_natural = _ultimo_dia(vigencia, numero * meses)
        codigo = f"{vigencia}{clase[0].upper()}{numero}"
        titulo = f"{_ORDINALES[numero]} {_NOMBRES[clase]} {vigencia}"
    parcial = fin_natural > corte
    return Periodo(
        codigo=codigo,
        clase=clase,
        numero=numero,
        inicio=inicio,
        fin=min(fin_natural, corte),
        fin_natural=fin_natural,
        parcial=parcial,
        titulo=titulo + (" (Parcial)" if parcial else ""),
    )


def periodos(vigencia: int, corte: dt.date) -> list[Periodo]:
    """Trimestres, semestres y meses ya empezados a la fecha de corte, más la vigencia.

    En este orden: T1..T4, S1, S2, M01..M12, año.
    """
    if isinstance(corte, dt.datetime):
        corte = corte.date()
    candidatos = [_periodo(vigencia, "trimestre", n, corte) for n in range(1, 5)]
    candidatos += [_periodo(vigencia, "semestre", n, corte) for n in range(1, 3)]
    candidatos += [_periodo(vigencia, "mes", n, corte) for n in range(1, 13)]
    empezados = [p for p in candidatos if p.inicio <= corte]
    return empezados + [_periodo(vigencia, "vigencia", 0, corte)]


def periodo(vigencia: int, corte: dt.date, codigo: str) -> Periodo:
    """El periodo de código `codigo` ("2025T2", "2025S1", "2025M03", "2025"); KeyError si no ha empezado."""
    for p in periodos(vigencia, corte):
        if p.codigo == codigo:
            return p
    raise KeyError(codigo)
