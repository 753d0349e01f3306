"""Cuántos procesos usa una corrida."""

import os
import time

import pytest

from pipeline import paralelo


def test_pocas_tareas_corren_en_este_proceso(monkeypatch):
    monkeypatch.setattr(paralelo, "procesos_disponibles", lambda: 4)
    assert paralelo.numero_procesos(3, minimo=8) == 1
    assert paralelo.numero_procesos(100, minimo=8) == 4
    assert paralelo.numero_procesos(2, minimo=1) == 2  # nunca más procesos que tareas


def test_pedidos_y_tope(monkeypatch):
    monkeypatch.setattr(paralelo, "procesos_disponibles", lambda: 64)
    assert paralelo.numero_procesos(1000) == paralelo.MAXIMO_PROCESOS
    assert paralelo.numero_procesos(1000, pedidos=1) == 1
    assert paralelo.numero_procesos(5, minimo=100, pedidos=3) == 3


def test_sin_fork_todo_en_este_proceso(monkeypatch):
    monkeypatch.setattr(paralelo.mp, "get_all_start_methods", lambda: ["spawn"])
    assert paralelo.numero_procesos(1000, pedidos=4) == 1


def test_el_grupo_ejecuta_en_procesos_hijos():
    with paralelo.grupo(2) as grupo:
        assert sorted(grupo.map(abs, [-1, -2, 3])) == [1, 2, 3]


def _tarea(x: int) -> int:
    if x == 2:
        bytearray(1024 * 2**20)  # más que el tope: MemoryError dentro del proceso
    if x == 4:
        os._exit(3)  # el proceso muere
    if x == 6:
        time.sleep(30)  # se pasa del tiempo
    return x * 10


@pytest.mark.skipif(not paralelo.hay_fork(), reason="sin «fork» no hay procesos aislados")
def test_repartir_aislado_sobrevive_a_cada_tarea_que_falla():
    resultados = list(paralelo.repartir_aislado(_tarea, range(8), 2, 128 * 2**20, 0.5))
    assert [r for i, r in enumerate(resultados) if i not in (2, 4, 6)] == [0, 10, 30, 50, 70]
    assert [resultados[i].motivo for i in (2, 4, 6)] == ["memoria", "fallo", "tiempo"]
