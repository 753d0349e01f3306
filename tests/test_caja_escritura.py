"""La caja de herramientas de libros de pipeline.escritura: formatos, tablas, altos e impresión."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from pipeline.escritura import (
    ALTO_LINEA,
    SEMAFORO,
    Formatos,
    alto_fila,
    ancho_columna,
    escritura_atomica,
    libro_xlsx,
    lineas_texto,
    preparar_impresion,
)
from pipeline.tabla_excel import Columna, anchos, escribir_tabla

FECHA = dt.datetime(2025, 6, 30)


def test_lineas_texto_cuenta_saltos_y_ajuste():
    assert lineas_texto("", 10) == 1
    assert lineas_texto("a" * 11, 10) == 1  # cabe: ~1,1 caracteres por unidad de ancho
    assert lineas_texto("a" * 12, 10) == 2
    assert lineas_texto("uno\ndos\ntres", 80) == 3


def test_formatos_uno_por_nombre_y_por_propiedades(tmp_path):
    with escritura_atomica(tmp_path / "f.xlsx") as temporal:
        libro = libro_xlsx(temporal, FECHA)
        f = Formatos(libro, {"propio": {"italic": True}})
        assert f["texto"] is f["texto"] and f["propio"] is f["propio"]
        assert f.de({"bold": True, "font_size": 9}) is f.de({"font_size": 9, "bold": True})
        libro.add_worksheet("x")
        libro.close()


def test_tabla_de_excel_con_anchos_altos_colores_e_impresion_en_carta(tmp_path):
    ruta = tmp_path / "t.xlsx"
    largo = "texto largo " * 20
    titulo = "Fecha de corte del cronograma más reciente"
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, FECHA)
        f = Formatos(libro)
        hoja = libro.add_worksheet("Datos")
        columnas = [
            Columna("Nombre", "nombre", "etiqueta", 10),
            Columna(titulo, "numero", "entero", 16),
            Columna("Nota", "nota", "texto", 30, semaforo="color"),
        ]
        datos = pd.DataFrame(
            {
                "nombre": ["a", "b"],
                "numero": [1, 2],
                "nota": [largo, "corto"],
                "color": ["Rojo", ""],
            }
        )
        anchos(hoja, columnas)
        siguiente = escribir_tabla(hoja, f, 2, columnas, datos, tabla="tabla")
        preparar_impresion(hoja, "Título & más", FECHA, filas_titulo=2)
        libro.close()
    assert siguiente == 2 + 1 + len(datos) + 2
    hoja = openpyxl.load_workbook(ruta)["Datos"]
    assert hoja.tables["tabla"].ref == "A3:C5"
    assert hoja.column_dimensions["C"].width == pytest.approx(30, abs=1)
    assert hoja.row_dimensions[3].height >= ALTO_LINEA * 2  # el encabezado largo crece
    assert hoja["B3"].alignment.wrap_text
    assert hoja.row_dimensions[4].height == ALTO_LINEA * lineas_texto(largo, 30)
    assert hoja.row_dimensions[5].height is None
    assert hoja["C4"].fill.fgColor.rgb.endswith(SEMAFORO["Rojo"][0].lstrip("#"))
    assert hoja["C5"].fill.fgColor.rgb in (None, "00000000")
    assert hoja["A4"].font.b and hoja["B4"].number_format == "#,##0"
    assert hoja.page_setup.orientation == "landscape" and hoja.page_setup.paperSize == 1
    assert "Corte: 30/06/2025" in hoja.oddHeader.right.text


def test_alto_fila_es_el_de_la_columna_con_mas_lineas():
    largo = "a" * 40  # 4 líneas en una columna de ancho 10, 1 en una de ancho 40
    assert alto_fila(["corto", largo], [10, 10]) == ALTO_LINEA * lineas_texto(largo, 10)
    assert alto_fila(["corto", largo], [10, 40]) == ALTO_LINEA
    assert alto_fila([], []) == ALTO_LINEA
    with pytest.raises(ValueError):
        alto_fila(["a", "b"], [10])  # un ancho por valor: un descuadre no pasa en silencio


def _libro_en_bufer() -> bytes:
    bufer = io.BytesIO()
    libro = libro_xlsx(
        bufer, FECHA, titulo="T", propiedades={"subject": "Asunto", "company": "Entidad"}
    )
    libro.add_worksheet("x").write_string(0, 0, "=1+1")
    libro.close()
    return bufer.getvalue()


def test_libro_en_bufer_reproducible_con_propiedades_y_texto_seguro():
    datos = _libro_en_bufer()
    assert datos == _libro_en_bufer()
    libro = openpyxl.load_workbook(io.BytesIO(datos))
    assert (libro.properties.title, libro.properties.subject) == ("T", "Asunto")
    assert libro.properties.created == FECHA
    assert libro["x"]["A1"].value == "=1+1" and libro["x"]["A1"].data_type == "s"


def test_ancho_columna_entre_minimo_y_maximo():
    assert ancho_columna(["abc"], "Nombre") == 8  # «Nombre» + 2, con mínimo 8
    assert ancho_columna(["x" * 30, None], "N") == 24  # tope por omisión
    assert ancho_columna(["x" * 30], "N", 60, minimo=12) == 32
    assert ancho_columna([], "N", minimo=12) == 12
