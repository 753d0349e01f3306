"""Versiones de un mismo libro (§10.1, X16): la más reciente se usa, las anteriores se reemplazan.

Dos o más planes, cronogramas o libros de compromisos de una misma dirección que comparten ID
(`ID asistencia` en los planes, `ID actividad` en los demás) son versiones de un documento. Se usa la
de fecha de ficha más reciente; las demás quedan `Reemplazado` con una advertencia X16, sus filas no
se validan ni se cruzan, así que nada se excluye en cascada por ellas. Se aplica después de validar las
fichas: una versión nueva rechazada por su ficha no reemplaza a la anterior. Si ninguna fecha las
distingue, no se reemplaza nada y X1/X2 dicen que se deje solo la versión vigente.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from esquemas import PLANTILLAS
from esquemas.vocabulario import TipoPlantilla
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import clave, fecha
from pipeline.problemas import Codigo, Problema, problema

# tipo → (columna con el ID compartido, campo de ficha con la fecha de la versión)
VERSIONADOS: dict[str, tuple[str, str]] = {
    TipoPlantilla.PLAN: ("id_asistencia", "fecha_aprobacion"),
    TipoPlantilla.CRONOGRAMA: ("id_actividad", "fecha_corte"),
    TipoPlantilla.COMPROMISOS: ("id_actividad", "fecha_corte"),
}
MAXIMO_IDS_EN_MENSAJE = 30


@dataclass(frozen=True)
class Reemplazo:
    """Un libro que una versión más reciente reemplaza."""

    libro: LibroLeido
    nuevo: LibroLeido
    retirados: tuple[str, ...]  # ID de la versión anterior que la nueva ya no tiene


@dataclass
class Versiones:
    """Los libros que siguen en la validación, los reemplazados y sus advertencias X16."""

    vigentes: list[LibroLeido]
    reemplazos: list[Reemplazo] = field(default_factory=list)
    problemas: list[Problema] = field(default_factory=list)


def separar_versiones(libros: list[LibroLeido]) -> Versiones:
    """Aparta las versiones anteriores de planes, cronogramas y compromisos (X16)."""
    grupos: dict[tuple[str, str], list[LibroLeido]] = defaultdict(list)
    for libro in libros:
        if libro.tipo in VERSIONADOS and not libro.rechazado and libro.datos is not None:
            grupos[(libro.tipo, clave(libro.entrada.direccion_carpeta))].append(libro)
    reemplazos: list[Reemplazo] = []
    for (tipo, _direccion), del_grupo in grupos.items():
        for componente in _componentes(del_grupo, VERSIONADOS[tipo][0]):
            reemplazos += _reemplazos(componente, tipo)
    fuera = {id(r.libro) for r in reemplazos}
    return Versiones(
        vigentes=[lb for lb in libros if id(lb) not in fuera],
        reemplazos=reemplazos,
        problemas=[_x16(r) for r in reemplazos],
    )


def ids(libro: LibroLeido, columna: str) -> dict[str, str]:
    """Forma de comparación → ID tal como está escrito, de las filas del libro."""
    if libro.datos is None or columna not in libro.datos:
        return {}
    escritos = (str(v).strip() for v in libro.datos[columna].dropna())
    return {clave(v): v for v in escritos if v}


def fecha_version(libro: LibroLeido) -> dt.date | None:
    """La fecha de ficha que ordena las versiones (None si falta o no es una fecha)."""
    valor = fecha(libro.ficha.get(VERSIONADOS[libro.tipo][1]))
    return valor if isinstance(valor, dt.date) else None


def _componentes(libros: list[LibroLeido], columna: str) -> list[list[LibroLeido]]:
    """Grupos de libros unidos por algún ID compartido (directa o indirectamente)."""
    padre = list(range(len(libros)))

    def raiz(i: int) -> int:
        while padre[i] != i:
            padre[i] = padre[padre[i]]
            i = padre[i]
        return i

    primero: dict[str, int] = {}
    for i, libro in enumerate(libros):
        for llave in ids(libro, columna):
            j = primero.setdefault(llave, i)
            padre[raiz(i)] = raiz(j)
    componentes: dict[int, list[LibroLeido]] = defaultdict(list)
    for i, libro in enumerate(libros):
        componentes[raiz(i)].append(libro)
    return [c for c in componentes.values() if len(c) > 1]


def _reemplazos(componente: list[LibroLeido], tipo: str) -> list[Reemplazo]:
    fechas = [fecha_version(lb) for lb in componente]
    conocidas = [f for f in fechas if f is not None]
    if not conocidas:
        return []
    mas_reciente = max(conocidas)
    if conocidas.count(mas_reciente) > 1:
        return []  # ninguna fecha distingue la versión vigente: X1/X2 siguen en pie
    nuevo = componente[fechas.index(mas_reciente)]
    columna = VERSIONADOS[tipo][0]
    nuevos = ids(nuevo, columna)
    return [
        Reemplazo(
            libro=lb,
            nuevo=nuevo,
            retirados=tuple(v for k, v in sorted(ids(lb, columna).items()) if k not in nuevos),
        )
        for lb, f in zip(componente, fechas, strict=True)
        if f is not None and f < mas_reciente
    ]


def _x16(reemplazo: Reemplazo) -> Problema:
    libro, nuevo = reemplazo.libro, reemplazo.nuevo
    nombre_fecha = VERSIONADOS[libro.tipo][1]
    plantilla = PLANTILLAS[libro.tipo]
    etiqueta = plantilla.campo(nombre_fecha).etiqueta
    return problema(
        Codigo.X16,
        archivo=libro.entrada.relativa,
        hoja=libro.hoja,
        celda=libro.celdas_ficha.get(nombre_fecha, ""),
        campo=etiqueta,
        valor=libro.ficha.get(nombre_fecha),
        direccion=libro.entrada.direccion_carpeta,
        nuevo=nuevo.entrada.relativa,
        etiqueta=etiqueta,
        fecha_nueva=f"{fecha_version(nuevo):%d/%m/%Y}",
        retirados=_retirados(reemplazo.retirados),
    )


def _retirados(retirados: tuple[str, ...]) -> str:
    if not retirados:
        return "La versión nueva conserva todos los ID de esta."
    mostrados = ", ".join(retirados[:MAXIMO_IDS_EN_MENSAJE])
    resto = len(retirados) - MAXIMO_IDS_EN_MENSAJE
    if resto > 0:
        mostrados += f" y {resto} más"
    if len(retirados) == 1:
        return (
            f"La versión nueva ya no tiene el ID {mostrados}: confirme que se retiró a propósito."
        )
    return (
        f"La versión nueva ya no tiene los ID {mostrados}: confirme que se retiraron a propósito."
    )
