"""Registro técnico de la lectura para el enlace de planeación (§5, §9).

El mensaje de un archivo rechazado es para quien lo diligenció y no lleva detalle técnico; el detalle
(la clase del error, el código de salida del proceso de lectura) va a `validacion/registro.log`. Nunca
lleva valores de las celdas: solo rutas, códigos y nombres técnicos.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.escritura import escribir_texto_atomico
from pipeline.lectura import LibroLeido

ENCABEZADO = (
    "# Detalle técnico de los archivos que no se pudieron leer (para el enlace de planeación).\n"
    "# archivo\tcódigo\tdetalle\n"
)


def texto_registro(libros: Iterable[LibroLeido]) -> str:
    """Una línea por archivo rechazado al leer que tenga detalle técnico, en el orden de lectura."""
    lineas = []
    for libro in libros:
        if not libro.detalle:
            continue
        codigo = next((p.codigo for p in libro.problemas if p.es_error), "")
        lineas.append(f"{libro.entrada.relativa}\t{codigo}\t{libro.detalle}\n")
    return ENCABEZADO + "".join(lineas)


def escribir_registro(libros: Iterable[LibroLeido], ruta: Path) -> Path:
    """Escribe el registro técnico de forma atómica (mismos bytes con las mismas entradas)."""
    return escribir_texto_atomico(Path(ruta), texto_registro(libros), encoding="utf-8")
