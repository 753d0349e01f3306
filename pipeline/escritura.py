"""El único lugar donde se escriben las salidas: escritura atómica, libros reproducibles, texto seguro.

Toda salida se escribe en un temporal de la misma carpeta y se renombra al final (§7): quien lee
nunca ve un archivo a medias y, si algo falla, la versión anterior sobrevive. Los libros llevan una
fecha de documento fija derivada del corte, para que las mismas entradas den los mismos bytes.

Caja de herramientas de los libros (xlsxwriter), la única de todas las salidas (informes, reporte de
validación, devoluciones y plantillas): la paleta (AZUL_OSCURO…, SEMAFORO), `libro_xlsx` (guardado
reproducible y texto que nunca se vuelve fórmula), `Formatos` (una caché de formatos por nombre),
`escribir_cuerpo` y `cerrar_libro` (las filas de toda tabla: `tabla_excel`), `ancho_columna`, `lineas_texto` y
`alto_fila` (el único estimador de alto de fila), `preparar_impresion` y `escribir_valor`. Las
referencias A1 salen de `xlsxwriter.utility`.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline.errores import ErrorAsistencia
from pipeline.filas_xml import Cuerpo, insertar_cuerpos

FORMATO_FECHA = "dd/mm/yyyy"
"""Formato de fecha de Excel que se muestra como dd/mm/aaaa."""


class ErrorDestino(ErrorAsistencia):
    """La carpeta de salidas no se puede usar (por ejemplo, está dentro de la de entradas)."""


def _umask() -> int:
    actual = os.umask(0)
    os.umask(actual)
    return actual


def _sincronizar(ruta: Path) -> None:
    with open(ruta, "rb") as f:
        os.fsync(f.fileno())


def sincronizar_carpeta(carpeta: Path) -> None:
    """Lleva a disco las entradas de una carpeta (los renombres hechos en ella)."""
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
def escritura_atomica(ruta: Path, *, carpeta_sincronizada: bool = True) -> Iterator[Path]:
    """Entrega un temporal en la misma carpeta y, si todo sale bien, lo renombra sobre `ruta`.

    Si el bloque falla, el temporal se borra y la versión anterior de `ruta` queda intacta.
    `carpeta_sincronizada=False` para archivos dentro de una carpeta nueva que luego se pone entera
    en su lugar (las devoluciones): la carpeta se sincroniza una vez, no por cada archivo.
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
    if carpeta_sincronizada:
        sincronizar_carpeta(ruta.parent)


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
    destino: Path | IO[bytes],
    fecha_documento: dt.datetime,
    *,
    titulo: str = "",
    autor: str = "",
    propiedades: dict[str, str] | None = None,
) -> xlsxwriter.Workbook:
    """Libro de xlsxwriter seguro y reproducible: el texto nunca se vuelve fórmula, enlace ni número.

    `destino`: la ruta temporal (ver `escritura_atomica`) o un búfer de bytes. `propiedades`: otras
    propiedades del documento (asunto, empresa, comentarios) además del título y el autor.
    """
    libro = xlsxwriter.Workbook(
        destino if not isinstance(destino, Path) else str(destino),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            # En memoria las partes del zip llevan fecha fija (bytes reproducibles).
            "in_memory": True,
            "default_date_format": FORMATO_FECHA,
            "nan_inf_to_errors": False,
        },
    )
    libro.set_properties(
        {
            "title": titulo,
            "author": autor,
            **(propiedades or {}),
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


# ------------------------------------------------------------------------------------------------
# Textos con números


def numero_es(n: float, decimales: int = 0) -> str:
    """Número al estilo colombiano: punto de miles y coma decimal («1.234», «20,9»)."""
    con_formato = f"{n:,.{decimales}f}"
    return con_formato.replace(",", "_").replace(".", ",").replace("_", ".")


def cantidad(n: int, singular: str, plural: str) -> str:
    """«1 archivo», «83 archivos», «1.234 filas»: el número con la palabra en su número."""
    return f"{numero_es(n)} {singular if n == 1 else plural}"


def sello_zip(fecha_doc: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """Fecha fija para cada parte de un zip (un xlsx): dos corridas dan los mismos bytes."""
    return (max(fecha_doc.year, 1980), fecha_doc.month, fecha_doc.day, 0, 0, 0)


# ------------------------------------------------------------------------------------------------
# Caja de herramientas de los libros


def _por_linea(ancho: float) -> int:
    return max(1, int(ancho * 1.1))


def lineas_texto(valor: object, ancho: float) -> int:
    """Líneas que ocupa un texto ajustado en una columna de `ancho` caracteres (estimado)."""
    por_linea = _por_linea(ancho)
    partes = str(valor or "").split("\n")
    return sum(max(1, math.ceil(len(parte) / por_linea)) for parte in partes)


def lineas_columna(textos: pd.Series, ancho: float) -> pd.Series:
    """`lineas_texto` de cada texto de una columna, sin recorrerla celda a celda en Python."""
    textos = textos.fillna("").astype(str)
    lineas = np.ceil(textos.str.len() / _por_linea(ancho)).clip(lower=1).astype(int)
    saltos = textos.str.contains("\n", regex=False)
    if saltos.any():
        lineas[saltos] = [lineas_texto(t, ancho) for t in textos[saltos]]
    return lineas


ALTO_LINEA = 15.0
"""Puntos por línea de texto de 11 puntos."""


def alto_fila(valores: Iterable[object], anchos: Iterable[float]) -> float:
    """Alto (puntos) para que se vean completos los textos ajustados de una fila, columna a columna.

    Ni Excel ni LibreOffice recalculan al abrir el alto de una fila escrita por xlsxwriter.
    """
    lineas = (lineas_texto(v, a) for v, a in zip(valores, anchos, strict=True))
    return ALTO_LINEA * max(lineas, default=1)


# La paleta de todos los libros. Los azules y grises son los de los informes; el semáforo, los
# rellenos y letras de los estilos «Buena», «Neutral» e «Incorrecta» de Excel.
AZUL_OSCURO = "#1F4E79"
AZUL_CLARO = "#DDEBF7"
AZUL_MEDIO = "#9DC3E6"  # segunda serie de las gráficas
BLANCO, NEGRO = "#FFFFFF", "#000000"
GRIS_TEXTO = "#595959"
GRIS_BORDE = "#BFBFBF"
GRIS_ENTRADA = "#A6A6A6"  # borde de las celdas que diligencia el usuario
GRIS_FONDO = "#F2F2F2"
GRIS_CLARO = (
    "#EDEDED"  # relleno de lo que no cuenta: archivos ignorados, departamentos sin cobertura
)
GRIS_CUADRICULA = "#D9D9D9"
AMARILLO_NOTA = "#FFFFE1"  # fondo de los comentarios de celda de Excel
ROJO, AMBAR, VERDE = "#C00000", "#9C5700", "#006100"  # letra de error, advertencia y aceptado
SEMAFORO = {
    "Verde": ("#C6EFCE", "#006100"),
    "Amarillo": ("#FFEB9C", "#9C5700"),
    "Rojo": ("#FFC7CE", "#9C0006"),
}
"""Semáforo → (relleno, letra)."""
COLORES = {**SEMAFORO, "Gris": (GRIS_CLARO, GRIS_TEXTO)}
"""Los colores de una celda de tabla (`Formatos.formato`): el semáforo y el gris de lo que no cuenta."""
COLORES_GRAFICA = (AZUL_OSCURO, AZUL_MEDIO, "#F4B183", "#A9D18E", "#FFD966", "#C9C9C9")
"""Series de una gráfica con varias, en orden."""

CARTA = 1
"""Código de Excel del papel carta (Letter), el de las oficinas colombianas."""

NUMEROS = {
    "entero": "#,##0",
    "decimal": "0.00",
    "porcentaje": "0.0%",
    "fecha": FORMATO_FECHA,
    "moneda": '"$" #,##0',
}
"""Formato de número de cada tipo de columna de tabla."""

_BASE = {"valign": "top", "font_name": "Calibri", "font_size": 11}
ESTILOS: dict[str, dict] = {
    "titulo": {"bold": True, "font_size": 15, "font_color": AZUL_OSCURO},
    "subtitulo": {"bold": True, "font_size": 12, "font_color": AZUL_OSCURO},
    "etiqueta": {"bold": True, "valign": "top"},  # a la altura del texto de su fila
    "nota": {"italic": True, "font_color": GRIS_TEXTO},
    "fecha": {"num_format": FORMATO_FECHA, "align": "left"},
    "encabezado": {
        "bold": True,
        "font_color": BLANCO,
        "bg_color": AZUL_OSCURO,
        "border": 1,
        "text_wrap": True,
        "valign": "vcenter",
    },
    "texto": _BASE,
    "ajustado": {**_BASE, "text_wrap": True},
    "entero": {**_BASE, "num_format": "#,##0"},
    "entero_negrita": {**_BASE, "num_format": "#,##0", "bold": True},
    "encabezado_tabla": {
        "bold": True,
        "text_wrap": True,
        "valign": "vcenter",
        "align": "center",
        "font_color": BLANCO,
        "bg_color": AZUL_OSCURO,
        "border": 1,
        "border_color": GRIS_BORDE,
    },
    "sin_datos": {"italic": True, "font_color": GRIS_TEXTO},
    "error": {**_BASE, "bold": True, "font_color": ROJO},
    "advertencia": {**_BASE, "bold": True, "font_color": AMBAR},
    "aceptado": {**_BASE, "bold": True, "font_color": VERDE},
}
"""Los estilos con nombre que comparten los libros; cada libro puede añadir los suyos."""


class Formatos:
    """Caché de formatos de un libro de xlsxwriter: uno por nombre (o por diccionario) y libro.

    Guarda también los cuerpos de tabla grandes que se escriben al cerrar (`escribir_cuerpo`,
    `cerrar_libro`).
    """

    def __init__(self, libro: xlsxwriter.Workbook, propios: dict[str, dict] | None = None) -> None:
        self._libro = libro
        self._estilos = {**ESTILOS, **(propios or {})}
        self._cache: dict[object, object] = {}
        self.cuerpos: list[Cuerpo] = []

    def __getitem__(self, nombre: str):
        if nombre not in self._cache:
            self._cache[nombre] = self._libro.add_format(self._estilos[nombre])
        return self._cache[nombre]

    def formato(self, tipo: str = "texto", color: str = "", negrita: bool = False):
        """Formato de una celda de tabla del tipo dado (`tabla_excel.Columna`), con su color."""
        llave = ("celda", tipo, color, negrita)
        if llave not in self._cache:
            props: dict[str, object] = {"valign": "top", "border": 1, "border_color": GRIS_BORDE}
            if tipo in NUMEROS:
                props["num_format"] = NUMEROS[tipo]
            if tipo in ("texto", "nota"):
                props["text_wrap"] = True
            if tipo in ("sino", "semaforo"):
                props["align"] = "center"
            if tipo == "nota":
                props["locked"] = False
            if color in COLORES:
                relleno, letra = COLORES[color]
                props.update(bg_color=relleno, font_color=letra)
            if negrita or tipo == "etiqueta":
                props["bold"] = True
            self._cache[llave] = self.de(props)
        return self._cache[llave]

    def de(self, propiedades: dict):
        """Formato para un diccionario de propiedades (el mismo objeto para las mismas)."""
        llave = tuple(sorted(propiedades.items()))
        if llave not in self._cache:
            self._cache[llave] = self._libro.add_format(dict(propiedades))
        return self._cache[llave]


FILAS_DIFERIDAS = 200
"""Desde cuántas filas el cuerpo de una tabla se escribe como XML al cerrar el libro (filas_xml).

Las tablas que alimentan una gráfica tienen menos filas: xlsxwriter guarda con la gráfica los
valores de las celdas que escribió él."""


def escribir_cuerpo(
    hoja: Worksheet,
    formatos: Formatos,
    fila: int,
    col: int,
    columnas: Sequence[Sequence[object]],
    formatos_columnas: Sequence[object],
    altos: Sequence[float | None] = (),
    tabla: dict | None = None,
) -> None:
    """Las filas de datos de una tabla desde (`fila`, `col`), columna a columna.

    `formatos_columnas[j]`: el formato de toda la columna j o una lista con el de cada fila; `altos`:
    el alto de cada fila (None, el normal); `tabla`: las opciones de una tabla de Excel con sus
    encabezados en la fila anterior. Una tabla chica se escribe celda a celda con `escribir_valor`;
    una grande queda en `formatos.cuerpos` y `cerrar_libro` la escribe como XML, con los mismos
    valores y formatos (diez veces más rápido).
    """
    largo = max((len(c) for c in columnas), default=0)
    diferido = largo >= FILAS_DIFERIDAS
    if tabla is not None:
        # Una tabla de Excel necesita una fila de datos. La de un cuerpo diferido se declara con una
        # y crece al cerrar: declarada entera, xlsxwriter registraría cada una de sus celdas.
        ultima = fila if diferido else fila + max(largo, 1) - 1
        hoja.add_table(fila - 1, col, ultima, col + len(columnas) - 1, tabla)
    if diferido:
        indices = [
            [_indice_xf(f) for f in formato]
            if isinstance(formato, list | tuple)
            else _indice_xf(formato)
            for formato in formatos_columnas
        ]
        nombre = tabla["name"] if tabla else ""
        formatos.cuerpos.append(Cuerpo(hoja.index, fila, col, columnas, indices, altos, nombre))
        return
    for j, (valores, formato) in enumerate(zip(columnas, formatos_columnas, strict=True)):
        de_cada_fila = formato if isinstance(formato, list | tuple) else [formato] * len(valores)
        for i, (valor, de_la_fila) in enumerate(zip(valores, de_cada_fila, strict=True)):
            escribir_valor(hoja, fila + i, col + j, valor, de_la_fila)
    for i, alto in enumerate(altos):
        if alto:
            hoja.set_row(fila + i, alto)


def _indice_xf(formato) -> int:
    """El índice de estilo (xf) del formato. Pedirlo lo registra en el libro: xlsxwriter solo
    escribe en styles.xml los formatos que usó alguna celda suya, y estas celdas no pasan por él."""
    return 0 if formato is None else formato._get_xf_index()


def cerrar_libro(
    libro: xlsxwriter.Workbook, formatos: Formatos, ruta: Path, nivel: int | None = None
) -> None:
    """Cierra el libro escrito en `ruta` y le agrega los cuerpos de tabla grandes.

    `nivel`: compresión de las hojas con cuerpos grandes (None, la de zlib por omisión)."""
    libro.close()
    insertar_cuerpos(ruta, formatos.cuerpos, nivel)


def ancho_columna(
    valores: Iterable[object], encabezado: str, maximo: int = 24, minimo: int = 8
) -> int:
    """Ancho (caracteres) de una columna: el texto más largo más un margen, entre mínimo y máximo."""
    largo = max((len(str(v)) for v in valores if v is not None), default=0)
    return max(minimo, min(maximo, max(largo, len(encabezado)) + 2))


def preparar_impresion(
    hoja: Worksheet, titulo: str, fecha_doc: dt.datetime, filas_titulo: int = 0
) -> None:
    """Carta horizontal, ajustada al ancho, con título, fecha de corte y filas de título repetidas."""
    encabezado = titulo.replace("&", "&&")
    hoja.set_header(f"&L&B{encabezado}&RCorte: {fecha_doc:%d/%m/%Y}")
    hoja.set_footer("&RPágina &P de &N")
    hoja.set_landscape()
    hoja.set_paper(CARTA)
    hoja.fit_to_pages(1, 0)
    hoja.repeat_rows(filas_titulo)
