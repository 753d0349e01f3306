"""Las devoluciones (`devoluciones/<dirección>/<nombre original>`, §7.2): la copia anotada del libro.

Vuelve una copia solo de los archivos con un problema ubicado en ellos: un archivo excluido solo
porque depende de un error de otro archivo no se devuelve (el reporte lo lista en `Por dirección`).
La copia es el libro de la dirección con cada celda con problemas resaltada (rojo si hay un error,
amarillo si solo advertencias) y comentada con el mensaje sin máscara (es la dueña quien la recibe),
y una hoja `Errores` al principio: estado, cuántos errores y advertencias, qué hacer, y cada problema
con su título en español. El libro no se carga: se parcha su paquete (pipeline.copia_anotada).
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path, PurePosixPath

from xlsxwriter.utility import quote_sheetname

from pipeline.archivos import EXTENSIONES_LEIBLES, Estado
from pipeline.copia_anotada import (
    COLOR_ADVERTENCIA,
    COLOR_ERROR,
    HOJA_ERRORES,
    CeldaNueva,
    HojaNueva,
    LibroNoAnotable,
    Marca,
    anotar,
)
from pipeline.escritura import cantidad, escritura_atomica, lineas_texto, sello_zip
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import texto
from pipeline.paralelo import grupo, numero_procesos
from pipeline.problemas import Problema, ordenar_problemas, posicion_celda, titulo
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion

__all__ = ["COLOR_ADVERTENCIA", "COLOR_ERROR", "HOJA_ERRORES", "escribir_devoluciones"]

ENCABEZADOS = (
    "Hoja",
    "Celda",
    "Problema",
    "Campo",
    "Valor",
    "Severidad",
    "Qué pasa y cómo corregirlo",
    "Código",
)
ANCHOS = (16, 9, 30, 26, 24, 13, 80, 24)
SIN_DIRECCION = "sin_direccion"

# Archivos que no se pueden anotar: la revisión de seguridad ya los rechazó.
CODIGOS_SIN_ABRIR = {
    "ARCHIVO_ILEGIBLE",
    "ARCHIVO_SIN_PERMISO",
    "ARCHIVO_CIFRADO",
    "FORMATO_NO_ADMITIDO",
    "ARCHIVO_STRICT",
    "ARCHIVO_CON_MACROS",
    "ARCHIVO_DEMASIADO_GRANDE",
    "XML_PELIGROSO",
}
_FILAS_EXCEL, _COLUMNAS_EXCEL = 1_048_576, 16_384
MINIMO_PARALELO = 200
"""Cada copia cuesta milisegundos: solo con muchas vale la pena arrancar procesos."""
_FALLOS_DEL_LIBRO = (
    LibroNoAnotable,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    EOFError,
    zlib.error,
)


@dataclass(frozen=True)
class _Tarea:
    """Lo mínimo para escribir una devolución (se pasa a otro proceso: nada de DataFrames)."""

    ruta: Path
    destino: Path
    marcas: dict[str, dict[str, Marca]]
    hoja: HojaNueva


def escribir_devoluciones(
    resultado: ResultadoValidacion,
    carpeta: Path,
    fecha_doc: dt.datetime,
    *,
    procesos: int | None = None,
) -> list[Path]:
    """Escribe la copia anotada de cada archivo con problemas propios; devuelve sus rutas.

    `procesos`: cuántos procesos usar (None: automático; 1: en este proceso). El resultado y los
    bytes son los mismos con cualquier número de procesos.
    """
    tareas = _tareas(resultado, Path(carpeta))
    n = numero_procesos(len(tareas), MINIMO_PARALELO, procesos)
    if n <= 1:
        hechas = [_ejecutar(t, fecha_doc) for t in tareas]
    else:
        with grupo(n) as procesos_hijos:
            hechas = list(procesos_hijos.map(_ejecutar, tareas, repeat(fecha_doc), chunksize=8))
    return [t.destino for t, hecha in zip(tareas, hechas, strict=True) if hecha]


def depende_de_otro(p: Problema) -> bool:
    """El problema es de otro archivo: esta fila solo espera a que se corrija aquel."""
    return p.codigo == "DEPENDE_DE_EXCLUIDA" and bool(p.origen) and p.origen != p.archivo


def se_devuelve(problemas: list[Problema]) -> bool:
    """Un archivo vuelve a su dirección si tiene al menos un problema ubicado en él (§7.2)."""
    return any(not depende_de_otro(p) for p in problemas)


def se_puede_anotar(problemas: list[Problema]) -> bool:
    """Falso si el archivo no se pudo abrir (cifrado, dañado, de otro formato): no lleva copia."""
    return not any(p.codigo in CODIGOS_SIN_ABRIR for p in problemas)


def _tareas(resultado: ResultadoValidacion, carpeta: Path) -> list[_Tarea]:
    por_archivo: dict[str, list[Problema]] = defaultdict(list)
    for p in resultado.problemas:
        por_archivo[p.archivo].append(p)
    estados = {a.ruta: a for a in resultado.archivos}
    tareas: list[_Tarea] = []
    usados: set[Path] = set()
    for libro in sorted(resultado.libros, key=lambda lb: lb.entrada.relativa):
        problemas = por_archivo.get(libro.entrada.relativa)
        if not problemas or not se_devuelve(problemas) or not _se_puede_abrir(libro, problemas):
            continue
        destino = _destino_libre(carpeta, _destino(carpeta, libro, problemas), usados)
        if destino is None:
            continue
        usados.add(destino)
        ordenados = ordenar_problemas(problemas)
        archivo = estados.get(libro.entrada.relativa)
        tareas.append(
            _Tarea(
                libro.entrada.ruta,
                destino,
                _marcas(ordenados),
                hoja_errores(libro, ordenados, archivo),
            )
        )
    return tareas


def _ejecutar(tarea: _Tarea, fecha_doc: dt.datetime) -> bool:
    try:
        with (
            escritura_atomica(tarea.destino, carpeta_sincronizada=False) as temporal,
            open(tarea.ruta, "rb") as origen,
            zipfile.ZipFile(temporal, "w", zipfile.ZIP_DEFLATED) as copia,
        ):
            anotar(origen, copia, tarea.marcas, tarea.hoja, sello_zip(fecha_doc))
    except _FALLOS_DEL_LIBRO:
        # Un libro raro no detiene las demás devoluciones; el temporal ya se borró. Los fallos al
        # escribir (disco lleno, permisos: OSError) sí se propagan: son de la corrida.
        return False
    return True


def _se_puede_abrir(libro: LibroLeido, problemas: list[Problema]) -> bool:
    entrada = libro.entrada
    if entrada.ignorado or entrada.ruta.suffix.lower() not in EXTENSIONES_LEIBLES:
        return False
    if entrada.ruta.suffix.lower() == ".csv":
        return False
    return se_puede_anotar(problemas)


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


def _etiqueta(p: Problema) -> str:
    # Así empiezan los comentarios del producto: por eso se reconocen (copia_anotada.INICIOS).
    return "Error" if p.es_error else "Advertencia"


def _marcas(problemas: list[Problema]) -> dict[str, dict[str, Marca]]:
    """Una marca por celda con problemas propios: el error manda en el color."""
    por_celda: dict[tuple[str, str], list[Problema]] = defaultdict(list)
    for p in problemas:
        if p.hoja and _celda_valida(p.celda) and not depende_de_otro(p):
            por_celda[(p.hoja, p.celda.replace("$", "").upper())].append(p)
    marcas: dict[str, dict[str, Marca]] = defaultdict(dict)
    for (hoja, ref), lista in por_celda.items():
        comentario = "\n\n".join(f"{_etiqueta(p)}: {p.mensaje_propio or p.mensaje}" for p in lista)
        marcas[hoja][ref] = Marca(any(p.es_error for p in lista), comentario)
    return dict(marcas)


def _celda_valida(celda: str) -> bool:
    fila, columna = posicion_celda(celda)
    return 1 <= fila <= _FILAS_EXCEL and 1 <= columna <= _COLUMNAS_EXCEL


def valor_en_celda(libro: LibroLeido, p: Problema) -> str:
    """El valor (sin máscara) de la celda a la que apunta el problema, como lo ve la dirección."""
    fila, columna = posicion_celda(p.celda)
    if fila and libro.datos is not None and fila in libro.datos.index:
        nombre = next((n for n, j in libro.columnas.items() if j == columna - 1), None)
        if nombre is not None:
            return texto(libro.datos.at[fila, nombre]) or ""
    ref = p.celda.replace("$", "").upper()
    for nombre, celda in libro.celdas_ficha.items():
        if celda == ref:
            return texto(libro.ficha.get(nombre)) or ""
    return p.valor  # enmascarado si es personal: no se encontró la celda en lo leído


def _estado(archivo: ResultadoArchivo | None, problemas: list[Problema]) -> Estado:
    if archivo is not None:
        return archivo.estado
    if any(p.es_error for p in problemas):
        return Estado.RECHAZADO
    return Estado.ACEPTADO_CON_ADVERTENCIAS


def _que_hacer(estado: Estado, errores: int) -> list[str]:
    if errores:
        primero = (
            "1. Corrija cada celda marcada en rojo: su comentario y la tabla de abajo dicen qué "
            "pasa y cómo corregirlo."
        )
    else:
        primero = "1. Revise las celdas marcadas en amarillo: son advertencias, no excluyen datos."
    ultimo = (
        "3. Guarde el archivo con el mismo nombre y envíelo de nuevo. Las marcas y esta hoja se "
        "quitan solas en la próxima validación."
    )
    if estado is Estado.RECHAZADO:
        medio = "2. Mientras tenga errores, sus datos no entran en los informes."
    elif errores:
        medio = "2. Las filas con errores no entran en los informes hasta que se corrijan."
    else:
        medio = "2. Sus datos ya entran en los informes; corrija lo que corresponda."
    return [primero, medio, ultimo]


def hoja_errores(
    libro: LibroLeido, problemas: list[Problema], archivo: ResultadoArchivo | None
) -> HojaNueva:
    """La hoja `Errores` de la copia: estado, cuentas, qué hacer y la tabla de problemas."""
    errores = sum(p.es_error for p in problemas)
    advertencias = len(problemas) - errores
    estado = _estado(archivo, problemas)
    estilo_estado = {Estado.RECHAZADO: "error", Estado.ACEPTADO: "aceptado"}.get(
        estado, "advertencia"
    )
    nombre = libro.entrada.ruta.name
    primero, *siguientes = _que_hacer(estado, errores)
    filas: list[list[CeldaNueva]] = [
        [CeldaNueva(f"Revisión de «{nombre}»", "titulo")],
        [CeldaNueva("Estado", "etiqueta"), CeldaNueva(str(estado), estilo_estado)],
        [
            CeldaNueva("Problemas", "etiqueta"),
            CeldaNueva(
                f"{cantidad(errores, 'error', 'errores')} y "
                f"{cantidad(advertencias, 'advertencia', 'advertencias')}",
                "error" if errores else "advertencia",
            ),
        ],
        [CeldaNueva("Qué hacer", "etiqueta"), CeldaNueva(primero)],
        *[[CeldaNueva(""), CeldaNueva(linea)] for linea in siguientes],
        [],
        [CeldaNueva(e, "encabezado") for e in ENCABEZADOS],
    ]
    encabezado = len(filas)
    altos: dict[int, float] = {1: 21.0}
    for p in problemas:
        mensaje = p.mensaje_propio or p.mensaje
        hoja = p.hoja if posicion_celda(p.celda) != (0, 0) else ""
        vinculo = f"{quote_sheetname(p.hoja)}!{p.celda}" if hoja else ""
        filas.append(
            [
                CeldaNueva(p.hoja),
                CeldaNueva(p.celda, "enlace" if vinculo else "texto", vinculo),
                CeldaNueva(titulo(p.codigo), "ajustado"),
                CeldaNueva(p.campo, "ajustado"),
                CeldaNueva(valor_en_celda(libro, p), "ajustado"),
                CeldaNueva(_etiqueta(p), "error" if p.es_error else "advertencia"),
                CeldaNueva(mensaje, "ajustado"),
                CeldaNueva(p.codigo),
            ]
        )
        lineas = max(lineas_texto(mensaje, ANCHOS[6]), lineas_texto(titulo(p.codigo), ANCHOS[2]))
        if lineas > 1:
            altos[len(filas)] = 15.0 * lineas
    return HojaNueva(filas, ANCHOS, altos, fija_hasta=encabezado)
