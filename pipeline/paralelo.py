"""Reparto del trabajo en procesos: lectura de libros, devoluciones e informes (§9).

Solo con «fork»: los hijos heredan lo ya importado y los datos en memoria, y «spawn» volvería a
ejecutar `python -m pipeline` en cada hijo. Donde no hay «fork», todo corre en este proceso.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor

MAXIMO_PROCESOS = 8


def procesos_disponibles() -> int:
    """Núcleos que puede usar esta corrida (respeta la afinidad de CPU del proceso)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover — plataformas sin sched_getaffinity
        return max(1, os.cpu_count() or 1)


def numero_procesos(tareas: int, minimo: int = 1, pedidos: int | None = None) -> int:
    """Cuántos procesos usar para `tareas` trabajos; 1 si no vale la pena o no hay «fork».

    Con menos de `minimo` tareas, arrancar procesos cuesta más de lo que ahorra. `pedidos` fija el
    número (1: en este proceso).
    """
    if "fork" not in mp.get_all_start_methods():
        return 1
    if pedidos is None:
        if tareas < minimo:
            return 1
        pedidos = min(procesos_disponibles(), MAXIMO_PROCESOS)
    return max(1, min(pedidos, tareas))


def grupo(procesos: int) -> ProcessPoolExecutor:
    """Grupo de procesos hijos creados con «fork»."""
    return ProcessPoolExecutor(procesos, mp_context=mp.get_context("fork"))
