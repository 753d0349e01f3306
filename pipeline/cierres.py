"""Cierre de periodos (§10.2): lo que se informó queda congelado en `cierres/<periodo>/`.

Un cierre guarda los informes del periodo tal como se emitieron, sus filas de indicadores
(`indicadores_<periodo>.csv`) y la lista de archivos de entrada con su SHA-256. Las corridas
siguientes no reescriben esos informes en `informes/`, recalculan los indicadores del periodo y listan
cada diferencia. Un cierre se escribe en una carpeta temporal y se publica con un solo renombre.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
from pathlib import Path

import pandas as pd

from pipeline.errores import ErrorAsistencia
from pipeline.escritura import escribir_texto_atomico, escritura_atomica
from pipeline.informes.indicadores_csv import COLUMNAS_CSV, texto_csv
from pipeline.periodos import Periodo, periodos

CARPETA = "cierres"
LLAVE = ("periodo", "nivel", "direccion", "tema", "indicador")
COLUMNAS_CAMBIOS = [*LLAVE, "valor_cierre", "valor_actual"]
_CODIGO = re.compile(r"^\d{4}([TS]\d|M\d\d)?$")


class ErrorCierre(ErrorAsistencia):
    """El periodo pedido no se puede cerrar o reabrir (salida 2); el mensaje dice por qué."""


def interpretar(codigo: str) -> Periodo:
    """`2025T1`…`2025T4`, `2025S1`, `2025S2`, `2025M01`…`2025M12` o `2025` (la vigencia).

    Devuelve el periodo completo (sin recortar por ninguna fecha de corte).
    """
    normalizado = (codigo or "").strip().upper()
    if _CODIGO.match(normalizado):
        anio = int(normalizado[:4])
        for candidato in periodos(anio, dt.date(anio, 12, 31)):
            if candidato.codigo == normalizado:
                return candidato
    raise ErrorCierre(
        f"«{codigo}» no es un periodo: escriba el año y el trimestre (2025T1), el semestre (2025S1), "
        "el mes con dos dígitos (2025M03) o solo el año (2025)."
    )


def comprobar_terminado(periodo: Periodo, corte: dt.date) -> None:
    """ErrorCierre si el periodo no ha empezado o no ha terminado a la fecha de corte."""
    if periodo.inicio > corte:
        raise ErrorCierre(
            f"No se puede cerrar {periodo.codigo} ({periodo.titulo}): aún no ha empezado a la fecha "
            f"de corte {corte:%d/%m/%Y}."
        )
    if periodo.fin_natural > corte:
        raise ErrorCierre(
            f"No se puede cerrar {periodo.codigo} ({periodo.titulo}): termina el "
            f"{periodo.fin_natural:%d/%m/%Y} y la fecha de corte es {corte:%d/%m/%Y}. Actualice los "
            "cronogramas hasta el fin del periodo (su Fecha de corte) y vuelva a cerrar."
        )


def carpeta_cierre(carpeta_vigencia: Path, codigo: str) -> Path:
    """`salidas/<vigencia>/cierres/<periodo>/`."""
    return Path(carpeta_vigencia) / CARPETA / codigo


def _indicadores(carpeta: Path, codigo: str) -> Path:
    return carpeta / f"indicadores_{codigo}.csv"


def esta_cerrado(carpeta_vigencia: Path, codigo: str) -> bool:
    """Un periodo está cerrado si su carpeta de cierre tiene su CSV de indicadores."""
    return _indicadores(carpeta_cierre(carpeta_vigencia, codigo), codigo).is_file()


def cerrados(carpeta_vigencia: Path) -> list[str]:
    """Códigos de los periodos cerrados de la vigencia, en orden."""
    raiz = Path(carpeta_vigencia) / CARPETA
    if not raiz.is_dir():
        return []
    return sorted(
        p.name
        for p in raiz.iterdir()
        if p.is_dir() and not p.name.startswith(".") and esta_cerrado(carpeta_vigencia, p.name)
    )


def comprobar_abierto(carpeta_vigencia: Path, codigo: str) -> None:
    """ErrorCierre si el periodo ya tiene un cierre."""
    destino = carpeta_cierre(carpeta_vigencia, codigo)
    if destino.exists():
        raise ErrorCierre(
            f"El periodo {codigo} ya está cerrado ({destino}). Para cerrarlo de nuevo, primero "
            f"reábralo: asistencia cerrar --periodo {codigo} --reabrir"
        )


def congelar(
    carpeta_vigencia: Path,
    codigo: str,
    informes: list[Path],
    indicadores: pd.DataFrame,
    entradas: pd.DataFrame,
) -> Path:
    """Escribe el cierre en una carpeta temporal y la publica con un renombre (atómico)."""
    comprobar_abierto(carpeta_vigencia, codigo)
    destino = carpeta_cierre(carpeta_vigencia, codigo)
    destino.parent.mkdir(parents=True, exist_ok=True)
    temporal = destino.with_name(f".{codigo}.nuevo-{os.getpid()}")
    shutil.rmtree(temporal, ignore_errors=True)
    temporal.mkdir()
    try:
        for ruta in informes:
            shutil.copyfile(ruta, temporal / ruta.name)
        del_periodo = indicadores[indicadores["periodo"] == codigo]
        escribir_texto_atomico(_indicadores(temporal, codigo), texto_csv(del_periodo))
        texto = entradas.to_csv(index=False, lineterminator="\r\n")
        escribir_texto_atomico(temporal / f"entradas_{codigo}.csv", texto)
        os.replace(temporal, destino)
    except BaseException:
        shutil.rmtree(temporal, ignore_errors=True)
        raise
    return destino


def reabrir(carpeta_vigencia: Path, codigo: str) -> Path:
    """Quita el cierre de un periodo; la próxima corrida vuelve a escribir sus informes."""
    destino = carpeta_cierre(carpeta_vigencia, codigo)
    if not destino.is_dir():
        raise ErrorCierre(f"El periodo {codigo} no está cerrado: no hay nada que reabrir.")
    papelera = destino.with_name(f".{codigo}.reabierto-{os.getpid()}")
    os.replace(destino, papelera)  # primero se retira de un golpe; luego se borra con calma
    shutil.rmtree(papelera, ignore_errors=True)
    return destino


def _valores(texto: str) -> dict[tuple, str]:
    return {
        tuple(fila[c] for c in LLAVE): fila["valor"]
        for fila in csv.DictReader(io.StringIO(texto))
        if set(COLUMNAS_CSV) <= set(fila)
    }


def cambios(carpeta_vigencia: Path, indicadores: pd.DataFrame) -> pd.DataFrame:
    """Cada indicador de un periodo cerrado cuyo valor actual difiere del valor al cierre."""
    filas = []
    calculados = set(indicadores["periodo"])
    for codigo in cerrados(carpeta_vigencia):
        if codigo not in calculados:
            continue  # la corrida no llega a ese periodo (otra fecha de corte): nada que comparar
        ruta = _indicadores(carpeta_cierre(carpeta_vigencia, codigo), codigo)
        al_cierre = _valores(ruta.read_text(encoding="utf-8-sig"))
        actuales = _valores(texto_csv(indicadores[indicadores["periodo"] == codigo]))
        for llave in [*al_cierre, *(k for k in actuales if k not in al_cierre)]:
            antes, ahora = al_cierre.get(llave, ""), actuales.get(llave, "")
            if antes != ahora:
                filas.append([*(v or None for v in llave), _numero(antes), _numero(ahora)])
    return pd.DataFrame(filas, columns=COLUMNAS_CAMBIOS)


def _numero(valor: str) -> float | None:
    return float(valor) if valor else None


def restaurar(carpeta_vigencia: Path, codigo: str) -> list[Path]:
    """Vuelve a poner en `informes/` la copia cerrada de un informe que falte allí."""
    restaurados = []
    for copia in sorted(carpeta_cierre(carpeta_vigencia, codigo).glob("*.xlsx")):
        destino = Path(carpeta_vigencia) / "informes" / copia.name
        if not destino.exists():
            with escritura_atomica(destino) as temporal:
                shutil.copyfile(copia, temporal)
            restaurados.append(destino)
    return restaurados
