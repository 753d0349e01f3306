"""Escritura segura: atómica, reproducible, texto que nunca se vuelve fórmula, destino fuera de entradas."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pipeline.escritura import (
    ErrorDestino,
    comprobar_destino,
    escribir_texto_atomico,
    escribir_valor,
    escritura_atomica,
    fecha_documento,
    libro_xlsx,
)

FECHA = dt.datetime(2025, 6, 30)


def _solo(carpeta):
    return sorted(p.name for p in carpeta.iterdir())


def test_escritura_atomica_reemplaza_y_no_deja_temporales(tmp_path):
    ruta = tmp_path / "a" / "b" / "salida.txt"
    with escritura_atomica(ruta) as temporal:
        assert temporal.parent == ruta.parent and temporal != ruta
        assert not ruta.exists()  # nadie ve la salida antes de terminar
        temporal.write_text("nuevo")
    assert ruta.read_text() == "nuevo"
    assert _solo(ruta.parent) == ["salida.txt"]


def test_fallo_a_mitad_conserva_la_version_anterior(tmp_path):
    ruta = tmp_path / "salida.xlsx"
    ruta.write_bytes(b"version anterior")
    with pytest.raises(RuntimeError), escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, FECHA)
        libro.add_worksheet("Hoja").write_string(0, 0, "a medias")
        libro.close()
        raise RuntimeError("falla simulada después de escribir")
    assert ruta.read_bytes() == b"version anterior"
    assert _solo(tmp_path) == ["salida.xlsx"]


def test_fallo_sin_version_anterior_no_deja_nada(tmp_path):
    with pytest.raises(KeyboardInterrupt), escritura_atomica(tmp_path / "x.csv") as temporal:
        temporal.write_text("parcial")
        raise KeyboardInterrupt
    assert _solo(tmp_path) == []


def test_permisos_normales_no_0600(tmp_path):
    ruta = escribir_texto_atomico(tmp_path / "x.csv", "a")
    anterior = os.umask(0)
    os.umask(anterior)
    assert ruta.stat().st_mode & 0o777 == 0o666 & ~anterior


def test_texto_atomico_con_bom_y_finales_de_linea(tmp_path):
    ruta = escribir_texto_atomico(tmp_path / "i.csv", "periodo,dirección\r\n2025,DGT\r\n")
    assert ruta.read_bytes() == "\ufeffperiodo,dirección\r\n2025,DGT\r\n".encode()
    otra = escribir_texto_atomico(tmp_path / "j.txt", "ñ", encoding="utf-8")
    assert otra.read_bytes() == "ñ".encode()


def test_fecha_documento_es_datetime_fijo():
    fecha = fecha_documento(dt.date(2025, 9, 30))
    assert type(fecha) is dt.datetime
    assert fecha == dt.datetime(2025, 9, 30, 0, 0)


def _libro(ruta):
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, FECHA)
        hoja = libro.add_worksheet("Datos")
        for i in range(50):
            escribir_valor(hoja, i, 0, f"fila {i}")
            escribir_valor(hoja, i, 1, dt.date(2025, 1, 1) + dt.timedelta(days=i))
        libro.close()
    return ruta.read_bytes()


def test_libro_reproducible(tmp_path):
    a = _libro(tmp_path / "a.xlsx")
    b = _libro(tmp_path / "b.xlsx")
    assert a == b
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.properties.created == FECHA and wb.properties.modified == FECHA


def test_libro_fecha_por_defecto_dd_mm_aaaa(tmp_path):
    _libro(tmp_path / "a.xlsx")
    celda = openpyxl.load_workbook(tmp_path / "a.xlsx")["Datos"]["B1"]
    assert celda.value == dt.datetime(2025, 1, 1)
    assert celda.number_format == "dd/mm/yyyy"


TEXTOS_PELIGROSOS = [
    '=HYPERLINK("http://x","y")',
    "+57 300 123 4567",
    "+573001234567",
    "@SUM(A1)",
    "-1",
    "1234567890",
    "0012",
    "http://ejemplo.gov.co",
    "mailto:ana@correo.com",
    "#N/A",
    "=1+1",
]


def _escribir_y_leer(tmp_path, valores, generico=False):
    ruta = tmp_path / "valores.xlsx"
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, FECHA)
        hoja = libro.add_worksheet("V")
        for i, valor in enumerate(valores):
            if generico:
                hoja.write(i, 0, valor)  # lo que haría otro módulo con write(): tampoco convierte
            else:
                escribir_valor(hoja, i, 0, valor)
        libro.close()
    with zipfile.ZipFile(ruta) as z:
        assert "xl/externalLinks" not in " ".join(z.namelist())
    hoja = openpyxl.load_workbook(ruta)["V"]
    return [hoja.cell(i + 1, 1) for i in range(len(valores))]


@pytest.mark.parametrize("generico", [False, True])
def test_texto_siempre_como_texto(tmp_path, generico):
    celdas = _escribir_y_leer(tmp_path, TEXTOS_PELIGROSOS, generico)
    for valor, celda in zip(TEXTOS_PELIGROSOS, celdas, strict=True):
        assert celda.data_type == "s", valor
        assert celda.value == valor
        assert celda.hyperlink is None


def test_tipos_de_valor(tmp_path):
    valores = [
        3,
        2.5,
        np.int64(7),
        np.float64(1.25),
        Decimal("4.5"),
        True,
        np.bool_(False),
        dt.date(2025, 3, 15),
        dt.datetime(2025, 3, 15, 10, 30),
        pd.Timestamp("2025-03-16"),
        np.datetime64("2025-03-17"),
        None,
        float("nan"),
        pd.NA,
        pd.NaT,
        float("inf"),
    ]
    celdas = _escribir_y_leer(tmp_path, valores)
    assert [c.value for c in celdas[:5]] == [3, 2.5, 7, 1.25, 4.5]
    assert all(c.data_type == "n" for c in celdas[:5])
    assert [c.value for c in celdas[5:7]] == [True, False]
    assert all(c.data_type == "b" for c in celdas[5:7])
    assert [c.value for c in celdas[7:11]] == [
        dt.datetime(2025, 3, 15),
        dt.datetime(2025, 3, 15, 10, 30),
        dt.datetime(2025, 3, 16),
        dt.datetime(2025, 3, 17),
    ]
    assert all(c.value is None for c in celdas[11:])


def test_comprobar_destino_rechaza_salidas_dentro_de_entradas(tmp_path):
    entradas = tmp_path / "entradas"
    entradas.mkdir()
    for malo in (entradas, entradas / "salidas", entradas / "2025" / "x"):
        with pytest.raises(ErrorDestino, match="dentro de la carpeta de entradas"):
            comprobar_destino(malo, entradas)
    # Con «..» o enlaces: se compara la ruta real.
    with pytest.raises(ErrorDestino):
        comprobar_destino(tmp_path / "otra" / ".." / "entradas" / "s", entradas)
    enlace = tmp_path / "enlace"
    enlace.symlink_to(entradas, target_is_directory=True)
    with pytest.raises(ErrorDestino):
        comprobar_destino(enlace / "salidas", entradas)


def test_comprobar_destino_acepta_carpetas_hermanas(tmp_path):
    entradas = tmp_path / "entradas"
    entradas.mkdir()
    comprobar_destino(tmp_path / "salidas", entradas)
    comprobar_destino(tmp_path / "entradas_2", entradas)  # prefijo de texto, no de carpeta
    comprobar_destino(tmp_path, entradas, vigencia="2025")


def test_comprobar_destino_con_vigencia(tmp_path):
    # salidas/<vigencia>/ sería la carpeta de entradas misma.
    entradas = tmp_path / "datos" / "2025"
    entradas.mkdir(parents=True)
    comprobar_destino(tmp_path / "datos", entradas)
    with pytest.raises(ErrorDestino):
        comprobar_destino(tmp_path / "datos", entradas, vigencia="2025")
