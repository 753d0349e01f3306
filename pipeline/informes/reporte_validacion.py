"""El reporte de validación (`validacion/reporte_validacion.xlsx`, §7): archivos y problemas.

Hojas: `Resumen` (título, archivos por estado, totales y problemas por código), `Por dirección`
(qué recibió cada dirección y qué debe corregir y reenviar, §7 v2), `Archivos` (una fila por archivo
de entrada), `Errores` (todos los problemas de §5) y `Filas excluidas` (cada fila de datos que un
error dejó fuera). Solo lleva el valor y el mensaje enmascarados: el reporte lo ven personas
distintas de la dueña de cada archivo. Se escribe con la caja de herramientas de pipeline.escritura.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from esquemas import PLANTILLAS
from pipeline.archivos import Estado
from pipeline.devoluciones import valor_en_celda
from pipeline.escritura import (
    Formatos,
    ancho_columna,
    cerrar_libro,
    escribir_valor,
    escritura_atomica,
    libro_xlsx,
    preparar_impresion,
)
from pipeline.problemas import Problema, Severidad, ordenar_problemas, titulo
from pipeline.resumen_direcciones import ResumenDireccion, resumir_por_direccion
from pipeline.tabla_excel import Columna, escribir_tabla
from pipeline.tabla_excel import anchos as anchos_tabla
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion

HOJA_RESUMEN, HOJA_ARCHIVOS, HOJA_ERRORES = "Resumen", "Archivos", "Errores"
HOJA_EXCLUIDAS, HOJA_DIRECCIONES = "Filas excluidas", "Por dirección"
TIPOS = (
    ("Plan de asistencia técnica", "Plan"),
    ("Cronograma de actividades", "Cronograma"),
    ("Lista de asistencia", "Listas de asistencia"),
    ("Evaluación de la asistencia técnica", "Evaluaciones"),
    ("Compromisos (ayuda de memoria)", "Compromisos"),
)
# Las columnas de cada tabla: (encabezado, tipo de celda de tabla_excel, ancho máximo; «Tipo» cabe
# entero en una línea); «estado» es texto con el color de su fila.
COLUMNAS_DIRECCIONES = (
    ("Dirección", "etiqueta", 16),
    *((corto, "entero", 16) for _, corto in TIPOS),
    *(
        (titulo, "entero", 16)
        for titulo in (
            "Otros",
            "Recibidos",
            "Aceptados",
            "Con advertencias",
            "Rechazados",
            "Otros estados",
            "Errores",
            "Advertencias",
        )
    ),
    ("Fecha de corte del cronograma", "fecha", 16),
    ("Por corregir y reenviar", "entero", 16),
)
COLUMNAS_PENDIENTES = (
    ("Dirección", "etiqueta", 16),
    ("Archivo", "texto", 60),
    ("Estado", "estado", 26),
    ("Errores", "entero", 16),
    ("Advertencias", "entero", 16),
    ("Qué debe hacer la dirección", "texto", 60),
)
COLUMNAS_EXCLUIDAS = (
    ("Archivo", "texto", 70),
    ("Tipo", "texto", 38),
    ("Fila", "entero", 24),
    ("Códigos", "texto", 40),
)
COLUMNAS_ARCHIVOS = (
    ("Ruta", "texto", 70),
    ("Tipo", "texto", 38),
    ("Versión", "texto", 24),
    ("Dirección", "texto", 24),
    ("Estado", "estado", 26),
    ("Filas leídas", "entero", 24),
    ("Filas aceptadas", "entero", 24),
    ("Errores", "entero", 24),
    ("Advertencias", "entero", 24),
    ("Motivo", "texto", 50),
)
COLUMNAS_ERRORES = (
    ("Archivo", "texto", 60),
    ("Hoja", "texto", 24),
    ("Celda", "texto", 24),
    ("Campo", "texto", 30),
    ("Valor", "texto", 30),
    ("Severidad", "estado", 24),
    ("Código", "texto", 26),
    ("Mensaje", "texto", 90),
)
ENCABEZADOS_DIRECCIONES = tuple(titulo for titulo, *_ in COLUMNAS_DIRECCIONES)
ENCABEZADOS_PENDIENTES = tuple(titulo for titulo, *_ in COLUMNAS_PENDIENTES)
ENCABEZADOS_EXCLUIDAS = tuple(titulo for titulo, *_ in COLUMNAS_EXCLUIDAS)
ENCABEZADOS_ARCHIVOS = tuple(titulo for titulo, *_ in COLUMNAS_ARCHIVOS)
ENCABEZADOS_ERRORES = tuple(titulo for titulo, *_ in COLUMNAS_ERRORES)

COLOR_ESTADO = {
    Estado.ACEPTADO: "Verde",
    Estado.ACEPTADO_CON_ADVERTENCIAS: "Amarillo",
    Estado.RECHAZADO: "Rojo",
    Estado.IGNORADO: "Gris",
    Estado.REEMPLAZADO: "Gris",
}
"""El color (escritura.COLORES) con que se marca el estado de un archivo."""
COLOR_SEVERIDAD = {Severidad.ERROR: "Rojo", Severidad.ADVERTENCIA: "Amarillo"}


def escribir_reporte_validacion(
    resultado: ResultadoValidacion,
    ruta: Path,
    fecha_doc: dt.datetime,
    *,
    entidad: str = "",
    direcciones: Sequence[str] = (),
) -> Path:
    """Escribe el reporte de validación de forma atómica y reproducible; devuelve su ruta.

    `direcciones`: códigos configurados; aparecen en `Por dirección` aunque no enviaran nada.
    """
    ruta = Path(ruta)
    titulo_libro = f"Reporte de validación — vigencia {resultado.vigencia}"
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, fecha_doc, titulo=titulo_libro, autor=entidad)
        formatos = Formatos(libro)
        problemas = ordenar_problemas(resultado.problemas)
        archivos = sorted(resultado.archivos, key=lambda a: a.ruta)
        resumenes = resumir_por_direccion(resultado, direcciones)
        _hoja_resumen(libro, formatos, resultado, archivos, fecha_doc, entidad, titulo_libro)
        _hoja_direcciones(libro, formatos, resumenes, titulo_libro, fecha_doc)
        _hoja_archivos(libro, formatos, archivos, problemas, titulo_libro, fecha_doc)
        valores = _valores_en_celda(resultado, problemas)
        _hoja_errores(libro, formatos, problemas, titulo_libro, fecha_doc, valores)
        _hoja_excluidas(libro, formatos, resultado, titulo_libro, fecha_doc)
        cerrar_libro(libro, formatos, temporal)
    return ruta


def _valores_en_celda(resultado: ResultadoValidacion, problemas: list[Problema]) -> dict[int, str]:
    """`Valor` = lo que hay en la celda señalada (X10 apunta al Estado, no al ID de la actividad).

    Solo para problemas sin datos personales: esos conservan su valor enmascarado.
    """
    libros = {libro.entrada.relativa: libro for libro in resultado.libros}
    valores = {}
    for p in problemas:
        libro = libros.get(p.archivo)
        if libro is not None and p.celda and p.mensaje_propio == p.mensaje:
            valores[id(p)] = valor_en_celda(libro, p)
    return valores


def _severidad(f: Formatos, valor: object):
    return f["error"] if valor == str(Severidad.ERROR) else f["advertencia"]


def _tabla(
    hoja: Worksheet,
    f: Formatos,
    nombre: str,
    columnas: Sequence[tuple[str, str, float]],
    filas: Sequence[Sequence[object]],
    *,
    fila: int = 0,
    colores: Sequence[str] | None = None,
    anchos_minimos: Sequence[float] = (),
) -> tuple[int, list[float]]:
    """Una tabla de Excel (`tabla_excel.escribir_tabla`) con el ancho de cada columna según su texto.

    `columnas`: (título, tipo, ancho máximo); `colores`: el color de cada fila para las columnas
    de tipo «estado» (que se escriben como texto). Devuelve la fila libre siguiente y los anchos.
    """
    valores = list(zip(*filas, strict=True)) if filas else [()] * len(columnas)
    anchos = [
        max([ancho_columna(v, titulo, int(maximo)), *anchos_minimos[j : j + 1]])
        for j, ((titulo, _, maximo), v) in enumerate(zip(columnas, valores, strict=True))
    ]
    definicion = [
        Columna(
            titulo,
            titulo,
            "texto" if tipo == "estado" else tipo,
            ancho,
            "_color" if tipo == "estado" else "",
        )
        for (titulo, tipo, _), ancho in zip(columnas, anchos, strict=True)
    ]
    datos = pd.DataFrame(list(filas), columns=[c.clave for c in definicion], dtype=object)
    datos["_color"] = list(colores) if colores is not None else ""
    anchos_tabla(hoja, definicion)
    siguiente = escribir_tabla(hoja, f, fila, definicion, datos, tabla=nombre)
    return siguiente, anchos


def _motivo(archivo: ResultadoArchivo, por_archivo: dict[str, list[Problema]]) -> str:
    """Motivo de un archivo ignorado o rechazado: el dado o los títulos de sus errores de archivo."""
    if archivo.motivo or archivo.estado is not Estado.RECHAZADO:
        return archivo.motivo
    errores = [p for p in por_archivo.get(archivo.ruta, []) if p.es_error]
    de_archivo = [p for p in errores if p.fila is None] or errores
    return "; ".join(dict.fromkeys(titulo(p.codigo) for p in de_archivo))


def _hoja_archivos(
    libro: Workbook,
    f: Formatos,
    archivos: list[ResultadoArchivo],
    problemas: list[Problema],
    titulo_libro: str,
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
    colores = [COLOR_ESTADO.get(a.estado, "") for a in archivos]
    _tabla(hoja, f, "tabla_archivos", COLUMNAS_ARCHIVOS, filas, colores=colores)
    hoja.freeze_panes(1, 0)
    preparar_impresion(hoja, titulo_libro, fecha_doc)


def _formato_estado(f: Formatos, estado: Estado):
    return f.formato("texto", COLOR_ESTADO.get(estado, ""))


def _hoja_errores(
    libro: Workbook,
    f: Formatos,
    problemas: list[Problema],
    titulo_libro: str,
    fecha_doc: dt.datetime,
    valores: dict[int, str] | None = None,
) -> None:
    valores = valores or {}
    hoja = libro.add_worksheet(HOJA_ERRORES)
    filas = [
        [p.archivo, p.hoja, p.celda, p.campo, valores.get(id(p), p.valor), str(p.severidad)]
        + [p.codigo, p.mensaje]
        for p in problemas
    ]
    colores = [COLOR_SEVERIDAD[p.severidad] for p in problemas]
    _tabla(hoja, f, "tabla_errores", COLUMNAS_ERRORES, filas, colores=colores)
    hoja.freeze_panes(1, 0)
    preparar_impresion(hoja, titulo_libro, fecha_doc)


def _hoja_excluidas(
    libro: Workbook,
    f: Formatos,
    resultado: ResultadoValidacion,
    titulo_libro: str,
    fecha_doc: dt.datetime,
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
    _tabla(hoja, f, "tabla_excluidas", COLUMNAS_EXCLUIDAS, filas)
    hoja.freeze_panes(1, 0)
    preparar_impresion(hoja, titulo_libro, fecha_doc)


def _fila_direccion(r: ResumenDireccion) -> list[object]:
    conocidos = {largo for largo, _ in TIPOS}
    otros_tipos = sum(n for tipo, n in r.por_tipo.items() if tipo not in conocidos)
    principales = (Estado.ACEPTADO, Estado.ACEPTADO_CON_ADVERTENCIAS, Estado.RECHAZADO)
    otros_estados = sum(n for e, n in r.por_estado.items() if e not in principales)
    return [
        r.codigo,
        *(r.por_tipo.get(largo, 0) for largo, _ in TIPOS),
        otros_tipos,
        r.recibidos,
        *(r.por_estado.get(e, 0) for e in principales),
        otros_estados,
        r.errores,
        r.advertencias,
        r.fecha_corte,
        len(r.por_reenviar),
    ]


def _hoja_direcciones(
    libro: Workbook,
    f: Formatos,
    resumenes: list[ResumenDireccion],
    titulo_libro: str,
    fecha_doc: dt.datetime,
) -> None:
    """`Por dirección` (§7 v2): qué recibió cada dirección y qué debe corregir y reenviar."""
    hoja = libro.add_worksheet(HOJA_DIRECCIONES)
    filas = [_fila_direccion(r) for r in resumenes]
    inicio, anchos = _tabla(hoja, f, "tabla_direcciones", COLUMNAS_DIRECCIONES, filas)
    hoja.write_string(
        inicio - 1, 0, "Archivos que cada dirección debe corregir y reenviar", f["subtitulo"]
    )
    pendientes = [
        [r.codigo, p.ruta, p.estado, p.errores, p.advertencias, p.accion]
        for r in resumenes
        for p in r.pendientes
    ]
    colores = [COLOR_ESTADO.get(Estado(p.estado), "") for r in resumenes for p in r.pendientes]
    _tabla(
        hoja,
        f,
        "tabla_pendientes",
        COLUMNAS_PENDIENTES,
        pendientes,
        fila=inicio,
        colores=colores,
        anchos_minimos=anchos,
    )
    hoja.freeze_panes(1, 1)
    preparar_impresion(hoja, titulo_libro, fecha_doc)


def _hoja_resumen(
    libro: Workbook,
    f: Formatos,
    resultado: ResultadoValidacion,
    archivos: list[ResultadoArchivo],
    fecha_doc: dt.datetime,
    entidad: str,
    titulo_libro: str,
) -> None:
    hoja = libro.add_worksheet(HOJA_RESUMEN)
    hoja.hide_gridlines(2)
    hoja.set_paper(1)
    hoja.fit_to_pages(1, 0)
    hoja.set_column(0, 0, 34)
    hoja.set_column(1, 1, 44)
    hoja.set_column(2, 4, 14)
    hoja.write_string(0, 0, titulo_libro, f["titulo"])
    fila = 1
    if entidad:
        hoja.write_string(fila, 0, "Entidad", f["etiqueta"])
        escribir_valor(hoja, fila, 1, entidad)
        fila += 1
    hoja.write_string(fila, 0, "Vigencia", f["etiqueta"])
    escribir_valor(hoja, fila, 1, str(resultado.vigencia))
    hoja.write_string(fila + 1, 0, "Fecha de corte", f["etiqueta"])
    hoja.write_datetime(fila + 1, 1, fecha_doc, f["fecha"])
    fila = _resumen_estados(hoja, f, archivos, fila + 3)
    fila = _resumen_totales(hoja, f, resultado, archivos, fila + 1)
    fila = _resumen_codigos(hoja, f, resultado.problemas, fila + 1)
    hoja.write_string(
        fila + 1,
        0,
        "Lo que cada dirección debe corregir y reenviar está en la hoja «Por dirección»; el detalle, "
        "en «Archivos» y «Errores». Los datos personales se muestran enmascarados; cada dirección "
        "recibe sus copias anotadas en devoluciones/.",
        f["nota"],
    )
    hoja.activate()


def _resumen_estados(
    hoja: Worksheet, f: Formatos, archivos: list[ResultadoArchivo], fila: int
) -> int:
    hoja.write_string(fila, 0, "Archivos por estado", f["subtitulo"])
    hoja.write_string(fila + 1, 0, "Estado", f["encabezado"])
    hoja.write_string(fila + 1, 1, "Archivos", f["encabezado"])
    cuenta = Counter(a.estado for a in archivos)
    fila += 2
    for estado in Estado:
        hoja.write_string(fila, 0, str(estado), _formato_estado(f, estado))
        hoja.write_number(fila, 1, cuenta.get(estado, 0), f["entero"])
        fila += 1
    hoja.write_string(fila, 0, "Total", f["etiqueta"])
    hoja.write_number(fila, 1, len(archivos), f["entero_negrita"])
    return fila + 2


def _resumen_totales(
    hoja: Worksheet,
    f: Formatos,
    resultado: ResultadoValidacion,
    archivos: list[ResultadoArchivo],
    fila: int,
) -> int:
    hoja.write_string(fila, 0, "Totales", f["subtitulo"])
    totales = (
        ("Filas leídas", sum(a.filas_leidas for a in archivos), f["entero"]),
        ("Filas aceptadas", sum(a.filas_aceptadas for a in archivos), f["entero"]),
        ("Errores", resultado.errores, f["error"]),
        ("Advertencias", resultado.advertencias, f["advertencia"]),
    )
    for i, (etiqueta, valor, formato) in enumerate(totales, start=fila + 1):
        hoja.write_string(i, 0, etiqueta, f["etiqueta"])
        hoja.write_number(i, 1, valor, formato)
    return fila + len(totales) + 2


def _resumen_codigos(hoja: Worksheet, f: Formatos, problemas: list[Problema], fila: int) -> int:
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
        formato = _severidad(f, str(severidad))
        hoja.write_string(fila, 0, codigo, formato)
        escribir_valor(hoja, fila, 1, titulo(codigo), f["texto"])
        hoja.write_string(fila, 2, str(severidad), formato)
        hoja.write_number(fila, 3, len(lista), f["entero"])
        hoja.write_number(fila, 4, len({p.archivo for p in lista}), f["entero"])
        fila += 1
    return fila + 1
