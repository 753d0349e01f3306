"""Filas de datos escritas directamente como XML de la hoja: el camino rápido de las tablas grandes.

xlsxwriter guarda cada celda como un objeto y la convierte en XML al cerrar el libro: unos 10 µs por
celda, que con las 3.892 filas de `Metadatos` en cada informe o las 100.000 de la base consolidada
son segundos. Las tablas grandes (`pipeline.escritura.escribir_cuerpo`) dejan aquí su cuerpo, columna a
columna con el formato de cada celda, y `insertar_cuerpos` lo escribe en la hoja cuando el libro ya
está cerrado, con el índice de estilo de cada celda. El resultado se lee igual que si xlsxwriter
hubiera escrito las celdas: mismos valores, mismos formatos (el texto va como cadena en línea, que
nunca es fórmula). Las filas que xlsxwriter ya escribió en el mismo rango se mezclan celda a celda.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_range, xl_rowcol_to_cell

from pipeline.ooxml.partes import ILEGALES_XML

_MAXIMO_TEXTO = 32767  # lo que cabe en una celda de Excel (xlsxwriter corta igual)
_BASE_EXCEL = dt.datetime(1899, 12, 30)  # día 0 de Excel para fechas desde el 1/3/1900
_FILA = re.compile(r'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
_CELDA = re.compile(r'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', re.S)
_DIMENSION = re.compile(r'<dimension ref="([^"]*)"/>')


@dataclass
class Cuerpo:
    """Las filas de datos de una tabla: desde (`fila`, `col`), una lista de valores por columna.

    `formatos[j]` es el índice de estilo (xf, 0 = ninguno) de toda la columna j o una lista con el
    de cada fila; `altos`, el alto (puntos) de cada fila o None para el alto normal.
    """

    hoja: int  # índice de la hoja en el libro (xlsxwriter la guarda como sheet<hoja + 1>.xml)
    fila: int
    col: int
    columnas: Sequence[Sequence[object]]
    formatos: Sequence[int | Sequence[int]]
    altos: Sequence[float | None] = ()
    tabla: str = ""  # tabla de Excel declarada con una fila de datos que crece hasta el cuerpo


def texto_celda(valor: str) -> str:
    """Texto escapado para una celda; los caracteres de control, como `_x0001_` (como Excel).

    (`ooxml.partes.texto_xml`, para comentarios y la hoja Errores, los quita.)
    """
    return ILEGALES_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", escape(valor))


def _serial(valor: dt.date) -> float:
    """Número de serie de Excel de una fecha o fecha y hora (sin zona horaria)."""
    if isinstance(valor, dt.datetime):
        return (valor.replace(tzinfo=None) - _BASE_EXCEL) / dt.timedelta(days=1)
    return float((valor - _BASE_EXCEL.date()).days)


def serial_fechas(serie: pd.Series) -> list[float | None]:
    """Número de serie de Excel de cada fecha de una columna (None si está vacía), en bloque."""
    dias = (pd.to_datetime(serie) - pd.Timestamp(_BASE_EXCEL)) / pd.Timedelta(days=1)
    return [None if d != d else d for d in dias.tolist()]


def _contenido(valor: object) -> str | None:
    """El XML tras `<c r=… s=…` para un valor; None si la celda queda vacía."""
    if valor is None or valor is pd.NA or valor is pd.NaT:
        return None
    if type(valor) is str:
        if not valor:
            return None
        if len(valor) > _MAXIMO_TEXTO:
            valor = valor[:_MAXIMO_TEXTO]
        espacio = ' xml:space="preserve"' if valor[0].isspace() or valor[-1].isspace() else ""
        return f' t="inlineStr"><is><t{espacio}>{texto_celda(valor)}</t></is></c>'
    if isinstance(valor, bool | np.bool_):
        return f' t="b"><v>{int(bool(valor))}</v></c>'
    if isinstance(valor, np.datetime64):
        valor = pd.Timestamp(valor)
    if isinstance(valor, pd.Timestamp):
        valor = valor.to_pydatetime()
    if isinstance(valor, dt.date):  # también datetime
        return f"><v>{_serial(valor):.16G}</v></c>"
    if isinstance(valor, int | float | np.integer | np.floating | Decimal):
        numero = float(valor)
        return None if not math.isfinite(numero) else f"><v>{numero:.16G}</v></c>"
    return _contenido(str(valor))


def _columna(
    valores: Sequence[object], formato: int | Sequence[int], letra: str, desde: int
) -> list[str]:
    """El XML de las celdas de una columna (cadena vacía donde no hay celda), desde la fila `desde`."""
    filas = range(desde, desde + len(valores))
    if isinstance(formato, list | tuple):
        return [
            _celda(f"{letra}{r}", _estilo(f), v)
            for r, v, f in zip(filas, valores, formato, strict=True)
        ]
    estilo = _estilo(formato)  # type: ignore[arg-type]  # un solo índice para la columna
    vacia = f'<c r="{letra}{{}}"{estilo}/>' if estilo else ""
    tipos = set(map(type, valores))
    tipos.discard(type(None))
    textos: Sequence[str] = valores  # type: ignore[assignment]  # si tipos <= {str}
    if tipos <= {str} and max(map(len, filter(None, textos)), default=0) <= _MAXIMO_TEXTO:
        # Camino rápido (casi todas las columnas de texto): se escapa solo si la columna lo necesita.
        juntos = "".join(filter(None, valores))  # type: ignore[arg-type]
        if texto_celda(juntos) != juntos:
            valores = [texto_celda(v) if v else None for v in valores]  # type: ignore[arg-type]
        return [
            f'<c r="{letra}{r}"{estilo} t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
            if v
            else vacia.format(r)
            for r, v in zip(filas, valores, strict=True)
        ]
    if tipos <= {float, int}:
        return [
            f'<c r="{letra}{r}"{estilo}><v>{float(v):.16G}</v></c>'  # type: ignore[arg-type]
            if v is not None and math.isfinite(v)  # type: ignore[arg-type]
            else vacia.format(r)
            for r, v in zip(filas, valores, strict=True)
        ]
    if tipos <= {dt.datetime}:
        return [
            f'<c r="{letra}{r}"{estilo}><v>{_serial(v):.16G}</v></c>'  # type: ignore[arg-type]
            if v is not None
            else vacia.format(r)
            for r, v in zip(filas, valores, strict=True)
        ]
    return [_celda(f"{letra}{r}", estilo, v) for r, v in zip(filas, valores, strict=True)]


def _celda(ref: str, estilo: str, valor: object) -> str:
    contenido = _contenido(valor)
    if contenido is None:
        return f'<c r="{ref}"{estilo}/>' if estilo else ""
    return f'<c r="{ref}"{estilo}{contenido}'


def _estilo(indice: int) -> str:
    return f' s="{indice}"' if indice else ""


BLOQUE = 5000
"""Filas que se generan a la vez: la hoja se escribe por partes, sin tenerla entera en memoria."""


def _filas_cuerpo(cuerpo: Cuerpo, desde: int, hasta: int) -> tuple[list[str], list[str]]:
    """Los atributos y el XML de las celdas de las filas `desde`:`hasta` del cuerpo, en orden."""
    primera = cuerpo.fila + 1 + desde
    columnas = [
        _columna(
            valores[desde:hasta],
            formato[desde:hasta] if isinstance(formato, list | tuple) else formato,
            xl_col_to_name(cuerpo.col + j),
            primera,
        )
        for j, (valores, formato) in enumerate(zip(cuerpo.columnas, cuerpo.formatos, strict=True))
    ]
    celdas = [*map("".join, zip(*columnas, strict=True))]
    altos = list(cuerpo.altos[desde:hasta]) + [None] * (
        len(celdas) - len(cuerpo.altos[desde:hasta])
    )
    return [f' ht="{a:g}" customHeight="1"' if a else "" for a in altos], celdas


def _trozos(cuerpo: Cuerpo, filas: range) -> Iterator[str]:
    """Las filas del cuerpo como XML, de `BLOQUE` en `BLOQUE`."""
    for i in range(0, len(filas), BLOQUE):
        hasta = min(i + BLOQUE, len(filas))
        atributos, celdas = _filas_cuerpo(cuerpo, i, hasta)
        yield "".join(map(_fila, filas[i:hasta], atributos, celdas))


def _fila(r: int, atributos: str, contenido: str) -> str:
    return (
        f'<row r="{r}"{atributos}>{contenido}</row>' if contenido else f'<row r="{r}"{atributos}/>'
    )


def _celdas_existentes(xml: str) -> list[tuple[int, str]]:
    return [(xl_cell_to_rowcol(f"{m.group(1)}1")[1], m.group(0)) for m in _CELDA.finditer(xml)]


def _hoja(xml: str, cuerpos: list[Cuerpo]) -> Iterator[str]:
    """La hoja, por partes, con las filas de los cuerpos dentro de `<sheetData>` en orden.

    Una fila que ya escribió xlsxwriter (u otro cuerpo) se mezcla celda a celda; las demás, que son
    casi todas, se escriben tal cual y por bloques.
    """
    if "<sheetData/>" in xml:
        inicio, _, final = xml.partition("<sheetData/>")
        existentes = ""
    else:
        inicio, _, resto = xml.partition("<sheetData>")
        existentes, _, final = resto.partition("</sheetData>")
    previas = {int(m.group(1)): (m.group(2), m.group(3) or "") for m in _FILA.finditer(existentes)}
    rangos = [range(c.fila + 1, c.fila + 1 + max(map(len, c.columnas), default=0)) for c in cuerpos]
    compartidas: set[int] = set()
    for i, filas in enumerate(rangos):
        for otro in rangos[i + 1 :]:
            compartidas.update(range(max(filas.start, otro.start), min(filas.stop, otro.stop)))
        compartidas.update(r for r in previas if r in filas)
    # (primera fila, partes): las filas de xlsxwriter, los cuerpos (por bloques) y las mezcladas.
    bloques: list[tuple[int, Iterable[str]]] = [
        (r, [m]) for r, m in _filas_previas(existentes) if r not in compartidas
    ]
    nuevas: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for cuerpo, filas in zip(cuerpos, rangos, strict=True):
        if compartidas.isdisjoint(filas):  # el caso común: filas solo suyas, tal cual
            bloques.append((filas.start, _trozos(cuerpo, filas)))
            continue
        for r, a, c in zip(filas, *_filas_cuerpo(cuerpo, 0, len(filas)), strict=True):
            previos, trozos = nuevas.get(r, ("", []))
            nuevas[r] = (previos or a, [*trozos, (cuerpo.col, c)])
    for r, (atributos, trozos) in nuevas.items():
        if r in previas:
            atributos_previos, celdas_previas = previas[r]
            if "ht=" in atributos_previos or not atributos:
                atributos = atributos_previos
            trozos = [*_celdas_existentes(celdas_previas), *trozos]
        trozos.sort(key=lambda t: t[0])
        bloques.append((r, [_fila(r, atributos, "".join(t for _, t in trozos))]))
    bloques.sort(key=lambda b: b[0])
    yield _DIMENSION.sub(lambda m: _dimension(m.group(1), cuerpos), inicio, count=1)
    yield "<sheetData>"
    for _, partes in bloques:
        yield from partes
    yield f"</sheetData>{final}"


def _filas_previas(existentes: str) -> Iterator[tuple[int, str]]:
    for m in _FILA.finditer(existentes):
        yield int(m.group(1)), m.group(0)


def _dimension(previa: str, cuerpos: list[Cuerpo]) -> str:
    """El rango usado de la hoja: el de xlsxwriter unido a los rectángulos de los cuerpos."""
    rangos = [] if previa == "A1" else [previa]  # «A1» es también la hoja sin celdas
    for c in cuerpos:
        largo = max((len(v) for v in c.columnas), default=0)
        if largo:
            rangos.append(xl_range(c.fila, c.col, c.fila + largo - 1, c.col + len(c.columnas) - 1))
    esquinas = [xl_cell_to_rowcol(e) for r in rangos for e in r.split(":")]
    if not esquinas:
        return f'<dimension ref="{previa}"/>'
    filas, columnas = zip(*esquinas, strict=True)
    desde = xl_rowcol_to_cell(min(filas), min(columnas))
    return f'<dimension ref="{desde}:{xl_rowcol_to_cell(max(filas), max(columnas))}"/>'


def _ampliar_tablas(xml: str, cuerpos: list[Cuerpo]) -> str:
    """Una tabla de Excel declarada con una fila de datos llega hasta la última fila de su cuerpo."""
    for cuerpo in cuerpos:
        if cuerpo.tabla and f' name="{cuerpo.tabla}"' in xml:
            largo = max((len(v) for v in cuerpo.columnas), default=0)
            desde, hasta = cuerpo.fila - 1, cuerpo.fila + max(largo, 1) - 1
            ultima = cuerpo.col + len(cuerpo.columnas) - 1
            declarado = f'ref="{xl_range(desde, cuerpo.col, desde + 1, ultima)}"'
            return xml.replace(declarado, f'ref="{xl_range(desde, cuerpo.col, hasta, ultima)}"')
    return xml


def insertar_cuerpos(ruta: Path, cuerpos: Sequence[Cuerpo], nivel: int | None = None) -> None:
    """Escribe los cuerpos en las hojas del libro ya cerrado en `ruta` (reescribe el zip).

    Las demás partes se copian tal cual (mismos bytes descomprimidos y la misma fecha fija).
    `nivel`: compresión de las hojas con cuerpos (None: la de zlib por omisión).
    """
    if not cuerpos:
        return
    por_parte: dict[str, list[Cuerpo]] = {}
    for cuerpo in cuerpos:
        por_parte.setdefault(f"xl/worksheets/sheet{cuerpo.hoja + 1}.xml", []).append(cuerpo)
    con_tabla = [c for c in cuerpos if c.tabla]
    with zipfile.ZipFile(ruta) as origen:
        partes = [(info, origen.read(info)) for info in origen.infolist()]
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED, compresslevel=nivel) as destino:
        for info, contenido in partes:
            info.compress_type = zipfile.ZIP_DEFLATED
            if info.filename in por_parte:
                # Abierta por nombre, la parte toma la compresión del zip y la fecha fija de 1980,
                # la misma que pone xlsxwriter.
                with destino.open(info.filename, "w") as salida:
                    for trozo in _hoja(contenido.decode("utf-8"), por_parte.pop(info.filename)):
                        salida.write(trozo.encode("utf-8"))
            elif con_tabla and info.filename.startswith("xl/tables/"):
                xml = _ampliar_tablas(contenido.decode("utf-8"), con_tabla)
                destino.writestr(info, xml.encode("utf-8"))
            else:
                destino.writestr(info, contenido)
    if por_parte:
        raise ValueError(f"El libro no tiene las hojas {sorted(por_parte)}")
