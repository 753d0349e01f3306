"""Los libros de informes usan la caja de herramientas de pipeline.escritura: paleta y altos."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from pipeline.escritura import (
    ALTO_LINEA,
    AZUL_OSCURO,
    GRIS_BORDE,
    SEMAFORO,
    Formatos,
    lineas_columna,
    lineas_texto,
)
from pipeline.informes.comun import (
    FILA_ENCABEZADO,
    Columna,
    Encabezado,
    hoja_tabla,
    libro_informe,
)

ENC = Encabezado(
    "Entidad de prueba", "Informe de prueba", "Primer trimestre 2025", dt.date(2025, 3, 31)
)
LARGO = "Una observación larga del equipo que no cabe en una sola línea de la columna. " * 3
COLUMNAS = (
    Columna("Nombre", "nombre", ancho=20),
    Columna("Observación con un encabezado bastante largo", "obs", ancho=12),
    Columna("Semáforo", "semaforo", "semaforo", ancho=10),
)


def _informe(tmp_path):
    ruta = tmp_path / "informe.xlsx"
    datos = pd.DataFrame(
        {"nombre": ["Uno", "Dos"], "obs": [LARGO, "corta"], "semaforo": ["Rojo", "Verde"]}
    )
    with libro_informe(ruta, dt.datetime(2025, 3, 31)) as (libro, estilos):
        hoja_tabla(libro, estilos, "Tabla", ENC, "Detalle", COLUMNAS, datos)
    return openpyxl.load_workbook(ruta)["Tabla"]


def _rgb(color) -> str:
    return "#" + color.rgb[-6:]


def test_los_informes_usan_el_azul_y_los_grises_de_la_paleta(tmp_path):
    hoja = _informe(tmp_path)
    assert _rgb(hoja["A1"].font.color) == AZUL_OSCURO  # entidad
    assert _rgb(hoja["A2"].font.color) == AZUL_OSCURO  # informe y periodo
    encabezado = hoja.cell(FILA_ENCABEZADO + 1, 1)
    assert encabezado.value == "Nombre"
    assert _rgb(encabezado.fill.fgColor) == AZUL_OSCURO
    dato = hoja.cell(FILA_ENCABEZADO + 2, 1)
    assert _rgb(dato.border.left.color) == GRIS_BORDE
    rojo = hoja.cell(FILA_ENCABEZADO + 2, 3)
    assert (_rgb(rojo.fill.fgColor), _rgb(rojo.font.color)) == SEMAFORO["Rojo"]


def test_los_altos_de_fila_salen_de_lineas_texto(tmp_path):
    hoja = _informe(tmp_path)
    assert lineas_texto(LARGO.strip(), 12) > 1
    alto_dato = hoja.row_dimensions[FILA_ENCABEZADO + 2].height
    assert alto_dato == ALTO_LINEA * lineas_texto(LARGO.strip(), 12)
    assert hoja.row_dimensions[FILA_ENCABEZADO + 3].height is None  # «corta»: una línea
    encabezado = hoja.row_dimensions[FILA_ENCABEZADO + 1].height
    lineas = lineas_texto(COLUMNAS[1].titulo, 10 / 1.15)
    assert encabezado == pytest.approx(ALTO_LINEA * lineas + 4, abs=0.5)  # xlsxwriter redondea


def test_estilos_es_la_cache_de_formatos_compartida(tmp_path):
    with libro_informe(tmp_path / "x.xlsx", dt.datetime(2025, 3, 31)) as (_libro, estilos):
        assert isinstance(estilos, Formatos)
        assert estilos["titulo"] is estilos["titulo"]
        assert estilos.formato("porcentaje", "Verde") is estilos.formato("porcentaje", "Verde")
        assert estilos.formato("texto") is not estilos.formato("texto", negrita=True)


def test_lineas_columna_es_lineas_texto_de_cada_celda():
    textos = pd.Series(
        ["", None, "a" * 11, "a" * 12, "uno\ndos\ntres", "x" * 200, "a\n" + "b" * 40]
    )
    esperadas = [lineas_texto(t, 10) for t in textos]
    assert lineas_columna(textos, 10).tolist() == esperadas
