"""Libro de Excel → ficha + registros crudos indexados por fila de Excel; reconoce la plantilla.

Lee los valores con python-calamine (Rust). La plantilla se reconoce por su contenido: la hoja oculta
`_plantilla` (tipo y versión) o, si falta, el nombre de la hoja de datos y sus encabezados (§3).
"""

from __future__ import annotations

import dataclasses
import difflib
import gc
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import pandas as pd
from python_calamine import CalamineSheet, CalamineWorkbook, PasswordError

from esquemas import PLANTILLAS, Plantilla, Tipo
from esquemas.vocabulario import TipoPlantilla
from pipeline import archivos, celdas, paralelo
from pipeline.archivos import (
    DANADO,
    ArchivoRechazado,
    Contenedor,
    Entrada,
    Limites,
    revisar_contenedor,
    revisar_tamano,
    sha256,
    sha256_de_archivo,
)
from pipeline.escritura import cantidad, numero_es
from pipeline.hoja_xml import HojaXml, revisar_hoja
from pipeline.normalizacion import INVALIDO, clave, clave_etiqueta, fecha, texto
from pipeline.problemas import Codigo, Problema, celda, letra_columna, problema

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
    ilegibles: dict[int, list[str]] = field(default_factory=dict)  # fila → códigos: se excluye
    detalle: str = ""  # detalle técnico del rechazo, solo para el registro del enlace

    @property
    def tipo(self) -> str:
        """Tipo de plantilla reconocido ("" si no se reconoció)."""
        return self.plantilla.tipo if self.plantilla else ""

    def celda(self, nombre: str, fila: int) -> str:
        """Celda A1 de la columna `nombre` en la fila de Excel `fila`."""
        indice = self.columnas.get(nombre)
        return celda(indice, fila) if indice is not None else ""

    def agregar(self, codigo: Codigo, **datos: Any) -> None:
        """Registra un problema de este archivo."""
        datos.setdefault("hoja", self.hoja)
        datos.setdefault("direccion", self.entrada.direccion_carpeta)
        self.problemas.append(problema(codigo, archivo=self.entrada.relativa, **datos))

    def rechazar(self, codigo: Codigo, detalle: str = "", **datos: Any) -> None:
        """Rechaza el archivo entero con un problema del catálogo; `detalle` va solo al registro."""
        self.agregar(codigo, **datos)
        self.rechazado = True
        self.detalle = detalle

    def legible(self) -> LibroLeido:
        """El libro sin las filas que tienen una celda de valor desconocido (ya reportadas)."""
        if not self.ilegibles or self.datos is None:
            return self
        return dataclasses.replace(self, datos=self.datos.drop(index=list(self.ilegibles)))

    def filas_excluidas(self) -> list[tuple[str, int, str, str]]:
        """(archivo, fila, tipo, códigos) de las filas excluidas al leer."""
        return [
            (self.entrada.relativa, fila, self.tipo, ",".join(codigos))
            for fila, codigos in sorted(self.ilegibles.items())
        ]


def leer(
    entrada: Entrada, contenido: bytes | None = None, limites: Limites | None = None
) -> LibroLeido:
    """Lee un archivo de entrada; nunca lanza por culpa del archivo: los fallos son problemas."""
    libro = LibroLeido(entrada=entrada)
    limites = limites or archivos.LIMITES
    try:
        if contenido is None:
            tamano = entrada.ruta.stat().st_size
            if tamano > limites.tamano:
                libro.sha256 = sha256_de_archivo(entrada.ruta)  # sin cargarlo en memoria
                revisar_tamano(tamano, limites)
            contenido = entrada.ruta.read_bytes()
    except ArchivoRechazado as exc:
        libro.rechazar(exc.codigo, **exc.datos)
        return libro
    except PermissionError:
        libro.rechazar(Codigo.ARCHIVO_SIN_PERMISO, detalle="PermissionError")
        return libro
    except OSError as exc:
        libro.rechazar(
            Codigo.ARCHIVO_ILEGIBLE, motivo="no se pudo abrir", detalle=type(exc).__name__
        )
        return libro
    libro.sha256 = sha256(contenido)
    try:
        contenedor = revisar_contenedor(entrada.ruta, contenido, limites)
        _leer_libro(libro, contenido, contenedor)
    except ArchivoRechazado as exc:
        libro.rechazar(exc.codigo, **exc.datos)
    except PasswordError:
        libro.rechazar(Codigo.ARCHIVO_CIFRADO, detalle="PasswordError")
    except MemoryError:
        libro.rechazar(Codigo.ARCHIVO_DEMASIADO_GRANDE, motivo=SIN_MEMORIA, detalle="MemoryError")
    except Exception as exc:  # noqa: BLE001 — ningún archivo de entrada debe producir un traceback
        libro.rechazar(Codigo.ARCHIVO_ILEGIBLE, motivo=DANADO, detalle=type(exc).__name__)
    if any(p.es_error and p.fila is None for p in libro.problemas):
        libro.rechazado = True
    return libro


SIN_MEMORIA = "necesita más memoria de la permitida para leerse"
MINIMO_PARA_PARALELO = 32  # archivos; por debajo, un solo proceso de lectura
CONGELAR_CADA = 256  # libros recibidos entre dos congelamientos del recolector de basura


def leer_aislados(
    entradas: list[Entrada], limites: Limites | None = None, procesos: int | None = None
) -> Iterator[LibroLeido]:
    """Lee los libros en orden, en procesos con tope de memoria y de tiempo por archivo.

    Un archivo que agota la memoria o el tiempo de su proceso se rechaza y los demás siguen. Sin
    «fork» se leen en este proceso. Con pocos archivos basta un proceso aparte: arrancar otro cuesta
    más de lo que ahorra.
    """
    limites = limites or archivos.LIMITES
    if not paralelo.hay_fork():
        yield from (leer(e, limites=limites) for e in entradas)
        return
    n = limites.procesos(paralelo.numero_procesos(len(entradas), MINIMO_PARA_PARALELO, procesos))
    leer_uno: Callable[[Entrada], LibroLeido] = partial(leer, limites=limites)
    memoria = limites.memoria_por_proceso(n)
    resultados = paralelo.repartir_aislado(leer_uno, entradas, n, memoria, limites.segundos)
    try:
        for i, (entrada, resultado) in enumerate(zip(entradas, resultados, strict=True), start=1):
            if i % CONGELAR_CADA == 0:
                # Los libros ya recibidos no cambian: el recolector de basura deja de recorrerlos.
                gc.freeze()
            if isinstance(resultado, paralelo.Caida):
                yield _caido(entrada, resultado, limites, memoria)
            else:
                yield resultado
    finally:
        gc.unfreeze()


def _caido(entrada: Entrada, caida: paralelo.Caida, limites: Limites, memoria: int) -> LibroLeido:
    libro = LibroLeido(entrada=entrada, sha256=sha256_de_archivo(entrada.ruta))
    if caida.motivo == "tiempo":
        motivo = f"tardó más de {_segundos(limites.segundos)} en leerse"
    elif caida.motivo == "memoria":
        motivo = f"{SIN_MEMORIA} ({numero_es(memoria // archivos.MIB)} MB)"
    else:
        motivo = "hizo fallar el lector de Excel"
    codigo = Codigo.ARCHIVO_ILEGIBLE if caida.motivo == "fallo" else Codigo.ARCHIVO_DEMASIADO_GRANDE
    libro.rechazar(codigo, motivo=motivo, detalle=caida.detalle)
    return libro


@dataclass
class _Hoja:
    """Una hoja leída: sus valores, sus celdas combinadas y lo que dice su XML."""

    nombre: str
    filas: list[list]
    combinadas: list[celdas.Rango]
    xml: HojaXml


def _leer_hoja(wb: CalamineWorkbook, contenedor: Contenedor, nombre: str) -> _Hoja:
    """Lee una hoja de datos después de comprobar que cabe en el presupuesto del archivo."""
    xml = revisar_hoja(contenedor, nombre, detalle=True)
    hoja: CalamineSheet = wb.get_sheet_by_name(nombre)
    return _Hoja(nombre, hoja.to_python(skip_empty_area=False), hoja.merged_cell_ranges or [], xml)


def _segundos(segundos: float) -> str:
    if segundos == int(segundos):
        return cantidad(int(segundos), "segundo", "segundos")
    return f"{segundos:.1f} segundos".replace(".", ",")


def _leer_libro(libro: LibroLeido, contenido: bytes, contenedor: Contenedor) -> None:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(contenido))
    nombres = list(wb.sheet_names)
    marca = _leer_marca(wb, nombres, contenedor)
    plantilla = PLANTILLAS.get(marca[0]) if marca else None
    if marca is not None and plantilla is not None:
        libro.desde_plantilla = True
        libro.version = marca[1]
        nombre = _buscar_hoja(nombres, plantilla)
        if nombre is None:
            raise ArchivoRechazado(
                Codigo.LIBRO_NO_RECONOCIDO,
                plantillas=f"«{plantilla.titulo}» (falta la hoja «{plantilla.hoja}»)",
            )
        hoja = _leer_hoja(wb, contenedor, nombre)
        fila_encabezado = _fila_encabezado(hoja.filas, plantilla)
        if fila_encabezado is None:
            raise ArchivoRechazado(
                Codigo.LIBRO_NO_RECONOCIDO,
                plantillas=f"«{plantilla.titulo}» (no se encontró la fila de encabezados)",
            )
    else:
        plantilla, hoja, fila_encabezado = _reconocer_sin_marca(wb, nombres, contenedor)
        libro.version = plantilla.version
    libro.plantilla, libro.hoja = plantilla, hoja.nombre
    if not libro.desde_plantilla:
        libro.agregar(Codigo.SIN_MARCA_PLANTILLA, hoja_esperada=plantilla.hoja)
    elif libro.version != plantilla.version:
        libro.agregar(Codigo.VERSION_DESCONOCIDA, version=libro.version, vigente=plantilla.version)
    if hoja.nombre in contenedor.ocultas:
        libro.agregar(Codigo.HOJA_OCULTA, celda="A1", nombre_hoja=hoja.nombre)
    _leer_ficha(libro, plantilla, hoja.filas[:fila_encabezado], contenedor.sistema_1904, hoja.xml)
    _leer_registros(libro, plantilla, hoja, fila_encabezado, contenedor.sistema_1904)
    celdas.avisar_combinadas_y_ocultas(libro, hoja.combinadas, hoja.xml, fila_encabezado)


def _leer_marca(
    wb: CalamineWorkbook, nombres: list[str], contenedor: Contenedor
) -> tuple[str, str] | None:
    if HOJA_MARCA not in nombres:
        return None
    revisar_hoja(contenedor, HOJA_MARCA)
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


def _reconocer_sin_marca(
    wb: CalamineWorkbook, nombres: list[str], contenedor: Contenedor
) -> tuple[Plantilla, _Hoja, int]:
    for plantilla in PLANTILLAS.values():
        nombre = _buscar_hoja(nombres, plantilla)
        if nombre is None:
            continue
        hoja = _leer_hoja(wb, contenedor, nombre)
        fila = _fila_encabezado(hoja.filas, plantilla)
        if fila is not None:
            return plantilla, hoja, fila
    descripcion = "; ".join(f"«{p.titulo}» (hoja «{p.hoja}»)" for p in PLANTILLAS.values())
    raise ArchivoRechazado(Codigo.LIBRO_NO_RECONOCIDO, plantillas=descripcion)


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


def _valores_fila(fila: list, lectura: list[tuple[int, bool]], sistema_1904: bool) -> list:
    """Los valores de una fila de datos, como `_convertir` celda a celda pero sin llamarla en las
    celdas vacías y de texto (casi todas: es el ciclo más repetido de la lectura)."""
    valores: list[object] = []
    largo = len(fila)
    for j, es_fecha in lectura:
        valor = fila[j] if 0 <= j < largo else None
        if valor is None:
            valores.append(None)
        elif isinstance(valor, str):
            limpio = valor.strip()
            if "\u00a0" in limpio:
                limpio = limpio.replace("\u00a0", " ").strip()
            valores.append(limpio or None)
        elif es_fecha:
            valores.append(_convertir(valor, Tipo.FECHA, sistema_1904))
        else:
            valores.append(valor)
    return valores


def _leer_ficha(
    libro: LibroLeido, plantilla: Plantilla, filas: list[list], sistema_1904: bool, xml: HojaXml
) -> None:
    por_etiqueta = {clave_etiqueta(c.etiqueta): c for c in plantilla.ficha}
    for i, fila in enumerate(filas):
        for j, v in enumerate(fila):
            if not isinstance(v, str):
                continue
            campo = por_etiqueta.get(clave_etiqueta(v))
            if campo is None or campo.nombre in libro.celdas_ficha:
                continue
            valor = fila[j + 1] if j + 1 < len(fila) else None
            libro.ficha[campo.nombre] = _convertir(valor, campo.tipo, sistema_1904)
            libro.celdas_ficha[campo.nombre] = referencia = celda(j + 1, i + 1)
            codigo = xml.celda_ilegible(referencia)
            if codigo:
                valor = xml.errores.get(referencia)
                libro.agregar(codigo, celda=referencia, campo=campo.etiqueta, valor=valor)
    for campo in plantilla.ficha:
        if campo.nombre not in libro.celdas_ficha:
            libro.ficha[campo.nombre] = None
            if campo.requerido:
                libro.agregar(Codigo.FICHA_FALTANTE, campo=campo.etiqueta, celda="A1")


def _leer_registros(
    libro: LibroLeido, plantilla: Plantilla, hoja: _Hoja, fila_encabezado: int, sistema_1904: bool
) -> None:
    filas = hoja.filas
    duplicadas = _leer_encabezado(libro, plantilla, filas[fila_encabezado], fila_encabezado + 1)
    registros: list[list] = []
    indices: list[int] = []
    ubicacion = [(c, libro.columnas.get(c.nombre)) for c in plantilla.columnas]
    # Por columna: dónde está y si es de fecha (las demás solo se limpian si son texto).
    lectura = [(-1 if j is None else j, c.tipo is Tipo.FECHA) for c, j in ubicacion]
    ilegibles = celdas.ilegibles_por_fila(hoja.xml)
    for i in range(fila_encabezado + 1, len(filas)):
        fila = filas[i]
        valores = _valores_fila(fila, lectura, sistema_1904)
        if duplicadas:
            otros = [
                _convertir(fila[r], c.tipo, sistema_1904) if r < len(fila) else None
                for c, _primera, r in duplicadas
            ]
            celdas.unir_duplicadas(libro, valores, otros, duplicadas, i + 1)
        if i + 1 in ilegibles:
            celdas.marcar_ilegibles(libro, ilegibles[i + 1], ubicacion, duplicadas, i + 1)
        if celdas.hay_texto_raro(valores):
            celdas.revisar_textos(libro, valores, ubicacion, i + 1)
        if i + 1 in libro.ilegibles or any(v is not None for v in valores):
            registros.append(valores)
            indices.append(i + 1)
    libro.datos = pd.DataFrame(
        registros,
        columns=[c.nombre for c in plantilla.columnas],
        index=pd.Index(indices, name="fila", dtype="int64"),
        dtype=object,
    )
    if not registros and plantilla.tipo != TipoPlantilla.COMPROMISOS:
        libro.agregar(Codigo.SIN_REGISTROS, celda=f"A{fila_encabezado + 2}")


def _leer_encabezado(
    libro: LibroLeido, plantilla: Plantilla, encabezado: list, numero: int
) -> list[celdas.Duplicada]:
    """Ubica cada columna de la plantilla; devuelve las repetidas: (campo, primera, repetida)."""
    por_etiqueta = {clave_etiqueta(c.etiqueta): c for c in plantilla.columnas}
    # Columnas que solo se imprimen (la Firma de la lista, §4.7): nunca se leen ni se validan.
    impresas = {clave_etiqueta(e) for e in plantilla.columnas_impresas}
    duplicadas = []
    for j, v in enumerate(encabezado):
        campo = por_etiqueta.get(clave_etiqueta(v)) if isinstance(v, str) else None
        if campo is not None and campo.nombre not in libro.columnas:
            libro.columnas[campo.nombre] = j
        elif isinstance(v, str) and clave_etiqueta(v) in impresas:
            continue
        elif campo is not None:
            primera = libro.columnas[campo.nombre]
            duplicadas.append((campo, primera, j))
            libro.agregar(
                Codigo.COLUMNA_DUPLICADA,
                celda=celda(j, numero),
                campo=campo.etiqueta,
                primera=letra_columna(primera),
                repetida=letra_columna(j),
            )
        elif texto(v) is not None:
            parecida = difflib.get_close_matches(
                clave_etiqueta(v), list(por_etiqueta), n=1, cutoff=0.75
            )
            sugerencia = (
                f" ¿Quiso decir «{por_etiqueta[parecida[0]].etiqueta}»?" if parecida else ""
            )
            libro.agregar(
                Codigo.COLUMNA_DESCONOCIDA, celda=celda(j, numero), valor=v, sugerencia=sugerencia
            )
    for campo in plantilla.columnas:
        if campo.nombre not in libro.columnas:
            codigo = (
                Codigo.COLUMNA_FALTANTE if campo.requerido else Codigo.COLUMNA_OPCIONAL_FALTANTE
            )
            libro.agregar(codigo, campo=campo.etiqueta, celda=f"A{numero}")
    return duplicadas
