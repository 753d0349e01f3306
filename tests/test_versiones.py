"""§10.1 y X16: versiones de un mismo plan, cronograma o compromisos; la más reciente se usa."""

import datetime as dt

from click.testing import CliRunner
from libros import escribir_entradas, ficha_valida, fila_valida, sesion_valida
from openpyxl import load_workbook

from esquemas import PLANTILLAS
from pipeline.archivos import Estado
from pipeline.cli import main
from pipeline.configuracion import RUTA_POR_DEFECTO, cargar_configuracion
from pipeline.problemas import Codigo
from pipeline.validacion import Contexto, validar

VIEJO, NUEVO = "2025/DGT/cronograma_DGI_2025.xlsx", "2025/DGT/cronograma_DGI_2025 (1).xlsx"


def _cronograma(corte: dt.date, *ids: str, **ficha) -> tuple:
    filas = [fila_valida("cronograma")]
    filas += [
        fila_valida(
            "cronograma",
            id_actividad=i,
            estado="Programada",
            fecha_programada=dt.date(2025, 9, 5),  # después de ambos cortes: sin X15
            fecha_realizacion=None,
            fecha_entrega_informe=None,
        )
        for i in ids
    ]
    return ("cronograma", ficha_valida("cronograma", fecha_corte=corte, **ficha), filas)


def _validar(tmp_path, corte_viejo: dt.date, corte_nuevo: dt.date, **ficha_nueva):
    entradas = escribir_entradas(
        tmp_path,
        {
            "DGT/plan.xlsx": ("plan", ficha_valida("plan"), [fila_valida("plan")]),
            "DGT/cronograma_DGI_2025.xlsx": _cronograma(corte_viejo, "A-02", "A-03"),
            "DGT/cronograma_DGI_2025 (1).xlsx": _cronograma(corte_nuevo, "A-02", **ficha_nueva),
            **sesion_valida(),
        },
    )
    contexto = Contexto.crear(cargar_configuracion(RUTA_POR_DEFECTO), "2025")
    return validar(entradas, contexto)


def test_la_version_mas_reciente_se_usa_y_la_anterior_queda_reemplazada(tmp_path):
    r = _validar(tmp_path, dt.date(2025, 3, 31), dt.date(2025, 6, 30))
    estados = {a.ruta: a.estado for a in r.archivos}
    assert estados[VIEJO] is Estado.REEMPLAZADO
    assert estados[NUEVO] is Estado.ACEPTADO
    assert r.errores == 0  # ni X2 ni nada en cascada: listas y evaluaciones siguen aceptadas
    assert {e for ruta, e in estados.items() if ruta not in (VIEJO, NUEVO)} == {Estado.ACEPTADO}
    x16 = [p for p in r.problemas if p.codigo == "X16"]
    assert len(x16) == 1
    p = x16[0]
    assert (p.archivo, p.hoja, p.celda, p.campo) == (
        VIEJO,
        "Cronograma",
        f"B{PLANTILLAS['cronograma'].fila_ficha('fecha_corte')}",
        "Fecha de corte",
    )
    assert p.mensaje == Codigo.X16.formatear(
        nuevo=NUEVO,
        etiqueta="Fecha de corte",
        fecha_nueva="30/06/2025",
        retirados="La versión nueva ya no tiene el ID A-03: confirme que se retiró a propósito.",
    )
    assert sorted(r.tablas["cronograma"]["archivo"].unique()) == [NUEVO]


def test_sin_fecha_que_las_distinga_x2_sigue_y_pide_dejar_la_version_vigente(tmp_path):
    r = _validar(tmp_path, dt.date(2025, 6, 30), dt.date(2025, 6, 30))
    assert not any(a.estado is Estado.REEMPLAZADO for a in r.archivos)
    x2 = [p for p in r.problemas if p.codigo == "X2"]
    assert x2 and all("deje en la carpeta solo la versión vigente" in p.mensaje for p in x2)


def test_plan_nuevo_por_fecha_de_aprobacion(tmp_path):
    viejo = ficha_valida("plan", fecha_aprobacion=dt.date(2025, 1, 15))
    nuevo = ficha_valida("plan", fecha_aprobacion=dt.date(2025, 4, 2))
    entradas = escribir_entradas(
        tmp_path,
        {
            "DGT/plan_v1.xlsx": ("plan", viejo, [fila_valida("plan")]),
            "DGT/plan_v2.xlsx": (
                "plan",
                nuevo,
                [fila_valida("plan"), fila_valida("plan", id_asistencia="DGT-2025-009")],
            ),
        },
    )
    r = validar(entradas, Contexto.crear(cargar_configuracion(RUTA_POR_DEFECTO), "2025"))
    estados = {a.ruta: a.estado for a in r.archivos}
    assert estados == {
        "2025/DGT/plan_v1.xlsx": Estado.REEMPLAZADO,
        "2025/DGT/plan_v2.xlsx": Estado.ACEPTADO,
    }
    (x16,) = [p for p in r.problemas if p.codigo == "X16"]
    assert "Fecha de aprobación más reciente (02/04/2025)" in x16.mensaje
    assert "conserva todos los ID" in x16.mensaje
    assert r.errores == 0


def test_el_reporte_de_validacion_muestra_reemplazado_y_la_salida_es_0(tmp_path):
    _validar(tmp_path, dt.date(2025, 3, 31), dt.date(2025, 6, 30))
    r = CliRunner().invoke(
        main,
        ["validar", "--entradas", str(tmp_path / "entradas"), "--salidas", str(tmp_path / "s")],
    )
    assert r.exit_code == 0, r.output
    assert "1 reemplazado" in r.output
    libro = load_workbook(tmp_path / "s/2025/validacion/reporte_validacion.xlsx", read_only=True)
    filas = list(libro["Archivos"].iter_rows(values_only=True))
    libro.close()
    (fila,) = [f for f in filas if f[0] == VIEJO]
    assert "Reemplazado" in fila


def test_una_version_nueva_rechazada_por_su_ficha_no_reemplaza_a_la_anterior(tmp_path):
    r = _validar(tmp_path, dt.date(2025, 3, 31), dt.date(2025, 6, 30), responsable=None)
    estados = {a.ruta: a.estado for a in r.archivos}
    assert (estados[VIEJO], estados[NUEVO]) == (Estado.ACEPTADO, Estado.RECHAZADO)
    assert not [p for p in r.problemas if p.codigo in ("X16", "X2", "X4")]
    assert sorted(r.tablas["cronograma"]["archivo"].unique()) == [VIEJO]
