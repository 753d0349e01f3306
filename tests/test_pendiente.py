"""Trabajos en un proceso hijo mientras sigue la corrida (las devoluciones durante los informes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.paralelo import Pendiente


def _escribir(ruta: Path, texto: str) -> list[Path]:
    ruta.write_text(texto, encoding="utf-8")
    return [ruta]


def _sin_espacio(_ruta: Path) -> None:
    raise OSError("No queda espacio en el disco")


def _falla(_ruta: Path) -> None:
    raise ValueError("algo raro")


def test_devuelve_lo_que_dio_el_hijo_y_el_trabajo_queda_hecho(tmp_path):
    pendiente = Pendiente(_escribir, tmp_path / "a.txt", "hola")
    assert pendiente.resultado() == [tmp_path / "a.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "hola"
    assert pendiente.resultado() == [tmp_path / "a.txt"]  # se puede pedir otra vez


def test_los_fallos_del_hijo_llegan_al_padre(tmp_path):
    with pytest.raises(OSError, match="No queda espacio"):
        Pendiente(_sin_espacio, tmp_path).resultado()
    with pytest.raises(RuntimeError, match="ValueError: algo raro"):
        Pendiente(_falla, tmp_path).resultado()
