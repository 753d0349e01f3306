"""Informes escritos para un director (§7.1): aviso de datos incompletos, Resumen ejecutivo,
Alertas, metas del plan, Por tipo de servicio, municipios con asistentes, seguimiento mensual y
papel carta."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_informes import (
    CONFIG,
    CORTE,
    PERSONAS,
    VIGENCIA,
    _asistencia,
    _compromisos,
    _cronograma,
    _evaluacion,
    _plan,
)

from pipeline.archivos import Estado
from pipeline.consolidacion import consolidar
from pipeline.indicadores import actividades_vencidas, calcular_indicadores
from pipeline.informes.alertas import TIPOS, alertas
from pipeline.informes.comun import DatosInforme
from pipeline.informes.incompletos import PREFIJO, aviso, motivos_por_direccion
from pipeline.informes.libros import escribir_informes
from pipeline.informes.mensual import POR_MES
from pipeline.informes.redaccion import cantidad, cifra, enumerar, porcentaje
from pipeline.informes.resumen_ejecutivo import frases
from pipeline.informes.trimestral import escribir_informe_trimestral
from pipeline.periodos import periodos
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion

PLAN, CRONO = "Plan de asistencia técnica", "Cronograma de actividades"


def _archivo(ruta: str, tipo: str, direccion: str, leidas: int = 1, aceptadas: int = 1, **otros):
    estado = otros.pop("estado", Estado.ACEPTADO)
    return ResultadoArchivo(ruta, tipo, "1.0", direccion, estado, leidas, aceptadas, **otros)


def _completos() -> list[ResultadoArchivo]:
    """Cada dirección con su plan y su cronograma aceptados, sin filas excluidas."""
    return [
        _archivo("2025/DGT/plan.xlsx", PLAN, "DGT", 2, 2),
        _archivo("2025/DGT/cronograma.xlsx", CRONO, "DGT", 4, 4),
        _archivo("2025/DPV/plan.xlsx", PLAN, "DPV"),
        _archivo("2025/DPV/cronograma.xlsx", CRONO, "DPV", 2, 2),
    ]


def _datos(archivos=None, cortes: dict[str, str] | None = None, **cambios) -> DatosInforme:
    """Datos de informe de la muestra de test_informes; `cortes` cambia la Fecha de corte del
    cronograma de una dirección."""
    cronograma = _cronograma()
    for direccion, fecha in (cortes or {}).items():
        cronograma.loc[cronograma["direccion"] == direccion, "fecha_corte"] = pd.Timestamp(fecha)
    tabla = {
        "plan": _plan(),
        "cronograma": cronograma,
        "asistencia": _asistencia(),
        "evaluacion": _evaluacion(),
        "compromisos": _compromisos(),
        **cambios,
    }
    consolidado = consolidar(tabla, CONFIG, VIGENCIA, CORTE)
    lista = periodos(VIGENCIA, CORTE)
    validacion = ResultadoValidacion(str(VIGENCIA), archivos or _completos(), [], tabla)
    return DatosInforme(
        consolidado=consolidado,
        indicadores=calcular_indicadores(consolidado, lista),
        validacion=validacion,
        periodos=lista,
        comando="asistencia consolidar --vigencia 2025",
        fecha_documento=dt.datetime(2025, 5, 15),
    )


def _periodo(datos: DatosInforme, codigo: str):
    return next(p for p in datos.periodos if p.codigo == codigo)


# Redacción ------------------------------------------------------------------------------------


def test_cifras_al_estilo_colombiano_y_plurales():
    assert cifra(1234) == "1.234"
    assert cifra(20.94, 1) == "20,9"
    assert cifra(1234567.25, 1) == "1.234.567,2" or cifra(1234567.25, 1) == "1.234.567,3"
    assert porcentaje(100) == "100 %" and porcentaje(20.94) == "20,9 %"
    assert cantidad(1, "actividad", "actividades") == "1 actividad"
    assert cantidad(3, "actividad", "actividades") == "3 actividades"
    assert cantidad(0, "alerta", "alertas") == "0 alertas"
    assert enumerar(["A"]) == "A" and enumerar(["A", "B", "C"]) == "A, B y C"


# Datos incompletos (§7.1, §10.4) --------------------------------------------------------------


def test_sin_aviso_cuando_los_datos_estan_completos():
    datos = _datos()
    for periodo in datos.periodos:
        assert motivos_por_direccion(datos, periodo) == {}, periodo.codigo


def test_cronograma_atrasado_solo_en_los_periodos_que_no_cubre():
    # El cronograma de DPV llega al 15/04: cubre T1 (fin 31/03) pero no T2 (fin 15/05).
    datos = _datos(cortes={"DPV": "2025-04-15"})
    assert motivos_por_direccion(datos, _periodo(datos, "2025T1")) == {}
    assert motivos_por_direccion(datos, _periodo(datos, "2025T2")) == {
        "DPV": ["cronograma actualizado solo hasta el 15/04/2025, antes del 15/05/2025"]
    }


def test_aviso_nombra_cada_direccion_y_por_que():
    archivos = [
        _archivo("2025/DGT/plan.xlsx", PLAN, "DGT", 3, 2),  # una fila excluida
        _archivo("2025/DGT/cronograma.xlsx", CRONO, "DGT", 4, 4),
        _archivo("2025/DGT/roto.xlsx", "", "DGT", 0, 0, estado=Estado.RECHAZADO),
        _archivo("2025/DPV/cronograma.xlsx", CRONO, "DPV", 2, 2),  # sin plan
        _archivo("2025/DPV/~$plan.xlsx", "", "DPV", 0, 0, estado=Estado.IGNORADO),
    ]
    datos = _datos(archivos)
    motivos = motivos_por_direccion(datos, _periodo(datos, "2025T1"))
    assert motivos == {
        "DGT": ["1 archivo rechazado", "1 fila excluida"],
        "DPV": ["sin plan aceptado"],
    }
    texto = aviso(motivos)
    assert texto.startswith(f"{PREFIJO} DGT (1 archivo rechazado y 1 fila excluida); ")
    assert "DPV (sin plan aceptado)" in texto


def _filas(ruta: Path, hoja: str) -> list[tuple]:
    return list(openpyxl.load_workbook(ruta)[hoja].iter_rows(values_only=True))


def test_aviso_encima_de_todo_y_marca_en_las_tablas_por_direccion(tmp_path):
    completos = _datos()
    ruta = escribir_informe_trimestral(
        completos, _periodo(completos, "2025T2"), tmp_path / "completo.xlsx"
    )
    assert not any(
        str(v).startswith(PREFIJO) for fila in _filas(ruta, "Resumen") for v in fila if v
    )
    atrasado = _datos(cortes={"DPV": "2025-04-15"})
    ruta = escribir_informe_trimestral(
        atrasado, _periodo(atrasado, "2025T2"), tmp_path / "incompleto.xlsx"
    )
    primera = _filas(ruta, "Resumen")[0][0]
    assert primera.startswith(f"{PREFIJO} DPV (cronograma actualizado solo hasta el 15/04/2025")
    assert "DGT" not in primera
    por_direccion = {f[0]: f[2] for f in _filas(ruta, "Por dirección") if f[0] in ("DGT", "DPV")}
    assert not por_direccion["DGT"] and "15/04/2025" in por_direccion["DPV"]
    calidad = {f[0]: f for f in _filas(ruta, "Calidad de datos") if f[0] in ("DGT", "DPV")}
    encabezados = next(f for f in _filas(ruta, "Calidad de datos") if f[0] == "Código")
    columna = encabezados.index("Fecha de corte del cronograma")
    assert calidad["DPV"][columna] == dt.datetime(2025, 4, 15)
    assert calidad["DPV"][columna + 1] == (CORTE - dt.date(2025, 4, 15)).days


# Alertas ---------------------------------------------------------------------------------------


def test_toda_actividad_vencida_esta_en_alertas_y_va_primero():
    # A5 (Programada para el 30/05) también vence si el corte pasa al 10/06.
    datos = _datos()
    datos = dataclasses.replace(
        datos,
        consolidado=dataclasses.replace(datos.consolidado, corte=dt.date(2025, 6, 10)),
        periodos=periodos(VIGENCIA, dt.date(2025, 6, 10)),
    )
    vigencia = _periodo(datos, "2025")
    tabla = alertas(datos, vigencia, solo_del_periodo=False)
    vencidas = set(actividades_vencidas(datos.consolidado, vigencia)["id_actividad"])
    assert vencidas == {"A2", "A5"}
    filas = tabla[tabla["tipo"] == "Actividad vencida"]
    assert set(filas["id"]) == vencidas
    assert list(tabla["tipo"][: len(vencidas)]) == ["Actividad vencida"] * len(vencidas)
    # La más antigua primero: A2 (20/04) antes que A5 (30/05).
    assert list(filas["id"]) == ["A2", "A5"]
    assert list(tabla["tipo"]) == sorted(tabla["tipo"], key=TIPOS.index)
    assert tabla.notna().all().all() and (tabla.astype(str) != "").all().all()


def test_alertas_del_anual_son_todas_las_abiertas(carpeta):
    filas = _filas(carpeta / "informes/informe_anual_2025.xlsx", "Alertas")
    encabezado = next(i for i, f in enumerate(filas) if f[0] == "Tipo de alerta")
    tipos = [(f[0], f[2]) for f in filas[encabezado + 1 :] if f[0]]
    assert ("Compromiso vencido", "A1") in tipos  # del primer trimestre
    assert ("Actividad vencida", "A2") in tipos  # del segundo
    assert tipos[0] == ("Actividad vencida", "A2")


# Resumen ejecutivo ----------------------------------------------------------------------------


def test_resumen_ejecutivo_dice_las_cifras_del_periodo():
    datos = _datos()
    t1, t2 = _periodo(datos, "2025T1"), _periodo(datos, "2025T2")
    del_t1 = frases(datos, t1, alertas(datos, t1, solo_del_periodo=True))
    # T1: programadas A1, A2, A4 y A6 (cancelada); realizadas A1 y A4 → 2 de 4, 50 %; asistentes:
    # 2 en A1 y 1 en A4. Avance: 2 de 9 sesiones (22,2 %); esperado: A1 y A4 (A2 pasó a abril).
    assert del_t1[0] == (
        "En el primer trimestre 2025 se realizaron 2 de las 4 actividades programadas: "
        "cumplimiento del cronograma del 50 % (rojo). En total se realizaron 2 actividades en el "
        "periodo, con 3 asistentes."
    )
    assert del_t1[1].startswith(
        "El avance del plan es del 22,2 % de las sesiones programadas, frente a un avance "
        "esperado del 22,2 % a esta fecha"
    )
    assert del_t1[2].startswith("Hay ") and "1 compromiso vencido" in del_t1[2]
    assert not any(f.startswith("Frente") for f in del_t1)  # T1 es el primero: sin comparación
    del_t2 = frases(datos, t2, alertas(datos, t2, solo_del_periodo=True))
    assert del_t2[0].startswith(
        "En el segundo trimestre 2025 (hasta la fecha de corte, 15/05/2025)"
    )
    assert "1 actividad vencida" in del_t2[2] and "1 informe pendiente" in del_t2[2]
    cambio = next(f for f in del_t2 if f.startswith("Frente"))
    assert cambio.startswith(
        "Frente al primer trimestre 2025: se realizó 1 actividad (2 en el periodo anterior)"
    )


def test_resumen_ejecutivo_menciona_los_cambios_despues_del_cierre():
    datos = _datos()
    cambios = pd.DataFrame({"periodo": ["2025T1", "2025T1", "2025M01"], "indicador": ["x"] * 3})
    datos.cambios_cierre = cambios  # campo que añade el ciclo de seguimiento (§10.2)
    t2 = _periodo(datos, "2025T2")
    texto = frases(datos, t2, alertas(datos, t2, solo_del_periodo=True))
    assert (
        "3 valores de indicadores cambiaron después del cierre de 2025M01 y 2025T1 "
        "(hoja «Cambios después del cierre»)." in texto
    )


# Metas, tipo de servicio, cobertura y seguimiento mensual --------------------------------------


@pytest.fixture(scope="module")
def carpeta(tmp_path_factory) -> Path:
    plan = _plan()
    plan["participantes_esperados"] = [10, None, 4]
    plan["presupuesto"] = [1_500_000.0, None, 800_000.0]
    asistencia = _asistencia()
    asistencia["municipio"] = ["52001", "52001", "05001", "05002"]
    destino = tmp_path_factory.mktemp("director") / "2025"
    escribir_informes(_datos(plan=plan, asistencia=asistencia), destino)
    return destino


def _tabla(ruta: Path, hoja: str, primera: str) -> list[dict]:
    filas = _filas(ruta, hoja)
    i = next(i for i, f in enumerate(filas) if f[0] == primera)
    return [dict(zip(filas[i], f, strict=True)) for f in filas[i + 1 :] if any(f)]


def test_metas_del_plan_por_item_y_por_direccion(carpeta):
    ruta = carpeta / "informes/informe_anual_2025.xlsx"
    items = {f["ID asistencia"]: f for f in _tabla(ruta, "Cumplimiento del plan", "ID asistencia")}
    assert items["DGT-001"]["Participantes esperados"] == 10
    assert items["DGT-001"]["Presupuesto (COP)"] == 1_500_000
    assert items["DGT-002"]["Participantes esperados"] is None
    # DGT-001: A1 realizada con 2 asistentes de 10 esperados.
    assert items["DGT-001"]["Avance en participantes (%)"] == pytest.approx(0.2)
    por_direccion = _tabla(ruta, "Cumplimiento del plan", "Código")
    dgt = next(f for f in por_direccion if f["Código"] == "DGT")
    assert dgt["Participantes esperados"] == 10 and dgt["Presupuesto (COP)"] == 1_500_000
    total = next(f for f in por_direccion if f["Dirección"] == "Total entidad")
    assert total["Presupuesto (COP)"] == 2_300_000 and total["Participantes esperados"] == 14
    matriz = openpyxl.load_workbook(carpeta / "informes/matriz_semestral_2025_S1.xlsx")
    assert any(
        c.value == "Presupuesto (COP)" for fila in matriz["Matriz"].iter_rows() for c in fila
    )


def test_por_tipo_de_servicio(carpeta):
    ruta = carpeta / "informes/informe_anual_2025.xlsx"
    tipos = _tabla(ruta, "Por tipo de servicio", "Tipo de servicio")
    # Realizadas al corte: A1, A3 y A4, todas del tipo Asesoría; 4 asistentes, 3 evaluaciones.
    asesoria = next(f for f in tipos if f["Tipo de servicio"] == "Asesoría")
    assert (asesoria["Actividades realizadas"], asesoria["Asistentes"]) == (3, 4)
    assert asesoria["Satisfacción (%)"] == pytest.approx(2 / 3)
    titulos = [f[0] for f in _filas(ruta, "Por tipo de servicio")]
    assert {"Por mecanismo", "Por modalidad", "Por origen"} <= set(titulos)


def test_municipios_con_asistentes_junto_a_los_atendidos(carpeta):
    ruta = carpeta / "informes/informe_anual_2025.xlsx"
    filas = {f["Código DANE"]: f for f in _tabla(ruta, "Cobertura territorial", "Código DANE")}
    assert filas["52"]["Municipios atendidos"] == 1
    assert filas["52"]["Municipios con asistentes"] == 1  # 52001
    assert filas["05"]["Municipios con asistentes"] == 2  # 05001 y 05002
    textos = [f[0] for f in _filas(ruta, "Cobertura territorial")[:5] if f[0]]
    assert any("El mapa colorea los municipios con asistentes" in t for t in textos)


def test_seguimiento_mensual(carpeta):
    ruta = carpeta / "informes/seguimiento_mensual_2025.xlsx"
    libro = openpyxl.load_workbook(ruta)
    assert libro.sheetnames == [
        "Por mes",
        "Por ítem del plan",
        "Calidad de datos",
        "Metadatos",
        "Notas metodológicas",
    ]
    por_mes = _tabla(ruta, "Por mes", "Código")
    entidad = {f["Indicador"]: f for f in por_mes if f["Dirección"] == "Entidad"}
    # Meses empezados al 15/05: enero a mayo (parcial).
    assert [k for k in entidad["Actividades realizadas"] if "2025" in k] == [
        "Ene. 2025",
        "Feb. 2025",
        "Mar. 2025",
        "Abr. 2025",
        "May. 2025 (Parcial)",
    ]
    # Febrero: A1 (10/02) y A4 (20/02) realizadas; abril: A3.
    assert entidad["Actividades realizadas"]["Feb. 2025"] == 2
    assert entidad["Actividades realizadas"]["Abr. 2025"] == 1
    assert entidad["Avance del plan (%)"]["Acumulación"] == "Acumulado en la vigencia"
    assert entidad["Actividades programadas"]["Acumulación"] == "Del periodo"
    notas = {f["Indicador"] for f in _tabla(ruta, "Notas metodológicas", "Indicador")}
    assert set(POR_MES) <= notas
    items = _tabla(ruta, "Por ítem del plan", "ID asistencia")
    assert len(items) == 3 * 5  # tres ítems del plan por cinco meses


# Privacidad, fechas y papel --------------------------------------------------------------------


def _textos(ruta: Path) -> str:
    libro = openpyxl.load_workbook(ruta, read_only=True)
    return "\n".join(
        str(v) for h in libro.worksheets for f in h.iter_rows(values_only=True) for v in f if v
    )


def test_sin_datos_personales_ni_fecha_de_generacion(carpeta):
    prohibidos = [valor for persona in PERSONAS for valor in persona[:4]]
    for ruta in sorted((carpeta / "informes").glob("*.xlsx")):
        contenido = _textos(ruta)
        for valor in prohibidos:
            assert valor not in contenido, f"{valor} aparece en {ruta.name}"
        assert "Generado" not in contenido and "Fecha de generación" not in contenido


def test_carta_apaisada_a_una_pagina_de_ancho_con_titulos_repetidos(carpeta):
    for ruta in sorted((carpeta / "informes").glob("*.xlsx")):
        with zipfile.ZipFile(ruta) as z:
            hojas = [n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)]
            libro = z.read("xl/workbook.xml").decode()
            for nombre in hojas:
                xml = z.read(nombre).decode()
                configuracion = re.search(r"<pageSetup [^>]*/>", xml).group(0)
                assert 'paperSize="1"' in configuracion, (ruta.name, nombre)
                assert 'orientation="landscape"' in configuracion, (ruta.name, nombre)
                assert '<pageSetUpPr fitToPage="1"/>' in xml, (ruta.name, nombre)
            titulos = re.findall(r'<definedName name="_xlnm.Print_Titles"', libro)
            assert len(titulos) == len(hojas), ruta.name


def test_cada_informe_abre_con_el_resumen_ejecutivo(carpeta):
    for ruta in sorted((carpeta / "informes").glob("*.xlsx")):
        primera = openpyxl.load_workbook(ruta).worksheets[0]
        columna = [primera.cell(f, 1).value for f in range(1, 12)]
        assert "Resumen ejecutivo" in columna, ruta.name
        # Datos completos: sin aviso; la primera celda es el nombre de la entidad.
        assert columna[0] == "Ministerio de Prueba", ruta.name


def test_el_aviso_encabeza_la_primera_hoja_de_cada_informe(tmp_path):
    escribir_informes(_datos(cortes={"DPV": "2025-04-15"}), tmp_path)
    for ruta in sorted((tmp_path / "informes").glob("*.xlsx")):
        primera = openpyxl.load_workbook(ruta).worksheets[0]
        if "T1" in ruta.name:  # el cronograma de DPV cubre el primer trimestre
            assert primera["A1"].value == "Ministerio de Prueba"
        else:
            assert primera["A1"].value.startswith(f"{PREFIJO} DPV ("), ruta.name
