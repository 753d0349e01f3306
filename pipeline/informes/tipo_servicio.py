"""Hoja `Por tipo de servicio` del informe anual: lo realizado por tipo, mecanismo, modalidad y
origen (§7.1)."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.workbook import Workbook

from pipeline import indicadores as ind
from pipeline.informes.comun import (
    Adicional,
    Columna,
    DatosInforme,
    Encabezado,
    Estilos,
    hoja_tabla,
)
from pipeline.periodos import Periodo

SATISFACCION = "Satisfacción (%)"
# Columna de la tabla de actividades (el origen viene del plan) → título del desglose.
DESGLOSES = (
    ("tipo_servicio", "Tipo de servicio"),
    ("mecanismo", "Mecanismo"),
    ("modalidad", "Modalidad"),
    ("origen", "Origen"),
)
SIN_DATO = "Sin información"


def _columnas(titulo: str) -> list[Columna]:
    return [
        Columna(titulo, "grupo", ancho=30),
        Columna("Actividades realizadas", "realizadas", "entero", ancho=12),
        Columna("Asistentes", "asistentes", "entero", ancho=11),
        Columna("Evaluaciones", "evaluaciones", "entero", ancho=12),
        Columna(SATISFACCION, SATISFACCION, "porcentaje", ancho=13, semaforo="semaforo"),
    ]


def _realizadas(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """R(P) con el Origen de su ítem del plan."""
    consolidado = datos.consolidado
    act = consolidado.actividades[ind.en_r(consolidado, periodo)]
    plan = consolidado.tablas.get("plan")
    origen = {}
    if plan is not None and "origen" in plan:
        origen = dict(zip(plan["id_asistencia"], plan["origen"], strict=True))
    return act.assign(origen=act["id_asistencia"].map(origen))


def desglose(datos: DatosInforme, periodo: Periodo, columna: str) -> pd.DataFrame:
    """Realizadas, asistentes, evaluaciones y satisfacción por valor de `columna`, con el total.

    La satisfacción sigue la ficha de `Satisfacción (%)`: evaluaciones con Satisfacción general
    ≥ 4 sobre evaluaciones, sumadas de las actividades del grupo.
    """
    act = _realizadas(datos, periodo)
    grupo = act[columna].astype(object).where(act[columna].notna(), SIN_DATO)
    sumas = (
        act.assign(grupo=grupo, realizadas=1)
        .groupby("grupo", sort=True)[
            ["realizadas", "asistentes", "evaluaciones", "evaluaciones_satisfechas"]
        ]
        .sum()
    )
    sumas.loc["Total"] = sumas.sum()
    tabla = sumas.reset_index()
    evaluaciones = tabla["evaluaciones"].astype(float)
    tabla[SATISFACCION] = (100 * tabla["evaluaciones_satisfechas"] / evaluaciones).where(
        evaluaciones > 0
    )
    parametros = datos.consolidado.config.parametros
    tabla["semaforo"] = [
        ind.semaforo_indicador(SATISFACCION, {SATISFACCION: v}, parametros)
        for v in tabla[SATISFACCION]
    ]
    return tabla


def hoja_tipo_servicio(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Por tipo de servicio`: cuatro tablas, una por cada forma de clasificar el servicio."""
    (primera, titulo), *resto = DESGLOSES
    hoja_tabla(
        libro,
        estilos,
        "Por tipo de servicio",
        enc,
        f"Actividades realizadas, asistentes y satisfacción por {titulo.lower()}",
        _columnas(titulo),
        desglose(datos, periodo, primera),
        negrita_ultima=True,
        adicionales=[
            Adicional(f"Por {t.lower()}", _columnas(t), desglose(datos, periodo, c))
            for c, t in resto
        ],
    )
