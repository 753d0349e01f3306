"""La tabla de datos de los libros: una sola forma de escribirla, en informes y reporte de validación.

Cada tabla se describe con sus `Columna` (encabezado, columna del DataFrame, tipo, ancho y, si la
hay, la columna que da el color de cada celda) y `escribir_tabla` pone encabezados ajustados, el
cuerpo (`escritura.escribir_cuerpo`: celda a celda o, si es grande, como XML al cerrar) con el
formato de su tipo, el alto de cada fila según su texto y un filtro o una tabla de Excel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import SupportsFloat, cast

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from pipeline.escritura import (
    ALTO_LINEA,
    Formatos,
    escribir_cuerpo,
    lineas_columna,
    lineas_texto,
)
from pipeline.normalizacion import texto

SIN_DATOS = "Sin datos para este periodo"


@dataclass(frozen=True)
class Columna:
    """Una columna de una tabla: encabezado, columna del DataFrame, tipo y ancho."""

    titulo: str
    clave: str
    # texto, entero, decimal, porcentaje, moneda, fecha, sino, semaforo, nota, etiqueta;
    # «indicador» toma el tipo de cada fila de la columna `tipo` del DataFrame (una fila por
    # indicador); «semaforo» se colorea con su propio valor.
    tipo: str = "texto"
    ancho: float = 14
    semaforo: str = ""  # columna del DataFrame con el color (escritura.COLORES) de esta celda


def es_vacio(valor: object) -> bool:
    """Verdadero para None, NaN, NaT y pd.NA."""
    if valor is None or valor is pd.NA or valor is pd.NaT:
        return True
    return isinstance(valor, float) and math.isnan(valor)


def anchos(hoja: Worksheet, columnas: Sequence[Columna], col: int = 0, formatos=None) -> None:
    """Ancho de cada columna (las de notas quedan desbloqueadas y con ajuste de texto)."""
    for j, c in enumerate(columnas):
        fmt = formatos.formato("nota") if formatos and c.tipo == "nota" else None
        hoja.set_column(col + j, col + j, c.ancho, fmt)


def escribir_tabla(
    hoja: Worksheet,
    formatos: Formatos,
    fila: int,
    columnas: Sequence[Columna],
    datos: pd.DataFrame,
    *,
    col: int = 0,
    filtro: bool = True,
    negrita_ultima: bool = False,
    tabla: str = "",
) -> int:
    """Encabezados en `fila` y debajo las filas de `datos`; devuelve la primera fila libre después.

    `tabla`: el nombre de una tabla de Excel (filtro y bandas) en lugar del filtro simple; sin él,
    una tabla sin filas dice «Sin datos para este periodo».
    """
    alto_encabezado = _alto_encabezado(columnas)
    if datos.empty and not tabla:
        _encabezados(hoja, formatos, fila, col, columnas)
        hoja.set_row(fila, alto_encabezado)
        hoja.write_string(fila + 1, col, SIN_DATOS, formatos["sin_datos"])
        return fila + 3
    valores = {c.clave: datos[c.clave].tolist() for c in columnas}
    tipos_fila = datos["tipo"].tolist() if "tipo" in datos else []
    colores_columna = {
        c.clave: datos[c.semaforo].tolist() for c in columnas if c.semaforo and c.semaforo in datos
    }
    ultima = len(datos) - 1
    cuerpo: list[list[object]] = []
    formatos_cuerpo: list[object] = []
    for c in columnas:
        columna = valores[c.clave]
        if c.clave not in colores_columna and c.tipo not in ("semaforo", "indicador"):
            # Camino rápido (la mayoría de las columnas): un solo formato, sin decidir celda a celda.
            cuerpo.append([_valor_celda(v, c.tipo) for v in columna])
            formato = formatos.formato(c.tipo)
            if negrita_ultima and columna:
                formato = [formato] * ultima + [formatos.formato(c.tipo, "", True)]
            formatos_cuerpo.append(formato)
            continue
        tipos = tipos_fila if c.tipo == "indicador" else [c.tipo] * len(columna)
        if c.tipo == "semaforo":
            colores = [texto(v) or "" for v in columna]
        else:
            colores = colores_columna.get(c.clave, [""] * len(columna))
        cuerpo.append([_valor_celda(v, t) for v, t in zip(columna, tipos, strict=True)])
        formatos_cuerpo.append(
            [
                formatos.formato(
                    t, color if isinstance(color, str) else "", negrita_ultima and i == ultima
                )
                for i, (t, color) in enumerate(zip(tipos, colores, strict=True))
            ]
        )
    altos = [
        ALTO_LINEA * lineas if lineas > 1 else None for lineas in _lineas_por_fila(columnas, cuerpo)
    ]
    opciones = None
    if tabla:
        encabezado = formatos["encabezado_tabla"]
        opciones = {
            "name": tabla,
            "style": "Table Style Light 9",
            "columns": [{"header": c.titulo, "header_format": encabezado} for c in columnas],
        }
    else:
        _encabezados(hoja, formatos, fila, col, columnas)
    hoja.set_row(fila, alto_encabezado)
    escribir_cuerpo(hoja, formatos, fila + 1, col, cuerpo, formatos_cuerpo, altos, tabla=opciones)
    if filtro and not tabla:
        hoja.autofilter(fila, col, fila + len(datos), col + len(columnas) - 1)
    return fila + max(len(datos), 1) + 3


def _encabezados(
    hoja: Worksheet, formatos: Formatos, fila: int, col: int, columnas: Sequence[Columna]
) -> None:
    for j, c in enumerate(columnas):
        hoja.write_string(fila, col + j, c.titulo, formatos["encabezado_tabla"])


def _valor_celda(valor: object, tipo: str) -> object:
    """El valor que lleva la celda de una columna del `tipo` dado; el texto de las entradas, texto."""
    if es_vacio(valor):
        return None
    if tipo in ("porcentaje", "entero", "decimal", "moneda"):
        # Las columnas numéricas de las tablas solo traen números o vacíos.
        numero = float(cast(SupportsFloat, valor))
        return numero / 100 if tipo == "porcentaje" else numero
    if tipo == "fecha":
        return pd.Timestamp(valor).to_pydatetime()
    if tipo == "sino":
        return "Sí" if bool(valor) else "No"
    if type(valor) is str:
        return valor.strip()
    return texto(valor) or ""


def _lineas_por_fila(columnas: Sequence[Columna], cuerpo: list[list[object]]) -> list[int]:
    """Líneas que ocupa el texto más largo de cada fila (`lineas_texto`), en las columnas de texto."""
    lineas = [
        lineas_columna(pd.Series(valores, dtype=object), c.ancho)
        for c, valores in zip(columnas, cuerpo, strict=True)
        if c.tipo in ("texto", "nota")
    ]
    if not lineas:
        return [1] * len(cuerpo[0]) if cuerpo else []
    return pd.concat(lineas, axis=1).max(axis=1).clip(lower=1).astype(int).tolist()


def _alto_encabezado(columnas: Sequence[Columna]) -> float:
    # En negrita el texto es más ancho: se calcula con un 15 % más, como el aviso.
    lineas = max(lineas_texto(c.titulo, max(c.ancho - 2, 6) / 1.15) for c in columnas)
    return ALTO_LINEA * min(lineas, 5) + 4
