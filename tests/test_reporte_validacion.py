"""El reporte de validación: hojas y encabezados exactos, problemas enmascarados, texto seguro."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

import pipeline.informes.reporte_validacion as rv
from pipeline.archivos import Estado
from pipeline.informes.reporte_validacion import (
    ENCABEZADOS_ARCHIVOS,
    ENCABEZADOS_ERRORES,
    escribir_reporte_validacion,
)
from pipeline.problemas import Codigo, Severidad, problema
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion

FECHA = dt.datetime(2025, 6, 30)
DOCUMENTO = "1234567890"
CORREO = "ana.perez@correo.com"
PELIGROSOS = ['=HYPERLINK("http://x","y")', "+573001234567", "@SUM(A1)"]
PLAN, LISTA, CRONO = "2025/DGT/plan.xlsx", "2025/DGT/sesiones/lista.xlsx", "2025/DAC/crono.xlsx"


def _resultado() -> ResultadoValidacion:
    problemas = [
        problema("DOCUMENTO_INVALIDO", archivo=LISTA, hoja="Asistencia", celda="C12", fila=12,
                 campo="Número de documento", valor=DOCUMENTO, personal=True, direccion="DGT",
                 motivo="tiene letras"),
        problema("CORREO_INVALIDO", archivo=LISTA, hoja="Asistencia", celda="I10", fila=10,
                 campo="Correo electrónico", valor=CORREO, personal=True, direccion="DGT"),
        problema("FICHA_FALTANTE", archivo=LISTA, hoja="Asistencia", celda="A1",
                 campo="Vigencia", direccion="DGT"),
        problema("X8", archivo=LISTA, hoja="Asistencia", celda="C11", fila=11,
                 campo="Número de documento", valor=DOCUMENTO, personal=True, direccion="DGT",
                 actividad="ACT-1", otros="fila 12"),
        problema("FUERA_DE_CATALOGO", archivo=PLAN, hoja="Plan", celda="C9", fila=9,
                 campo="Tipo de servicio", valor=PELIGROSOS[0], direccion="DGT", opciones="…"),
        problema("COLUMNA_DESCONOCIDA", archivo=PLAN, hoja="Plan", celda="R7",
                 valor=PELIGROSOS[2], direccion="DGT"),
        problema("FUERA_DE_CATALOGO", archivo=PLAN, hoja="Plan", celda="E8", fila=8,
                 campo="Modalidad", valor=PELIGROSOS[1], direccion="DGT", opciones="…"),
        problema("SIN_MARCA_PLANTILLA", archivo=PLAN, hoja="Plan", direccion="DGT",
                 hoja_esperada="Plan"),
    ]  # fmt: skip
    archivos = [
        ResultadoArchivo(PLAN, "Plan de asistencia técnica", "1.0", "DGT",
                         Estado.ACEPTADO_CON_ADVERTENCIAS, 10, 8, 3, 1),
        ResultadoArchivo(LISTA, "Lista de asistencia", "1.0", "DGT", Estado.RECHAZADO, 5, 0, 2, 1),
        ResultadoArchivo(CRONO, "Cronograma de actividades", "1.0", "DAC", Estado.ACEPTADO, 4, 4),
        ResultadoArchivo("2025/DGT/~$plan.xlsx", "", "", "DGT", Estado.IGNORADO,
                         motivo="Archivo de bloqueo de Excel o LibreOffice"),
    ]  # fmt: skip
    excluidas = pd.DataFrame(
        {
            "archivo": [PLAN, PLAN],
            "fila": [9, 8],
            "tipo": ["plan", "plan"],
            "codigos": ["FUERA_DE_CATALOGO", "FUERA_DE_CATALOGO"],
        }
    )
    return ResultadoValidacion(
        vigencia="2025", archivos=archivos, problemas=problemas, tablas={}, excluidas=excluidas
    )


@pytest.fixture
def reporte(tmp_path):
    resultado = _resultado()
    ruta = escribir_reporte_validacion(resultado, tmp_path / "validacion" / "r.xlsx", FECHA)
    return resultado, ruta, openpyxl.load_workbook(ruta)


def _filas(hoja):
    return [list(f) for f in hoja.iter_rows(min_row=2, values_only=True)]


def test_cada_fila_excluida_se_lista(reporte):
    _, _, wb = reporte
    assert [c.value for c in wb["Filas excluidas"][1]] == ["Archivo", "Tipo", "Fila", "Códigos"]
    assert _filas(wb["Filas excluidas"]) == [
        [PLAN, "Plan de asistencia técnica", 8, "FUERA_DE_CATALOGO"],
        [PLAN, "Plan de asistencia técnica", 9, "FUERA_DE_CATALOGO"],
    ]


def test_hojas_y_encabezados_exactos(reporte):
    _, _, wb = reporte
    assert wb.sheetnames == ["Resumen", "Por dirección", "Archivos", "Errores", "Filas excluidas"]
    assert [c.value for c in wb["Archivos"][1]] == list(ENCABEZADOS_ARCHIVOS)
    assert [c.value for c in wb["Errores"][1]] == list(ENCABEZADOS_ERRORES)
    assert ENCABEZADOS_ERRORES == (
        "Archivo", "Hoja", "Celda", "Campo", "Valor", "Severidad", "Código", "Mensaje"
    )  # fmt: skip
    assert ENCABEZADOS_ARCHIVOS[:9] == (
        "Ruta", "Tipo", "Versión", "Dirección", "Estado", "Filas leídas", "Filas aceptadas",
        "Errores", "Advertencias",
    )  # fmt: skip


def test_cada_problema_con_valor_y_mensaje_enmascarados(reporte):
    resultado, _, wb = reporte
    filas = {tuple(f) for f in _filas(wb["Errores"])}
    esperadas = {
        (p.archivo, p.hoja, p.celda or None, p.campo or None, p.valor or None, str(p.severidad),
         p.codigo, p.mensaje)
        for p in resultado.problemas
    }  # fmt: skip
    assert filas == esperadas
    assert len(_filas(wb["Errores"])) == len(resultado.problemas)
    documento = next(p for p in resultado.problemas if p.codigo == "DOCUMENTO_INVALIDO")
    assert documento.valor == "******7890"
    mensaje = Codigo.DOCUMENTO_INVALIDO.formatear(valor="«******7890»", motivo="tiene letras")
    assert any(f[-1] == mensaje and f[4] == "******7890" for f in filas)


def test_ningun_dato_personal_en_claro(reporte):
    resultado, _, wb = reporte
    propios = [p.mensaje_propio for p in resultado.problemas if p.mensaje_propio != p.mensaje]
    assert propios  # la prueba tiene sentido: hay mensajes con datos personales
    for hoja in wb.worksheets:
        for fila in hoja.iter_rows(values_only=True):
            for valor in fila:
                texto = str(valor)
                assert DOCUMENTO not in texto and CORREO not in texto
                assert "ana.perez" not in texto
                assert all(propio not in texto for propio in propios)


def test_texto_de_entrada_nunca_es_formula(reporte):
    _, _, wb = reporte
    hoja = wb["Errores"]
    encontrados = {}
    for fila in hoja.iter_rows(min_row=2):
        celda = fila[ENCABEZADOS_ERRORES.index("Valor")]
        if celda.value in PELIGROSOS:
            encontrados[celda.value] = celda
    assert set(encontrados) == set(PELIGROSOS)
    for celda in encontrados.values():
        assert celda.data_type == "s" and celda.hyperlink is None


def test_ordenado_por_archivo_y_fila(reporte):
    _, _, wb = reporte
    filas = _filas(wb["Errores"])
    archivos = [f[0] for f in filas]
    assert archivos == sorted(archivos)
    plan = [f[2] for f in filas if f[0] == PLAN]
    assert plan == [None, "R7", "E8", "C9"]  # el problema de archivo primero, luego por fila
    lista = [f[2] for f in filas if f[0] == LISTA]
    assert lista == ["A1", "I10", "C11", "C12"]


def test_archivos_una_fila_por_archivo_con_motivo(reporte):
    resultado, _, wb = reporte
    filas = {f[0]: f for f in _filas(wb["Archivos"])}
    assert set(filas) == {a.ruta for a in resultado.archivos}
    estado = ENCABEZADOS_ARCHIVOS.index("Estado")
    assert filas[PLAN][estado] == "Aceptado con advertencias"
    assert filas[PLAN][5:9] == [10, 8, 3, 1]
    motivo = ENCABEZADOS_ARCHIVOS.index("Motivo")
    assert filas["2025/DGT/~$plan.xlsx"][motivo] == "Archivo de bloqueo de Excel o LibreOffice"
    # Rechazado sin motivo dado: se explica con los errores del archivo.
    assert Codigo.FICHA_FALTANTE.definicion.titulo in filas[LISTA][motivo]
    assert filas[CRONO][motivo] is None


def test_resumen_con_titulo_y_conteos(reporte):
    resultado, _, wb = reporte
    hoja = wb["Resumen"]
    assert "2025" in hoja["A1"].value
    pares = {}
    for a, b, *_ in hoja.iter_rows(values_only=True):
        if isinstance(a, str) and a not in pares:
            pares[a] = b
    assert pares["Fecha de corte"] == FECHA  # la fecha fija del documento es el corte
    assert pares["Vigencia"] == "2025"
    assert pares["Rechazado"] == 1 and pares["Ignorado"] == 1 and pares["Aceptado"] == 1
    assert pares["Total"] == 4
    assert pares["Errores"] == resultado.errores == 5
    assert pares["Advertencias"] == resultado.advertencias == 3
    assert pares["FUERA_DE_CATALOGO"] == Codigo.FUERA_DE_CATALOGO.definicion.titulo


def test_formato_tablas_colores_y_paneles(reporte):
    _, _, wb = reporte
    errores = wb["Errores"]
    assert "tabla_errores" in errores.tables and "tabla_archivos" in wb["Archivos"].tables
    assert errores.tables["tabla_errores"].ref == f"A1:H{errores.max_row}"
    assert errores.freeze_panes == "A2" and wb["Archivos"].freeze_panes == "A2"
    severidad = ENCABEZADOS_ERRORES.index("Severidad")
    colores = {}
    for fila in errores.iter_rows(min_row=2):
        celda = fila[severidad]
        colores[celda.value] = (celda.fill.fgColor.rgb[-6:], celda.font.color.rgb[-6:])
    assert colores[Severidad.ERROR] == ("FFC7CE", "9C0006")  # el rojo del semáforo
    assert colores[Severidad.ADVERTENCIA] == ("FFEB9C", "9C5700")
    estado = wb["Archivos"].cell(1, ENCABEZADOS_ARCHIVOS.index("Estado") + 1).column_letter
    rellenos = {c.value: c.fill.fgColor.rgb[-6:] for c in wb["Archivos"][estado][1:]}
    assert rellenos["Aceptado con advertencias"] == "FFEB9C"
    assert rellenos["Rechazado"] == "FFC7CE" and rellenos["Ignorado"] == "EDEDED"
    mensaje = errores.cell(2, ENCABEZADOS_ERRORES.index("Mensaje") + 1)
    assert mensaje.alignment.wrap_text
    assert errores.column_dimensions["H"].width >= 60


def test_bytes_reproducibles(tmp_path):
    a = escribir_reporte_validacion(_resultado(), tmp_path / "a.xlsx", FECHA).read_bytes()
    b = escribir_reporte_validacion(_resultado(), tmp_path / "b.xlsx", FECHA).read_bytes()
    assert a == b


def test_sin_problemas_ni_archivos(tmp_path):
    vacio = ResultadoValidacion(vigencia="2025", archivos=[], problemas=[], tablas={})
    wb = openpyxl.load_workbook(escribir_reporte_validacion(vacio, tmp_path / "r.xlsx", FECHA))
    assert [c.value for c in wb["Errores"][1]] == list(ENCABEZADOS_ERRORES)
    assert all(v is None for v in wb["Errores"][2] for v in [v.value])


def test_fallo_a_mitad_conserva_el_reporte_anterior(tmp_path, monkeypatch):
    ruta = tmp_path / "r.xlsx"
    ruta.write_bytes(b"reporte anterior")

    def falla(*args, **kwargs):
        raise OSError("disco lleno")

    monkeypatch.setattr(rv, "_hoja_errores", falla)
    with pytest.raises(OSError):
        escribir_reporte_validacion(_resultado(), ruta, FECHA)
    assert ruta.read_bytes() == b"reporte anterior"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_por_direccion_recibidos_estados_y_que_reenviar(tmp_path):
    resultado = _resultado()
    # Una evaluación excluida solo por el error de otro archivo: no se reenvía, espera.
    evaluacion = "2025/DGT/sesiones/evaluacion.xlsx"
    resultado.archivos.append(
        ResultadoArchivo(evaluacion, "Evaluación de la asistencia técnica", "1.0", "DGT",
                         Estado.RECHAZADO, 3, 0, 1, 0)
    )  # fmt: skip
    resultado.problemas.append(
        problema("DEPENDE_DE_EXCLUIDA", archivo=evaluacion, hoja="Evaluación", celda="B7",
                 valor="A-1", direccion="DGT", origen=CRONO, dependencia="la actividad «A-1»",
                 causa=f"Dato obligatorio vacío en «{CRONO}», celda G10", accion="")
    )  # fmt: skip
    ruta = escribir_reporte_validacion(
        resultado, tmp_path / "r.xlsx", FECHA, direcciones=["DAC", "DGT", "DPV"]
    )
    hoja = openpyxl.load_workbook(ruta)["Por dirección"]
    filas = [list(f) for f in hoja.iter_rows(values_only=True)]
    assert tuple(filas[0]) == rv.ENCABEZADOS_DIRECCIONES
    por_codigo = {f[0]: dict(zip(rv.ENCABEZADOS_DIRECCIONES, f, strict=True)) for f in filas[1:4]}
    assert list(por_codigo) == ["DAC", "DGT", "DPV"]  # DPV está configurada aunque no envió nada
    dgt = por_codigo["DGT"]
    assert (dgt["Plan"], dgt["Listas de asistencia"], dgt["Evaluaciones"], dgt["Otros"]) == (
        1, 1, 1, 1
    )  # fmt: skip
    assert (dgt["Recibidos"], dgt["Con advertencias"], dgt["Rechazados"]) == (4, 1, 2)
    assert dgt["Por corregir y reenviar"] == 2
    assert por_codigo["DPV"]["Recibidos"] == 0
    inicio = next(i for i, f in enumerate(filas) if f[0] == "Dirección" and i > 0)
    assert tuple(filas[inicio][:6]) == rv.ENCABEZADOS_PENDIENTES
    acciones = {f[1]: f[5] for f in filas[inicio + 1 :] if f[1]}
    assert (
        acciones[evaluacion] == f"Se aceptará cuando se corrija «{CRONO}»; no hay que reenviarlo."
    )
    assert acciones[LISTA].startswith("Corregir las celdas marcadas")
    assert acciones[PLAN].startswith("Corregir las celdas marcadas")
    # Las dos tablas comparten columnas: cada una toma el ancho que necesita la más ancha.
    assert hoja.column_dimensions["B"].width >= len(evaluacion) + 2  # ruta de la segunda tabla
    assert hoja.column_dimensions["L"].width == pytest.approx(16, abs=1)  # solo en la primera


def test_por_direccion_archivo_sin_copia_no_habla_de_celdas_marcadas(tmp_path):
    ilegible = "2025/DGT/ilegible.xlsx"
    resultado = ResultadoValidacion(
        "2025",
        [ResultadoArchivo(ilegible, "", "", "DGT", Estado.RECHAZADO, 0, 0, 1, 0)],
        [problema("ARCHIVO_CIFRADO", archivo=ilegible, direccion="DGT")],
        {},
    )
    ruta = escribir_reporte_validacion(resultado, tmp_path / "r.xlsx", FECHA)
    filas = [
        list(f) for f in openpyxl.load_workbook(ruta)["Por dirección"].iter_rows(values_only=True)
    ]
    fila = next(f for f in filas if f[1] == ilegible)
    assert fila[5] == "Corregir el archivo según el motivo de la hoja «Archivos» y reenviarlo."


def test_valor_es_el_de_la_celda_senalada_y_el_personal_sigue_enmascarado(tmp_path):
    from pipeline.archivos import Entrada
    from pipeline.lectura import LibroLeido

    libro = LibroLeido(entrada=Entrada(tmp_path / CRONO, CRONO, "2025", "DAC"))
    libro.columnas = {"estado": 4, "numero_documento": 2}
    libro.datos = pd.DataFrame(
        {"estado": ["Realizada"], "numero_documento": [DOCUMENTO]}, index=pd.Index([12])
    )
    x10 = problema(
        "X10",
        archivo=CRONO,
        hoja="Cronograma",
        celda="E12",
        fila=12,
        valor="A-1",
        direccion="DAC",
        evaluaciones=0,
        asistentes=2,
        minimo=1,
        porcentaje=10,
    )
    personal = problema(
        "DOCUMENTO_INVALIDO",
        archivo=CRONO,
        hoja="Cronograma",
        celda="C12",
        fila=12,
        valor=DOCUMENTO,
        personal=True,
        direccion="DAC",
        motivo="x",
    )
    resultado = ResultadoValidacion("2025", [], [x10, personal], {}, libros=[libro])
    ruta = escribir_reporte_validacion(resultado, tmp_path / "r.xlsx", FECHA)
    filas = _filas(openpyxl.load_workbook(ruta)["Errores"])
    valor = ENCABEZADOS_ERRORES.index("Valor")
    por_codigo = {f[ENCABEZADOS_ERRORES.index("Código")]: f[valor] for f in filas}
    assert por_codigo["X10"] == "Realizada"  # el Estado de la celda, no el ID de la actividad
    assert por_codigo["DOCUMENTO_INVALIDO"] == personal.valor != DOCUMENTO
