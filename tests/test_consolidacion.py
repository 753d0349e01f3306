"""Consolidación: actividades unidas a su ítem del plan, asistentes sin repetir, evidencias e informes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from pipeline.configuracion import desde_dict
from pipeline.consolidacion import (
    COLUMNAS_ACTIVIDADES,
    Consolidado,
    consolidar,
    corte_por_defecto,
)
from pipeline.dias_habiles import dias_habiles_despues
from pipeline.tablas import desde_registros

D = dt.date
CONFIG = desde_dict(
    {
        "entidad": "Entidad de prueba",
        "direcciones": [
            {
                "codigo": "DGT",
                "nombre": "Dirección de Gobernabilidad",
                "temas": ["Tema A", "Tema B"],
            },
            {"codigo": "DPV", "nombre": "Dirección de Prevención", "temas": ["Tema C"]},
        ],
    }
)
CORTE = D(2025, 6, 30)

# Columnas que fija el contrato con el ingeniero de informes.
CONTRATO = [
    "id_actividad",
    "id_asistencia",
    "direccion",
    "tema",
    "tipo_servicio",
    "mecanismo",
    "modalidad",
    "orden",
    "departamento_plan",
    "municipio_plan",
    "actividad",
    "estado",
    "fecha_programada",
    "nueva_fecha",
    "fecha_realizacion",
    "fecha_entrega_informe",
    "profesional_responsable",
    "asistentes",
    "mujeres",
    "hombres",
    "evaluaciones",
    "tiene_lista",
    "tiene_evaluacion",
    "evidencias_completas",
    "dias_habiles_informe",
    "informe_oportuno",
    "archivo",
    "fila",
]


def _o(direccion: str, fila: int = 10, vigencia: int = 2025) -> dict:
    return {
        "direccion": direccion,
        "vigencia": vigencia,
        "archivo": f"{direccion}/x.xlsx",
        "fila": fila,
    }


def _plan() -> pd.DataFrame:
    comun = {"tipo_servicio": "Asesoría", "mecanismo": "Taller", "modalidad": "Virtual"}
    return desde_registros(
        "plan",
        [
            _o("DGT")
            | comun
            | {"id_asistencia": "P1", "tema": "Tema A", "orden": "Territorial"}
            | {"departamento": "52", "municipio": "52001", "sesiones_programadas": 2}
            | {"profesional_responsable": "Ana"},
            _o("DPV")
            | comun
            | {"id_asistencia": "P2", "tema": "Tema C", "orden": "Nacional"}
            | {"sesiones_programadas": 1, "profesional_responsable": "Luis"},
            # Otra vigencia: no entra.
            _o("DGT", vigencia=2024)
            | comun
            | {"id_asistencia": "P0", "tema": "Tema B"}
            | {"sesiones_programadas": 9},
        ],
    )


def _actividad(ident, plan, direccion, estado, fr=None, entrega=None, fila=10, corte=CORTE):
    return _o(direccion, fila) | {
        "fecha_corte": corte,
        "id_actividad": ident,
        "id_asistencia": plan,
        "actividad": f"Sesión {ident}",
        "fecha_programada": D(2025, 3, 20),
        "estado": estado,
        "fecha_realizacion": fr,
        "modalidad": "Presencial",
        "fecha_entrega_informe": entrega,
    }


def _cronograma() -> pd.DataFrame:
    return desde_registros(
        "cronograma",
        [
            # Viernes 21/03/2025; el lunes 24/03 es festivo (San José): 25, 26, 27 → 3 días hábiles.
            _actividad("A1", "P1", "DGT", "Realizada", D(2025, 3, 21), D(2025, 3, 27), 10),
            # 28/03 → 4 días hábiles: tarde.
            _actividad("A2", "P1", "DGT", "Realizada", D(2025, 3, 21), D(2025, 3, 28), 11),
            # Entregado el mismo día: 0.
            _actividad("A3", "P2", "DPV", "Realizada", D(2025, 5, 6), D(2025, 5, 6), 12),
            # Sin informe.
            _actividad("A4", "P2", "DPV", "Realizada", D(2025, 5, 7), None, 13),
            _actividad("A5", "P2", "DPV", "Cancelada", None, None, 14, corte=D(2025, 6, 15)),
            # Archivada en la carpeta de otra dirección: la dirección es la de su ítem (P1, DGT).
            _actividad("A6", "P1", "DPV", "Programada", None, None, 15),
        ],
    )


def _persona(act, tipo, numero, sexo, repetido=False, direccion="DGT"):
    return _o(direccion) | {
        "id_actividad": act,
        "fecha_actividad": D(2025, 3, 21),
        "nombres": "Nombre Apellido",
        "tipo_documento": tipo,
        "numero_documento": numero,
        "entidad_organizacion": "Alcaldía",
        "sexo": sexo,
        "autoriza_datos": "Sí",
        "repetido": repetido,
    }


def _asistencia() -> pd.DataFrame:
    return desde_registros(
        "asistencia",
        [
            _persona("A1", "CC", "1234567", "Mujer"),
            _persona(
                "A1", "CC", "1234567", "Mujer", repetido=True
            ),  # X8: marcado por la validación
            _persona("A1", "CC", "1.234.567", "Mujer"),  # mismo documento sin marca: se deduplica
            _persona("A1", "TI", "1234567", "Hombre"),  # otro tipo: otra persona
            _persona("A1", "CC", "7654321", None),
            _persona("A3", "CC", "1234567", "Hombre", direccion="DPV"),  # otra actividad: cuenta
        ],
    )


def _evaluacion() -> pd.DataFrame:
    def ev(act, general, pertinencia=None):
        return _o("DGT") | {
            "id_actividad": act,
            "fecha_actividad": D(2025, 3, 21),
            "satisfaccion_general": general,
            "pertinencia": pertinencia,
        }

    return desde_registros("evaluacion", [ev("A1", 5, 4), ev("A1", 3), ev("A2", 4, 2)])


def _compromisos() -> pd.DataFrame:
    return desde_registros(
        "compromisos",
        [
            _o("DPV")
            | {"fecha_corte": CORTE, "id_actividad": "A6", "compromiso": "Enviar acta"}
            | {"responsable": "Ana", "fecha_limite": D(2025, 4, 1), "estado": "Pendiente"},
        ],
    )


def _tablas() -> dict[str, pd.DataFrame]:
    return {
        "plan": _plan(),
        "cronograma": _cronograma(),
        "asistencia": _asistencia(),
        "evaluacion": _evaluacion(),
        "compromisos": _compromisos(),
    }


@pytest.fixture(scope="module")
def consolidado() -> Consolidado:
    return consolidar(_tablas(), CONFIG, 2025, CORTE)


@pytest.fixture(scope="module")
def act(consolidado) -> pd.DataFrame:
    return consolidado.actividades.set_index("id_actividad")


def test_columnas_del_contrato(consolidado):
    columnas = list(consolidado.actividades.columns)
    assert columnas[: len(CONTRATO)] == CONTRATO
    assert tuple(columnas) == COLUMNAS_ACTIVIDADES
    assert len(consolidado.actividades) == 6  # una fila por actividad del cronograma
    assert consolidado.actividades["dias_habiles_informe"].dtype == "Int64"
    for columna in ("tiene_lista", "tiene_evaluacion", "evidencias_completas", "informe_oportuno"):
        assert consolidado.actividades[columna].dtype == bool


def test_datos_del_item_del_plan(act):
    a1 = act.loc["A1"]
    assert (a1["direccion"], a1["tema"], a1["orden"]) == ("DGT", "Tema A", "Territorial")
    assert (a1["departamento_plan"], a1["municipio_plan"]) == ("52", "52001")
    assert (a1["tipo_servicio"], a1["mecanismo"], a1["profesional_responsable"]) == (
        "Asesoría",
        "Taller",
        "Ana",
    )
    assert a1["modalidad"] == "Presencial"  # la de la sesión
    assert a1["modalidad_plan"] == "Virtual"
    assert (a1["archivo"], a1["fila"]) == ("DGT/x.xlsx", 10)


def test_direccion_y_tema_son_los_del_item_del_plan(act):
    assert act.loc["A6", "direccion"] == "DGT"
    assert act.loc["A6", "tema"] == "Tema A"
    assert act.loc["A6", "direccion_cronograma"] == "DPV"


def test_asistentes_una_vez_por_documento(act):
    # A1: CC1234567 (tres filas: una marcada y otra con puntos) + TI1234567 + CC7654321 = 3.
    assert act.loc["A1", "asistentes"] == 3
    assert (act.loc["A1", "mujeres"], act.loc["A1", "hombres"]) == (1, 1)
    assert act.loc["A3", "asistentes"] == 1  # el mismo documento en otra actividad sí cuenta
    assert act.loc["A2", "asistentes"] == 0


def test_personas_sin_repetir(consolidado):
    personas = consolidado.personas
    assert len(personas) == 4
    assert set(personas.columns) == {
        "id_actividad",
        "tipo_documento",
        "numero_documento",
        "sexo",
        "municipio",
    }
    assert "nombres" not in personas.columns


def test_evaluaciones_y_evidencias(act):
    assert act.loc["A1", "evaluaciones"] == 2
    assert act.loc["A1", "evaluaciones_satisfechas"] == 1  # 5 sí, 3 no
    assert (act.loc["A1", "suma_pertinencia"], act.loc["A1", "respuestas_pertinencia"]) == (4, 1)
    assert act.loc["A1", "evidencias_completas"]  # lista y evaluación
    assert act.loc["A2", "tiene_evaluacion"] and not act.loc["A2", "tiene_lista"]
    assert not act.loc["A2", "evidencias_completas"]
    assert act.loc["A3", "tiene_lista"] and not act.loc["A3", "tiene_evaluacion"]
    assert not act.loc["A3", "evidencias_completas"]


def test_dias_habiles_del_informe(act):
    assert act.loc["A1", "dias_habiles_informe"] == 3  # el festivo del 24/03 no cuenta
    assert act.loc["A1", "dias_habiles_informe"] == dias_habiles_despues(
        D(2025, 3, 21), D(2025, 3, 27)
    )
    assert act.loc["A2", "dias_habiles_informe"] == 4
    assert act.loc["A3", "dias_habiles_informe"] == 0
    assert pd.isna(act.loc["A4", "dias_habiles_informe"])  # sin entregar
    assert pd.isna(act.loc["A5", "dias_habiles_informe"])  # no realizada


def test_informe_oportuno(act):
    # Oportuno ⇔ días hábiles ≤ 3 (parámetro por defecto).
    assert act.loc["A1", "informe_oportuno"]
    assert not act.loc["A2", "informe_oportuno"]
    assert act.loc["A3", "informe_oportuno"]
    assert not act.loc["A4", "informe_oportuno"]
    assert not act.loc["A5", "informe_oportuno"]


def test_informe_oportuno_sigue_el_parametro():
    config = desde_dict(
        {
            "entidad": "Entidad de prueba",
            "parametros": {"dias_habiles_informe": 4},
            "direcciones": [{"codigo": "DGT", "nombre": "DGT", "temas": ["Tema A"]}],
        }
    )
    act = consolidar(_tablas(), config, 2025, CORTE).actividades.set_index("id_actividad")
    assert act.loc["A2", "informe_oportuno"]  # 4 ≤ 4


def test_solo_la_vigencia_pedida(consolidado):
    assert "P0" not in set(consolidado.plan["id_asistencia"])
    assert set(consolidado.tablas["plan"]["vigencia"]) == {2025}
    otra = consolidar(_tablas(), CONFIG, 2024, CORTE)
    assert list(otra.plan["id_asistencia"]) == ["P0"]
    assert otra.actividades.empty


def test_compromisos_con_direccion_y_tema_de_su_actividad(consolidado):
    fila = consolidado.compromisos.iloc[0]
    assert (fila["direccion"], fila["tema"], fila["id_asistencia"]) == ("DGT", "Tema A", "P1")


def test_corte_por_defecto():
    assert corte_por_defecto(_tablas()) == D(2025, 6, 30)  # la más reciente (A5 dice 15/06)
    assert corte_por_defecto({}) is None
    assert corte_por_defecto({"cronograma": desde_registros("cronograma", [])}) is None


def test_sin_datos():
    vacio = consolidar({}, CONFIG, 2025, CORTE)
    assert vacio.actividades.empty
    assert tuple(vacio.actividades.columns) == COLUMNAS_ACTIVIDADES
    assert set(vacio.tablas) == {"plan", "cronograma", "asistencia", "evaluacion", "compromisos"}


def test_repr_sin_datos_personales(consolidado):
    # El repr (que puede acabar en un registro) no muestra las tablas.
    assert "1234567" not in repr(consolidado)
    campos = {f.name for f in dataclasses.fields(Consolidado)}
    assert {"vigencia", "corte", "config", "tablas", "actividades"} <= campos
