"""El reporte de validación (`validacion/reporte_validacion.xlsx`, §7): archivos y problemas.

Hojas: `Resumen` (título, archivos por estado, totales y problemas por código), `Archivos` (una fila
por archivo de entrada), `Errores` (todos los problemas de §5) y `Filas excluidas` (cada fila de
datos que un error dejó fuera). Solo lleva el valor y el mensaje
enmascarados: el reporte lo ven personas distintas de la dueña de cada archivo.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from esquemas import PLANTILLAS
from pipeline.archivos import Estado
from pipeline.escritura import escribir_valor, escritura_atomica, libro_xlsx
from pipeline.problemas import CATALOGO, Problema, Severidad, ordenar_problemas
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion

HOJA_RESUMEN, HOJA_ARCHIVOS, HOJA_ERRORES = "Resumen", "Archivos", "Errores"
HOJA_EXCLUIDAS = "Filas excluidas"
ENCABEZADOS_EXCLUIDAS = ("Archivo", "Tipo", "Fila", "Códigos")
ENCABEZADOS_ARCHIVOS = (
    "Ruta",
    "Tipo",
    "Versión",
    "Dirección",
    "Estado",
    "Filas leídas",
    "Filas aceptadas",
    "Errores",
    "Advertencias",
    "Motivo",
)
ENCABEZADOS_ERRORES = (
    "Archivo",
    "Hoja",
    "Celda",
    "Campo",
    "Valor",
    "Severidad",
    "Código",
    "Mensaje",
)

ROJO, AMBAR, VERDE, GRIS = "#C00000", "#9C5700", "#006100", "#595959"
_COLOR_ESTADO = {
    Estado.ACEPTADO: (VERDE, "#C6EFCE"),
    Estado.ACEPTADO_CON_ADVERTENCIAS: (AMBAR, "#FFEB9C"),
    Estado.RECHAZADO: (ROJO, "#FFC7CE"),
    Estado.IGNORADO: (GRIS, "#EDEDED"),
    Estado.REEMPLAZADO: (GRIS, "#EDEDED"),
}


def escribir_reporte_validacion(
    resultado: ResultadoValidacion, ruta: Path, fecha_doc: dt.datetime, *, entidad: str = ""
) -> Path:
    """Escribe el reporte de validación de forma atómica y reproducible; devuelve su ruta."""
    ruta = Path(ruta)
    titulo = f"Reporte de validación — vigencia {resultado.vigencia}"
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, fecha_doc, titulo=titulo, autor=entidad)
        formatos = _formatos(libro)
        problemas = ordenar_problemas(resultado.problemas)
        archivos = sorted(resultado.archivos, key=lambda a: a.ruta)
        _hoja_resumen(libro, formatos, resultado, archivos, fecha_doc, entidad, titulo)
        _hoja_archivos(libro, formatos, archivos, problemas, titulo, fecha_doc)
        _hoja_errores(libro, formatos, problemas, titulo, fecha_doc)
        _hoja_excluidas(libro, formatos, resultado, titulo, fecha_doc)
        libro.close()
    return ruta


def _formatos(libro: Workbook) -> dict:
    base = {"valign": "top", "font_name": "Calibri", "font_size": 11}
    f = {
        "titulo": libro.add_format({"bold": True, "font_size": 15, "font_color": "#1F3864"}),
        "subtitulo": libro.add_format({"bold": True, "font_size": 12, "font_color": "#1F3864"}),
        "etiqueta": libro.add_format({"bold": True}),
        "nota": libro.add_format({"italic": True, "font_color": GRIS}),
        "fecha": libro.add_format({"num_format": "dd/mm/yyyy", "align": "left"}),
        "encabezado": libro.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3864", "border": 1}
        ),
        "texto": libro.add_format(base),
        "ajustado": libro.add_format({**base, "text_wrap": True}),
        "entero": libro.add_format({**base, "num_format": "#,##0"}),
        "entero_negrita": libro.add_format({**base, "num_format": "#,##0", "bold": True}),
        Severidad.ERROR: libro.add_format({**base, "bold": True, "font_color": ROJO}),
        Severidad.ADVERTENCIA: libro.add_format({**base, "bold": True, "font_color": AMBAR}),
    }
    for severidad, color in ((Severidad.ERROR, ROJO), (Severidad.ADVERTENCIA, AMBAR)):
        f[("código", severidad)] = libro.add_format({**base, "font_color": color})
    for estado, (color, fondo) in _COLOR_ESTADO.items():
        f[estado] = libro.add_format({**base, "font_color": color, "bg_color": fondo})
    return f


def _preparar_impresion(hoja: Worksheet, titulo: str, fecha_doc: dt.datetime) -> None:
    encabezado = titulo.replace("&", "&&")
    hoja.set_header(f"&L&B{encabezado}&R{fecha_doc:%d/%m/%Y}")
    hoja.set_footer("&RPágina &P de &N")
    hoja.set_landscape()
    hoja.set_paper(9)  # A4
    hoja.fit_to_pages(1, 0)
    hoja.repeat_rows(0)


def _ancho(valores: Iterable[object], encabezado: str, maximo: int) -> int:
    largo = max((len(str(v)) for v in valores if v is not None), default=0)
    return max(8, min(maximo, max(largo, len(encabezado)) + 2))


def _lineas(valor: object, ancho: int) -> int:
    """Líneas que ocupa un texto ajustado en una columna de `ancho` caracteres (estimado)."""
    por_linea = max(1, int(ancho * 1.1))
    return sum(max(1, math.ceil(len(parte) / por_linea)) for parte in str(valor or "").split("\n"))


def _tabla(
    hoja: Worksheet,
    f: dict,
    nombre: str,
    encabezados: Sequence[str],
    filas: list[list[object]],
    formatos_columna: Sequence[object],
    maximos: dict[str, int],
) -> None:
    """Tabla de Excel desde A1: encabezado fijo, filtro, bandas, anchos y altos que se leen bien."""
    for i, fila in enumerate(filas, start=1):
        for j, valor in enumerate(fila):
            formato = formatos_columna[j]
            if callable(formato):
                formato = formato(fila)
            escribir_valor(hoja, i, j, valor, formato)
    ultima = max(len(filas), 1)  # una tabla de Excel necesita al menos una fila de datos
    columnas = [{"header": e, "header_format": f["encabezado"]} for e in encabezados]
    hoja.add_table(
        0,
        0,
        ultima,
        len(encabezados) - 1,
        {"name": nombre, "style": "Table Style Light 9", "columns": columnas},
    )
    hoja.freeze_panes(1, 0)
    anchos = [
        _ancho((fila[j] for fila in filas), e, maximos.get(e, 24))
        for j, e in enumerate(encabezados)
    ]
    for j, ancho in enumerate(anchos):
        hoja.set_column(j, j, ancho)
    # xlsxwriter no ajusta el alto de las filas con texto ajustado y LibreOffice tampoco al abrir.
    ajustadas = [j for j, formato in enumerate(formatos_columna) if formato is f["ajustado"]]
    for i, fila in enumerate(filas, start=1):
        lineas = max((_lineas(fila[j], anchos[j]) for j in ajustadas), default=1)
        if lineas > 1:
            hoja.set_row(i, 15 * lineas)


def _motivo(archivo: ResultadoArchivo, por_archivo: dict[str, list[Problema]]) -> str:
    """Motivo de un archivo ignorado o rechazado: el dado o los títulos de sus errores de archivo."""
    if archivo.motivo or archivo.estado is not Estado.RECHAZADO:
        return archivo.motivo
    errores = [p for p in por_archivo.get(archivo.ruta, []) if p.es_error]
    de_archivo = [p for p in errores if p.fila is None] or errores
    titulos = dict.fromkeys(
        CATALOGO[p.codigo].titulo if p.codigo in CATALOGO else p.codigo for p in de_archivo
    )
    return "; ".join(titulos)


def _hoja_archivos(
    libro: Workbook,
    f: dict,
    archivos: list[ResultadoArchivo],
    problemas: list[Problema],
    titulo: str,
    fecha_doc: dt.datetime,
) -> None:
    hoja = libro.add_worksheet(HOJA_ARCHIVOS)
    por_archivo: dict[str, list[Problema]] = defaultdict(list)
    for p in problemas:
        por_archivo[p.archivo].append(p)
    filas = [
        [
            a.ruta,
            a.tipo,
            a.version,
            a.direccion,
            str(a.estado),
            a.filas_leidas,
            a.filas_aceptadas,
            a.errores,
            a.advertencias,
            _motivo(a, por_archivo),
        ]
        for a in archivos
    ]
    formato_estado = lambda fila: f.get(fila[4], f["texto"])  # noqa: E731
    formatos = [f["texto"]] * 4 + [formato_estado] + [f["entero"]] * 4 + [f["ajustado"]]
    maximos = {"Ruta": 70, "Tipo": 30, "Estado": 26, "Motivo": 50}
    _tabla(hoja, f, "tabla_archivos", ENCABEZADOS_ARCHIVOS, filas, formatos, maximos)
    _preparar_impresion(hoja, titulo, fecha_doc)


def _hoja_errores(
    libro: Workbook, f: dict, problemas: list[Problema], titulo: str, fecha_doc: dt.datetime
) -> None:
    hoja = libro.add_worksheet(HOJA_ERRORES)
    filas = [
        [p.archivo, p.hoja, p.celda, p.campo, p.valor, str(p.severidad), p.codigo, p.mensaje]
        for p in problemas
    ]
    formato_severidad = lambda fila: f.get(fila[5], f["texto"])  # noqa: E731
    formato_codigo = lambda fila: f.get(("código", fila[5]), f["texto"])  # noqa: E731
    formatos = [f["texto"]] * 5 + [formato_severidad, formato_codigo, f["ajustado"]]
    maximos = {"Archivo": 60, "Campo": 30, "Valor": 30, "Código": 26, "Mensaje": 90}
    _tabla(hoja, f, "tabla_errores", ENCABEZADOS_ERRORES, filas, formatos, maximos)
    _preparar_impresion(hoja, titulo, fecha_doc)


def _hoja_excluidas(
    libro: Workbook, f: dict, resultado: ResultadoValidacion, titulo: str, fecha_doc: dt.datetime
) -> None:
    """Cada fila de datos excluida por un error (§5: nada se descarta en silencio)."""
    hoja = libro.add_worksheet(HOJA_EXCLUIDAS)
    excluidas = resultado.excluidas
    filas: list[list[object]] = []
    if excluidas is not None and not excluidas.empty:
        titulos = {p.tipo: p.titulo for p in PLANTILLAS.values()}
        ordenadas = excluidas.sort_values(["archivo", "fila"], kind="stable")
        filas = [
            [r.archivo, titulos.get(r.tipo, r.tipo), int(r.fila), r.codigos]
            for r in ordenadas.itertuples(index=False)
        ]
    formatos = [f["texto"], f["texto"], f["entero"], f["texto"]]
    maximos = {"Archivo": 70, "Tipo": 30, "Códigos": 40}
    _tabla(hoja, f, "tabla_excluidas", ENCABEZADOS_EXCLUIDAS, filas, formatos, maximos)
    _preparar_impresion(hoja, titulo, fecha_doc)


def _hoja_resumen(
    libro: Workbook,
    f: dict,
    resultado: ResultadoValidacion,
    archivos: list[ResultadoArchivo],
    fecha_doc: dt.datetime,
    entidad: str,
    titulo: str,
) -> None:
    hoja = libro.add_worksheet(HOJA_RESUMEN)
    hoja.hide_gridlines(2)
    hoja.set_paper(9)
    hoja.fit_to_pages(1, 0)
    hoja.set_column(0, 0, 34)
    hoja.set_column(1, 1, 44)
    hoja.set_column(2, 4, 14)
    hoja.write_string(0, 0, titulo, f["titulo"])
    fila = 1
    if entidad:
        hoja.write_string(fila, 0, "Entidad", f["etiqueta"])
        escribir_valor(hoja, fila, 1, entidad)
        fila += 1
    hoja.write_string(fila, 0, "Vigencia", f["etiqueta"])
    escribir_valor(hoja, fila, 1, str(resultado.vigencia))
    hoja.write_string(fila + 1, 0, "Fecha del reporte", f["etiqueta"])
    hoja.write_datetime(fila + 1, 1, fecha_doc, f["fecha"])
    fila = _resumen_estados(hoja, f, archivos, fila + 3)
    fila = _resumen_totales(hoja, f, resultado, archivos, fila + 1)
    fila = _resumen_codigos(hoja, f, resultado.problemas, fila + 1)
    hoja.write_string(
        fila + 1,
        0,
        "El detalle está en las hojas «Archivos» y «Errores». Los datos personales se muestran "
        "enmascarados; cada dirección recibe su copia anotada en devoluciones/.",
        f["nota"],
    )
    hoja.activate()


def _resumen_estados(hoja: Worksheet, f: dict, archivos: list[ResultadoArchivo], fila: int) -> int:
    hoja.write_string(fila, 0, "Archivos por estado", f["subtitulo"])
    hoja.write_string(fila + 1, 0, "Estado", f["encabezado"])
    hoja.write_string(fila + 1, 1, "Archivos", f["encabezado"])
    cuenta = Counter(a.estado for a in archivos)
    fila += 2
    for estado in Estado:
        hoja.write_string(fila, 0, str(estado), f[estado])
        hoja.write_number(fila, 1, cuenta.get(estado, 0), f["entero"])
        fila += 1
    hoja.write_string(fila, 0, "Total", f["etiqueta"])
    hoja.write_number(fila, 1, len(archivos), f["entero_negrita"])
    return fila + 2


def _resumen_totales(
    hoja: Worksheet,
    f: dict,
    resultado: ResultadoValidacion,
    archivos: list[ResultadoArchivo],
    fila: int,
) -> int:
    hoja.write_string(fila, 0, "Totales", f["subtitulo"])
    totales = (
        ("Filas leídas", sum(a.filas_leidas for a in archivos), f["entero"]),
        ("Filas aceptadas", sum(a.filas_aceptadas for a in archivos), f["entero"]),
        ("Errores", resultado.errores, f[Severidad.ERROR]),
        ("Advertencias", resultado.advertencias, f[Severidad.ADVERTENCIA]),
    )
    for i, (etiqueta, valor, formato) in enumerate(totales, start=fila + 1):
        hoja.write_string(i, 0, etiqueta, f["etiqueta"])
        hoja.write_number(i, 1, valor, formato)
    return fila + len(totales) + 2


def _resumen_codigos(hoja: Worksheet, f: dict, problemas: list[Problema], fila: int) -> int:
    hoja.write_string(fila, 0, "Problemas por código", f["subtitulo"])
    for j, encabezado in enumerate(("Código", "Descripción", "Severidad", "Problemas", "Archivos")):
        hoja.write_string(fila + 1, j, encabezado, f["encabezado"])
    fila += 2
    if not problemas:
        hoja.write_string(fila, 0, "No se encontraron problemas.", f["nota"])
        return fila + 2
    por_codigo: dict[str, list[Problema]] = defaultdict(list)
    for p in problemas:
        por_codigo[p.codigo].append(p)
    orden = sorted(por_codigo.items(), key=lambda kv: (not kv[1][0].es_error, -len(kv[1]), kv[0]))
    for codigo, lista in orden:
        severidad = lista[0].severidad
        definicion = CATALOGO.get(codigo)
        hoja.write_string(fila, 0, codigo, f[severidad])
        escribir_valor(hoja, fila, 1, definicion.titulo if definicion else "", f["texto"])
        hoja.write_string(fila, 2, str(severidad), f[severidad])
        hoja.write_number(fila, 3, len(lista), f["entero"])
        hoja.write_number(fila, 4, len({p.archivo for p in lista}), f["entero"])
        fila += 1
    return fila + 1
