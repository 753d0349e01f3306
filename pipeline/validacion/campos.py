"""Reglas de campo (§4) en bloque: una validación de pandera por tipo de plantilla, nunca por archivo.

`validar_fichas` valida la ficha de todos los libros de un tipo (una fila por archivo) y
`validar_campos` los registros de todos los libros aceptados (una fila por registro). Las reglas y el
esquema salen de la Plantilla (`pipeline.validacion.esquema`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from esquemas import Campo, Catalogo, Plantilla
from esquemas.vocabulario import TipoPlantilla
from pipeline import tablas
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import INVALIDO
from pipeline.problemas import Problema, problema
from pipeline.validacion.contexto import Contexto
from pipeline.validacion.esquema import (
    Conversiones,
    Fallo,
    Filas,
    construir,
    municipios,
    reglas_campos,
    reglas_ficha,
    validos,
)
from pipeline.validacion.resultado import marco_excluidas


@dataclass
class FichasValidadas:
    """Problemas de las fichas, la ficha tipada de cada archivo (por ruta relativa) y los libros.

    `libros` son copias de los libros recibidos, rechazadas si su ficha tiene errores: la validación
    no escribe sobre los objetos de la lectura.
    """

    problemas: list[Problema]
    fichas: dict[str, dict[str, object]]
    libros: list[LibroLeido] = field(default_factory=list)

    @property
    def rechazados(self) -> set[str]:
        """Rutas relativas de los archivos rechazados (al leerlos o por su ficha)."""
        return {libro.entrada.relativa for libro in self.libros if libro.rechazado}


@dataclass
class CamposValidados:
    """Tabla tipada de filas válidas, problemas de campo y filas excluidas por error."""

    tabla: pd.DataFrame
    problemas: list[Problema]
    excluidas: pd.DataFrame


def validar_fichas(
    plantilla: Plantilla, libros: list[LibroLeido], contexto: Contexto
) -> FichasValidadas:
    """Valida en bloque las fichas de los libros de la plantilla; rechaza (en copia) los que fallan."""
    propios = [libro for libro in libros if libro.tipo == plantilla.tipo]
    if not propios:
        return FichasValidadas([], {})
    marco = _marco_fichas(plantilla, propios, contexto)
    memo = Conversiones(contexto)  # cada valor distinto se convierte una vez en esta validación
    esquema = construir(plantilla.ficha, reglas_ficha(plantilla, contexto, memo))
    orden = {c.nombre: i for i, c in enumerate(plantilla.ficha)}
    filas = Filas(marco)
    problemas = []
    rechazados: set[int] = set()
    for fallo in _ordenar(esquema.fallos(marco), orden):
        libro = propios[fallo.posicion]
        celda = libro.celdas_ficha.get(fallo.regla.columna)
        if celda is None:
            continue  # falta la etiqueta: la lectura ya lo reportó (FICHA_FALTANTE)
        campo = plantilla.campo(fallo.regla.columna)
        problemas.append(_problema(fallo, filas[fallo.posicion], libro, campo, celda))
        rechazados.add(fallo.posicion)
    convertir = {c.nombre: memo.conversor(c) for c in plantilla.ficha}
    fichas = {
        libro.entrada.relativa: {
            nombre: _tipado(f(libro.ficha.get(nombre))) for nombre, f in convertir.items()
        }
        for libro in propios
    }
    revisados = [
        replace(libro, rechazado=True) if i in rechazados else libro
        for i, libro in enumerate(propios)
    ]
    return FichasValidadas(problemas, fichas, revisados)


def validar_campos(
    plantilla: Plantilla, libros: list[LibroLeido], fichas: FichasValidadas, contexto: Contexto
) -> CamposValidados:
    """Valida en bloque los registros de los libros aceptados y devuelve la tabla tipada."""
    rechazados = fichas.rechazados  # una vez: es un recorrido de todos los libros
    propios = [
        libro
        for libro in libros
        if libro.tipo == plantilla.tipo
        and not libro.rechazado
        and libro.entrada.relativa not in rechazados
        and libro.datos is not None
        and len(libro.datos)
        and _ficha_aceptada(fichas.fichas.get(libro.entrada.relativa))
    ]
    if not propios:
        return CamposValidados(tablas.vacia(plantilla.tipo), [], marco_excluidas([]))
    marco = _marco_campos(plantilla, propios, fichas)
    memo = Conversiones(contexto)  # cada valor distinto se convierte una vez en esta validación
    esquema = construir(plantilla.columnas, reglas_campos(plantilla, contexto, memo))
    orden = {c.nombre: i for i, c in enumerate(plantilla.columnas)}
    filas = Filas(marco)
    problemas: list[Problema] = []
    errores: dict[int, dict[str, None]] = {}
    for fallo in _ordenar(esquema.fallos(marco), orden):
        registro = filas[fallo.posicion]
        libro, fila = propios[_entero(registro["_libro"])], _entero(registro["_fila"])
        campo = plantilla.columna(fallo.regla.columna)
        nuevo = _problema(fallo, registro, libro, campo, libro.celda(campo.nombre, fila), fila)
        problemas.append(nuevo)
        if nuevo.es_error:
            errores.setdefault(fallo.posicion, {})[nuevo.codigo] = None
    excluidas = marco_excluidas(
        [
            (filas[i]["_archivo"], _entero(filas[i]["_fila"]), plantilla.tipo, ",".join(codigos))
            for i, codigos in errores.items()
        ]
    )
    tabla = _tipar(plantilla, marco, list(errores), memo)
    return CamposValidados(tabla, problemas, excluidas)


def _ficha_aceptada(ficha: dict[str, object] | None) -> bool:
    return (
        ficha is not None
        and ficha.get("direccion") is not None
        and ficha.get("vigencia") is not None
    )


def _entero(valor: object) -> int:
    return int(valor)  # type: ignore[call-overload]  # columnas enteras que Filas da como object


def _tipado(valor: object) -> object:
    return None if valor is INVALIDO else valor


def _ordenar(fallos: list[Fallo], orden: dict[str, int]) -> list[Fallo]:
    return sorted(fallos, key=lambda f: (f.posicion, orden.get(f.regla.columna, len(orden))))


def _problema(
    fallo: Fallo,
    registro: Mapping[str, object],
    libro: LibroLeido,
    campo: Campo,
    celda: str,
    fila: int | None = None,
) -> Problema:
    regla = fallo.regla
    datos = regla.datos(registro) if regla.datos else {}
    return problema(
        regla.codigo,
        archivo=libro.entrada.relativa,
        hoja=libro.hoja,
        celda=celda,
        campo=campo.etiqueta,
        valor=registro[campo.nombre],
        personal=campo.personal,
        direccion=libro.entrada.direccion_carpeta,
        fila=fila,
        **datos,
    )


def _marco_fichas(
    plantilla: Plantilla, libros: list[LibroLeido], contexto: Contexto
) -> pd.DataFrame:
    """Una fila por archivo: los valores crudos de la ficha y la carpeta donde está."""
    nombres = [c.nombre for c in plantilla.ficha]
    marco = pd.DataFrame(
        [[libro.ficha.get(n) for n in nombres] for libro in libros], columns=nombres, dtype=object
    )
    relativas = [libro.entrada.relativa for libro in libros]
    marco["_carpeta"] = [r.rsplit("/", 1)[0] if "/" in r else "." for r in relativas]
    marco["_carpeta_direccion"] = [libro.entrada.direccion_carpeta for libro in libros]
    marco["_carpeta_vigencia"] = [libro.entrada.vigencia_carpeta for libro in libros]
    marco["_vigencia"] = contexto.vigencia
    return marco


def _marco_campos(
    plantilla: Plantilla, libros: list[LibroLeido], fichas: FichasValidadas
) -> pd.DataFrame:
    """Todos los registros crudos en un solo marco, con su origen y los datos de su ficha."""
    datos = [libro.datos for libro in libros if libro.datos is not None]
    largos = [len(d) for d in datos]
    marco = pd.DataFrame(
        np.concatenate([d.to_numpy(dtype=object) for d in datos]),
        columns=[c.nombre for c in plantilla.columnas],
        dtype=object,
    )

    def repetir(valores: list) -> np.ndarray:
        return np.repeat(np.array(valores, dtype=object), largos)

    propias = [fichas.fichas[libro.entrada.relativa] for libro in libros]
    marco["_libro"] = np.repeat(np.arange(len(libros)), largos)
    marco["_fila"] = np.concatenate([d.index.to_numpy() for d in datos])
    marco["_archivo"] = repetir([libro.entrada.relativa for libro in libros])
    marco["_direccion"] = repetir([f["direccion"] for f in propias])
    marco["_vigencia"] = np.repeat(
        np.array([f["vigencia"] for f in propias], dtype="int64"), largos
    )
    for campo in tablas.campos_ficha_propios(plantilla):
        marco[f"_{campo.nombre}"] = repetir([f.get(campo.nombre) for f in propias])
    return marco


def _tipar(
    plantilla: Plantilla, marco: pd.DataFrame, excluidas: list[int], memo: Conversiones
) -> pd.DataFrame:
    """Filas válidas (todas menos `excluidas`) → tabla tipada del contrato (pipeline/tablas.py).

    Se convierte el marco entero, el mismo que validaron las reglas, para reutilizar sus conversiones.
    """
    salida: dict[str, pd.Series] = {
        "direccion": marco["_direccion"],
        "vigencia": marco["_vigencia"],
        "archivo": marco["_archivo"],
        "fila": marco["_fila"],
    }
    for campo in tablas.campos_ficha_propios(plantilla):
        salida[campo.nombre] = marco[f"_{campo.nombre}"]
    for campo in plantilla.columnas:
        salida[campo.nombre] = validos(marco[campo.nombre], memo.conversor(campo), memo)
    if any(c.catalogo is Catalogo.MUNICIPIOS for c in plantilla.columnas):
        codigos, _ = municipios(marco["departamento"], marco["municipio"], memo.contexto, memo)
        salida["municipio"] = codigos
        # Un municipio dado por código sin departamento también dice su departamento.
        departamento = salida["departamento"]
        salida["departamento"] = departamento.where(
            departamento.notna(), codigos.map(lambda c: c[:2] if c else None)
        )
    if plantilla.tipo == TipoPlantilla.ASISTENCIA:
        salida["repetido"] = False
    validas = pd.DataFrame(salida, index=marco.index).drop(index=excluidas)
    return tablas.ajustar_tipos(plantilla.tipo, validas)
