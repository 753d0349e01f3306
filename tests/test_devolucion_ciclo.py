"""El ciclo de una devolución como lo vive la dirección (§7.2): recibir, corregir, reenviar, validar.

Dependientes que no se devuelven, marcas viejas que no quedan, copias que abren en openpyxl y
LibreOffice con las validaciones y los valores del original.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from libros import escribir_entradas, ficha_valida, fila_valida, sesion_valida

from esquemas import PLANTILLAS
from pipeline.archivos import descubrir
from pipeline.configuracion import RUTA_POR_DEFECTO, cargar_configuracion
from pipeline.copia_anotada import AUTOR, COLOR_ADVERTENCIA, COLOR_ERROR, HOJA_ERRORES
from pipeline.ejecucion import validar_vigencia
from pipeline.lectura import leer

CRONO = "2025/DGT/cronograma.xlsx"
_F = PLANTILLAS["cronograma"].primera_fila_datos
G10, E11, A10 = f"G{_F}", f"E{_F + 1}", f"A{_F}"  # las celdas con problema del cronograma
FECHA = dt.date(2025, 3, 10)


def _entradas(raiz: Path) -> Path:
    """Un cronograma con la Fecha de realización vacía (G10) y otra fila con el Estado mal escrito."""
    return escribir_entradas(
        raiz,
        {
            "DGT/plan.xlsx": ("plan", ficha_valida("plan"), [fila_valida("plan")]),
            "DGT/cronograma.xlsx": (
                "cronograma",
                ficha_valida("cronograma"),
                [
                    fila_valida("cronograma", fecha_realizacion=None),
                    fila_valida(
                        "cronograma",
                        id_actividad="DGT-2025-001-02",
                        estado="Realisada",
                        fecha_realizacion=None,
                        fecha_entrega_informe=None,
                    ),
                ],
            ),
            **sesion_valida(),
        },
    )


def _validar(entradas: Path, salidas: Path):
    return validar_vigencia(cargar_configuracion(RUTA_POR_DEFECTO), entradas, salidas, "2025")


def _marcas(ruta: Path) -> dict[str, tuple[str, str]]:
    """Celda → (color de relleno, comentario) de las celdas que llevan una marca del producto."""
    wb = openpyxl.load_workbook(ruta)
    marcas = {}
    for hoja in wb.worksheets:
        if hoja.title == HOJA_ERRORES:
            continue
        for fila in hoja.iter_rows():
            for c in fila:
                color = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else ""
                propio = c.comment.text if c.comment and c.comment.author == AUTOR else ""
                if color in (COLOR_ERROR, COLOR_ADVERTENCIA) or propio:
                    marcas[f"{hoja.title}!{c.coordinate}"] = (color, propio)
    return marcas


@pytest.fixture
def primera(tmp_path):
    entradas = _entradas(tmp_path)
    corrida = _validar(entradas, tmp_path / "salidas")
    return tmp_path, entradas, corrida


def test_dependientes_no_vuelven_y_senalan_la_celda_de_fondo(primera):
    tmp_path, _, corrida = primera
    devoluciones = tmp_path / "salidas/2025/devoluciones"
    assert sorted(p.name for p in devoluciones.rglob("*.xlsx")) == ["cronograma.xlsx"]
    dependientes = [p for p in corrida.validacion.problemas if p.codigo == "DEPENDE_DE_EXCLUIDA"]
    assert {p.archivo for p in dependientes} == {
        "2025/DGT/s1/lista.xlsx",
        "2025/DGT/s1/evaluacion.xlsx",
    }
    for p in dependientes:
        assert p.origen == CRONO
        assert f"«{CRONO}», celda {G10}" in p.mensaje and "Fecha de realización" in p.mensaje


def test_la_copia_lleva_exactamente_las_marcas_esperadas_y_conserva_el_original(primera):
    tmp_path, entradas, _ = primera
    copia = tmp_path / "salidas/2025/devoluciones/DGT/cronograma.xlsx"
    marcas = _marcas(copia)
    assert set(marcas) == {f"Cronograma!{G10}", f"Cronograma!{E11}"}
    assert {color for color, _ in marcas.values()} == {COLOR_ERROR}
    assert "Fecha de realización" in marcas[f"Cronograma!{G10}"][1]
    original = openpyxl.load_workbook(entradas / CRONO)
    anotada = openpyxl.load_workbook(copia)
    for hoja in original.worksheets:
        otra = anotada[hoja.title]
        assert [[c.value for c in f] for f in hoja.iter_rows()] == [
            [c.value for c in f]
            for f in otra.iter_rows(max_row=hoja.max_row, max_col=hoja.max_column)
        ]
        assert [v.sqref for v in hoja.data_validations.dataValidation] == [
            v.sqref for v in otra.data_validations.dataValidation
        ]
    with zipfile.ZipFile(entradas / CRONO) as a, zipfile.ZipFile(copia) as b:
        # Las partes que no hay que tocar se copian byte a byte.
        for nombre in ("xl/sharedStrings.xml", "xl/theme/theme1.xml"):
            if nombre in a.namelist():
                assert a.read(nombre) == b.read(nombre)


def test_reenviar_la_copia_corregida_deja_cero_errores_y_ninguna_marca(primera):
    tmp_path, entradas, _ = primera
    copia = tmp_path / "salidas/2025/devoluciones/DGT/cronograma.xlsx"
    # La dirección corrige las celdas marcadas en su copia y la reenvía en lugar del original.
    wb = openpyxl.load_workbook(copia)
    hoja = wb["Cronograma"]
    hoja[G10].value = dt.datetime(2025, 3, 10)
    hoja[G10].number_format = "dd/mm/yyyy"
    hoja[E11].value = "Programada"
    # Programada para después de la Fecha de corte: sin X15.
    hoja[f"D{_F + 1}"].value = dt.datetime(2025, 9, 15)
    wb.save(entradas / CRONO)
    corrida = _validar(entradas, tmp_path / "salidas2")
    assert corrida.validacion.errores == 0
    assert not list((tmp_path / "salidas2/2025/devoluciones").rglob("*.xlsx"))
    libro = leer(next(e for e in descubrir(entradas, "2025") if e.relativa == CRONO))
    assert libro.hoja == "Cronograma" and len(libro.datos) == 2  # la hoja Errores no es datos


def test_copia_reenviada_sin_corregir_todo_no_arrastra_marcas_viejas(primera):
    tmp_path, entradas, _ = primera
    copia = tmp_path / "salidas/2025/devoluciones/DGT/cronograma.xlsx"
    wb = openpyxl.load_workbook(copia)
    wb["Cronograma"][G10].value = dt.datetime(2025, 3, 10)  # solo corrige una de las dos
    wb["Cronograma"][G10].number_format = "dd/mm/yyyy"
    wb.save(entradas / CRONO)
    _validar(entradas, tmp_path / "salidas2")
    nueva = tmp_path / "salidas2/2025/devoluciones/DGT/cronograma.xlsx"
    assert set(_marcas(nueva)) == {f"Cronograma!{E11}"}  # G10 ya no está roja ni comentada
    wb = openpyxl.load_workbook(nueva)
    assert wb.sheetnames.count(HOJA_ERRORES) == 1 and wb.sheetnames[0] == HOJA_ERRORES
    # Reenviar la copia tal cual (sin abrirla) tampoco duplica nada.
    shutil.copy(nueva, entradas / CRONO)
    _validar(entradas, tmp_path / "salidas3")
    otra = tmp_path / "salidas3/2025/devoluciones/DGT/cronograma.xlsx"
    assert set(_marcas(otra)) == {f"Cronograma!{E11}"}
    assert openpyxl.load_workbook(otra).sheetnames.count(HOJA_ERRORES) == 1


def test_un_comentario_propio_de_la_direccion_sobrevive_al_ciclo(tmp_path):
    entradas = _entradas(tmp_path)
    wb = openpyxl.load_workbook(entradas / CRONO)
    wb["Cronograma"][G10].comment = openpyxl.comments.Comment("Pendiente de confirmar", "Ana")
    wb["Cronograma"][A10].comment = openpyxl.comments.Comment("Sesión inaugural", "Ana")
    wb.save(entradas / CRONO)
    _validar(entradas, tmp_path / "s1")
    copia = tmp_path / "s1/2025/devoluciones/DGT/cronograma.xlsx"
    hoja = openpyxl.load_workbook(copia)["Cronograma"]
    assert "Pendiente de confirmar" in hoja[G10].comment.text
    assert hoja[A10].comment.text == "Sesión inaugural"
    # Corregida y reenviada: el comentario de la dirección queda; el del producto se va.
    wb = openpyxl.load_workbook(copia)
    wb["Cronograma"][G10].value = dt.datetime(2025, 3, 10)
    wb.save(entradas / CRONO)
    _validar(entradas, tmp_path / "s2")
    hoja = openpyxl.load_workbook(tmp_path / "s2/2025/devoluciones/DGT/cronograma.xlsx")[
        "Cronograma"
    ]
    assert hoja[G10].comment.text == "Pendiente de confirmar"
    assert hoja[A10].comment.text == "Sesión inaugural"


def _convertir_con_libreoffice(copia: Path, filtro: str, tmp_path_factory) -> Path:
    """Convierte `copia` con LibreOffice sin interfaz (perfil propio) y devuelve la carpeta de salida."""
    salida = tmp_path_factory.mktemp("lo")
    perfil = tmp_path_factory.mktemp("perfil")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{perfil}", "--headless", "--convert-to", filtro,
         "--outdir", str(salida), str(copia)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return salida


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice no está instalado")
def test_la_copia_abre_en_libreoffice(primera, tmp_path_factory):
    tmp_path, _, _ = primera
    copia = tmp_path / "salidas/2025/devoluciones/DGT/cronograma.xlsx"
    salida = _convertir_con_libreoffice(
        copia,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        tmp_path_factory,
    )
    textos = {p.name: p.read_text(encoding="utf-8") for p in salida.glob("*.csv")}
    errores = next(t for n, t in textos.items() if HOJA_ERRORES in n)
    assert "Dato obligatorio vacío" in errores and "Rechazado" in errores
    assert any("Taller de formulación del PISCC" in t for t in textos.values())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice no está instalado")
def test_copia_guardada_con_libreoffice_tampoco_arrastra_marcas(primera, tmp_path_factory):
    # LibreOffice borra el autor de los comentarios al guardar: se reconocen por su texto.
    tmp_path, entradas, _ = primera
    copia = tmp_path / "salidas/2025/devoluciones/DGT/cronograma.xlsx"
    salida = _convertir_con_libreoffice(copia, "xlsx:Calc MS Excel 2007 XML", tmp_path_factory)
    shutil.copy(salida / "cronograma.xlsx", entradas / CRONO)
    _validar(entradas, tmp_path / "salidas2")
    nueva = tmp_path / "salidas2/2025/devoluciones/DGT/cronograma.xlsx"
    hoja = openpyxl.load_workbook(nueva)["Cronograma"]
    comentarios = {c.coordinate: c.comment.text for f in hoja.iter_rows() for c in f if c.comment}
    assert set(comentarios) == {G10, E11}
    assert not any("Comentario anterior" in t for t in comentarios.values())
    assert openpyxl.load_workbook(nueva).sheetnames.count(HOJA_ERRORES) == 1
