"""Las metas del propio plan frente a lo logrado: sesiones, participantes y presupuesto (§7.1).

Por ítem del plan y por dirección. Los avances salen de la tabla de indicadores (numerador,
denominador y valor de `Avance del plan (%)` y `Avance en participantes (%)`); el presupuesto es un
dato del plan, que solo se suma.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pipeline.informes import incompletos
from pipeline.informes.comun import Columna, columnas_direccion, nombre_direccion, seleccion

if TYPE_CHECKING:
    from pipeline.consolidacion import Consolidado
    from pipeline.informes.datos import DatosInforme
    from pipeline.periodos import Periodo

AVANCE = "Avance del plan (%)"
PARTICIPANTES = "Avance en participantes (%)"

COLUMNAS_ITEM = (
    Columna("Participantes esperados", "participantes_esperados", "entero", ancho=12),
    Columna("Presupuesto (COP)", "presupuesto", "moneda", ancho=15),
)


def presupuesto_por_item(consolidado: Consolidado) -> pd.Series:
    """`Presupuesto (COP)` de cada ítem del plan, por ID asistencia (vacío si no lo indica)."""
    plan = consolidado.tablas.get("plan")
    if plan is None or plan.empty or "presupuesto" not in plan:
        return pd.Series(dtype=float)
    plan = plan.drop_duplicates("id_asistencia")
    return pd.to_numeric(plan["presupuesto"], errors="coerce").set_axis(plan["id_asistencia"])


def con_presupuesto(tabla: pd.DataFrame, consolidado: Consolidado) -> pd.DataFrame:
    """La tabla por ítem con su columna `presupuesto`."""
    presupuesto = presupuesto_por_item(consolidado)
    return tabla.assign(presupuesto=tabla["id_asistencia"].map(presupuesto).to_numpy())


COLUMNAS_DIRECCION = (
    *columnas_direccion(),
    Columna("Sesiones programadas", "sesiones", "entero", ancho=12),
    Columna("Sesiones realizadas (acumulado)", "realizadas", "entero", ancho=13),
    Columna(AVANCE, AVANCE, "porcentaje", ancho=12, semaforo="semaforo_avance"),
    Columna("Participantes esperados", "esperados", "entero", ancho=12),
    Columna("Asistentes de ítems con meta (acumulado)", "asistentes", "entero", ancho=14),
    Columna(PARTICIPANTES, PARTICIPANTES, "porcentaje", ancho=13),
    Columna("Presupuesto (COP)", "presupuesto", "moneda", ancho=16),
)


def _fila(filas: pd.DataFrame) -> dict:
    por = filas.set_index("indicador")

    def dato(nombre: str, columna: str):
        return por.at[nombre, columna] if nombre in por.index else None

    return {
        "sesiones": dato(AVANCE, "denominador"),
        "realizadas": dato(AVANCE, "numerador"),
        AVANCE: dato(AVANCE, "valor"),
        "semaforo_avance": dato(AVANCE, "semaforo") or "",
        "esperados": dato(PARTICIPANTES, "denominador"),
        "asistentes": dato(PARTICIPANTES, "numerador"),
        PARTICIPANTES: dato(PARTICIPANTES, "valor"),
    }


def metas_por_direccion(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """Por dirección y para la entidad: sesiones, participantes y presupuesto del plan frente a
    lo realizado hasta el fin del periodo."""
    consolidado = datos.consolidado
    por_direccion = seleccion(datos.indicadores, periodo.codigo, "dirección")
    presupuesto = presupuesto_por_item(consolidado)
    plan = consolidado.plan
    suma = presupuesto.reindex(plan["id_asistencia"]).groupby(plan["direccion"].to_numpy()).sum()
    filas = []
    for codigo in dict.fromkeys(por_direccion["direccion"]):
        fila = _fila(por_direccion[por_direccion["direccion"] == codigo])
        filas.append(
            {
                "direccion": codigo,
                "nombre": nombre_direccion(consolidado, codigo),
                **fila,
                "presupuesto": suma.get(codigo, 0.0),
            }
        )
    tabla = incompletos.marcar(
        pd.DataFrame(filas), incompletos.motivos_por_direccion(datos, periodo)
    )
    total = {
        "direccion": "",
        "nombre": "Total entidad",
        **_fila(seleccion(datos.indicadores, periodo.codigo, "entidad")),
        "presupuesto": float(presupuesto.sum()),
        "incompletos": "",
        "color_incompletos": "",
    }
    return pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
