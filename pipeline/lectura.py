"""Libro de Excel → ficha + registros crudos indexados por fila de Excel; reconoce la plantilla.

Lee los valores con python-calamine (Rust). La plantilla se reconoce por su contenido: la hoja oculta
`_plantilla` (tipo y versión) o, si falta, el nombre de la hoja de datos y sus encabezados (§3).
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from python_calamine import CalamineWorkbook, PasswordError

from esquemas import PLANTILLAS, Plantilla, Tipo
from pipeline.archivos import ArchivoRechazado, Entrada, revisar_contenedor, sha256
from pipeline.normalizacion import INVALIDO, clave, clave_etiqueta, fecha, texto
from pipeline.problemas import Problema, celda, problema

HOJA_MARCA = "_plantilla"
"""Hoja oculta que registra el producto, el tipo y la versión de la plantilla."""
PRODUCTO = "asistencia"
FILAS_BUSQUEDA_ENCABEZADO = 60


@dataclass
class LibroLeido:
    """Lo que se leyó de un archivo: ficha, registros crudos y problemas de lectura."""

    entrada: Entrada
    sha256: str = ""
    plantilla: Plantilla | None = None
    version: str = ""
    desde_plantilla: bool = False
    hoja: str = ""
    ficha: dict[str, object] = field(default_factory=dict)  # nombre → valor crudo
    celdas_ficha: dict[str, str] = field(default_factory=dict)  # nombre → celda del valor («B5»)
    columnas: dict[str, int] = field(default_factory=dict)  # nombre → índice de columna (base 0)
    datos: pd.DataFrame | None = None  # columnas = nombres de la plantilla; índice = fila de Excel
    problemas: list[Problema] = field(default_factory=list)
    rechazado: bool = False

    @property
    def tipo(self) -> str:
        """Tipo de plantilla reconocido ("" si no se reconoció)."""
        return self.plantilla.tipo if self.plantilla else ""

    def celda(self, nombre: str, fila: int) -> str:
        """Celda A1 de la columna `nombre` en la fila de Excel `fila`."""
        indice = self.columnas.get(nombre)
        return celda(indice, fila) if indice is not None else ""

    def agregar(self, codigo: str, **datos: object) -> None:
        """Registra un problema de este archivo."""
        datos.setdefault("hoja", self.hoja)
        datos.setdefault("direccion", self.entrada.direccion_carpeta)
        self.problemas.append(problema(codigo, archivo=self.entrada.relativa, **datos))


def leer(entrada: Entrada, contenido: bytes | None = None) -> LibroLeido:
    """Lee un archivo de entrada; nunca lanza por culpa del archivo: los fallos son problemas."""
    libro = LibroLeido(entrada=entrada)
    try:
        contenido = entrada.ruta.read_bytes() if contenido is None else contenido
    except OSError as exc:
        libro.agregar("ARCHIVO_ILEGIBLE", motivo=f"no se pudo abrir ({exc.strerror or exc})")
        libro.rechazado = True
        return libro
    libro.sha256 = sha256(contenido)
    try:
        sistema_1904 = revisar_contenedor(entrada.ruta, contenido)
        _leer_libro(libro, contenido, sistema_1904)
    except ArchivoRechazado as exc:
        libro.agregar(exc.codigo, **exc.datos)
        libro.rechazado = True
    except PasswordError:
        libro.agregar("ARCHIVO_CIFRADO")
        libro.rechazado = True
    except Exception as exc:  # noqa: BLE001 — ningún archivo de entrada debe producir un traceback
        libro.agregar("ARCHIVO_ILEGIBLE", motivo=f"el libro está dañado ({type(exc).__name__})")
        libro.rechazado = True
    if any(p.es_error for p in libro.problemas):
        libro.rechazado = True
    return libro


def _leer_libro(libro: LibroLeido, contenido: bytes, sistema_1904: bool) -> None:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(contenido))
    nombres = list(wb.sheet_names)
    marca = _leer_marca(wb, nombres)
    plantilla = PLANTILLAS.get(marca[0]) if marca else None
    if plantilla is not None:
        libro.desde_plantilla = True
        libro.version = marca[1]
        hoja = _buscar_hoja(nombres, plantilla)
        if hoja is None:
            raise ArchivoRechazado(
                "LIBRO_NO_RECONOCIDO",
                plantillas=f"«{plantilla.titulo}» (falta la hoja «{plantilla.hoja}»)",
            )
        filas = wb.get_sheet_by_name(hoja).to_python(skip_empty_area=False)
        fila_encabezado = _fila_encabezado(filas, plantilla)
        if fila_encabezado is None:
            raise ArchivoRechazado(
                "LIBRO_NO_RECONOCIDO",
                plantillas=f"«{plantilla.titulo}» (no se encontró la fila de encabezados)",
            )
    else:
        plantilla, hoja, filas, fila_encabezado = _reconocer_sin_marca(wb, nombres)
        libro.version = plantilla.version
    libro.plantilla, libro.hoja = plantilla, hoja
    if not libro.desde_plantilla:
        libro.agregar("SIN_MARCA_PLANTILLA", hoja_esperada=plantilla.hoja)
    elif libro.version != plantilla.version:
        libro.agregar("VERSION_DESCONOCIDA", version=libro.version, vigente=plantilla.version)
    _leer_ficha(libro, filas[:fila_encabezado], sistema_1904)
    _leer_registros(libro, filas, fila_encabezado, sistema_1904)


def _leer_marca(wb: CalamineWorkbook, nombres: list[str]) -> tuple[str, str] | None:
    if HOJA_MARCA not in nombres:
        return None
    valores = {}
    for fila in wb.get_sheet_by_name(HOJA_MARCA).to_python()[:10]:
        if len(fila) >= 2:
            valores[clave(fila[0])] = texto(fila[1]) or ""
    if clave(valores.get("producto")) != PRODUCTO:
        return None
    return valores.get("tipo", ""), valores.get("version", "")


def _buscar_hoja(nombres: list[str], plantilla: Plantilla) -> str | None:
    objetivo = clave(plantilla.hoja)
    return next((n for n in nombres if clave(n) == objetivo), None)


def _fila_encabezado(filas: list[list], plantilla: Plantilla) -> int | None:
    """Índice (base 0) de la fila con más etiquetas de columna; None si no llega a la mitad.

    Primero prueba la fila de la plantilla: si tiene todas las etiquetas no hace falta buscar (y no
    se normalizan los datos de las filas de abajo, que pueden ser miles de nombres).
    """
    etiquetas = _etiquetas_columnas(plantilla)
    esperada = plantilla.fila_encabezado - 1
    if esperada < len(filas) and _coincidencias(filas[esperada], etiquetas) == len(etiquetas):
        return esperada
    mejor, mejor_cuenta = None, 0
    for i, fila in enumerate(filas[:FILAS_BUSQUEDA_ENCABEZADO]):
        cuenta = _coincidencias(fila, etiquetas)
        if cuenta > mejor_cuenta:
            mejor, mejor_cuenta = i, cuenta
    requeridas = sum(1 for c in plantilla.columnas if c.requerido)
    return mejor if mejor_cuenta >= max(2, min(requeridas, len(etiquetas) // 2)) else None


@lru_cache(maxsize=16)
def _etiquetas_columnas(plantilla: Plantilla) -> frozenset[str]:
    return frozenset(clave_etiqueta(c.etiqueta) for c in plantilla.columnas)


def _coincidencias(fila: list, etiquetas: frozenset[str]) -> int:
    return sum(1 for v in fila if isinstance(v, str) and clave_etiqueta(v) in etiquetas)


def _reconocer_sin_marca(wb: CalamineWorkbook, nombres: list[str]):
    for plantilla in PLANTILLAS.values():
        hoja = _buscar_hoja(nombres, plantilla)
        if hoja is None:
            continue
        filas = wb.get_sheet_by_name(hoja).to_python(skip_empty_area=False)
        fila = _fila_encabezado(filas, plantilla)
        if fila is not None:
            return plantilla, hoja, filas, fila
    descripcion = "; ".join(f"«{p.titulo}» (hoja «{p.hoja}»)" for p in PLANTILLAS.values())
    raise ArchivoRechazado("LIBRO_NO_RECONOCIDO", plantillas=descripcion)


def _convertir(valor: object, tipo: Tipo, sistema_1904: bool) -> object:
    """Limpia el valor crudo: vacío → None; en columnas de fecha, números de serie → fecha."""
    if valor is None or valor == "":
        return None
    if isinstance(valor, str):
        valor = valor.strip().replace("\u00a0", " ").strip()
        if not valor:
            return None
    if tipo is Tipo.FECHA and not isinstance(valor, str):
        convertido = fecha(valor, sistema_1904)
        return valor if convertido is INVALIDO else convertido
    return valor


def _leer_ficha(libro: LibroLeido, filas: list[list], sistema_1904: bool) -> None:
    por_etiqueta = {clave_etiqueta(c.etiqueta): c for c in libro.plantilla.ficha}
    for i, fila in enumerate(filas):
        for j, v in enumerate(fila):
            if not isinstance(v, str):
                continue
            campo = por_etiqueta.get(clave_etiqueta(v))
            if campo is None or campo.nombre in libro.celdas_ficha:
                continue
            valor = fila[j + 1] if j + 1 < len(fila) else None
            libro.ficha[campo.nombre] = _convertir(valor, campo.tipo, sistema_1904)
            libro.celdas_ficha[campo.nombre] = celda(j + 1, i + 1)
    for campo in libro.plantilla.ficha:
        if campo.nombre not in libro.celdas_ficha:
            libro.ficha[campo.nombre] = None
            if campo.requerido:
                libro.agregar("FICHA_FALTANTE", campo=campo.etiqueta, celda="A1")


def _leer_registros(
    libro: LibroLeido, filas: list[list], fila_encabezado: int, sistema_1904: bool
) -> None:
    plantilla = libro.plantilla
    encabezado = filas[fila_encabezado]
    por_etiqueta = {clave_etiqueta(c.etiqueta): c for c in plantilla.columnas}
    # Columnas que solo se imprimen (la Firma de la lista, §4.7): nunca se leen ni se validan.
    impresas = {clave_etiqueta(e) for e in plantilla.columnas_impresas}
    for j, v in enumerate(encabezado):
        campo = por_etiqueta.get(clave_etiqueta(v)) if isinstance(v, str) else None
        if campo is not None and campo.nombre not in libro.columnas:
            libro.columnas[campo.nombre] = j
        elif isinstance(v, str) and clave_etiqueta(v) in impresas:
            continue
        elif texto(v) is not None:
            parecida = difflib.get_close_matches(
                clave_etiqueta(v), list(por_etiqueta), n=1, cutoff=0.75
            )
            sugerencia = (
                f" ¿Quiso decir «{por_etiqueta[parecida[0]].etiqueta}»?" if parecida else ""
            )
            libro.agregar(
                "COLUMNA_DESCONOCIDA",
                celda=celda(j, fila_encabezado + 1),
                valor=v,
                sugerencia=sugerencia,
            )
    for campo in plantilla.columnas:
        if campo.nombre not in libro.columnas:
            codigo = "COLUMNA_FALTANTE" if campo.requerido else "COLUMNA_OPCIONAL_FALTANTE"
            libro.agregar(codigo, campo=campo.etiqueta, celda=f"A{fila_encabezado + 1}")
    registros: list[list] = []
    indices: list[int] = []
    ubicacion = [(c, libro.columnas.get(c.nombre)) for c in plantilla.columnas]
    for i in range(fila_encabezado + 1, len(filas)):
        fila = filas[i]
        valores = [
            _convertir(fila[j], c.tipo, sistema_1904) if j is not None and j < len(fila) else None
            for c, j in ubicacion
        ]
        if any(v is not None for v in valores):
            registros.append(valores)
            indices.append(i + 1)
    libro.datos = pd.DataFrame(
        registros,
        columns=[c.nombre for c in plantilla.columnas],
        index=pd.Index(indices, name="fila", dtype="int64"),
        dtype=object,
    )
    if not registros and plantilla.tipo in ("plan", "cronograma", "asistencia", "evaluacion"):
        libro.agregar("SIN_REGISTROS", celda=f"A{fila_encabezado + 2}")
