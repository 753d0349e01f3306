"""El único lugar donde se escriben las salidas: escritura atómica, libros reproducibles, texto seguro.

Toda salida se escribe en un temporal de la misma carpeta y se renombra al final (§7): quien lee
nunca ve un archivo a medias y, si algo falla, la versión anterior sobrevive. Los libros llevan una
fecha de documento fija derivada del corte, para que las mismas entradas den los mismos bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FORMATO_FECHA = "dd/mm/yyyy"
"""Formato de fecha de Excel que se muestra como dd/mm/aaaa."""


class ErrorDestino(Exception):
    """La carpeta de salidas no se puede usar (por ejemplo, está dentro de la de entradas)."""


def _umask() -> int:
    actual = os.umask(0)
    os.umask(actual)
    return actual


def _sincronizar(ruta: Path) -> None:
    with open(ruta, "rb") as f:
        os.fsync(f.fileno())


def _sincronizar_carpeta(carpeta: Path) -> None:
    # Sin esto, un corte de energía justo después del renombre puede perder la entrada de carpeta.
    try:
        fd = os.open(carpeta, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def escritura_atomica(ruta: Path) -> Iterator[Path]:
    """Entrega un temporal en la misma carpeta y, si todo sale bien, lo renombra sobre `ruta`.

    Si el bloque falla, el temporal se borra y la versión anterior de `ruta` queda intacta.
    """
    ruta = Path(ruta)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    # Misma carpeta (mismo sistema de archivos) para que os.replace sea atómico; oculto y con la
    # misma extensión para que ninguna herramienta lo confunda con una salida terminada.
    fd, nombre = tempfile.mkstemp(
        prefix=f".{ruta.stem}.", suffix=f".tmp{ruta.suffix}", dir=ruta.parent
    )
    os.close(fd)
    temporal = Path(nombre)
    try:
        yield temporal
        _sincronizar(temporal)
        # mkstemp crea con permisos 0600; la salida debe tener los permisos normales del usuario.
        os.chmod(temporal, 0o666 & ~_umask())
        os.replace(temporal, ruta)
    except BaseException:
        temporal.unlink(missing_ok=True)
        raise
    _sincronizar_carpeta(ruta.parent)


def escribir_texto_atomico(ruta: Path, texto: str, encoding: str = "utf-8-sig") -> Path:
    """Escribe un archivo de texto (por ejemplo el CSV de indicadores) de forma atómica."""
    ruta = Path(ruta)
    with escritura_atomica(ruta) as temporal:
        # newline="" respeta los finales de línea que trae el texto (el CSV usa \r\n).
        temporal.write_text(texto, encoding=encoding, newline="")
    return ruta


def fecha_documento(corte: dt.date) -> dt.datetime:
    """Fecha fija de los libros de una corrida: el corte a medianoche (bytes reproducibles)."""
    return dt.datetime(corte.year, corte.month, corte.day)


def libro_xlsx(
    ruta_temporal: Path,
    fecha_documento: dt.datetime,
    *,
    memoria_constante: bool = False,
    titulo: str = "",
    autor: str = "",
) -> xlsxwriter.Workbook:
    """Libro de xlsxwriter seguro y reproducible: el texto nunca se vuelve fórmula, enlace ni número."""
    libro = xlsxwriter.Workbook(
        str(ruta_temporal),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "constant_memory": memoria_constante,
            # En memoria las partes del zip llevan fecha fija; en disco (memoria constante) la
            # fija xlsxwriter con os.utime.
            "in_memory": not memoria_constante,
            "default_date_format": FORMATO_FECHA,
            "nan_inf_to_errors": False,
        },
    )
    libro.set_properties(
        {
            "title": titulo,
            "author": autor,
            "created": fecha_documento.replace(tzinfo=None),
        }
    )
    return libro


def comprobar_destino(salidas: Path, entradas: Path, vigencia: str | None = None) -> None:
    """Lanza ErrorDestino si las salidas quedarían dentro de la carpeta de entradas (§7)."""
    salidas_real = Path(salidas).expanduser().resolve()
    entradas_real = Path(entradas).expanduser().resolve()
    destinos = [salidas_real]
    if vigencia:
        destinos.append(salidas_real / str(vigencia))
    for destino in destinos:
        if destino == entradas_real or entradas_real in destino.parents:
            raise ErrorDestino(
                f"La carpeta de salidas «{salidas}» queda dentro de la carpeta de entradas "
                f"«{entradas}». Los archivos de entradas nunca se modifican: elija una carpeta de "
                "salidas fuera de entradas (por ejemplo, «salidas»)."
            )


def _normalizar(valor: object) -> object:
    """Escalares de numpy y pandas → tipos de Python; vacíos (NaN, NA, NaT, "") → None."""
    if isinstance(valor, np.datetime64):
        valor = pd.Timestamp(valor)
    elif isinstance(valor, np.generic):
        valor = valor.item()
    if valor is None or valor is pd.NA or valor is pd.NaT:
        return None
    if isinstance(valor, str) and not valor:
        return None
    if isinstance(valor, float) and not math.isfinite(valor):
        return None
    if isinstance(valor, Decimal):
        return float(valor) if valor.is_finite() else None
    return valor


def escribir_valor(
    hoja: Worksheet, fila: int, col: int, valor: object, formato: object = None
) -> None:
    """Escribe una celda según el tipo de Python; el texto siempre como texto, nunca como fórmula."""
    valor = _normalizar(valor)
    if valor is None:
        hoja.write_blank(fila, col, None, formato)
    elif isinstance(valor, bool):
        hoja.write_boolean(fila, col, valor, formato)
    elif isinstance(valor, numbers.Real):
        hoja.write_number(fila, col, float(valor), formato)
    elif isinstance(valor, dt.datetime):
        hoja.write_datetime(fila, col, valor.replace(tzinfo=None), formato)
    elif isinstance(valor, dt.date | dt.time):
        hoja.write_datetime(fila, col, valor, formato)
    else:
        hoja.write_string(fila, col, str(valor), formato)
