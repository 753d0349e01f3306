"""Problemas realistas en una parte de los libros del corpus, para que el benchmark parezca un año real.

En un año real alrededor del 4 % de los archivos trae advertencias o errores (§9 v2), y sus copias
anotadas son parte del trabajo medido. Se eligen los libros con una semilla fija y a cada uno se le
pone un problema propio de su plantilla, como los que comete el personal: un correo mal escrito, una
fila repetida, la fecha de la lista distinta de la del cronograma, una sesión realizada sin fecha…
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from random import Random

from esquemas import PLANTILLAS
from herramientas.muestra import LibroMuestra

PROPORCION = 0.04
VERSION = 1
"""Se guarda en corpus.json: si cambia la inyección, el corpus se regenera."""

Inyeccion = Callable[[LibroMuestra, Random], LibroMuestra | None]


def _indice(tipo: str, nombre: str) -> int:
    return [c.nombre for c in PLANTILLAS[tipo].columnas].index(nombre)


def _cambiar(libro: LibroMuestra, fila: int, nombre: str, valor: object) -> LibroMuestra:
    j = _indice(libro.tipo, nombre)
    filas = list(libro.filas)
    filas[fila] = (*filas[fila][:j], valor, *filas[fila][j + 1 :])
    return replace(libro, filas=tuple(filas))


def _correo_mal_escrito(libro: LibroMuestra, azar: Random) -> LibroMuestra | None:
    """Error: un correo con dos arrobas (se excluye la fila)."""
    i = azar.randrange(len(libro.filas))
    return _cambiar(libro, i, "correo", "nombre.apellido@@alcaldia.gov.co")


def _documento_repetido(libro: LibroMuestra, azar: Random) -> LibroMuestra | None:
    """Advertencia X8: la misma persona firmó dos veces la lista."""
    if len(libro.filas) >= PLANTILLAS[libro.tipo].filas:
        return None
    return replace(libro, filas=(*libro.filas, libro.filas[azar.randrange(len(libro.filas))]))


def _fecha_de_la_lista_distinta(libro: LibroMuestra, azar: Random) -> LibroMuestra | None:
    """Advertencia X6: la ficha dice un día distinto del que registra el cronograma."""
    fecha = libro.ficha.get("fecha_actividad")
    if not isinstance(fecha, dt.date) or fecha.month == 1 and fecha.day == 1:
        return None
    return replace(libro, ficha={**libro.ficha, "fecha_actividad": fecha - dt.timedelta(days=1)})


def _calificacion_fuera_de_rango(libro: LibroMuestra, azar: Random) -> LibroMuestra | None:
    """Error: una calificación de 7 en una escala de 1 a 5."""
    return _cambiar(libro, azar.randrange(len(libro.filas)), "pertinencia", 7)


def _realizada_sin_fecha(libro: LibroMuestra, azar: Random) -> LibroMuestra | None:
    """Error: una sesión Realizada sin Fecha de realización (sus listas y evaluaciones esperan)."""
    j = _indice("cronograma", "estado")
    realizadas = [i for i, f in enumerate(libro.filas) if f[j] == "Realizada"]
    if not realizadas:
        return None
    return _cambiar(libro, azar.choice(realizadas), "fecha_realizacion", None)


def _modalidad_mal_escrita(libro: LibroMuestra, azar: Random) -> LibroMuestra | None:
    """Error: una modalidad fuera de la lista desplegable."""
    return _cambiar(libro, azar.randrange(len(libro.filas)), "modalidad", "Presencia")


def _compromiso_sin_responsable(libro: LibroMuestra, azar: Random) -> LibroMuestra | None:
    """Error: un compromiso sin responsable."""
    return _cambiar(libro, azar.randrange(len(libro.filas)), "responsable", None)


# Por tipo: las inyecciones posibles, las advertencias primero (son las más comunes).
INYECCIONES: dict[str, tuple[Inyeccion, ...]] = {
    "asistencia": (_documento_repetido, _fecha_de_la_lista_distinta, _correo_mal_escrito),
    "evaluacion": (_fecha_de_la_lista_distinta, _calificacion_fuera_de_rango),
    "cronograma": (_realizada_sin_fecha,),
    "plan": (_modalidad_mal_escrita,),
    "compromisos": (_compromiso_sin_responsable,),
}


def inyectar(
    libros: list[LibroMuestra], proporcion: float = PROPORCION, semilla: int = 2025
) -> tuple[list[LibroMuestra], int]:
    """Los libros con problemas en una `proporcion` de ellos; devuelve también cuántos se tocaron.

    Determinista: la misma lista y la misma semilla dan los mismos libros con los mismos problemas.
    """
    azar = Random(semilla)
    candidatos = [i for i, lb in enumerate(libros) if lb.filas and lb.tipo in INYECCIONES]
    elegidos = sorted(
        azar.sample(candidatos, min(len(candidatos), round(proporcion * len(libros))))
    )
    resultado = list(libros)
    tocados = 0
    for i in elegidos:
        opciones = INYECCIONES[libros[i].tipo]
        # Dos de cada tres, advertencias; el resto, errores.
        peso = [
            3 if k < len(opciones) - 1 or len(opciones) == 1 else 1 for k in range(len(opciones))
        ]
        inyeccion = azar.choices(opciones, weights=peso)[0]
        nuevo = inyeccion(libros[i], azar)
        if nuevo is not None:
            resultado[i] = nuevo
            tocados += 1
    return resultado, tocados
