"""Plantillas como formatos controlados (§4.7): encabezado de control, impresión, Firma y Formulario."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from libros import PNG_MINIMO
from openpyxl.cell.cell import MergedCell

from esquemas import PLANTILLAS, Plantilla
from pipeline.archivos import Entrada
from pipeline.configuracion import desde_dict
from pipeline.lectura import HOJA_MARCA, PRODUCTO, leer
from pipeline.plantillas import escribir_plantilla

BASE = {
    "entidad": "Alcaldía de Prueba & Cía",
    "direcciones": [{"codigo": "DGT", "nombre": "Dirección de Gobierno", "temas": ["PISCC"]}],
}
CONTROL = {"codigo": "GPD-F-07", "version": "4", "fecha": dt.date(2025, 1, 15)}


def _generar(tmp_path: Path, tipo: str, formatos: dict | None = None) -> Path:
    config = desde_dict({**BASE, **({"formatos": formatos} if formatos else {})})
    ruta = tmp_path / "2025" / "DGT" / PLANTILLAS[tipo].archivo
    ruta.parent.mkdir(parents=True, exist_ok=True)
    escribir_plantilla(PLANTILLAS[tipo], config, ruta)
    return ruta


def _textos_control(hoja) -> list[str]:
    filas = hoja.iter_rows(max_row=Plantilla.FILAS_CONTROL, values_only=True)
    return [v for fila in filas for v in fila if isinstance(v, str)]


def _leer(ruta: Path):
    return leer(Entrada(ruta, f"2025/DGT/{ruta.name}", "2025", "DGT"))


@pytest.mark.parametrize("tipo", list(PLANTILLAS))
def test_encabezado_de_control_desde_la_configuracion(tmp_path, tipo):
    archivo = Path(PLANTILLAS[tipo].archivo).stem
    ruta = _generar(tmp_path, tipo, {archivo: CONTROL})
    hoja = openpyxl.load_workbook(ruta)[PLANTILLAS[tipo].hoja]
    textos = _textos_control(hoja)
    assert BASE["entidad"] in textos and PLANTILLAS[tipo].titulo.upper() in textos
    assert {"Código: GPD-F-07", "Versión: 4", "Fecha: 15/01/2025"} <= set(textos)
    for impresa in (hoja, openpyxl.load_workbook(ruta)["Instrucciones"]):
        pie = impresa.oddFooter
        assert "Código: GPD-F-07" in pie.left.text and "Versión: 4" in pie.left.text
        assert pie.right.text == "Página &P de &N"
        assert impresa.page_setup.paperSize == 1


def test_sin_formatos_las_casillas_quedan_en_blanco(tmp_path):
    hoja = openpyxl.load_workbook(_generar(tmp_path, "plan"))["Plan"]
    assert {"Código:", "Versión:", "Fecha:"} <= set(_textos_control(hoja))
    assert hoja.oddFooter.right.text == "Página &P de &N"


def test_un_ampersand_del_codigo_se_imprime_como_texto(tmp_path):
    ruta = _generar(tmp_path, "compromisos", {"compromisos": {"codigo": "A&B-01"}})
    pie = openpyxl.load_workbook(ruta)["Compromisos"].oddFooter
    assert "Código: A&&B-01" in pie.left.text  # «&&» es un «&» impreso, no un código de Excel


def test_logo_en_el_area_del_encabezado(tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG_MINIMO)
    ruta = _generar(tmp_path, "asistencia")
    sin_logo = zipfile.ZipFile(ruta).namelist()
    assert not [n for n in sin_logo if n.startswith("xl/media/")]
    ruta = _generar(tmp_path, "asistencia", {"logo": str(tmp_path / "logo.png")})
    medios = [n for n in zipfile.ZipFile(ruta).namelist() if n.startswith("xl/media/")]
    assert medios == ["xl/media/image1.png"]
    assert [p.codigo for p in _leer(ruta).problemas] == ["SIN_REGISTROS"]


@pytest.mark.parametrize("tipo", list(PLANTILLAS))
def test_el_encabezado_de_control_nunca_se_lee_como_dato(tmp_path, tipo):
    plantilla = PLANTILLAS[tipo]
    # Un código de formato igual a una etiqueta de ficha o de columna tampoco se confunde.
    control = {"codigo": plantilla.columnas[0].etiqueta, "version": "Vigencia"}
    ruta = _generar(tmp_path, tipo, {Path(plantilla.archivo).stem: control})
    libro = openpyxl.load_workbook(ruta)
    hoja = libro[plantilla.hoja]
    hoja.cell(plantilla.fila_ficha("vigencia"), 2, 2025)
    libro.save(ruta)
    leido = _leer(ruta)
    assert leido.ficha["vigencia"] == 2025
    assert leido.ficha["entidad"] == BASE["entidad"]
    assert leido.celdas_ficha["vigencia"] == f"B{plantilla.fila_ficha('vigencia')}"
    assert leido.datos.empty
    assert [p.codigo for p in leido.problemas if p.codigo != "SIN_REGISTROS"] == []


def test_un_libro_v1_sin_encabezado_de_control_se_sigue_leyendo(tmp_path):
    """La disposición de la versión 1: título en la fila 1, ficha desde la fila 3."""
    plantilla = PLANTILLAS["cronograma"]
    ruta = tmp_path / "v1.xlsx"
    libro = xlsxwriter.Workbook(ruta)
    hoja = libro.add_worksheet(plantilla.hoja)
    hoja.write_string(0, 0, "Cronograma de actividades — Entidad")
    valores = {"direccion": "DGT", "vigencia": 2025, "responsable": "Ana", "entidad": "E"}
    for i, campo in enumerate(plantilla.ficha):
        hoja.write_string(2 + i, 0, campo.etiqueta)
        if campo.nombre in valores:
            hoja.write(2 + i, 1, valores[campo.nombre])
    encabezado = 2 + len(plantilla.ficha) + 1
    hoja.write_row(encabezado, 0, [c.etiqueta for c in plantilla.columnas])
    hoja.write_row(encabezado + 1, 0, ["DGT-2025-001-01", "DGT-2025-001", "Taller"])
    marca = libro.add_worksheet(HOJA_MARCA)
    for fila, par in enumerate(
        (("producto", PRODUCTO), ("tipo", "cronograma"), ("versión", "1.0"))
    ):
        marca.write_row(fila, 0, par)
    libro.close()
    leido = _leer(ruta)
    assert leido.celdas_ficha["direccion"] == "B4"
    assert list(leido.datos.index) == [encabezado + 2]
    assert leido.datos.loc[encabezado + 2, "id_actividad"] == "DGT-2025-001-01"
    assert not [p for p in leido.problemas if p.es_error and p.codigo != "FICHA_FALTANTE"]


def test_la_firma_se_imprime_pero_nunca_se_lee(tmp_path):
    plantilla = PLANTILLAS["asistencia"]
    ruta = _generar(tmp_path, "asistencia")
    libro = openpyxl.load_workbook(ruta)
    hoja = libro[plantilla.hoja]
    columna_firma = len(plantilla.columnas) + 1
    assert hoja.cell(plantilla.fila_encabezado, columna_firma).value == "Firma"
    primera = plantilla.primera_fila_datos
    valores = ["Ana Ruiz", "CC", "1085123456", "Alcaldía de Pasto"]
    for j, valor in enumerate(valores, start=1):
        hoja.cell(primera, j, valor)
    hoja.cell(primera, plantilla.indice_columna("autoriza_datos") + 1, "Sí")
    hoja.cell(primera, columna_firma, "Ana R.")
    hoja.cell(primera + 1, columna_firma, "firma sin datos")  # solo la firma: no es un registro
    libro.save(ruta)
    leido = _leer(ruta)
    assert "COLUMNA_DESCONOCIDA" not in [p.codigo for p in leido.problemas]
    assert list(leido.datos.index) == [primera]
    assert "Ana R." not in leido.datos.astype(str).to_numpy().ravel()


def test_la_autorizacion_de_la_ley_1581_nombra_la_entidad(tmp_path):
    plantilla = PLANTILLAS["asistencia"]
    hoja = openpyxl.load_workbook(_generar(tmp_path, "asistencia"))[plantilla.hoja]
    aviso = hoja.cell(plantilla.fila_aviso, 1).value
    assert "Ley 1581 de 2012" in aviso and BASE["entidad"] in aviso
    assert "Autoriza tratamiento de datos" in aviso


@pytest.mark.parametrize("tipo", list(PLANTILLAS))
def test_impresion_en_carta_y_una_pagina_de_filas_con_formato(tmp_path, tipo):
    """La plantilla vacía imprime una página: solo tienen formato las filas de la primera página."""
    plantilla = PLANTILLAS[tipo]
    hoja = openpyxl.load_workbook(_generar(tmp_path, tipo))[plantilla.hoja]
    assert hoja.page_setup.paperSize == 1 and hoja.page_setup.orientation == "landscape"
    fila = plantilla.fila_encabezado
    assert hoja.print_title_rows == f"${fila}:${fila}"
    assert not hoja.print_area  # se imprime lo usado, no cientos de filas vacías
    assert hoja.max_row == plantilla.primera_fila_datos + plantilla.filas_pagina - 1
    assert hoja.max_column == plantilla.total_columnas


def test_la_lista_tiene_filas_para_firmar_20_personas(tmp_path):
    plantilla = PLANTILLAS["asistencia"]
    hoja = openpyxl.load_workbook(_generar(tmp_path, "asistencia"))[plantilla.hoja]
    assert plantilla.filas_pagina >= 20
    alturas = [
        hoja.row_dimensions[plantilla.primera_fila_datos + i].height
        for i in range(plantilla.filas_pagina)
    ]
    assert min(alturas) >= 30


@pytest.mark.parametrize("tipo", list(PLANTILLAS))
def test_las_celdas_de_la_primera_pagina_difieren_del_formato_de_su_columna(tmp_path, tipo):
    """LibreOffice no imprime una celda vacía con el mismo formato que su columna: sin esta
    diferencia, la lista vacía que se imprime para firmar saldría sin filas."""
    plantilla = PLANTILLAS[tipo]
    with zipfile.ZipFile(_generar(tmp_path, tipo)) as z:
        hoja = z.read("xl/worksheets/sheet1.xml").decode()
    de_columna = {
        j: estilo
        for desde, hasta, estilo in re.findall(
            r'<col min="(\d+)" max="(\d+)"[^>]* style="(\d+)"', hoja
        )
        for j in range(int(desde), int(hasta) + 1)
    }
    fila = plantilla.primera_fila_datos
    celdas = re.findall(rf'<c r="([A-Z]+){fila}" s="(\d+)"', hoja)
    assert len(celdas) == plantilla.total_columnas
    for j, (_letra, estilo) in enumerate(celdas, start=1):
        assert estilo != de_columna[j], (tipo, j)


def test_formulario_de_evaluacion_imprimible_y_nunca_leido(tmp_path):
    plantilla = PLANTILLAS["evaluacion"]
    ruta = _generar(tmp_path, "evaluacion", {"evaluacion": CONTROL})
    libro = openpyxl.load_workbook(ruta)
    formulario = libro["Formulario"]
    textos = [v for fila in formulario.iter_rows(values_only=True) for v in fila if v]
    for campo in plantilla.columnas[:-1]:
        assert any(isinstance(t, str) and campo.etiqueta in t for t in textos), campo.etiqueta
    assert any("1 = Muy malo" in str(t) and "5 = Excelente" in str(t) for t in textos)
    assert "Observaciones y sugerencias:" in textos
    assert formulario.page_setup.orientation == "portrait" and formulario.page_setup.paperSize == 1
    assert formulario.sheet_properties.pageSetUpPr.fitToPage
    assert formulario.page_setup.fitToWidth in (None, 1)  # 1 es el valor por defecto
    assert formulario.page_setup.fitToHeight in (None, 1)
    assert formulario.print_area
    # Marcas en el formulario impreso no son respuestas: la hoja Evaluación sigue vacía.
    casillas = [
        c
        for fila in formulario.iter_rows(min_row=10, max_row=25, min_col=3, max_col=7)
        for c in fila
        if not isinstance(c, MergedCell)
    ]
    assert len(casillas) >= 30
    for casilla in casillas:
        casilla.value = 5
    libro.save(ruta)
    leido = _leer(ruta)
    assert leido.hoja == "Evaluación" and leido.datos.empty
    assert [p.codigo for p in leido.problemas] == ["SIN_REGISTROS"]
