"""El camino rápido de las tablas grandes (pipeline/filas_xml.py) escribe lo mismo que xlsxwriter.

Cada prueba escribe la misma tabla celda a celda (xlsxwriter) y como XML al cerrar (filas_xml) y
compara lo que leen openpyxl y python-calamine: valores, tipos, formatos y altos de fila.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from pipeline import escritura, filas_xml
from pipeline.escritura import (
    Formatos,
    cerrar_libro,
    escribir_cuerpo,
    escritura_atomica,
    libro_xlsx,
)
from pipeline.tabla_excel import Columna, escribir_tabla

FECHA = dt.datetime(2025, 6, 30)
VALORES = [
    "texto simple",
    "a & b <c> > d",
    "uno\x01dos",
    "  con espacios  ",
    "=SUMA(A1:A2)",
    "",
    None,
    float("nan"),
    7,
    3.25,
    np.int64(12),
    np.float64(0.1),
    Decimal("2.50"),
    True,
    np.bool_(False),
    dt.date(2025, 3, 1),
    dt.datetime(2025, 3, 1, 18, 30),
    pd.Timestamp("2024-12-31"),
    pd.NaT,
    float("inf"),
    "ñandú — «Bogotá, D.C.»",
]


def _escribir(ruta, diferir: bool, monkeypatch) -> None:
    monkeypatch.setattr(escritura, "FILAS_DIFERIDAS", 1 if diferir else 10**9)
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, FECHA)
        formatos = Formatos(libro)
        hoja = libro.add_worksheet("Datos")
        hoja.write_string(0, 0, "Título", formatos["titulo"])
        # Una nota que xlsxwriter escribe en una fila del cuerpo, a la derecha de la tabla.
        hoja.write_string(3, 5, "Nota al margen", formatos["nota"])
        negrita = formatos.de({"bold": True, "num_format": "0.00"})
        columnas = [
            VALORES,
            list(range(len(VALORES))),
            [float(i) / 3 for i in range(len(VALORES))],
            [f"fila {i}" if i % 2 else None for i in range(len(VALORES))],
        ]
        por_fila = [negrita if i % 3 == 0 else formatos["texto"] for i in range(len(VALORES))]
        altos = [30.0 if i == 2 else None for i in range(len(VALORES))]
        escribir_cuerpo(
            hoja,
            formatos,
            2,
            1,
            columnas,
            [formatos["texto"], formatos["entero"], por_fila, None],
            altos,
        )
        hoja.write_string(len(VALORES) + 4, 0, "Al final", formatos["nota"])
        cerrar_libro(libro, formatos, temporal)


def _celdas_openpyxl(ruta):
    hoja = openpyxl.load_workbook(ruta)["Datos"]
    celdas = {}
    for fila in hoja.iter_rows():
        for c in fila:
            if c.value is None and not c.has_style:
                continue
            celdas[c.coordinate] = (
                c.value,
                c.data_type,
                c.number_format,
                bool(c.font.b),
                c.font.color.rgb if c.font.color is not None else None,
            )
    altos = {r: d.height for r, d in hoja.row_dimensions.items() if d.height}
    return celdas, altos, hoja.dimensions


@pytest.mark.parametrize("bloque", [filas_xml.BLOQUE, 7])  # 7: la hoja se escribe en 3 partes
def test_el_cuerpo_en_xml_se_lee_igual_que_el_de_xlsxwriter(tmp_path, monkeypatch, bloque):
    monkeypatch.setattr(filas_xml, "BLOQUE", bloque)
    _escribir(tmp_path / "xlsxwriter.xlsx", False, monkeypatch)
    _escribir(tmp_path / "xml.xlsx", True, monkeypatch)
    esperado = _celdas_openpyxl(tmp_path / "xlsxwriter.xlsx")
    obtenido = _celdas_openpyxl(tmp_path / "xml.xlsx")
    assert obtenido[0] == esperado[0]
    assert obtenido[1] == esperado[1] == {5: 30.0}
    assert obtenido[2] == esperado[2]
    a = CalamineWorkbook.from_path(str(tmp_path / "xlsxwriter.xlsx")).get_sheet_by_name("Datos")
    b = CalamineWorkbook.from_path(str(tmp_path / "xml.xlsx")).get_sheet_by_name("Datos")
    assert b.to_python() == a.to_python()


def test_el_texto_nunca_se_vuelve_formula_ni_pierde_caracteres(tmp_path, monkeypatch):
    _escribir(tmp_path / "xml.xlsx", True, monkeypatch)
    hoja = openpyxl.load_workbook(tmp_path / "xml.xlsx")["Datos"]
    columna = {hoja.cell(3 + i, 2).value: hoja.cell(3 + i, 2).data_type for i in range(5)}
    assert columna["=SUMA(A1:A2)"] == "s"
    assert "a & b <c> > d" in columna
    assert "  con espacios  " in columna
    assert hoja["F4"].value == "Nota al margen"  # la celda de xlsxwriter en una fila del cuerpo
    assert hoja.cell(len(VALORES) + 5, 1).value == "Al final"


def test_mismos_datos_mismos_bytes(tmp_path, monkeypatch):
    _escribir(tmp_path / "a.xlsx", True, monkeypatch)
    _escribir(tmp_path / "b.xlsx", True, monkeypatch)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


@pytest.mark.parametrize("filas", [0, 1, escritura.FILAS_DIFERIDAS + 5])
def test_la_tabla_de_excel_cubre_todas_sus_filas(tmp_path, filas):
    ruta = tmp_path / "tabla.xlsx"
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, FECHA)
        formatos = Formatos(libro)
        hoja = libro.add_worksheet("Archivos")
        datos = pd.DataFrame(
            {"ruta": [f"archivo_{i}.xlsx" for i in range(filas)], "filas": list(range(filas))}
        )
        columnas = [Columna("Ruta", "ruta"), Columna("Filas", "filas", "entero")]
        escribir_tabla(hoja, formatos, 0, columnas, datos, tabla="tabla")
        cerrar_libro(libro, formatos, temporal)
    hoja = openpyxl.load_workbook(ruta)["Archivos"]
    assert hoja.tables["tabla"].ref == f"A1:B{max(filas, 1) + 1}"
    leidas = [[c.value for c in fila] for fila in hoja.iter_rows(min_row=2)]
    esperadas = [[r, i] for i, r in enumerate(datos["ruta"])]
    assert [f for f in leidas if any(v is not None for v in f)] == esperadas
