"""Reparto del trabajo en procesos: lectura de libros, devoluciones e informes (§9).

Solo con «fork»: los hijos heredan lo ya importado y los datos en memoria, y «spawn» volvería a
ejecutar `python -m pipeline` en cada hijo. Donde no hay «fork», todo corre en este proceso.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import multiprocessing as mp
import os
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

MAXIMO_PROCESOS = 8
T = TypeVar("T")
R = TypeVar("R")


def procesos_disponibles() -> int:
    """Núcleos que puede usar esta corrida (respeta la afinidad de CPU del proceso)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover — plataformas sin sched_getaffinity
        return max(1, os.cpu_count() or 1)


def hay_fork() -> bool:
    """Si esta plataforma puede crear procesos hijos con «fork»."""
    return "fork" in mp.get_all_start_methods()


def numero_procesos(tareas: int, minimo: int = 1, pedidos: int | None = None) -> int:
    """Cuántos procesos usar para `tareas` trabajos; 1 si no vale la pena o no hay «fork».

    Con menos de `minimo` tareas, arrancar procesos cuesta más de lo que ahorra. `pedidos` fija el
    número (1: en este proceso).
    """
    if not hay_fork():
        return 1
    if pedidos is None:
        if tareas < minimo:
            return 1
        pedidos = min(procesos_disponibles(), MAXIMO_PROCESOS)
    return max(1, min(pedidos, tareas))


@contextlib.contextmanager
def recolector_congelado() -> Iterator[None]:
    """Saca del recolector de basura los objetos que ya existen, mientras dura el bloque.

    Un hijo creado con «fork» dentro del bloque no los recorre nunca: no copia las páginas de los
    datos que heredó (memoria) ni pierde tiempo revisándolos una y otra vez.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
        if not hay_fork():
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
        with recolector_congelado():
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


@dataclass(frozen=True)
class Caida:
    """Un trabajo que no terminó: su proceso se quedó sin memoria, murió o se pasó del tiempo."""

    motivo: str  # "memoria", "tiempo" o "fallo"
    detalle: str  # técnico, para el registro (sin datos de las entradas)


EN_COLA = 2  # tareas enviadas a cada proceso: mientras el padre recibe una, el hijo ya lee otra


def repartir_aislado(
    funcion: Callable[[T], R],
    tareas: Sequence[T],
    procesos: int,
    memoria: int,
    segundos: float,
) -> Iterator[R | Caida]:
    """Aplica `funcion` a cada tarea en procesos con tope de memoria y tiempo; resultados en orden.

    Cada proceso atiende sus tareas de una en una y en orden, así que si muere (sin memoria: el tope
    de espacio de direcciones hace fallar la reserva, aun dentro de código en Rust) o se pasa de
    `segundos` con una, se sabe cuál fue: esa da `Caida`, el proceso se reemplaza y las que tenía en
    cola vuelven a repartirse. `memoria` son los bytes que cada proceso puede reservar además de lo
    que ya tenía al nacer.
    """
    contexto = mp.get_context("fork")
    pendientes = deque(range(len(tareas)))
    listos: dict[int, R | Caida] = {}
    trabajadores = [
        _Trabajador.arrancar(contexto, funcion, memoria) for _ in range(min(procesos, len(tareas)))
    ]
    siguiente = 0
    try:
        while siguiente < len(tareas):
            for trabajador in trabajadores:
                while len(trabajador.encargadas) < EN_COLA and pendientes:
                    indice = pendientes.popleft()
                    trabajador.encargar(indice, tareas[indice])
            _esperar(trabajadores, segundos)
            for i, trabajador in enumerate(trabajadores):
                listos.update(trabajador.recoger())
                caida = trabajador.caida(segundos)
                if caida is None:
                    continue
                indice, motivo = caida
                listos[indice] = motivo
                pendientes.extendleft(reversed(trabajador.encargadas))
                trabajador.terminar()
                trabajadores[i] = _Trabajador.arrancar(contexto, funcion, memoria)
            while siguiente in listos:
                yield listos.pop(siguiente)
                siguiente += 1
    finally:
        for trabajador in trabajadores:
            trabajador.terminar()


def _esperar(trabajadores: list[_Trabajador], segundos: float) -> None:
    ocupados = [t for t in trabajadores if t.encargadas]
    if not ocupados:
        return
    restante = min(t.inicio + segundos for t in ocupados) - time.monotonic()
    esperables = [t.conexion for t in ocupados] + [t.proceso.sentinel for t in ocupados]
    wait(esperables, timeout=max(0.0, restante))


@dataclass
class _Trabajador(Generic[R]):
    """Un proceso hijo que atiende por una tubería las tareas que se le encargan, en orden."""

    proceso: mp.process.BaseProcess
    conexion: Connection
    encargadas: deque[int] = field(default_factory=deque)
    inicio: float = 0.0  # cuándo empezó la primera tarea encargada

    @classmethod
    def arrancar(cls, contexto, funcion: Callable[[Any], R], memoria: int) -> _Trabajador[R]:
        propia, hija = contexto.Pipe()
        proceso = contexto.Process(target=_atender, args=(hija, propia, funcion, memoria))
        proceso.daemon = True
        with recolector_congelado():
            proceso.start()
        hija.close()
        return cls(proceso, propia)

    def encargar(self, indice: int, tarea: object) -> None:
        if not self.encargadas:
            self.inicio = time.monotonic()
        self.encargadas.append(indice)
        with contextlib.suppress(OSError):  # si ya murió, caida() lo reporta
            self.conexion.send(tarea)

    def recoger(self) -> dict[int, R]:
        """Los resultados que ya llegaron, por índice de tarea."""
        recibidos: dict[int, R] = {}
        with contextlib.suppress(EOFError, OSError):  # murió: caida() lo reporta
            while self.encargadas and self.conexion.poll():
                recibidos[self.encargadas.popleft()] = self.conexion.recv()
                self.inicio = time.monotonic()
        return recibidos

    def caida(self, segundos: float) -> tuple[int, Caida] | None:
        """(índice, Caida) de la tarea en curso si el proceso murió o se pasó del tiempo."""
        if not self.encargadas:
            return None
        vivo = self.proceso.is_alive()
        if vivo and time.monotonic() - self.inicio < segundos:
            return None
        indice = self.encargadas.popleft()
        if vivo:
            return indice, Caida("tiempo", f"más de {segundos:g} s; el proceso se detuvo")
        self.proceso.join(1)
        codigo = self.proceso.exitcode
        motivo = (
            "memoria" if codigo in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV) else "fallo"
        )
        return indice, Caida(motivo, f"el proceso de lectura terminó con código {codigo}")

    def terminar(self) -> None:
        """Cierra el proceso: lo deja salir si está libre, lo detiene si sigue ocupado."""
        if self.proceso.is_alive():
            if not self.encargadas:
                with contextlib.suppress(OSError):
                    self.conexion.send(None)
                self.proceso.join(2)
            if self.proceso.is_alive():
                self.proceso.kill()
                self.proceso.join()
        self.conexion.close()


def _atender(conexion: Connection, padre: Connection, funcion: Callable, memoria: int) -> None:
    padre.close()
    limitar_memoria(memoria)
    # Lo que escriba un lector al caer (p. ej. «memory allocation failed» de Rust, o el volcado de
    # faulthandler) no es para el usuario: la caída ya vuelve como Caida y su detalle va al registro.
    faulthandler.disable()
    with contextlib.suppress(OSError):
        nulo = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nulo, 2)
        os.close(nulo)
    while True:
        try:
            tarea = conexion.recv()
        except (EOFError, OSError):
            return
        if tarea is None:
            return
        try:
            resultado = funcion(tarea)
        except MemoryError:
            resultado = Caida("memoria", "MemoryError en el proceso de lectura")
        conexion.send(resultado)


def limitar_memoria(memoria: int) -> None:
    """Pone el tope de espacio de direcciones de este proceso en lo que ya usa más `memoria`."""
    try:
        with open("/proc/self/statm") as f:
            actual = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # pragma: no cover — sin /proc no hay tope
        return
    _blando, duro = resource.getrlimit(resource.RLIMIT_AS)
    tope = actual + memoria
    if duro != resource.RLIM_INFINITY:
        tope = min(tope, duro)
    resource.setrlimit(resource.RLIMIT_AS, (tope, duro))
