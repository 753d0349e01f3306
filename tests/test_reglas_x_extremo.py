"""Reglas entre archivos X1–X11 de extremo a extremo: libros reales en entradas/2025/<DIR>/ → validar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from libros import escribir_entradas, ficha_valida, fila_valida

from esquemas import PLANTILLAS
from pipeline.configuracion import cargar_configuracion
from pipeline.problemas import Severidad, celda
from pipeline.validacion import validar
from pipeline.validacion.contexto import Contexto

CONFIG = Path(__file__).resolve().parents[1] / "esquemas" / "entidad.toml"
E, A = Severidad.ERROR, Severidad.ADVERTENCIA
ACTIVIDAD = "DGT-2025-001-01"
TEMA_DPV = "Prevención de violencias contra la mujer"


@pytest.fixture(scope="module")
def contexto() -> Contexto:
    return Contexto.crear(cargar_configuracion(CONFIG), "2025")


def documentos(n: int, desde: int = 0) -> list[dict]:
    return [fila_valida("asistencia", numero_documento=f"10851234{i:02d}") for i in range(desde, n)]


def base() -> dict[str, tuple[str, dict, list[dict]]]:
    """Una sesión de DGT que cumple todas las reglas (sesión el lunes 10/03, informe el 12/03)."""
    return {
        "DGT/plan.xlsx": ("plan", ficha_valida("plan"), [fila_valida("plan")]),
        "DGT/cronograma.xlsx": (
            "cronograma",
            ficha_valida("cronograma"),
            [fila_valida("cronograma")],
        ),
        "DGT/sesiones/lista_01.xlsx": ("asistencia", ficha_valida("asistencia"), documentos(10)),
        "DGT/sesiones/evaluacion_01.xlsx": (
            "evaluacion",
            ficha_valida("evaluacion"),
            [fila_valida("evaluacion")],
        ),
        "DGT/compromisos.xlsx": (
            "compromisos",
            ficha_valida("compromisos"),
            [fila_valida("compromisos")],
        ),
    }


def validar_archivos(tmp_path: Path, contexto: Contexto, archivos: dict):
    return validar(escribir_entradas(tmp_path, archivos), contexto)


def problemas(resultado, codigo: str) -> list[tuple[str, str, Severidad]]:
    return sorted(
        (p.archivo, p.celda, p.severidad) for p in resultado.problemas if p.codigo == codigo
    )


def dato(tipo: str, nombre: str, posicion: int = 0) -> str:
    """Celda de la columna `nombre` en el registro número `posicion` (base 0) de la plantilla."""
    plantilla = PLANTILLAS[tipo]
    return celda(plantilla.indice_columna(nombre), plantilla.primera_fila_datos + posicion)


def ficha(tipo: str, nombre: str) -> str:
    return f"B{PLANTILLAS[tipo].fila_ficha(nombre)}"


def test_la_sesion_que_cumple_no_tiene_problemas(tmp_path, contexto):
    r = validar_archivos(tmp_path, contexto, base())
    assert [(p.codigo, p.archivo, p.celda) for p in r.problemas] == []
    assert {t: len(r.tablas[t]) for t in PLANTILLAS} == {
        "plan": 1,
        "cronograma": 1,
        "asistencia": 10,
        "evaluacion": 1,
        "compromisos": 1,
    }


def test_x1_id_asistencia_repetido_en_otra_direccion(tmp_path, contexto):
    archivos = base()
    archivos["DPV/plan.xlsx"] = (
        "plan",
        ficha_valida("plan", direccion="DPV"),
        [fila_valida("plan", tema=TEMA_DPV)],
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    celda_id = dato("plan", "id_asistencia")
    assert problemas(r, "X1") == [
        ("2025/DGT/plan.xlsx", celda_id, E),
        ("2025/DPV/plan.xlsx", celda_id, E),
    ]
    assert r.tablas["plan"].empty
    assert ("2025/DGT/cronograma.xlsx", dato("cronograma", "id_asistencia"), E) in problemas(
        r, "DEPENDE_DE_EXCLUIDA"
    )


def test_x2_id_actividad_repetido(tmp_path, contexto):
    archivos = base()
    archivos["DPV/plan.xlsx"] = (
        "plan",
        ficha_valida("plan", direccion="DPV"),
        [fila_valida("plan", id_asistencia="DPV-2025-001", tema=TEMA_DPV)],
    )
    archivos["DPV/cronograma.xlsx"] = (
        "cronograma",
        ficha_valida("cronograma", direccion="DPV"),
        [fila_valida("cronograma", id_asistencia="DPV-2025-001")],
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    celda_id = dato("cronograma", "id_actividad")
    assert problemas(r, "X2") == [
        ("2025/DGT/cronograma.xlsx", celda_id, E),
        ("2025/DPV/cronograma.xlsx", celda_id, E),
    ]
    assert r.tablas["cronograma"].empty


def test_x3_asistencia_que_no_esta_en_el_plan(tmp_path, contexto):
    archivos = base()
    tipo, ficha_crono, filas = archivos["DGT/cronograma.xlsx"]
    filas = [
        *filas,
        fila_valida("cronograma", id_actividad="DGT-2025-009-01", id_asistencia="DGT-2025-009"),
    ]
    archivos["DGT/cronograma.xlsx"] = (tipo, ficha_crono, filas)
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X3") == [
        ("2025/DGT/cronograma.xlsx", dato("cronograma", "id_asistencia", 1), E)
    ]
    assert list(r.tablas["cronograma"]["id_actividad"]) == [ACTIVIDAD]


def test_x4_lista_de_una_actividad_que_no_esta_en_el_cronograma(tmp_path, contexto):
    archivos = base()
    archivos["DGT/sesiones/lista_99.xlsx"] = (
        "asistencia",
        ficha_valida("asistencia", id_actividad="DGT-2025-001-99"),
        documentos(3),
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X4") == [
        ("2025/DGT/sesiones/lista_99.xlsx", ficha("asistencia", "id_actividad"), E)
    ]
    assert set(r.tablas["asistencia"]["archivo"]) == {"2025/DGT/sesiones/lista_01.xlsx"}


def test_x5_lista_de_una_actividad_no_realizada(tmp_path, contexto):
    archivos = base()
    tipo, ficha_crono, filas = archivos["DGT/cronograma.xlsx"]
    programada = fila_valida(
        "cronograma",
        id_actividad="DGT-2025-001-02",
        estado="Programada",
        fecha_programada=dt.date(2025, 3, 20),
        fecha_realizacion=None,
        fecha_entrega_informe=None,
    )
    archivos["DGT/cronograma.xlsx"] = (tipo, ficha_crono, [*filas, programada])
    archivos["DGT/sesiones/lista_02.xlsx"] = (
        "asistencia",
        ficha_valida("asistencia", id_actividad="DGT-2025-001-02"),
        documentos(3),
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X5") == [
        ("2025/DGT/sesiones/lista_02.xlsx", ficha("asistencia", "id_actividad"), E)
    ]


def test_x6_fecha_de_la_lista_distinta_del_cronograma(tmp_path, contexto):
    archivos = base()
    archivos["DGT/sesiones/lista_01.xlsx"] = (
        "asistencia",
        ficha_valida("asistencia", fecha_actividad=dt.date(2025, 3, 11)),
        documentos(10),
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X6") == [
        ("2025/DGT/sesiones/lista_01.xlsx", ficha("asistencia", "fecha_actividad"), A)
    ]
    assert len(r.tablas["asistencia"]) == 10


def test_x7_mas_evaluaciones_que_asistentes(tmp_path, contexto):
    archivos = base()
    archivos["DGT/sesiones/evaluacion_01.xlsx"] = (
        "evaluacion",
        ficha_valida("evaluacion"),
        [fila_valida("evaluacion")] * 11,
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X7") == [
        ("2025/DGT/sesiones/evaluacion_01.xlsx", ficha("evaluacion", "id_actividad"), E)
    ]
    assert r.tablas["evaluacion"].empty


def test_x8_documento_repetido_escrito_de_otra_forma(tmp_path, contexto):
    archivos = base()
    repetido = fila_valida("asistencia", numero_documento="1.085.123.400")  # = 1085123400
    archivos["DGT/sesiones/lista_01.xlsx"] = (
        "asistencia",
        ficha_valida("asistencia"),
        [*documentos(10), repetido],
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X8") == [
        ("2025/DGT/sesiones/lista_01.xlsx", dato("asistencia", "numero_documento", 10), A)
    ]
    (p,) = [p for p in r.problemas if p.codigo == "X8"]
    assert "1085123400" not in p.mensaje and "085.123.400" not in p.mensaje
    assert int(r.tablas["asistencia"]["repetido"].sum()) == 1


def test_x9_sesion_realizada_sin_lista(tmp_path, contexto):
    archivos = base()
    del archivos["DGT/sesiones/lista_01.xlsx"]
    del archivos["DGT/sesiones/evaluacion_01.xlsx"]
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X9") == [("2025/DGT/cronograma.xlsx", dato("cronograma", "estado"), A)]


def test_x10_pocas_evaluaciones(tmp_path, contexto):
    archivos = base()
    archivos["DGT/sesiones/lista_01.xlsx"] = (
        "asistencia",
        ficha_valida("asistencia"),
        documentos(25),
    )
    archivos["DGT/sesiones/evaluacion_01.xlsx"] = (
        "evaluacion",
        ficha_valida("evaluacion"),
        [fila_valida("evaluacion")] * 2,  # 10 % de 25 → hacen falta 3
    )
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X10") == [("2025/DGT/cronograma.xlsx", dato("cronograma", "estado"), A)]


def test_x11_informe_entregado_fuera_de_plazo(tmp_path, contexto):
    archivos = base()
    tipo, ficha_crono, _ = archivos["DGT/cronograma.xlsx"]
    tarde = fila_valida("cronograma", fecha_entrega_informe=dt.date(2025, 3, 14))  # 4 días hábiles
    archivos["DGT/cronograma.xlsx"] = (tipo, ficha_crono, [tarde])
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X11") == [
        ("2025/DGT/cronograma.xlsx", dato("cronograma", "fecha_entrega_informe"), A)
    ]


def test_referencias_tambien_en_filas_y_archivos_excluidos_por_campos(tmp_path, contexto):
    # El caso de /tmp/roto: cada fila tiene un error de campo y además una referencia rota.
    plan = [fila_valida("plan", id_asistencia="DGT-1", sesiones_programadas=0)]
    realizada_sin_fecha = fila_valida(
        "cronograma",
        id_actividad="A-1",
        id_asistencia="DGT-9",
        fecha_realizacion=None,
        fecha_entrega_informe=None,
    )
    reprogramada_sin_motivo = fila_valida(
        "cronograma",
        id_actividad="A-2",
        id_asistencia="DGT-1",
        estado="Reprogramada",
        fecha_realizacion=None,
        fecha_entrega_informe=None,
    )
    archivos = {
        "DGT/plan.xlsx": ("plan", ficha_valida("plan"), plan),
        "DGT/cronograma.xlsx": (
            "cronograma",
            ficha_valida("cronograma"),
            [realizada_sin_fecha, reprogramada_sin_motivo],
        ),
        "DGT/lista.xlsx": (
            "asistencia",
            ficha_valida("asistencia", id_actividad="A-1"),
            [fila_valida("asistencia", numero_documento="10.234.567-8x")],
        ),
    }
    r = validar_archivos(tmp_path, contexto, archivos)
    assert problemas(r, "X3") == [
        ("2025/DGT/cronograma.xlsx", dato("cronograma", "id_asistencia", 0), E)
    ]
    assert problemas(r, "DEPENDE_DE_EXCLUIDA") == [
        ("2025/DGT/cronograma.xlsx", dato("cronograma", "id_asistencia", 1), E),
        ("2025/DGT/lista.xlsx", ficha("asistencia", "id_actividad"), E),
    ]
    assert problemas(r, "REQUERIDO_CONDICIONAL")  # los errores de campo siguen ahí
    assert all(r.tablas[t].empty for t in PLANTILLAS)
    assert {a.ruta: a.estado.value for a in r.archivos} == {
        "2025/DGT/plan.xlsx": "Rechazado",
        "2025/DGT/cronograma.xlsx": "Rechazado",
        "2025/DGT/lista.xlsx": "Rechazado",
    }
