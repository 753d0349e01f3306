"""Devoluciones: copia anotada del libro propio, hoja Errores, original intacto, bytes reproducibles."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

import pipeline.devoluciones as dev
from pipeline.archivos import Entrada
from pipeline.copia_anotada import COLOR_ADVERTENCIA, COLOR_ERROR, LibroNoAnotable
from pipeline.devoluciones import ENCABEZADOS, escribir_devoluciones
from pipeline.lectura import LibroLeido
from pipeline.problemas import problema
from pipeline.validacion.resultado import ResultadoValidacion

FECHA = dt.datetime(2025, 6, 30)
DOCUMENTO = "1234567890X"
RELATIVA = "2025/DGT/sesiones/lista.xlsx"


def _libro_excel(ruta: Path) -> Path:
    """Una lista de asistencia pequeña, con validación de datos, protección y una hoja oculta."""
    wb = openpyxl.Workbook()
    hoja = wb.active
    hoja.title = "Asistencia"
    hoja["A1"], hoja["B1"] = "Dirección", "DGT"
    hoja["A2"], hoja["B2"] = "Vigencia", 2025
    encabezados = ["Nombres y apellidos", "Tipo de documento", "Número de documento", "Correo"]
    for j, e in enumerate(encabezados, start=1):
        hoja.cell(4, j, e)
    hoja.append(["Ana Pérez", "CC", DOCUMENTO, "ana@correo"])
    hoja.append(["Luis Gómez", "XX", "98765", '=HYPERLINK("http://x")'])
    hoja.cell(6, 4).data_type = "s"
    hoja.merge_cells("E5:F5")
    validacion = DataValidation(type="list", formula1='"CC,CE,TI"', allow_blank=True)
    validacion.add("B5:B300")
    hoja.add_data_validation(validacion)
    hoja.protection.sheet = True
    oculta = wb.create_sheet("_plantilla")
    oculta["A1"] = "producto"
    oculta.sheet_state = "hidden"
    ruta.parent.mkdir(parents=True, exist_ok=True)
    wb.save(ruta)
    return ruta


def _entrada(raiz: Path, relativa: str) -> Entrada:
    partes = relativa.split("/")
    return Entrada(raiz / relativa, relativa, partes[0], partes[1] if len(partes) > 2 else "")


def _problemas(relativa: str = RELATIVA, direccion: str = "DGT"):
    comun = {"archivo": relativa, "hoja": "Asistencia", "direccion": direccion}
    return [
        problema("DOCUMENTO_INVALIDO", celda="C5", fila=5, campo="Número de documento",
                 valor=DOCUMENTO, personal=True, motivo="tiene letras", **comun),
        problema("FUERA_DE_CATALOGO", celda="B6", fila=6, campo="Tipo de documento", valor="XX",
                 opciones="CC, CE", **comun),
        problema("X8", celda="B6", fila=6, campo="Tipo de documento", valor="XX",
                 actividad="A-1", otros="fila 5", **comun),
        problema("CORREO_INVALIDO", celda="D6", fila=6, campo="Correo", personal=True,
                 valor='=HYPERLINK("http://x")', **comun),
        problema("X6", celda="B2", campo="Vigencia", valor="2025", otra="01/02/2025", **comun),
        problema("X10", celda="F5", fila=5, valor="A-1", evaluaciones=0, asistentes=2, minimo=1,
                 porcentaje=10, **comun),
        problema("SIN_MARCA_PLANTILLA", hoja_esperada="Asistencia", **comun),
    ]  # fmt: skip


def _resultado(raiz: Path, archivos: dict[str, list]) -> ResultadoValidacion:
    libros = [LibroLeido(entrada=_entrada(raiz, r)) for r in archivos]
    problemas = [p for lista in archivos.values() for p in lista]
    return ResultadoValidacion("2025", [], problemas, {}, libros=libros)


@pytest.fixture
def caso(tmp_path):
    raiz = tmp_path / "entradas"
    original = _libro_excel(raiz / RELATIVA)
    _libro_excel(raiz / "2025/DGT/sin_problemas.xlsx")
    antes = (original.read_bytes(), original.stat().st_mtime_ns)
    resultado = _resultado(raiz, {RELATIVA: _problemas(), "2025/DGT/sin_problemas.xlsx": []})
    salida = tmp_path / "devoluciones"
    rutas = escribir_devoluciones(resultado, salida, FECHA)
    return resultado, original, antes, rutas, salida


def test_ruta_de_la_copia_y_solo_archivos_con_problemas(caso):
    _, _, _, rutas, salida = caso
    assert rutas == [salida / "DGT" / "sesiones" / "lista.xlsx"]
    assert [p.name for p in salida.rglob("*") if p.is_file()] == ["lista.xlsx"]


def test_original_intacto(caso):
    _, original, antes, _, _ = caso
    assert (original.read_bytes(), original.stat().st_mtime_ns) == antes


def test_celdas_resaltadas_y_comentadas_sin_mascara(caso):
    resultado, _, _, rutas, _ = caso
    hoja = openpyxl.load_workbook(rutas[0])["Asistencia"]
    documento, catalogo, repetido, correo, fecha, evaluaciones, _ = resultado.problemas
    assert hoja["C5"].fill.fgColor.rgb == COLOR_ERROR
    assert documento.mensaje_propio in hoja["C5"].comment.text
    assert DOCUMENTO in hoja["C5"].comment.text  # la dueña ve su propio dato
    # Dos problemas en una celda: un comentario con los dos; el error manda en el color.
    assert catalogo.mensaje_propio in hoja["B6"].comment.text
    assert repetido.mensaje_propio in hoja["B6"].comment.text
    assert hoja["B6"].fill.fgColor.rgb == COLOR_ERROR
    # Solo advertencias: amarillo.
    assert hoja["B2"].fill.fgColor.rgb == COLOR_ADVERTENCIA
    assert fecha.mensaje_propio in hoja["B2"].comment.text
    # Celda dentro de un rango combinado: se anota la superior izquierda.
    assert evaluaciones.mensaje_propio in hoja["E5"].comment.text
    assert hoja["A4"].comment is None and hoja["A4"].fill.fill_type is None


def test_problema_sin_celda_solo_en_hoja_errores(caso):
    resultado, _, _, rutas, _ = caso
    wb = openpyxl.load_workbook(rutas[0])
    de_archivo = resultado.problemas[-1]
    comentarios = [
        c.comment.text for h in wb.worksheets for f in h.iter_rows() for c in f if c.comment
    ]
    assert all(de_archivo.mensaje_propio not in t for t in comentarios)
    assert de_archivo.mensaje_propio in [f[6] for f in wb["Errores"].iter_rows(values_only=True)]


def _tabla_errores(wb) -> tuple[list, list]:
    """Encabezados y filas de la tabla de problemas de la hoja Errores (debajo del resumen)."""
    filas = list(wb["Errores"].iter_rows())
    inicio = next(i for i, f in enumerate(filas) if f[0].value == "Hoja")
    return [c.value for c in filas[inicio]], filas[inicio + 1 :]


def test_hoja_errores_abre_con_estado_cuentas_y_que_hacer(caso):
    _, _, _, rutas, _ = caso
    wb = openpyxl.load_workbook(rutas[0])
    assert wb.sheetnames[0] == "Errores" and wb.active.title == "Errores"
    arriba = {f[0].value: f[1].value for f in wb["Errores"].iter_rows(max_row=6) if f[0].value}
    # Sin estado en el resultado de prueba: con errores, el archivo se trata como rechazado.
    assert arriba["Estado"] == "Rechazado"
    assert arriba["Problemas"] == "3 errores y 4 advertencias"
    assert "Corrija cada celda marcada en rojo" in arriba["Qué hacer"]


def test_hoja_errores(caso):
    resultado, _, _, rutas, _ = caso
    wb = openpyxl.load_workbook(rutas[0])
    hoja = wb["Errores"]
    encabezados, filas = _tabla_errores(wb)
    assert encabezados == list(ENCABEZADOS)
    # Títulos en español; el código interno, a lo sumo en la última columna.
    assert ENCABEZADOS[2] == "Problema" and ENCABEZADOS[-1] == "Código"
    assert len(filas) == len(resultado.problemas)
    por_mensaje = {f[6].value: f for f in filas}
    documento = resultado.problemas[0]
    fila = por_mensaje[documento.mensaje_propio]
    assert [c.value for c in fila[:6]] == [
        "Asistencia", "C5", "Número de documento no válido", "Número de documento",
        documento.valor, "Error",
    ]  # fmt: skip
    assert fila[7].value == "DOCUMENTO_INVALIDO"
    assert fila[1].hyperlink.location == "Asistencia!C5"
    correo = por_mensaje[resultado.problemas[3].mensaje_propio]
    assert correo[6].data_type == "s"
    assert por_mensaje[resultado.problemas[-1].mensaje_propio][1].value is None
    assert {f[5].value for f in filas} == {"Error", "Advertencia"}
    assert hoja.freeze_panes == f"A{hoja.max_row - len(filas) + 1}"
    # Solo la hoja Errores seleccionada (varias seleccionadas agrupan las hojas en Excel).
    assert [h.title for h in wb.worksheets if h.sheet_view.tabSelected] == ["Errores"]


def test_conserva_validaciones_proteccion_y_hojas(caso):
    _, _, _, rutas, _ = caso
    wb = openpyxl.load_workbook(rutas[0])
    hoja = wb["Asistencia"]
    assert hoja.protection.sheet
    assert [v.formula1 for v in hoja.data_validations.dataValidation] == ['"CC,CE,TI"']
    assert wb["_plantilla"].sheet_state == "hidden"
    assert hoja["C5"].value == DOCUMENTO and hoja["D6"].data_type == "s"


def test_reproducible_aunque_pase_el_tiempo(tmp_path, monkeypatch):
    raiz = tmp_path / "entradas"
    _libro_excel(raiz / RELATIVA)
    resultado = _resultado(raiz, {RELATIVA: _problemas()})
    a = escribir_devoluciones(resultado, tmp_path / "a", FECHA)[0]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 3)
    b = escribir_devoluciones(resultado, tmp_path / "b", FECHA)[0]
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 6, 30, 0, 0, 0)}


def test_archivos_que_no_se_abren_no_tienen_copia(tmp_path):
    raiz = tmp_path / "entradas"
    danado, cifrado = "2025/DGT/danado.xlsx", "2025/DGT/cifrado.xlsx"
    for relativa in (danado, cifrado):
        (raiz / relativa).parent.mkdir(parents=True, exist_ok=True)
        (raiz / relativa).write_bytes(b"PK\x03\x04 no es un libro")
    problemas = {
        danado: [problema("X4", archivo=danado, hoja="Asistencia", celda="B3", valor="A-9",
                          direccion="DGT")],
        cifrado: [problema("ARCHIVO_CIFRADO", archivo=cifrado, direccion="DGT")],
    }  # fmt: skip
    salida = tmp_path / "devoluciones"
    assert escribir_devoluciones(_resultado(raiz, problemas), salida, FECHA) == []
    assert not salida.exists() or not any(salida.rglob("*.xlsx"))
    assert not salida.exists() or not [p for p in salida.rglob("*") if p.is_file()]


def test_nombres_que_chocan_no_se_pisan(tmp_path):
    raiz = tmp_path / "entradas"
    otro = "2025/DAC/sesiones/lista.xlsx"  # la ficha dice DGT: la copia va a DGT/
    _libro_excel(raiz / RELATIVA)
    _libro_excel(raiz / otro)
    resultado = _resultado(raiz, {RELATIVA: _problemas(), otro: _problemas(otro, "DGT")})
    rutas = escribir_devoluciones(resultado, tmp_path / "d", FECHA)
    base = tmp_path / "d" / "DGT" / "sesiones"
    assert sorted(rutas) == [base / "lista (2).xlsx", base / "lista.xlsx"]


def test_fallo_al_escribir_conserva_la_copia_anterior(tmp_path, monkeypatch):
    raiz = tmp_path / "entradas"
    _libro_excel(raiz / RELATIVA)
    resultado = _resultado(raiz, {RELATIVA: _problemas()})
    destino = tmp_path / "d" / "DGT" / "sesiones" / "lista.xlsx"
    destino.parent.mkdir(parents=True)
    destino.write_bytes(b"copia anterior")
    real = zipfile.ZipFile.writestr

    def falla_en_disco(self, info, datos, *args, **kwargs):
        if self.filename is not None and len(self.infolist()) >= 2:
            raise OSError("disco lleno")
        return real(self, info, datos, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", falla_en_disco)
    with pytest.raises(OSError):
        escribir_devoluciones(resultado, tmp_path / "d", FECHA)
    assert destino.read_bytes() == b"copia anterior"
    assert [p.name for p in destino.parent.iterdir()] == ["lista.xlsx"]


def test_libro_con_hoja_errores_previa_se_reemplaza(tmp_path):
    raiz = tmp_path / "entradas"
    _libro_excel(raiz / RELATIVA)
    resultado = _resultado(raiz, {RELATIVA: _problemas()})
    primera = escribir_devoluciones(resultado, tmp_path / "a", FECHA)[0]
    # La dirección reenvía la devolución tal cual: su hoja Errores vieja no se duplica.
    reenviada = raiz / "2025/DGT/reenvio.xlsx"
    reenviada.write_bytes(primera.read_bytes())
    otra = _resultado(raiz, {"2025/DGT/reenvio.xlsx": _problemas("2025/DGT/reenvio.xlsx")})
    copia = escribir_devoluciones(otra, tmp_path / "b", FECHA)[0]
    wb = openpyxl.load_workbook(copia)
    assert wb.sheetnames.count("Errores") == 1
    assert len(_tabla_errores(wb)[1]) == len(_problemas())


def test_modulo_no_escribe_fuera_de_la_carpeta(tmp_path):
    # Un código de dirección con «..» no puede sacar la copia de devoluciones/.
    raiz = tmp_path / "entradas"
    _libro_excel(raiz / RELATIVA)
    resultado = _resultado(raiz, {RELATIVA: _problemas(direccion="../../fuera")})
    assert escribir_devoluciones(resultado, tmp_path / "d", FECHA) == []
    assert not (tmp_path / "fuera").exists()
    assert dev.SIN_DIRECCION == "sin_direccion"


def test_en_varios_procesos_da_lo_mismo(tmp_path):
    raiz = tmp_path / "entradas"
    relativas = [f"2025/DGT/l{i}.xlsx" for i in range(4)]
    for r in relativas:
        _libro_excel(raiz / r)
    resultado = _resultado(raiz, {r: _problemas(r) for r in relativas})
    uno = escribir_devoluciones(resultado, tmp_path / "a", FECHA, procesos=1)
    dos = escribir_devoluciones(resultado, tmp_path / "b", FECHA, procesos=2)
    assert [p.relative_to(tmp_path / "a") for p in uno] == [
        p.relative_to(tmp_path / "b") for p in dos
    ]
    assert len(uno) == 4
    assert [p.read_bytes() for p in uno] == [p.read_bytes() for p in dos]


def test_libro_que_falla_al_anotar_no_detiene_los_demas(tmp_path, monkeypatch):
    raiz = tmp_path / "entradas"
    malo, bueno = "2025/DGT/a_malo.xlsx", "2025/DGT/b_bueno.xlsx"
    _libro_excel(raiz / malo)
    _libro_excel(raiz / bueno)
    real = dev.anotar

    def anotar(origen, destino, marcas, hoja, sello):
        if origen.name.endswith("a_malo.xlsx"):
            raise LibroNoAnotable("libro con una rareza")
        return real(origen, destino, marcas, hoja, sello)

    monkeypatch.setattr(dev, "anotar", anotar)
    resultado = _resultado(raiz, {malo: _problemas(malo), bueno: _problemas(bueno)})
    rutas = escribir_devoluciones(resultado, tmp_path / "d", FECHA, procesos=1)
    assert rutas == [tmp_path / "d" / "DGT" / "b_bueno.xlsx"]


def test_valor_es_el_de_la_celda_a_la_que_apunta(tmp_path):
    # X10 apunta a una celda de la fila: «Valor» muestra lo que hay en esa celda, no el ID.
    libro = LibroLeido(entrada=_entrada(tmp_path, RELATIVA))
    libro.columnas = {"numero_documento": 2, "fecha_realizacion": 5}
    libro.datos = pd.DataFrame(
        {"numero_documento": [DOCUMENTO], "fecha_realizacion": [dt.date(2025, 3, 4)]},
        index=pd.Index([5], name="fila"),
    )
    libro.ficha, libro.celdas_ficha = {"id_actividad": "A-1"}, {"id_actividad": "B5"}
    comun = {"archivo": RELATIVA, "hoja": "Asistencia", "direccion": "DGT"}
    x10 = problema("X10", celda="F5", fila=5, valor="A-1", evaluaciones=0, asistentes=2,
                   minimo=1, porcentaje=10, **comun)  # fmt: skip
    documento = problema("DOCUMENTO_INVALIDO", celda="C5", fila=5, valor=DOCUMENTO,
                         personal=True, motivo="tiene letras", **comun)  # fmt: skip
    ficha = problema("X4", celda="B5", valor="A-1", **comun)
    assert dev.valor_en_celda(libro, x10) == "04/03/2025"
    assert dev.valor_en_celda(libro, documento) == DOCUMENTO  # la dueña ve su propio dato
    assert dev.valor_en_celda(libro, ficha) == "A-1"


def test_reenviada_sin_problemas_en_celdas_queda_sin_marcas_viejas(tmp_path):
    raiz = tmp_path / "entradas"
    _libro_excel(raiz / RELATIVA)
    primera = escribir_devoluciones(
        _resultado(raiz, {RELATIVA: _problemas()}), tmp_path / "a", FECHA
    )
    reenviada = "2025/DGT/reenvio.xlsx"
    (raiz / reenviada).write_bytes(primera[0].read_bytes())
    # Ya solo queda un problema del archivo entero: ninguna celda debe seguir marcada.
    solo_archivo = [p for p in _problemas(reenviada) if not p.celda]
    copia = escribir_devoluciones(
        _resultado(raiz, {reenviada: solo_archivo}), tmp_path / "b", FECHA
    )
    wb = openpyxl.load_workbook(copia[0])
    hoja = wb["Asistencia"]
    celdas = [c for f in hoja.iter_rows() for c in f]
    assert not [c.coordinate for c in celdas if c.comment is not None]
    assert not [
        c.coordinate for c in celdas if c.fill.fgColor.rgb in (COLOR_ERROR, COLOR_ADVERTENCIA)
    ]
    assert len(_tabla_errores(wb)[1]) == 1


def test_celda_fuera_de_la_hoja_no_se_marca(tmp_path):
    raiz = tmp_path / "entradas"
    _libro_excel(raiz / RELATIVA)
    fuera = problema("X6", archivo=RELATIVA, hoja="Asistencia", celda="A2000000", valor="x",
                     otra="01/02/2025", direccion="DGT")  # fmt: skip
    rutas = escribir_devoluciones(_resultado(raiz, {RELATIVA: [fuera]}), tmp_path / "d", FECHA)
    wb = openpyxl.load_workbook(rutas[0])
    assert wb["Asistencia"].max_row == 6  # ninguna fila nueva en la fila 2.000.000
    assert len(_tabla_errores(wb)[1]) == 1  # el problema sigue listado
