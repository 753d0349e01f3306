"""Días hábiles en Colombia: lunes a viernes sin festivos nacionales (paquete `holidays`)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd


@lru_cache(maxsize=64)
def _festivos(desde: int, hasta: int) -> tuple[np.datetime64, ...]:
    return tuple(np.datetime64(d) for d in sorted(holidays.Colombia(years=range(desde, hasta + 1))))


def _calendario(a: dt.date, b: dt.date) -> np.busdaycalendar:
    anios = (min(a.year, b.year) - 1, max(a.year, b.year) + 1)
    return np.busdaycalendar(weekmask="1111100", holidays=list(_festivos(*anios)))


def es_habil(fecha: dt.date) -> bool:
    """Verdadero si `fecha` es día hábil (ni fin de semana ni festivo en Colombia)."""
    return bool(np.is_busday(np.datetime64(fecha, "D"), busdaycal=_calendario(fecha, fecha)))


def dias_habiles_despues(inicio: dt.date, fin: dt.date) -> int:
    """Días hábiles después de `inicio`, hasta `fin` inclusive (el mismo día da 0; §6).

    Si `fin` es anterior a `inicio` el resultado es negativo o cero.
    """
    inicio_d = np.datetime64(inicio, "D") + 1
    fin_d = np.datetime64(fin, "D") + 1
    return int(np.busday_count(inicio_d, fin_d, busdaycal=_calendario(inicio, fin)))


def sumar_dias_habiles(fecha: dt.date, dias: int) -> dt.date:
    """La fecha que cae `dias` días hábiles después de `fecha` (fin de plazo inclusive)."""
    tope = fecha + dt.timedelta(days=dias * 3 + 30)
    resultado = np.busday_offset(
        np.datetime64(fecha, "D"), dias, roll="backward", busdaycal=_calendario(fecha, tope)
    )
    return resultado.astype(dt.date)


def dias_habiles_entre(inicio: pd.Series, fin: pd.Series) -> pd.Series:
    """`dias_habiles_despues` de cada par de fechas (Timestamp), calculado una vez por par distinto."""
    pares = pd.DataFrame({"inicio": inicio, "fin": fin})
    unicos = pares.drop_duplicates()
    cuentas = {
        (a, b): dias_habiles_despues(a.date(), b.date())
        for a, b in zip(unicos["inicio"], unicos["fin"], strict=True)
    }
    return pd.Series(
        [cuentas[(a, b)] for a, b in zip(pares["inicio"], pares["fin"], strict=True)],
        index=pares.index,
        dtype="int64",
    )


def informe_oportuno(dias: pd.Series, plazo: int) -> pd.Series:
    """Informe oportuno (§6, X11): a lo sumo `plazo` días hábiles después de la sesión."""
    return (dias <= plazo).fillna(False).astype(bool)
