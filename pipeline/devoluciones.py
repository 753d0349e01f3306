"""Las devoluciones (`devoluciones/<dirección>/<nombre original>`, §7): la copia anotada del libro.

Cada archivo con problemas vuelve a su dirección como una copia de su propio libro: cada celda con
problemas resaltada (rojo si hay un error, amarillo si solo advertencias) y comentada con el mensaje
sin máscara (es la dueña quien la recibe), y una hoja `Errores` al principio con todos los problemas
del archivo. El original nunca se toca: se lee una vez a memoria y la copia se escribe aparte.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path, PurePosixPath

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline.archivos import EXTENSIONES_LEIBLES
from pipeline.escritura import escritura_atomica
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import clave, texto
from pipeline.paralelo import grupo, numero_procesos
from pipeline.problemas import Problema, ordenar_problemas, posicion_celda
from pipeline.validacion.resultado import ResultadoValidacion

HOJA_ERRORES = "Errores"
ENCABEZADOS = ("Hoja", "Celda", "Campo", "Valor", "Severidad", "Código", "Mensaje")
ANCHOS = (16, 10, 28, 28, 13, 26, 90)
SIN_DIRECCION = "sin_direccion"
AUTOR = "Validación de asistencia técnica"
RELLENO_ERROR = PatternFill(fill_type="solid", start_color="FFFF9999", end_color="FFFF9999")
RELLENO_ADVERTENCIA = PatternFill(fill_type="solid", start_color="FFFFFF66", end_color="FFFFFF66")

# Archivos que no se deben abrir con openpyxl: la revisión de seguridad ya los rechazó.
_CODIGOS_NO_ABRIR = {
    "ARCHIVO_ILEGIBLE",
    "ARCHIVO_CIFRADO",
    "FORMATO_NO_ADMITIDO",
    "ARCHIVO_DEMASIADO_GRANDE",
    "XML_PELIGROSO",
}
MINIMO_PARALELO = 8
"""Con menos archivos que estos, arrancar procesos cuesta más de lo que ahorra."""
_FILAS_EXCEL, _COLUMNAS_EXCEL = 1_048_576, 16_384


@dataclass(frozen=True)
class _Tarea:
    """Lo mínimo para escribir una devolución (se pasa a otro proceso: nada de DataFrames)."""

    ruta: Path
    problemas: tuple[Problema, ...]
    destino: Path


def escribir_devoluciones(
    resultado: ResultadoValidacion,
    carpeta: Path,
    fecha_doc: dt.datetime,
    *,
    procesos: int | None = None,
) -> list[Path]:
    """Escribe la copia anotada de cada archivo con problemas que se pueda abrir; devuelve sus rutas.

    `procesos`: cuántos procesos usar (None: automático; 1: en este proceso). El resultado y los
    bytes son los mismos con cualquier número de procesos.
    """
    tareas = _tareas(resultado, Path(carpeta))
    # Abrir y guardar con openpyxl cuesta ~0,5 s por libro: con muchos archivos vale repartirlos.
    n = numero_procesos(len(tareas), MINIMO_PARALELO, procesos)
    if n <= 1:
        hechas = [_ejecutar(t, fecha_doc) for t in tareas]
    else:
        with grupo(n) as procesos_hijos:
            hechas = list(procesos_hijos.map(_ejecutar, tareas, repeat(fecha_doc), chunksize=4))
    return [t.destino for t, hecha in zip(tareas, hechas, strict=True) if hecha]


def escribir_devolucion(
    libro: LibroLeido, problemas: list[Problema], destino: Path, fecha_doc: dt.datetime
) -> bool:
    """Escribe la copia anotada de un libro; False si el libro no se pudo abrir (no escribe nada)."""
    return _ejecutar(_Tarea(libro.entrada.ruta, tuple(problemas), Path(destino)), fecha_doc)


def _tareas(resultado: ResultadoValidacion, carpeta: Path) -> list[_Tarea]:
    por_archivo: dict[str, list[Problema]] = defaultdict(list)
    for p in resultado.problemas:
        por_archivo[p.archivo].append(p)
    tareas: list[_Tarea] = []
    usados: set[Path] = set()
    for libro in sorted(resultado.libros, key=lambda lb: lb.entrada.relativa):
        problemas = por_archivo.get(libro.entrada.relativa)
        if not problemas or not _se_puede_abrir(libro, problemas):
            continue
        destino = _destino_libre(carpeta, _destino(carpeta, libro, problemas), usados)
        if destino is not None:
            usados.add(destino)
            tareas.append(_Tarea(libro.entrada.ruta, tuple(problemas), destino))
    return tareas


def _ejecutar(tarea: _Tarea, fecha_doc: dt.datetime) -> bool:
    try:
        wb = _abrir(tarea.ruta.read_bytes(), tarea.ruta.suffix.lower() == ".xlsm")
        ordenados = ordenar_problemas(tarea.problemas)
        crudos = _anotar(wb, ordenados)
        _hoja_errores(wb, ordenados, crudos)
        contenido = _serializar(wb, fecha_doc)
    except Exception:  # noqa: BLE001 — un libro raro no debe detener las demás devoluciones
        return False
    # Los fallos al escribir (disco lleno, permisos) sí se propagan: son de la corrida, no del libro.
    _escribir_zip(contenido, tarea.destino, fecha_doc)
    return True


def _se_puede_abrir(libro: LibroLeido, problemas: list[Problema]) -> bool:
    entrada = libro.entrada
    if entrada.ignorado or entrada.ruta.suffix.lower() not in EXTENSIONES_LEIBLES:
        return False
    return not any(p.codigo in _CODIGOS_NO_ABRIR for p in problemas)


def _destino(carpeta: Path, libro: LibroLeido, problemas: list[Problema]) -> Path:
    """carpeta/<dirección>/<subcarpetas bajo la dirección>/<nombre original>."""
    entrada = libro.entrada
    direccion = next((p.direccion for p in problemas if p.direccion), entrada.direccion_carpeta)
    partes = PurePosixPath(entrada.relativa).parts
    # Se conservan las subcarpetas bajo la dirección para que dos archivos homónimos no choquen.
    debajo = partes[2:] if entrada.direccion_carpeta else partes[1:]
    return carpeta.joinpath(direccion or SIN_DIRECCION, *(debajo or (entrada.ruta.name,)))


def _destino_libre(carpeta: Path, destino: Path, usados: set[Path]) -> Path | None:
    """El destino, o uno con « (2)», « (3)»… si otro archivo de esta corrida ya lo ocupó."""
    raiz = carpeta.resolve()
    if raiz not in destino.resolve().parents:
        return None  # un nombre de carpeta raro no puede sacar la copia de devoluciones/
    candidato, n = destino, 2
    while candidato in usados:
        candidato = destino.with_name(f"{destino.stem} ({n}){destino.suffix}")
        n += 1
    return candidato


def _abrir(contenido: bytes, con_macros: bool) -> Workbook:
    with warnings.catch_warnings():
        # openpyxl avisa de extensiones que no conserva (validaciones x14, etc.); no es del usuario.
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(contenido), keep_vba=con_macros, rich_text=True)


def _hoja(wb: Workbook, nombre: str) -> Worksheet | None:
    if nombre in wb.sheetnames:
        hoja = wb[nombre]
    else:
        objetivo = clave(nombre)
        hoja = next((wb[n] for n in wb.sheetnames if clave(n) == objetivo), None)
    return hoja if isinstance(hoja, Worksheet) else None


def _celda_anotable(hoja: Worksheet, referencia: str):
    """La celda de `referencia`; si está dentro de celdas combinadas, la superior izquierda."""
    fila, columna = posicion_celda(referencia)
    if not (1 <= fila <= _FILAS_EXCEL and 1 <= columna <= _COLUMNAS_EXCEL):
        return None
    celda = hoja.cell(fila, columna)
    if isinstance(celda, MergedCell):
        for rango in hoja.merged_cells.ranges:
            if celda.coordinate in rango:
                return hoja.cell(rango.min_row, rango.min_col)
    return celda


def _etiqueta(p: Problema) -> str:
    return "Error" if p.es_error else "Advertencia"


def _anotar(wb: Workbook, problemas: list[Problema]) -> dict[int, str]:
    """Resalta y comenta cada celda con problemas; devuelve el valor crudo de cada problema (por id)."""
    por_celda: dict[tuple[str, str], list[Problema]] = defaultdict(list)
    crudos: dict[int, str] = {}
    for p in problemas:
        hoja = _hoja(wb, p.hoja) if p.hoja else None
        celda = _celda_anotable(hoja, p.celda) if hoja is not None else None
        if celda is None:
            continue
        por_celda[(hoja.title, celda.coordinate)].append(p)
        crudos[id(p)] = texto(celda.value) or ""
    for (titulo, coordenada), lista in por_celda.items():
        celda = wb[titulo][coordenada]
        celda.fill = RELLENO_ERROR if any(p.es_error for p in lista) else RELLENO_ADVERTENCIA
        celda.comment = _comentario(lista, celda.comment)
    return crudos


def _comentario(lista: list[Problema], anterior: Comment | None) -> Comment:
    lineas = [f"{_etiqueta(p)}: {p.mensaje_propio or p.mensaje}" for p in lista]
    if anterior is not None and anterior.text:
        lineas.append(f"Comentario anterior: {anterior.text}")
    contenido = "\n\n".join(lineas)
    comentario = Comment(_limpio(contenido), AUTOR)
    comentario.width = 320
    comentario.height = min(600, 40 + 16 * (len(contenido) // 45 + len(lineas)))
    return comentario


def _limpio(valor: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", valor)


def _texto_seguro(celda, valor: str) -> None:
    """Escribe texto que openpyxl no convertirá en fórmula ni error («=…», «#N/A»)."""
    celda.value = _limpio(valor)
    celda.data_type = "s"


def _hoja_errores(wb: Workbook, problemas: list[Problema], crudos: dict[int, str]) -> None:
    if HOJA_ERRORES in wb.sheetnames:
        del wb[HOJA_ERRORES]  # una devolución reenviada trae nuestra hoja anterior
    hoja = wb.create_sheet(HOJA_ERRORES, 0)
    negrita = Font(name="Calibri", bold=True, color="FFFFFFFF")
    fondo = PatternFill(fill_type="solid", start_color="FF1F3864", end_color="FF1F3864")
    for j, encabezado in enumerate(ENCABEZADOS, start=1):
        celda = hoja.cell(1, j)
        _texto_seguro(celda, encabezado)
        celda.font, celda.fill = negrita, fondo
    ajustar = Alignment(wrap_text=True, vertical="top")
    arriba = Alignment(vertical="top")
    for i, p in enumerate(problemas, start=2):
        valor = crudos.get(id(p), p.valor) if p.mensaje_propio != p.mensaje else p.valor
        fila = (p.hoja, p.celda, p.campo, valor, str(p.severidad), p.codigo, p.mensaje_propio)
        for j, dato in enumerate(fila, start=1):
            celda = hoja.cell(i, j)
            _texto_seguro(celda, dato or "")
            celda.alignment = ajustar if j == len(fila) else arriba
        color = "FFC00000" if p.es_error else "FF9C5700"
        hoja.cell(i, 5).font = Font(name="Calibri", bold=True, color=color)
        hoja.row_dimensions[i].height = 15 * _lineas(p.mensaje_propio, ANCHOS[-1])
        _enlazar(wb, hoja.cell(i, 2), p)
    for letra, ancho in zip("ABCDEFG", ANCHOS, strict=True):
        hoja.column_dimensions[letra].width = ancho
    hoja.freeze_panes = "A2"
    hoja.print_title_rows = "1:1"
    hoja.page_setup.orientation = "landscape"
    hoja.page_setup.fitToWidth, hoja.page_setup.fitToHeight = 1, 0
    hoja.sheet_properties.pageSetUpPr.fitToPage = True
    hoja.auto_filter.ref = f"A1:G{max(len(problemas), 1) + 1}"
    for otra in wb.worksheets:
        otra.sheet_view.tabSelected = False
    hoja.sheet_view.tabSelected = True
    wb.active = 0


def _lineas(texto_: str, ancho: int) -> int:
    """Líneas que ocupa un texto ajustado en una columna de `ancho` caracteres (estimado)."""
    por_linea = max(1, int(ancho * 1.1))
    return max(1, math.ceil(len(texto_ or "") / por_linea))


def _enlazar(wb: Workbook, celda, p: Problema) -> None:
    """Hipervínculo de la referencia a la celda del problema, si la hoja y la celda existen."""
    hoja = _hoja(wb, p.hoja) if p.hoja else None
    if hoja is None or posicion_celda(p.celda) == (0, 0):
        return
    nombre = hoja.title.replace("'", "''")
    celda.hyperlink = Hyperlink(ref=celda.coordinate, location=f"'{nombre}'!{p.celda}")
    celda.font = Font(name="Calibri", color="FF0563C1", underline="single")


def _serializar(wb: Workbook, fecha_doc: dt.datetime) -> bytes:
    """El libro como xlsx en memoria, con la fecha de documento fija en sus propiedades."""
    fecha = fecha_doc.replace(tzinfo=None)
    wb.properties.created = fecha
    wb.properties.modified = fecha
    memoria = io.BytesIO()
    # ExcelWriter directo: save_workbook() pondría la hora actual en `modified`.
    with zipfile.ZipFile(memoria, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archivo:
        ExcelWriter(wb, archivo).save()
    return memoria.getvalue()


def _escribir_zip(contenido: bytes, destino: Path, fecha_doc: dt.datetime) -> None:
    """Reescribe el zip con fechas fijas en cada parte (dos corridas dan los mismos bytes)."""
    sello = (max(fecha_doc.year, 1980), fecha_doc.month, fecha_doc.day, 0, 0, 0)
    with (
        escritura_atomica(destino) as temporal,
        zipfile.ZipFile(io.BytesIO(contenido)) as origen,
        zipfile.ZipFile(temporal, "w", zipfile.ZIP_DEFLATED) as copia,
    ):
        for parte in origen.infolist():
            info = zipfile.ZipInfo(parte.filename, date_time=sello)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            copia.writestr(info, origen.read(parte.filename))
