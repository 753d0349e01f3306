"""Indicadores de §6 sobre un caso pequeño hecho a mano: cada número esperado se deduce en el comentario.

Vigencia 2025, corte 31/12/2025 (salvo la prueba del periodo Parcial). Días hábiles para el informe: 3.

Plan (Σ sesiones = 4 + 2 + 3 + 1 = 10; Σ participantes esperados de los ítems que lo indican = 30):
    P1  DGT  PISCC       Nariño/Pasto (52/52001)      4 sesiones   20 participantes esperados
    P2  DGT  Código      Antioquia (05), sin municipio 2 sesiones   (sin participantes esperados)
    P3  DPV  Prevención  Nariño/Tumaco (52/52835)     3 sesiones   10 participantes esperados
    P4  DPV  Prevención  Nacional (sin departamento)   1 sesión     (sin participantes esperados)
    DPV «Rutas» y la dirección DGI no tienen ítems del plan.

Cronograma (fp = Fecha programada, fr = Fecha de realización, ent = entrega del informe, dh = días
hábiles después de fr hasta ent):
    A1  P1  fp 10/02  Realizada  fr 10/02 (lun)  ent 13/02  dh 3 (11, 12, 13)            oportuno
    A2  P1  fp 20/03  Realizada  fr 21/03 (vie)  ent 27/03  dh 3 (24/03 festivo: 25, 26, 27) oportuno
    A3  P1  fp 10/04  Realizada  fr 15/04 (mar)  ent 23/04  dh 4 (16; 17-18 festivos; 21, 22, 23) tarde
    A4  P1  fp 20/05  Reprogramada (nueva 15/07: su fecha vigente)
    A5  P1  fp 15/07  Realizada  fr 16/07        sin informe                              tarde
    A6  P2  fp 05/06  Cancelada
    A7  P2  fp 10/06  Realizada  fr 02/07        ent 02/07  dh 0                          oportuno
    A8  P3  fp 20/01  Realizada  fr 20/01 (lun)  ent 24/01  dh 4                          tarde
    A9  P3  fp 06/05  Realizada  fr 06/05        ent 08/05  dh 2                          oportuno
    A10 P3  fp 14/10  Programada
    A11 P4  fp 05/11  Realizada  fr 05/11        ent 05/11  dh 0 (sin lista ni evaluación) oportuno

Fecha vigente (§6) = fp salvo A4 (15/07). Avance esperado cuenta las no canceladas (todas menos A6)
con fecha vigente ≤ fin(P); Actividades vencidas, las Programadas o Reprogramadas (A4 15/07, A10 14/10)
con fecha vigente ≤ fin(P) y antes del corte.

Municipio propio de los asistentes (Municipios con asistentes): en A1 CC1001 y CC1002 52001 (Pasto),
CC1003 52356 (Ipiales); en A8 CC8001 y CC8002 52835 (Tumaco), CC1001 05001 (Medellín); los demás vacío.

Asistentes por actividad (documento contado una vez; M = Mujer, H = Hombre):
    A1: CC1001 M, CC1002 H, CC1003 M, TI1003 H (otra persona: otro tipo), CC1001 M (repetido=True),
        CC «1-002» H (repetido=False pero es CC1002: se deduplica igual)     → 4 asistentes, 2 M, 2 H
    A2: CC1001 M, CC2001 (sin sexo), CC2002 H                                → 3, 1 M, 1 H
    A3: CC1002 H, CC3001 M                                                   → 2, 1 M, 1 H
    A5: CC1001 M, CC5001 M, CC5002 H                                         → 3, 2 M, 1 H
    A7: CC7001 H                                                             → 1, 0 M, 1 H
    A8: CC8001 M, CC8002 M, CC1001 M                                         → 3, 3 M, 0 H
    A9: CC9001 H, CC9002 M                                                   → 2, 1 M, 1 H

Evaluaciones (pertinencia, claridad, metodología, dominio, utilidad, satisfacción general; - = vacía):
    A1: (5,4,-,5,4,5) (4,-,-,3,4,3)      A2: (5,5,5,5,5,4)      A3: (3,3,3,3,3,2) (-,-,-,-,-,5)
    A5: (4,4,4,4,4,4)                    A7: (2,2,2,2,2,1)      A8: (5,5,5,5,5,5) (4,4,4,4,4,4) (3,-,3,3,3,3)

Compromisos (límite, estado, cumplimiento):
    C1 A1 01/03 Cumplido 25/02    C2 A1 15/03 Cumplido 10/04    C3 A2 31/03 Pendiente
    C4 A3 30/05 En curso          C5 A3 15/06 Cancelado         C6 A8 28/02 Cumplido 20/02
    C7 A9 30/09 Pendiente         C8 A7 15/08 Cumplido 01/08
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from pipeline.configuracion import desde_dict
from pipeline.consolidacion import consolidar
from pipeline.divipola import cargar_divipola
from pipeline.indicadores import (
    COLUMNAS,
    CON_SEMAFORO,
    INDICADORES,
    PORCENTAJES,
    Clase,
    TipoSemaforo,
    actividades_periodo,
    actividades_vencidas,
    calcular_indicadores,
    compromisos_periodo,
    ficha,
    indicadores_por_item,
    semaforo,
    semaforo_indicador,
)
from pipeline.informes.indicadores_csv import (
    COLUMNAS_CSV,
    escribir_indicadores_csv,
    formatear_numero,
)
from pipeline.periodos import periodos
from pipeline.tablas import desde_registros

PISCC = "Planes Integrales de Seguridad y Convivencia Ciudadana (PISCC)"
CODIGO = "Código Nacional de Seguridad y Convivencia"
PREVENCION = "Prevención de violencias contra la mujer"
RUTAS = "Rutas de atención a víctimas"
MIPG = "Modelo Integrado de Planeación y Gestión (MIPG)"

_DIRECCIONES = [
    {"codigo": "DGT", "nombre": "Dirección de Gobernabilidad", "temas": [PISCC, CODIGO]},
    {"codigo": "DPV", "nombre": "Dirección de Prevención", "temas": [PREVENCION, RUTAS]},
    {"codigo": "DGI", "nombre": "Dirección de Gestión Institucional", "temas": [MIPG]},
]


def _config_con(**parametros):
    """La configuración de prueba (tres direcciones y sus temas) con `parametros` propios."""
    return desde_dict(
        {"entidad": "Entidad de prueba", "parametros": parametros, "direcciones": _DIRECCIONES}
    )


CONFIG = _config_con()
CORTE = dt.date(2025, 12, 31)
D = dt.date


def _origen(direccion: str, fila: int, archivo: str) -> dict:
    return {"direccion": direccion, "vigencia": 2025, "archivo": archivo, "fila": fila}


def _plan() -> pd.DataFrame:
    items = [
        ("P1", "DGT", PISCC, "Territorial", "52", "52001", 4, 20),
        ("P2", "DGT", CODIGO, "Territorial", "05", None, 2, None),
        ("P3", "DPV", PREVENCION, "Territorial", "52", "52835", 3, 10),
        ("P4", "DPV", PREVENCION, "Nacional", None, None, 1, None),
    ]
    registros = [
        _origen(d, 10 + i, f"{d}/plan.xlsx")
        | {
            "id_asistencia": ident,
            "tema": tema,
            "tipo_servicio": "Asistencia técnica",
            "mecanismo": "Taller",
            "modalidad": "Presencial",
            "origen": "Oferta",
            "entidad_beneficiaria": f"Beneficiaria {ident}",
            "orden": orden,
            "departamento": dpto,
            "municipio": mpio,
            "fecha_inicio": D(2025, 1, 1),
            "fecha_fin": D(2025, 12, 31),
            "sesiones_programadas": sesiones,
            "participantes_esperados": esperados,
            "profesional_responsable": f"Profesional {ident}",
        }
        for i, (ident, d, tema, orden, dpto, mpio, sesiones, esperados) in enumerate(items)
    ]
    return desde_registros("plan", registros)


def _cronograma() -> pd.DataFrame:
    filas = [
        # id, plan, fp, estado, nueva, fr, entrega
        ("A1", "P1", D(2025, 2, 10), "Realizada", None, D(2025, 2, 10), D(2025, 2, 13)),
        ("A2", "P1", D(2025, 3, 20), "Realizada", None, D(2025, 3, 21), D(2025, 3, 27)),
        ("A3", "P1", D(2025, 4, 10), "Realizada", None, D(2025, 4, 15), D(2025, 4, 23)),
        ("A4", "P1", D(2025, 5, 20), "Reprogramada", D(2025, 7, 15), None, None),
        ("A5", "P1", D(2025, 7, 15), "Realizada", None, D(2025, 7, 16), None),
        ("A6", "P2", D(2025, 6, 5), "Cancelada", None, None, None),
        ("A7", "P2", D(2025, 6, 10), "Realizada", None, D(2025, 7, 2), D(2025, 7, 2)),
        ("A8", "P3", D(2025, 1, 20), "Realizada", None, D(2025, 1, 20), D(2025, 1, 24)),
        ("A9", "P3", D(2025, 5, 6), "Realizada", None, D(2025, 5, 6), D(2025, 5, 8)),
        ("A10", "P3", D(2025, 10, 14), "Programada", None, None, None),
        ("A11", "P4", D(2025, 11, 5), "Realizada", None, D(2025, 11, 5), D(2025, 11, 5)),
    ]
    direccion = {"P1": "DGT", "P2": "DGT", "P3": "DPV", "P4": "DPV"}
    registros = [
        _origen(direccion[plan], 10 + i, f"{direccion[plan]}/cronograma.xlsx")
        | {
            "fecha_corte": CORTE,
            "id_actividad": ident,
            "id_asistencia": plan,
            "actividad": f"Sesión {ident}",
            "fecha_programada": fp,
            "estado": estado,
            "nueva_fecha": nueva,
            "fecha_realizacion": fr,
            "modalidad": "Presencial",
            "fecha_entrega_informe": entrega,
            "motivo": "Motivo" if estado in ("Reprogramada", "Cancelada") else None,
        }
        for i, (ident, plan, fp, estado, nueva, fr, entrega) in enumerate(filas)
    ]
    return desde_registros("cronograma", registros)


ASISTENTES = {
    "A1": [
        ("CC", "1001", "Mujer", False, "52001"),
        ("CC", "1002", "Hombre", False, "52001"),
        ("CC", "1003", "Mujer", False, "52356"),
        ("TI", "1003", "Hombre", False),
        ("CC", "1001", "Mujer", True),
        ("CC", "1-002", "Hombre", False),
    ],
    "A2": [
        ("CC", "1001", "Mujer", False),
        ("CC", "2001", None, False),
        ("CC", "2002", "Hombre", False),
    ],
    "A3": [("CC", "1002", "Hombre", False), ("CC", "3001", "Mujer", False)],
    "A5": [
        ("CC", "1001", "Mujer", False),
        ("CC", "5001", "Mujer", False),
        ("CC", "5002", "Hombre", False),
    ],
    "A7": [("CC", "7001", "Hombre", False)],
    "A8": [
        ("CC", "8001", "Mujer", False, "52835"),
        ("CC", "8002", "Mujer", False, "52835"),
        ("CC", "1001", "Mujer", False, "05001"),
    ],
    "A9": [("CC", "9001", "Hombre", False), ("CC", "9002", "Mujer", False)],
}
DIRECCION_ACTIVIDAD = {"A1": "DGT", "A2": "DGT", "A3": "DGT", "A5": "DGT", "A7": "DGT"} | {
    "A8": "DPV",
    "A9": "DPV",
}


def _asistencia() -> pd.DataFrame:
    registros = [
        _origen(DIRECCION_ACTIVIDAD[act], 10 + i, f"{act}/lista.xlsx")
        | {
            "id_actividad": act,
            "fecha_actividad": D(2025, 1, 1),
            "nombres": f"Persona {i}",
            "tipo_documento": tipo,
            "numero_documento": numero,
            "entidad_organizacion": "Alcaldía",
            "sexo": sexo,
            "autoriza_datos": "Sí",
            "repetido": fila[3],
            "municipio": fila[4] if len(fila) > 4 else None,
        }
        for act, filas in ASISTENTES.items()
        for i, fila in enumerate(filas)
        for tipo, numero, sexo in [fila[:3]]
    ]
    return desde_registros("asistencia", registros)


EVALUACIONES = {
    "A1": [(5, 4, None, 5, 4, 5), (4, None, None, 3, 4, 3)],
    "A2": [(5, 5, 5, 5, 5, 4)],
    "A3": [(3, 3, 3, 3, 3, 2), (None, None, None, None, None, 5)],
    "A5": [(4, 4, 4, 4, 4, 4)],
    "A7": [(2, 2, 2, 2, 2, 1)],
    "A8": [(5, 5, 5, 5, 5, 5), (4, 4, 4, 4, 4, 4), (3, None, 3, 3, 3, 3)],
}
PREGUNTAS = (
    "pertinencia",
    "claridad",
    "metodologia",
    "dominio",
    "utilidad",
    "satisfaccion_general",
)


def _evaluacion() -> pd.DataFrame:
    registros = [
        _origen(DIRECCION_ACTIVIDAD[act], 10 + i, f"{act}/evaluacion.xlsx")
        | {"id_actividad": act, "fecha_actividad": D(2025, 1, 1)}
        | dict(zip(PREGUNTAS, respuestas, strict=True))
        for act, filas in EVALUACIONES.items()
        for i, respuestas in enumerate(filas)
    ]
    return desde_registros("evaluacion", registros)


def _compromisos() -> pd.DataFrame:
    filas = [
        ("C1", "A1", D(2025, 3, 1), "Cumplido", D(2025, 2, 25)),
        ("C2", "A1", D(2025, 3, 15), "Cumplido", D(2025, 4, 10)),
        ("C3", "A2", D(2025, 3, 31), "Pendiente", None),
        ("C4", "A3", D(2025, 5, 30), "En curso", None),
        ("C5", "A3", D(2025, 6, 15), "Cancelado", None),
        ("C6", "A8", D(2025, 2, 28), "Cumplido", D(2025, 2, 20)),
        ("C7", "A9", D(2025, 9, 30), "Pendiente", None),
        ("C8", "A7", D(2025, 8, 15), "Cumplido", D(2025, 8, 1)),
    ]
    registros = [
        _origen(DIRECCION_ACTIVIDAD[act], 10 + i, "compromisos.xlsx")
        | {
            "fecha_corte": CORTE,
            "id_actividad": act,
            "compromiso": ident,
            "responsable": "Secretaría de Gobierno",
            "fecha_limite": limite,
            "estado": estado,
            "fecha_cumplimiento": cumplimiento,
        }
        for i, (ident, act, limite, estado, cumplimiento) in enumerate(filas)
    ]
    return desde_registros("compromisos", registros)


def _tablas() -> dict[str, pd.DataFrame]:
    return {
        "plan": _plan(),
        "cronograma": _cronograma(),
        "asistencia": _asistencia(),
        "evaluacion": _evaluacion(),
        "compromisos": _compromisos(),
    }


@pytest.fixture(scope="module")
def consolidado():
    return consolidar(_tablas(), CONFIG, 2025, CORTE)


@pytest.fixture(scope="module")
def tabla(consolidado):
    return calcular_indicadores(consolidado, periodos(2025, CORTE))


VACIO = None  # razón con denominador 0


def _fila(tabla: pd.DataFrame, periodo: str, nivel: str, direccion: str, tema: str, indicador: str):
    seleccion = tabla[
        (tabla["periodo"] == periodo)
        & (tabla["nivel"] == nivel)
        & (tabla["direccion"] == direccion)
        & (tabla["tema"] == tema)
        & (tabla["indicador"] == indicador)
    ]
    assert len(seleccion) == 1, (periodo, nivel, direccion, tema, indicador)
    return seleccion.iloc[0]


def _comprobar(tabla, periodo, nivel, direccion, tema, esperados: dict) -> int:
    """Compara cada indicador con su valor esperado (2 decimales); devuelve cuántos comprobó."""
    for indicador, esperado in esperados.items():
        valor = _fila(tabla, periodo, nivel, direccion, tema, indicador)["valor"]
        if esperado is VACIO:
            assert math.isnan(valor), (periodo, nivel, direccion, tema, indicador, valor)
        else:
            assert round(valor, 2) == pytest.approx(esperado), (
                periodo,
                nivel,
                direccion,
                tema,
                indicador,
                valor,
            )
    return len(esperados)


def _todos(valores: list) -> dict:
    """Los 30 indicadores en el orden de §6 con sus valores esperados."""
    assert len(valores) == len(INDICADORES)
    return dict(zip(INDICADORES, valores, strict=True))


# --- Entidad -------------------------------------------------------------------------------------

ENTIDAD_T1 = _todos(
    [
        3,  # programadas: fp en T1 → A1 10/02, A2 20/03, A8 20/01
        3,  # realizadas: fr en T1 → A1, A2, A8
        0,  # reprogramadas (A4 es de mayo)
        0,  # canceladas
        100.0,  # cumplimiento: 3 (A1, A2, A8 realizadas) / 3 programadas
        30.0,  # avance: 3 realizadas hasta 31/03 / Σ sesiones 10
        10,  # asistentes: A1 4 + A2 3 + A8 3
        8,  # personas únicas: CC1001 CC1002 CC1003 TI1003 CC2001 CC2002 CC8001 CC8002
        6,  # mujeres: A1 2 + A2 1 + A8 3
        3,  # hombres: A1 2 + A2 1 + A8 0
        2,  # municipios: 52001 (P1), 52835 (P3)
        1,  # departamentos: 52
        6,  # evaluaciones: A1 2 + A2 1 + A8 3
        60.0,  # cobertura: 6 / 10
        66.67,  # satisfacción: ≥4 → A1 1 + A2 1 + A8 2 = 4 / 6
        4.33,  # pertinencia: (5+4 + 5 + 5+4+3) = 26 / 6
        4.5,  # claridad: (4 + 5 + 5+4) = 18 / 4
        4.25,  # metodología: (5 + 5+4+3) = 17 / 4
        4.17,  # dominio: (5+3 + 5 + 5+4+3) = 25 / 6
        4.17,  # utilidad: (4+4 + 5 + 5+4+3) = 25 / 6
        4.0,  # satisfacción general: (5+3 + 4 + 5+4+3) = 24 / 6
        100.0,  # evidencias: A1, A2, A8 tienen lista y evaluación → 3 / 3
        66.67,  # oportunos: A1 (3), A2 (3, festivo 24/03) sí; A8 (4) no → 2 / 3
        4,  # con vencimiento (límite ≤ 31/03, no Cancelado): C1, C2, C3, C6
        2,  # cumplidos hasta 31/03: C1, C6 (C2 se cumplió el 10/04)
        50.0,  # 2 / 4
        30.0,  # esperado: no canceladas con fecha vigente ≤ 31/03: A1 A2 A8 = 3 / 10
        0,  # vencidas: A4 (15/07) y A10 (14/10) aún no vencen en T1
        33.33,  # participantes: P1 (A1 4 + A2 3) + P3 (A8 3) = 10 / (20 + 10)
        4,  # municipios con asistentes: A1 52001 52356, A8 52835 05001
    ]
)

ENTIDAD_S1 = _todos(
    [
        8,  # fp en S1: A1 A2 A3 A4 A6 A7 A8 A9
        5,  # fr en S1: A1 A2 A3 A8 A9 (A7 se hizo el 02/07)
        1,  # A4
        1,  # A6
        75.0,  # fp en S1 y Realizada: A1 A2 A3 A7 A8 A9 = 6 / 8
        50.0,  # 5 / 10
        14,  # T1 10 + A3 2 + A9 2
        11,  # T1 8 + CC3001 + CC9001 + CC9002 (CC1002 ya estaba)
        8,  # T1 6 + A3 1 + A9 1
        5,  # T1 3 + A3 1 + A9 1
        2,  # 52001, 52835
        1,  # 52
        8,  # T1 6 + A3 2 (A9 sin evaluaciones)
        57.14,  # 8 / 14
        62.5,  # T1 4 + A3 1 (el 5) = 5 / 8
        4.14,  # pertinencia: 26 + 3 = 29 / 7
        4.2,  # claridad: 18 + 3 = 21 / 5
        4.0,  # metodología: 17 + 3 = 20 / 5
        4.0,  # dominio: 25 + 3 = 28 / 7
        4.0,  # utilidad: 25 + 3 = 28 / 7
        3.88,  # satisfacción general: 24 + 2 + 5 = 31 / 8 = 3.875
        80.0,  # evidencias: A1 A2 A3 A8 sí, A9 sin evaluación → 4 / 5
        60.0,  # oportunos: A1 A2 A9 sí; A3 (4) A8 (4) no → 3 / 5
        5,  # límite ≤ 30/06 no cancelado: C1 C2 C3 C4 C6
        3,  # cumplidos hasta 30/06: C1 C2 C6
        60.0,  # 3 / 5
        60.0,  # esperado ≤ 30/06: A1 A2 A3 A7 A8 A9 (A4 pasó al 15/07, A6 cancelada) = 6 / 10
        0,  # vencidas: A4 vence el 15/07, después del fin de S1
        46.67,  # participantes: T1 10 + A3 2 + A9 2 = 14 / 30
        4,  # A3 y A9 sin municipio de asistentes
    ]
)

ENTIDAD_ANIO = _todos(
    [
        11,  # A1..A11
        8,  # A1 A2 A3 A5 A7 A8 A9 A11
        1,  # A4
        1,  # A6
        72.73,  # 8 / 11
        80.0,  # 8 / 10
        18,  # S1 14 + A5 3 + A7 1 + A11 0
        14,  # S1 11 + CC5001 + CC5002 + CC7001
        10,  # S1 8 + A5 2
        7,  # S1 5 + A5 1 + A7 1
        2,  # 52001, 52835 (P2 y P4 sin municipio)
        2,  # 52, 05 (P4 nacional, sin departamento)
        10,  # S1 8 + A5 1 + A7 1
        55.56,  # 10 / 18
        60.0,  # S1 5 + A5 1 + A7 0 = 6 / 10
        3.89,  # pertinencia: 29 + 4 + 2 = 35 / 9
        3.86,  # claridad: 21 + 4 + 2 = 27 / 7
        3.71,  # metodología: 20 + 4 + 2 = 26 / 7
        3.78,  # dominio: 28 + 4 + 2 = 34 / 9
        3.78,  # utilidad: 28 + 4 + 2 = 34 / 9
        3.6,  # satisfacción general: 31 + 4 + 1 = 36 / 10
        75.0,  # evidencias: A1 A2 A3 A5 A7 A8 = 6 / 8 (A9, A11 no)
        62.5,  # oportunos: A1 A2 A7 A9 A11 = 5 / 8 (A3, A8 tarde; A5 sin informe)
        7,  # todos menos C5 (Cancelado)
        4,  # C1 C2 C6 C8
        57.14,  # 4 / 7
        100.0,  # esperado: todas menos A6 = 10 / 10
        2,  # vencidas: A4 (Reprogramada, 15/07) y A10 (Programada, 14/10), antes del corte
        56.67,  # participantes: S1 14 + A5 3 = 17 / 30 (A7 es de P2 y A11 de P4: sin meta)
        4,
    ]
)

# --- Dirección -----------------------------------------------------------------------------------

DGT_T1 = _todos(
    [
        2,  # A1, A2
        2,
        0,
        0,
        100.0,  # 2 / 2
        33.33,  # 2 / (4 + 2)
        7,  # A1 4 + A2 3
        6,  # CC1001 CC1002 CC1003 TI1003 CC2001 CC2002
        3,  # A1 2 + A2 1
        3,  # A1 2 + A2 1
        1,  # 52001
        1,  # 52
        3,  # A1 2 + A2 1
        42.86,  # 3 / 7
        66.67,  # 2 / 3
        4.67,  # (5 + 4 + 5) / 3
        4.5,  # (4 + 5) / 2
        5.0,  # 5 / 1
        4.33,  # (5 + 3 + 5) / 3
        4.33,  # (4 + 4 + 5) / 3
        4.0,  # (5 + 3 + 4) / 3
        100.0,  # 2 / 2
        100.0,  # 2 / 2
        3,  # C1 C2 C3
        1,  # C1
        33.33,  # 1 / 3
        33.33,  # esperado: A1 A2 = 2 / 6
        0,
        35.0,  # participantes: solo P1 tiene meta: A1 4 + A2 3 = 7 / 20
        2,  # 52001, 52356
    ]
)

DPV_T1 = _todos(
    [
        1,  # A8
        1,
        0,
        0,
        100.0,
        25.0,  # 1 / (3 + 1)
        3,
        3,  # CC8001 CC8002 CC1001
        3,
        0,
        1,  # 52835
        1,  # 52
        3,
        100.0,  # 3 / 3
        66.67,  # 2 / 3
        4.0,  # (5 + 4 + 3) / 3
        4.5,  # (5 + 4) / 2
        4.0,  # 12 / 3
        4.0,
        4.0,
        4.0,  # (5 + 4 + 3) / 3
        100.0,  # 1 / 1
        0.0,  # A8 tarde: 0 / 1
        1,  # C6
        1,
        100.0,
        25.0,  # esperado: A8 = 1 / 4
        0,
        30.0,  # participantes: A8 3 / 10 (P3)
        2,  # 52835, 05001
    ]
)

DGT_S1 = _todos(
    [
        6,  # A1 A2 A3 A4 A6 A7
        3,  # A1 A2 A3
        1,  # A4
        1,  # A6
        66.67,  # A1 A2 A3 A7 realizadas = 4 / 6
        50.0,  # 3 / 6
        9,  # 4 + 3 + 2
        7,  # CC1001 CC1002 CC1003 TI1003 CC2001 CC2002 CC3001
        4,  # 2 + 1 + 1
        4,  # 2 + 1 + 1
        1,
        1,
        5,  # 2 + 1 + 2
        55.56,  # 5 / 9
        60.0,  # A1 1 + A2 1 + A3 1 = 3 / 5
        4.25,  # (5 + 4 + 5 + 3) / 4
        4.0,  # (4 + 5 + 3) / 3
        4.0,  # (5 + 3) / 2
        4.0,  # (5 + 3 + 5 + 3) / 4
        4.0,  # (4 + 4 + 5 + 3) / 4
        3.8,  # (5 + 3 + 4 + 2 + 5) / 5
        100.0,  # 3 / 3
        66.67,  # A1 A2 sí, A3 no → 2 / 3
        4,  # C1 C2 C3 C4
        2,  # C1 C2
        50.0,
        66.67,  # esperado: A1 A2 A3 A7 = 4 / 6
        0,
        45.0,  # participantes: A1 4 + A2 3 + A3 2 = 9 / 20
        2,
    ]
)

DGT_ANIO = _todos(
    [
        7,  # A1..A7
        5,  # A1 A2 A3 A5 A7
        1,
        1,
        71.43,  # 5 / 7
        83.33,  # 5 / 6
        13,  # 4 + 3 + 2 + 3 + 1
        10,  # CC1001 CC1002 CC1003 TI1003 CC2001 CC2002 CC3001 CC5001 CC5002 CC7001
        6,  # 2 + 1 + 1 + 2 + 0
        6,  # 2 + 1 + 1 + 1 + 1
        1,  # 52001 (P2 sin municipio)
        2,  # 52, 05
        7,  # 2 + 1 + 2 + 1 + 1
        53.85,  # 7 / 13
        57.14,  # A1 1 + A2 1 + A3 1 + A5 1 + A7 0 = 4 / 7
        3.83,  # (5 + 4 + 5 + 3 + 4 + 2) = 23 / 6
        3.6,  # (4 + 5 + 3 + 4 + 2) = 18 / 5
        3.5,  # (5 + 3 + 4 + 2) = 14 / 4
        3.67,  # (5 + 3 + 5 + 3 + 4 + 2) = 22 / 6
        3.67,  # (4 + 4 + 5 + 3 + 4 + 2) = 22 / 6
        3.43,  # (5 + 3 + 4 + 2 + 5 + 4 + 1) = 24 / 7
        100.0,  # 5 / 5
        60.0,  # A1 A2 A7 = 3 / 5
        5,  # C1 C2 C3 C4 C8
        3,  # C1 C2 C8
        60.0,
        100.0,  # esperado: A1..A7 menos A6 = 6 / 6
        1,  # vencidas: A4
        60.0,  # participantes: 4 + 3 + 2 + 3 (A5) = 12 / 20 (A7 es de P2, sin meta)
        2,
    ]
)

DPV_ANIO = _todos(
    [
        4,  # A8 A9 A10 A11
        3,  # A8 A9 A11
        0,
        0,
        75.0,  # 3 / 4
        75.0,  # 3 / 4
        5,  # 3 + 2 + 0
        5,  # CC8001 CC8002 CC1001 CC9001 CC9002
        4,  # 3 + 1
        1,
        1,  # 52835 (P4 sin municipio)
        1,  # 52
        3,
        60.0,  # 3 / 5
        66.67,  # 2 / 3
        4.0,
        4.5,
        4.0,
        4.0,
        4.0,
        4.0,
        33.33,  # solo A8 completa: 1 / 3
        66.67,  # A9 A11 = 2 / 3
        2,  # C6 C7
        1,  # C6
        50.0,
        100.0,  # esperado: A8 A9 A10 A11 = 4 / 4
        1,  # vencidas: A10
        50.0,  # participantes: A8 3 + A9 2 = 5 / 10 (A11 es de P4, sin meta)
        2,
    ]
)

# Una dirección configurada sin datos: conteos 0 y razones vacías (también el avance: Σ sesiones 0).
# Avance esperado y en participantes sin denominador: vacíos.
SIN_DATOS = _todos(
    [0, 0, 0, 0, VACIO, VACIO, 0, 0, 0, 0, 0, 0, 0]
    + [VACIO] * 10
    + [0, 0, VACIO, VACIO, 0, VACIO, 0]
)

# --- Tema ----------------------------------------------------------------------------------------

# PISCC (solo P1: A1..A5) en S1: como DGT en S1 sin A6 ni A7 entre las programadas.
PISCC_S1 = DGT_S1 | {
    "Actividades programadas": 4,  # A1 A2 A3 A4
    "Actividades canceladas": 0,
    "Cumplimiento del cronograma (%)": 75.0,  # A1 A2 A3 / 4
    "Avance del plan (%)": 75.0,  # 3 / 4 sesiones de P1
    "Avance esperado (%)": 75.0,  # A1 A2 A3 (A4 pasó al 15/07) / 4
}

# En T1 P2 no tiene actividades: PISCC es DGT salvo el avance (2 / 4).
PISCC_T1 = DGT_T1 | {"Avance del plan (%)": 50.0, "Avance esperado (%)": 50.0}

CODIGO_ANIO = _todos(
    [
        2,  # A6 A7
        1,  # A7
        0,
        1,  # A6
        50.0,  # 1 / 2
        50.0,  # 1 / 2 sesiones de P2
        1,
        1,
        0,
        1,
        0,  # P2 sin municipio
        1,  # 05
        1,
        100.0,  # 1 / 1
        0.0,  # satisfacción 1 < 4: 0 / 1
        2.0,
        2.0,
        2.0,
        2.0,
        2.0,
        1.0,
        100.0,
        100.0,  # A7 entregado el mismo día
        1,  # C8
        1,
        100.0,
        50.0,  # esperado: A7 (A6 cancelada) = 1 / 2
        0,
        VACIO,  # P2 no indica participantes esperados
        0,  # el asistente de A7 no registró municipio
    ]
)

# En T1 P2 no tiene actividades, pero su avance sí tiene denominador (2 sesiones): 0, no vacío.
CODIGO_T1 = SIN_DATOS | {"Avance del plan (%)": 0.0, "Avance esperado (%)": 0.0}


CASOS = [
    ("2025T1", "entidad", "", "", ENTIDAD_T1),
    ("2025S1", "entidad", "", "", ENTIDAD_S1),
    ("2025", "entidad", "", "", ENTIDAD_ANIO),
    ("2025T1", "dirección", "DGT", "", DGT_T1),
    ("2025T1", "dirección", "DPV", "", DPV_T1),
    ("2025S1", "dirección", "DGT", "", DGT_S1),
    ("2025", "dirección", "DGT", "", DGT_ANIO),
    ("2025", "dirección", "DPV", "", DPV_ANIO),
    ("2025", "dirección", "DGI", "", SIN_DATOS),
    ("2025T1", "tema", "DGT", PISCC, PISCC_T1),
    ("2025T1", "tema", "DGT", CODIGO, CODIGO_T1),
    ("2025T1", "tema", "DPV", PREVENCION, DPV_T1),
    ("2025S1", "tema", "DGT", PISCC, PISCC_S1),
    ("2025", "tema", "DGT", CODIGO, CODIGO_ANIO),
    ("2025", "tema", "DPV", PREVENCION, DPV_ANIO),
    ("2025", "tema", "DPV", RUTAS, SIN_DATOS),
    ("2025", "tema", "DGI", MIPG, SIN_DATOS),
]


@pytest.mark.parametrize(
    ("periodo", "nivel", "direccion", "tema", "esperados"),
    CASOS,
    ids=[f"{c[0]}-{c[1]}-{c[2] or 'entidad'}-{c[3][:12]}" for c in CASOS],
)
def test_indicadores_a_mano(tabla, periodo, nivel, direccion, tema, esperados):
    assert _comprobar(tabla, periodo, nivel, direccion, tema, esperados) == len(INDICADORES)


def test_trimestres_tres_y_cuatro(tabla):
    t3 = {
        "Actividades programadas": 1,  # A5 15/07
        "Actividades realizadas": 2,  # A5 16/07, A7 02/07 (programada en junio)
        "Cumplimiento del cronograma (%)": 100.0,  # A5 / 1
        "Avance del plan (%)": 70.0,  # acumulado: A1 A2 A3 A5 A7 A8 A9 hasta 30/09 = 7 / 10
        "Asistentes": 4,  # A5 3 + A7 1
        "Personas únicas": 4,  # CC1001 CC5001 CC5002 CC7001
        "Mujeres": 2,
        "Hombres": 2,
        "Municipios atendidos": 1,  # 52001 (P2 sin municipio)
        "Departamentos atendidos": 2,  # 52, 05
        "Satisfacción (%)": 50.0,  # A5 4 sí, A7 1 no
        "Informes oportunos (%)": 50.0,  # A7 sí, A5 sin informe
        "Compromisos con vencimiento": 7,  # límite ≤ 30/09: todos menos C5 (Cancelado)
        "Compromisos cumplidos": 4,  # C1 C2 C6 C8
    }
    t4 = {
        "Actividades programadas": 2,  # A10 14/10, A11 05/11
        "Actividades realizadas": 1,  # A11
        "Cumplimiento del cronograma (%)": 50.0,  # 1 / 2
        "Avance del plan (%)": 80.0,  # 8 / 10
        "Asistentes": 0,
        "Cobertura de evaluación (%)": VACIO,  # 0 evaluaciones / 0 asistentes
        "Satisfacción (%)": VACIO,
        "Promedio satisfacción general": VACIO,
        "Evidencias completas (%)": 0.0,  # A11 sin lista ni evaluación: 0 / 1
        "Informes oportunos (%)": 100.0,  # A11 el mismo día
    }
    assert _comprobar(tabla, "2025T3", "entidad", "", "", t3) == 14
    assert _comprobar(tabla, "2025T4", "entidad", "", "", t4) == 10
    assert (
        _fila(tabla, "2025T3", "entidad", "", "", "Avance del plan (%)")["semaforo"] == "Amarillo"
    )


def test_niveles_suman_o_no_segun_el_indicador(tabla):
    # Personas únicas no es aditiva: CC1001 asistió en DGT y en DPV (10 + 5 ≠ 14).
    fila = _fila(tabla, "2025", "entidad", "", "", "Personas únicas")
    assert fila["valor"] == 14
    # Asistentes sí: 13 + 5 = 18.
    por_direccion = tabla[
        (tabla["periodo"] == "2025")
        & (tabla["nivel"] == "dirección")
        & (tabla["indicador"] == "Asistentes")
    ]
    assert por_direccion["valor"].sum() == 18


def test_forma_de_la_tabla_larga(tabla):
    assert tuple(tabla.columns) == COLUMNAS
    # 19 periodos × (1 entidad + 3 direcciones + 5 temas) × 30 indicadores, en ese orden.
    assert len(INDICADORES) == 30
    assert len(tabla) == 19 * (1 + 3 + 5) * 30
    meses = [f"2025M{n:02d}" for n in range(1, 13)]
    assert list(tabla["periodo"].unique()) == [
        "2025T1",
        "2025T2",
        "2025T3",
        "2025T4",
        "2025S1",
        "2025S2",
        *meses,
        "2025",
    ]
    primeras = tabla.head(len(INDICADORES))
    assert list(primeras["indicador"]) == list(INDICADORES)
    assert set(primeras["nivel"]) == {"entidad"}
    niveles = tabla[tabla["periodo"] == "2025T1"].drop_duplicates(["nivel", "direccion", "tema"])
    assert list(niveles["nivel"]) == ["entidad"] + ["dirección"] * 3 + ["tema"] * 5
    assert list(niveles["direccion"]) == [
        "",
        "DGT",
        "DPV",
        "DGI",
        "DGT",
        "DGT",
        "DPV",
        "DPV",
        "DGI",
    ]
    assert list(niveles["tema"])[4:] == [PISCC, CODIGO, PREVENCION, RUTAS, MIPG]


def test_numerador_y_denominador(tabla):
    # Conteo: solo valor.
    conteo = _fila(tabla, "2025T1", "entidad", "", "", "Asistentes")
    assert math.isnan(conteo["numerador"]) and math.isnan(conteo["denominador"])
    # Razón: numerador y denominador, valor = 100 × num / den.
    cobertura = _fila(tabla, "2025T1", "entidad", "", "", "Cobertura de evaluación (%)")
    assert (cobertura["numerador"], cobertura["denominador"]) == (6, 10)
    # Promedio: suma de respuestas no vacías / cuántas hay.
    claridad = _fila(tabla, "2025T1", "entidad", "", "", "Promedio claridad")
    assert (claridad["numerador"], claridad["denominador"]) == (18, 4)
    # Avance: Σ sesiones del plan como denominador.
    avance = _fila(tabla, "2025", "dirección", "DPV", "", "Avance del plan (%)")
    assert (avance["numerador"], avance["denominador"]) == (3, 4)
    # Denominador 0: valor vacío, numerador y denominador 0.
    vacio = _fila(tabla, "2025", "tema", "DPV", RUTAS, "Cumplimiento del cronograma (%)")
    assert (vacio["numerador"], vacio["denominador"]) == (0, 0) and math.isnan(vacio["valor"])


def test_semaforo_en_la_tabla(tabla):
    def color(periodo, indicador):
        return _fila(tabla, periodo, "entidad", "", "", indicador)["semaforo"]

    assert color("2025T1", "Cumplimiento del cronograma (%)") == "Verde"  # 100 ≥ 90
    assert color("2025S1", "Cumplimiento del cronograma (%)") == "Amarillo"  # 70 ≤ 75 < 90
    assert color("2025T1", "Asistentes") == ""  # no es porcentaje
    assert color("2025T1", "Promedio claridad") == ""
    vacio = _fila(tabla, "2025", "tema", "DPV", RUTAS, "Avance del plan (%)")
    assert vacio["semaforo"] == ""  # sin valor
    con_color = tabla[tabla["semaforo"] != ""]
    assert set(con_color["indicador"]) <= PORCENTAJES
    assert len(PORCENTAJES) == 9


def test_semaforo_del_avance_frente_a_lo_esperado(tabla):
    """Avance del plan (%) se juzga por la razón avance / esperado con los umbrales 90 y 70 (§6.1)."""

    def fila(periodo, nivel, direccion, tema):
        avance = _fila(tabla, periodo, nivel, direccion, tema, "Avance del plan (%)")
        esperado = _fila(tabla, periodo, nivel, direccion, tema, "Avance esperado (%)")
        return round(avance["valor"], 2), round(esperado["valor"], 2), avance["semaforo"]

    # T1: se hizo todo lo que vencía (A1 A2 A8): 30 frente a 30 → 100 % → Verde, aunque el 30 %
    # del plan anual sería Rojo con los umbrales.
    assert fila("2025T1", "entidad", "", "") == (30.0, 30.0, "Verde")
    # S1: 50 frente a 60 (A7, programada en junio, se hizo en julio) → 83,33 % → Amarillo.
    assert fila("2025S1", "entidad", "", "") == (50.0, 60.0, "Amarillo")
    # Octubre, DPV: A8 A9 realizadas (2 / 4) frente a A8 A9 A10 (14/10) esperadas (3 / 4) → 66,67 %.
    assert fila("2025M10", "dirección", "DPV", "") == (50.0, 75.0, "Rojo")
    # Nada vencía aún: CÓDIGO en T1 tiene avance 0 y esperado 0 → sin semáforo.
    assert fila("2025T1", "tema", "DGT", CODIGO) == (0.0, 0.0, "")


def test_semaforo_de_la_cobertura_frente_al_minimo(consolidado):
    """Cobertura de evaluación: Verde desde cobertura_minima_evaluacion, si no Rojo (nunca Amarillo)."""
    t1 = periodos(2025, CORTE)[:1]
    tabla = calcular_indicadores(consolidado, t1)
    cobertura = _fila(tabla, "2025T1", "entidad", "", "", "Cobertura de evaluación (%)")
    assert (cobertura["valor"], cobertura["semaforo"]) == (60.0, "Verde")  # 6 / 10 ≥ 10
    exigente = _config_con(cobertura_minima_evaluacion=61)
    tabla = calcular_indicadores(consolidar(_tablas(), exigente, 2025, CORTE), t1)
    assert (
        _fila(tabla, "2025T1", "entidad", "", "", "Cobertura de evaluación (%)")["semaforo"]
        == "Rojo"
    )  # 60 < 61: bajo el mínimo de los procedimientos
    # DPV en T1: 3 / 3 = 100 % ≥ 61 → Verde.
    assert (
        _fila(tabla, "2025T1", "dirección", "DPV", "", "Cobertura de evaluación (%)")["semaforo"]
        == "Verde"
    )


def test_sin_semaforo_donde_la_ficha_no_lo_tiene(tabla):
    """Avance esperado, Avance en participantes, conteos y promedios nunca llevan semáforo."""
    sin = {"Avance esperado (%)", "Avance en participantes (%)", "Asistentes", "Promedio claridad"}
    assert not sin & set(CON_SEMAFORO)
    con_color = tabla[tabla["semaforo"] != ""]
    assert set(con_color["indicador"]) == set(CON_SEMAFORO)
    assert all(ficha(n).clase is Clase.PORCENTAJE for n in CON_SEMAFORO)
    assert ficha("Avance del plan (%)").semaforo.referencia == "Avance esperado (%)"
    assert ficha("Cobertura de evaluación (%)").semaforo.tipo is TipoSemaforo.MINIMO_COBERTURA


def test_un_mes_a_mano(tabla):
    """Febrero de 2025, entidad: un mes es un periodo como los demás (§6, meses v2)."""
    febrero = {
        "Actividades programadas": 1,  # fp en febrero: A1 10/02
        "Actividades realizadas": 1,  # A1
        "Avance del plan (%)": 20.0,  # realizadas hasta el 28/02: A8 (20/01) A1 = 2 / 10
        "Avance esperado (%)": 20.0,  # fecha vigente ≤ 28/02: A8 A1 = 2 / 10
        "Actividades vencidas": 0,
        "Asistentes": 4,  # A1
        "Municipios con asistentes": 2,  # 52001, 52356
        "Cobertura de evaluación (%)": 50.0,  # A1: 2 evaluaciones / 4 asistentes
        "Avance en participantes (%)": 23.33,  # A8 3 + A1 4 = 7 / 30
        "Compromisos con vencimiento": 1,  # C6 (28/02)
        "Compromisos cumplidos": 1,  # C6 (20/02)
    }
    assert _comprobar(tabla, "2025M02", "entidad", "", "", febrero) == 11
    # Octubre en DPV: A10 (14/10) sigue Programada antes del corte → vencida.
    assert _fila(tabla, "2025M10", "dirección", "DPV", "", "Actividades vencidas")["valor"] == 1


def test_actividades_vencidas_lista_lo_que_cuenta_el_indicador(consolidado, tabla):
    anio = periodos(2025, CORTE)[-1]
    vencidas = actividades_vencidas(consolidado, anio)
    assert list(vencidas["id_actividad"]) == ["A4", "A10"]  # DGT antes que DPV
    assert list(vencidas["fecha_vigente"].dt.strftime("%d/%m")) == ["15/07", "14/10"]
    assert len(vencidas) == _fila(tabla, "2025", "entidad", "", "", "Actividades vencidas")["valor"]
    # Con un corte anterior al 14/10, A10 aún no está vencida.
    assert list(actividades_vencidas(consolidado, anio, D(2025, 10, 14))["id_actividad"]) == ["A4"]
    # Al fin de S1 (30/06) A4 tampoco: su fecha vigente es la Nueva fecha, 15/07.
    assert actividades_vencidas(consolidado, periodos(2025, CORTE)[4]).empty


def test_semaforo_indicador_escalar():
    parametros = CONFIG.parametros
    valores = {"Avance del plan (%)": 45.0, "Avance esperado (%)": 50.0}
    assert semaforo_indicador("Avance del plan (%)", valores, parametros) == "Verde"  # 90 %
    valores["Avance esperado (%)"] = 0.0
    assert semaforo_indicador("Avance del plan (%)", valores, parametros) == ""
    assert semaforo_indicador("Avance esperado (%)", valores, parametros) == ""
    assert semaforo_indicador("Satisfacción (%)", {"Satisfacción (%)": 70}, parametros) == (
        "Amarillo"
    )


def test_semaforo_umbral():
    parametros = CONFIG.parametros  # verde 90, amarillo 70
    assert semaforo(90, parametros) == "Verde"
    assert semaforo(89.999, parametros) == "Verde"  # se compara a 2 decimales, como se muestra
    assert semaforo(89.99, parametros) == "Amarillo"
    assert semaforo(70, parametros) == "Amarillo"
    assert semaforo(69.99, parametros) == "Rojo"
    assert semaforo(None, parametros) == ""
    assert semaforo(float("nan"), parametros) == ""


def test_parametro_dias_habiles():
    # Con 4 días hábiles, A8 (4 días) también es oportuno: T1 pasa de 2/3 a 3/3.
    config = _config_con(dias_habiles_informe=4)
    consolidado = consolidar(_tablas(), config, 2025, CORTE)
    tabla = calcular_indicadores(consolidado, periodos(2025, CORTE)[:1])
    assert _fila(tabla, "2025T1", "entidad", "", "", "Informes oportunos (%)")["valor"] == 100


# --- Periodo Parcial -----------------------------------------------------------------------------


def test_periodo_parcial_no_cuenta_fechas_posteriores_al_corte():
    corte = D(2025, 5, 15)
    lista = periodos(2025, corte)
    meses = ["2025M01", "2025M02", "2025M03", "2025M04", "2025M05"]
    assert [p.codigo for p in lista] == ["2025T1", "2025T2", "2025S1", *meses, "2025"]
    tabla = calcular_indicadores(consolidar(_tablas(), CONFIG, 2025, corte), lista)
    t2 = {
        "Actividades programadas": 2,  # A3 10/04, A9 06/05 (A4 20/05 es posterior al corte)
        "Actividades realizadas": 2,  # A3 15/04, A9 06/05
        "Actividades reprogramadas": 0,  # A4 no cuenta: 20/05 > 15/05
        "Actividades canceladas": 0,  # A6 05/06 no cuenta
        "Cumplimiento del cronograma (%)": 100.0,  # 2 / 2
        "Avance del plan (%)": 50.0,  # A1 A2 A3 A8 A9 hasta el 15/05 = 5 / 10
        "Asistentes": 4,  # A3 2 + A9 2
        "Personas únicas": 4,  # CC1002 CC3001 CC9001 CC9002
        "Mujeres": 2,  # CC3001, CC9002
        "Hombres": 2,  # CC1002, CC9001
        "Evaluaciones": 2,  # A3
        "Cobertura de evaluación (%)": 50.0,  # 2 / 4
        "Compromisos con vencimiento": 4,  # límite ≤ 15/05: C1 C2 C3 C6 (C4 vence el 30/05)
        "Compromisos cumplidos": 3,  # C1, C2 (10/04), C6
        "Cumplimiento de compromisos (%)": 75.0,  # 3 / 4
    }
    anio = {
        "Actividades programadas": 5,  # A1 A2 A3 A8 A9: nada después del 15/05
        "Actividades realizadas": 5,
        "Actividades reprogramadas": 0,
        "Cumplimiento del cronograma (%)": 100.0,
        "Avance del plan (%)": 50.0,
        "Asistentes": 14,
        "Compromisos con vencimiento": 4,
        "Compromisos cumplidos": 3,
    }
    assert _comprobar(tabla, "2025T2", "entidad", "", "", t2) == 15
    assert _comprobar(tabla, "2025", "entidad", "", "", anio) == 8
    # DGT en T2 parcial: solo A3 (A4, A6 y A7 tienen fecha programada posterior al corte).
    assert _comprobar(tabla, "2025T2", "dirección", "DGT", "", {"Actividades programadas": 1}) == 1


# --- Vistas para informes ------------------------------------------------------------------------


def test_indicadores_por_item(consolidado):
    anio = periodos(2025, CORTE)[-1]
    items = indicadores_por_item(consolidado, anio).set_index("id_asistencia")
    assert list(items.index) == ["P1", "P2", "P3", "P4"]
    extra = ("Avance acumulado (%)", "Compromisos pendientes", "Semáforo del avance")
    for columna in INDICADORES + extra:
        assert columna in items.columns
    divipola = cargar_divipola()
    p1 = items.loc["P1"]
    assert p1["departamento"] == divipola.nombre_departamento("52")
    assert p1["municipio"] == divipola.nombre_municipio("52001")
    assert p1["direccion"] == "DGT" and p1["tema"] == PISCC
    assert p1["Actividades programadas"] == 5  # A1..A5
    assert p1["Actividades realizadas"] == 4  # A1 A2 A3 A5
    assert p1["Asistentes"] == 12  # 4 + 3 + 2 + 3
    assert p1["Personas únicas"] == 9
    assert p1["Avance acumulado (%)"] == 100.0  # 4 / 4
    # Esperado: A1..A5 no canceladas = 5 / 4 sesiones = 125 %; A4 sigue pendiente: 100 / 125 = 80 %.
    assert p1["Avance esperado (%)"] == 125.0
    assert p1["Semáforo del avance"] == "Amarillo"
    assert p1["Compromisos pendientes"] == 2  # C3 Pendiente, C4 En curso (C5 Cancelado)
    assert items.loc["P2", "Avance acumulado (%)"] == 50.0  # 1 / 2
    # P2 hizo todo lo que se esperaba (A7; A6 se canceló): avance 50 frente a esperado 50 → Verde.
    assert items.loc["P2", "Avance esperado (%)"] == 50.0
    assert items.loc["P2", "Semáforo del avance"] == "Verde"
    # P3: A8 y A9 realizadas, A10 (14/10) no: 2 / 3 frente a 3 / 3 esperado → 66,67 % → Rojo.
    assert items.loc["P3", "Semáforo del avance"] == "Rojo"
    assert items.loc["P2", "municipio"] == ""
    assert items.loc["P3", "Compromisos pendientes"] == 1  # C7
    assert items.loc["P4", "departamento"] == ""
    assert math.isnan(items.loc["P4", "Cobertura de evaluación (%)"])  # A11 sin asistentes


def test_compromisos_pendientes_a_fin_del_periodo(consolidado):
    t1 = periodos(2025, CORTE)[0]
    items = indicadores_por_item(consolidado, t1).set_index("id_asistencia")
    # A 31/03: C2 aún no estaba cumplido (10/04) y C3 estaba pendiente; C4 y C5 no existían
    # (su sesión A3 fue el 15/04).
    assert items.loc["P1", "Compromisos pendientes"] == 2
    # C6 cumplido; C7 no existía (A9 fue el 06/05).
    assert items.loc["P3", "Compromisos pendientes"] == 0
    assert items.loc["P1", "Avance acumulado (%)"] == 50.0  # A1 A2 / 4


def test_actividades_periodo(consolidado):
    lista = periodos(2025, CORTE)
    t1 = actividades_periodo(consolidado, lista[0])
    assert sorted(t1["id_actividad"]) == ["A1", "A2", "A8"]
    # T3: A5 programada y realizada en julio; A7 programada en junio pero realizada el 02/07.
    t3 = actividades_periodo(consolidado, lista[2]).set_index("id_actividad")
    assert sorted(t3.index) == ["A5", "A7"]
    assert not t3.loc["A7", "programada_en_periodo"] and t3.loc["A7", "realizada_en_periodo"]
    assert not t3.loc["A5", "informe_oportuno"]  # sin informe
    for columna in ("tiene_lista", "tiene_evaluacion", "evidencias_completas", "informe_oportuno"):
        assert columna in t3.columns


def test_compromisos_periodo(consolidado):
    lista = periodos(2025, CORTE)
    t1 = compromisos_periodo(consolidado, lista[0]).set_index("compromiso")
    # Límite ≤ 31/03 o abiertos, y nacidos hasta el 31/03 (C4, C5, C7, C8 son de sesiones posteriores).
    assert sorted(t1.index) == ["C1", "C2", "C3", "C6"]
    # Vencido: límite < 31/03 y sin cumplir a esa fecha → solo C2 (C3 vence el mismo 31/03).
    assert list(t1.index[t1["vencido"]]) == ["C2"]
    anio = compromisos_periodo(consolidado, lista[-1]).set_index("compromiso")
    assert len(anio) == 8
    assert sorted(anio.index[anio["vencido"]]) == ["C3", "C4", "C7"]
    assert anio.loc["C1", "direccion"] == "DGT" and anio.loc["C6", "tema"] == PREVENCION
    for columna in ("id_actividad", "responsable", "fecha_limite", "estado", "fecha_cumplimiento"):
        assert columna in anio.columns


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_formato(tabla, tmp_path):
    ruta = escribir_indicadores_csv(tabla, tmp_path / "indicadores_2025.csv")
    datos = ruta.read_bytes()
    assert datos.startswith(b"\xef\xbb\xbf")  # BOM: Excel abre el UTF-8 con tildes
    lineas = datos.decode("utf-8-sig").split("\r\n")
    assert lineas[0] == ",".join(COLUMNAS_CSV)
    assert lineas[-1] == ""  # termina en salto de línea
    assert len(lineas) == len(tabla) + 2
    leida = pd.read_csv(ruta, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert tuple(leida.columns) == COLUMNAS_CSV

    def linea(periodo, nivel, direccion, tema, indicador):
        fila = leida[
            (leida["periodo"] == periodo)
            & (leida["nivel"] == nivel)
            & (leida["direccion"] == direccion)
            & (leida["tema"] == tema)
            & (leida["indicador"] == indicador)
        ]
        assert len(fila) == 1
        return tuple(fila.iloc[0][["numerador", "denominador", "valor"]])

    assert linea("2025T1", "entidad", "", "", "Satisfacción (%)") == ("4", "6", "66.67")
    assert linea("2025T1", "entidad", "", "", "Asistentes") == ("", "", "10")  # conteo
    assert linea("2025S1", "entidad", "", "", "Promedio satisfacción general") == (
        "31",
        "8",
        "3.88",
    )
    assert linea("2025", "tema", "DPV", RUTAS, "Satisfacción (%)") == ("0", "0", "")  # den. 0
    assert linea("2025", "dirección", "DGI", "", "Avance del plan (%)") == ("0", "0", "")
    assert linea("2025", "tema", "DGT", CODIGO, "Cumplimiento del cronograma (%)") == (
        "1",
        "2",
        "50",
    )
    # Indicadores v2 y meses en el CSV.
    assert linea("2025M02", "entidad", "", "", "Avance esperado (%)") == ("2", "10", "20")
    assert linea("2025", "entidad", "", "", "Actividades vencidas") == ("", "", "2")
    assert linea("2025", "entidad", "", "", "Avance en participantes (%)") == ("17", "30", "56.67")
    assert linea("2025T1", "entidad", "", "", "Municipios con asistentes") == ("", "", "4")
    assert {f"2025M{n:02d}" for n in range(1, 13)} <= set(leida["periodo"])
    # Las tildes se leen tal cual.
    assert "dirección" in set(leida["nivel"])
    assert "Cobertura de evaluación (%)" in set(leida["indicador"])
    assert CODIGO in set(leida["tema"])


def test_csv_redondeo():
    assert formatear_numero(66.665) == "66.67"  # mitad hacia arriba, no al par
    assert formatear_numero(3.875) == "3.88"
    assert formatear_numero(2 / 3 * 100) == "66.67"
    assert formatear_numero(100.0) == "100"
    assert formatear_numero(12.5) == "12.5"
    assert formatear_numero(float("nan")) == ""
    assert formatear_numero(None) == ""


def test_csv_escritura_atomica_reemplaza(tabla, tmp_path):
    ruta = tmp_path / "indicadores_2025.csv"
    ruta.write_text("versión anterior", encoding="utf-8")
    escribir_indicadores_csv(tabla.head(26), ruta)
    assert ruta.read_text(encoding="utf-8-sig").startswith("periodo,")
    assert [p.name for p in tmp_path.iterdir()] == ["indicadores_2025.csv"]  # sin temporales


def test_conteo_de_distintos_igual_con_arreglo_denso_u_ordenando(consolidado, tabla, monkeypatch):
    # Con muchos grupos × valores se numera ordenando (np.unique): el resultado debe ser el mismo.
    import pipeline.indicadores as ind

    monkeypatch.setattr(ind, "_MAX_DENSO", 0)
    ordenando = calcular_indicadores(consolidado, periodos(2025, CORTE))
    pd.testing.assert_frame_equal(ordenando, tabla)
