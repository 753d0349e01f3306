"""Reparto del trabajo en procesos: lectura de libros, devoluciones e informes (§9).

Solo con «fork»: los hijos heredan lo ya importado y los datos en memoria, y «spawn» volvería a
ejecutar `python -m pipeline` en cada hijo. Donde no hay «fork», todo corre en este proceso.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
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


class Pendiente:
    """Un trabajo que corre en un proceso hijo («fork», sin copiar datos) mientras sigue la corrida.

    Sin «fork», el trabajo se hace al crearlo, en este proceso. `resultado()` espera y devuelve lo
    que dio la función, o lanza de nuevo su OSError (disco lleno, permisos…) o un RuntimeError.
    """

    def __init__(self, funcion, *args) -> None:
        self._hecho, self._valor, self._proceso = False, None, None
        if "fork" not in mp.get_all_start_methods():
            self._valor, self._hecho = funcion(*args), True
            return
        # Lo que esté en los búferes de salida se escribiría dos veces si el hijo lo hereda.
        sys.stdout.flush()
        sys.stderr.flush()
        contexto = mp.get_context("fork")
        self._lector, escritor = contexto.Pipe(duplex=False)
        self._proceso = contexto.Process(
            target=_correr_en_hijo, args=(funcion, args, escritor), daemon=True
        )
        self._proceso.start()
        escritor.close()

    def resultado(self):
        """Espera a que termine el trabajo y devuelve su resultado."""
        if not self._hecho:
            try:
                estado, valor = self._lector.recv()
            except EOFError:
                estado, valor = "error", "el proceso hijo terminó sin responder"
            finally:
                self._proceso.join()
                self._lector.close()
            self._hecho = True
            if estado == "oserror":
                raise OSError(valor)
            if estado == "error":
                raise RuntimeError(valor)
            self._valor = valor
        return self._valor


def _correr_en_hijo(funcion, args, escritor) -> None:
    try:
        escritor.send(("ok", funcion(*args)))
    except OSError as exc:
        escritor.send(("oserror", str(exc)))
    except BaseException as exc:  # noqa: BLE001 — el padre decide qué hacer con el fallo
        escritor.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        escritor.close()
