"""El parche del paquete OOXML: libros escritos a mano con las formas raras que admite el formato."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest

from pipeline.copia_anotada import (
    COLOR_ERROR,
    HOJA_ERRORES,
    CeldaNueva,
    HojaNueva,
    LibroNoAnotable,
    Marca,
    anotar,
)

SELLO = (2025, 6, 30, 0, 0, 0)
NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _paquete(hoja_xml: str, extra: dict[str, str] | None = None, rels_hoja: str = "") -> bytes:
    """Un libro mínimo con prefijo `x:` (como lo escriben algunas herramientas)."""
    partes = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f"<x:workbook {NS} {NS_R}><x:sheets>"
            '<x:sheet name="Datos" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f"<x:styleSheet {NS}>"
            '<x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></x:numFmts>'
            '<x:fonts count="1"><x:font><x:sz val="11"/><x:name val="Calibri"/></x:font></x:fonts>'
            '<x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill>'
            '<x:fill><x:patternFill patternType="gray125"/></x:fill></x:fills>'
            '<x:borders count="1"><x:border/></x:borders>'
            '<x:cellStyleXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></x:cellStyleXfs>'
            '<x:cellXfs count="2"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<x:xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyProtection="1">'
            '<x:protection locked="0"/></x:xf></x:cellXfs>'
            '<x:cellStyles count="1"><x:cellStyle name="Normal" xfId="0" builtinId="0"/></x:cellStyles>'
            "</x:styleSheet>"
        ),
        "xl/worksheets/sheet1.xml": hoja_xml,
        **(extra or {}),
    }
    if rels_hoja:
        partes["xl/worksheets/_rels/sheet1.xml.rels"] = rels_hoja
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w") as z:
        for nombre, texto in partes.items():
            z.writestr(nombre, texto)
    return memoria.getvalue()


def _anotar(contenido: bytes, marcas: dict[str, dict[str, Marca]]) -> bytes:
    hoja = HojaNueva(
        [[CeldaNueva("Revisión", "titulo")], [CeldaNueva("Hoja", "encabezado")]], (20,)
    )
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino:
        anotar(io.BytesIO(contenido), destino, marcas, hoja, SELLO)
    return salida.getvalue()


FILAS = (
    '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>ID</x:t></x:is></x:c></x:row>'
    '<x:row r="3"><x:c r="A3" s="1"><x:v>45000</x:v></x:c><x:c r="D3"><x:v>7</x:v></x:c></x:row>'
)


def test_celdas_existentes_faltantes_y_filas_nuevas_con_prefijo():
    hoja = (
        f'<x:worksheet {NS}><x:sheetViews><x:sheetView tabSelected="1" workbookViewId="0"/>'
        f"</x:sheetViews><x:sheetData>{FILAS}</x:sheetData>"
        '<x:tableParts count="0"/></x:worksheet>'
    )
    marcas = {
        "Datos": {
            "A3": Marca(True, "fecha"),  # existe, con estilo propio (fecha desbloqueada)
            "C3": Marca(False, "falta en la fila"),  # la fila existe, la celda no
            "B2": Marca(True, "fila que no existe"),
            "E9": Marca(True, "después de la última fila"),
        }
    }
    copia = _anotar(_paquete(hoja), marcas)
    wb = openpyxl.load_workbook(io.BytesIO(copia))
    assert wb.sheetnames == [HOJA_ERRORES, "Datos"]
    datos = wb["Datos"]
    assert datos["A3"].value.date().isoformat() == "2023-03-15"  # 45000 con formato de fecha
    assert datos["A3"].number_format == "dd/mm/yyyy" and datos["A3"].protection.locked is False
    assert datos["D3"].value == 7 and datos["A1"].value == "ID"
    for ref in ("A3", "B2", "E9"):
        assert datos[ref].fill.fgColor.rgb == COLOR_ERROR, ref
    assert datos["C3"].fill.fgColor.rgb != COLOR_ERROR
    assert {ref: datos[ref].comment.text for ref in ("A3", "C3", "B2", "E9")} == {
        "A3": "fecha",
        "C3": "falta en la fila",
        "B2": "fila que no existe",
        "E9": "después de la última fila",
    }
    with zipfile.ZipFile(io.BytesIO(copia)) as z:
        texto = z.read("xl/worksheets/sheet1.xml").decode()
    # El dibujo de los comentarios va antes de tableParts (el orden del esquema) y la hoja de datos
    # ya no queda seleccionada junto con Errores.
    assert texto.index("legacyDrawing") < texto.index("tableParts")
    assert 'tabSelected="1"' not in texto


def test_hoja_sin_filas():
    hoja = f"<x:worksheet {NS}><x:sheetData/></x:worksheet>"
    copia = _anotar(_paquete(hoja), {"Datos": {"B4": Marca(True, "vacía")}})
    datos = openpyxl.load_workbook(io.BytesIO(copia))["Datos"]
    assert datos["B4"].fill.fgColor.rgb == COLOR_ERROR and datos["B4"].comment.text == "vacía"


def test_hoja_o_celda_inexistente_no_rompe_la_copia():
    hoja = f"<x:worksheet {NS}><x:sheetData>{FILAS}</x:sheetData></x:worksheet>"
    copia = _anotar(_paquete(hoja), {"Otra": {"A1": Marca(True, "x")}})
    assert openpyxl.load_workbook(io.BytesIO(copia)).sheetnames == [HOJA_ERRORES, "Datos"]


def test_paquete_que_no_es_libro():
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w") as z:
        z.writestr("hola.txt", "no soy un libro")
    with pytest.raises(LibroNoAnotable):
        _anotar(memoria.getvalue(), {})


def test_partes_no_tocadas_se_copian_byte_a_byte():
    hoja = f"<x:worksheet {NS}><x:sheetData>{FILAS}</x:sheetData></x:worksheet>"
    extra = {"xl/media/image1.png": "\x89PNG datos de la imagen", "customXml/item1.xml": "<a/>"}
    original = _paquete(hoja, extra)
    copia = _anotar(original, {"Datos": {"A1": Marca(False, "x")}})
    with zipfile.ZipFile(io.BytesIO(original)) as a, zipfile.ZipFile(io.BytesIO(copia)) as b:
        for nombre in extra:
            assert a.read(nombre) == b.read(nombre)


def test_hoja_enorme_en_memoria_acotada(tmp_path):
    # Una hoja de ~3 MB descomprimida (un libro hostil) se recorre en flujo: la memoria no crece
    # con ella, y la copia se escribe en disco, no en memoria.
    n = 4_000
    original = tmp_path / "grande.xlsx"
    with zipfile.ZipFile(io.BytesIO(_paquete("<x:worksheet/>"))) as base:
        partes = {i.filename: base.read(i) for i in base.infolist()}
    with zipfile.ZipFile(original, "w", zipfile.ZIP_DEFLATED) as z:
        for nombre, datos in partes.items():
            if nombre != "xl/worksheets/sheet1.xml":
                z.writestr(nombre, datos)
        with z.open("xl/worksheets/sheet1.xml", "w") as hoja:
            hoja.write(f"<x:worksheet {NS}><x:sheetData>".encode())
            celdas = b"".join(b"<x:c><x:v>%d</x:v></x:c>" % j for j in range(2, 80))
            for i in range(1, n + 1):
                hoja.write(b'<x:row r="%d"><x:c r="A%d"><x:v>%d</x:v></x:c>' % (i, i, i))
                hoja.write(celdas + b"</x:row>")
            hoja.write(b"</x:sheetData></x:worksheet>")
    marcas = {"Datos": {"A3000": Marca(True, "aquí"), "B6000": Marca(False, "al final")}}
    hoja_errores = HojaNueva([[CeldaNueva("Revisión")]], (20,))
    tracemalloc.start()
    with (
        open(original, "rb") as origen,
        zipfile.ZipFile(tmp_path / "copia.xlsx", "w", zipfile.ZIP_DEFLATED) as destino,
    ):
        anotar(origen, destino, marcas, hoja_errores, SELLO)
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert pico < 2 * 2**20  # la hoja descomprimida ocupa ~3 MB
    with zipfile.ZipFile(tmp_path / "copia.xlsx") as z, z.open("xl/worksheets/sheet1.xml") as f:
        texto = f.read()
    assert re.search(rb'<x:c r="A3000" s="\d+">', texto)
    assert re.search(rb'<x:row r="6000"><x:c r="B6000" s="\d+"/></x:row></x:sheetData>', texto)
    assert texto.count(b"<x:row ") == n + 1
