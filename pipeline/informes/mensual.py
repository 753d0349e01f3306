"""Seguimiento mensual del plan de acción: `informes/seguimiento_mensual_<vigencia>.xlsx` (§7 v2).

`Por mes`: la entidad y cada dirección, con los meses empezados uno al lado del otro. `Por ítem
del plan`: cada ítem en cada mes. Los valores se toman de la tabla de indicadores (meses como
periodos, §6) y de `indicadores_por_item`; aquí no se calcula ningún indicador.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook

from pipeline import indicadores as ind
from pipeline.informes import alertas as al
from pipeline.informes import incompletos
from pipeline.informes.calidad import hoja_calidad
from pipeline.informes.comun import (
    Columna,
    DatosInforme,
    Encabezado,
    Estilos,
    acumulacion,
    columnas_direccion,
    encabezado,
    hoja_metadatos,
    hoja_tabla,
    libro_informe,
    nombre_direccion,
    tipo_indicador,
)
from pipeline.informes.notas import hoja_notas
from pipeline.informes.resumen_ejecutivo import cabecera
from pipeline.periodos import Periodo

INFORME = "Seguimiento mensual del plan de acción de asistencia técnica"
AVANCE = "Avance del plan (%)"
# Lo que pide el seguimiento mensual del plan de acción, en este orden.
POR_MES = (
    "Actividades programadas",
    "Actividades realizadas",
    "Actividades vencidas",
    AVANCE,
    "Avance esperado (%)",
    "Asistentes",
)
# Los indicadores que muestra el libro (Por mes, Por ítem del plan y el Resumen ejecutivo).
NOTAS = (*POR_MES, "Cumplimiento del cronograma (%)")


def ruta_mensual(carpeta_vigencia: Path, vigencia: int) -> Path:
    """`informes/seguimiento_mensual_<vigencia>.xlsx`."""
    return carpeta_vigencia / "informes" / f"seguimiento_mensual_{vigencia}.xlsx"


def meses(datos: DatosInforme) -> list[Periodo]:
    """Los meses empezados a la fecha de corte, en orden."""
    return [p for p in datos.periodos if p.clase == "mes"]


def _abreviado(mes: Periodo) -> str:
    """«Sep. 2025», «May. 2025 (Parcial)»: doce meses caben en una carta de ancho."""
    nombre = mes.titulo.split(" ", 1)[0]
    return mes.titulo.replace(nombre, f"{nombre[:3]}.", 1)


def _semaforo_mes(codigo: str) -> str:
    return f"{codigo} · semáforo"


def por_mes(datos: DatosInforme, vigencia: Periodo) -> tuple[pd.DataFrame, list[Columna]]:
    """Una fila por grupo (entidad, luego cada dirección) e indicador; una columna por mes."""
    lista = meses(datos)
    codigos = [m.codigo for m in lista]
    tabla = datos.indicadores
    filas = tabla[
        tabla["periodo"].isin(codigos)
        & tabla["nivel"].isin(["entidad", "dirección"])
        & tabla["indicador"].isin(POR_MES)
    ].fillna({"direccion": ""})
    claves = ["direccion", "indicador"]
    largo = filas.set_index([*claves, "periodo"])
    valores = largo["valor"].unstack("periodo").reindex(columns=codigos)
    colores = largo["semaforo"].unstack("periodo").reindex(columns=codigos).fillna("")
    colores.columns = [_semaforo_mes(c) for c in colores.columns]
    ancho = pd.concat([valores, colores], axis=1)
    direcciones = [""] + [c for c in dict.fromkeys(filas["direccion"]) if c]
    orden = pd.MultiIndex.from_tuples([(d, n) for d in direcciones for n in POR_MES], names=claves)
    ancho = ancho.reindex(orden).reset_index()
    ancho.insert(
        1,
        "nombre",
        [nombre_direccion(datos.consolidado, d) if d else "Entidad" for d in ancho["direccion"]],
    )
    ancho["tipo"] = [tipo_indicador(n) for n in ancho["indicador"]]
    ancho["acumulacion"] = [acumulacion(n) for n in ancho["indicador"]]
    ancho = incompletos.marcar(ancho, incompletos.motivos_por_direccion(datos, vigencia))
    columnas = [
        *columnas_direccion(),
        Columna("Indicador", "indicador", ancho=24),
        Columna("Acumulación", "acumulacion", ancho=23),
        *(
            Columna(_abreviado(m), m.codigo, "indicador", ancho=9, semaforo=_semaforo_mes(m.codigo))
            for m in lista
        ),
    ]
    # Nombre más ancho y marca más angosta que en otras tablas: doce meses caben en una carta.
    columnas[1] = dataclasses.replace(columnas[1], ancho=36)
    columnas[2] = dataclasses.replace(columnas[2], ancho=16)
    return ancho.fillna({c: "" for c in colores.columns}), columnas


COLUMNAS_ITEM = (
    Columna("ID asistencia", "id_asistencia", ancho=14),
    Columna("Dirección", "direccion", ancho=9),
    Columna("Tema", "tema", ancho=30),
    Columna("Mes", "mes", ancho=16),
    Columna("Actividades realizadas (del mes)", "Actividades realizadas", "entero", ancho=12),
    Columna("Sesiones programadas (plan)", "sesiones_programadas", "entero", ancho=12),
    Columna(
        "Avance del plan (%) (acumulado en la vigencia)",
        AVANCE,
        "porcentaje",
        ancho=14,
        semaforo=ind.SEMAFORO_DEL_AVANCE,
    ),
    Columna(
        "Avance esperado (%) (acumulado en la vigencia)",
        "Avance esperado (%)",
        "porcentaje",
        ancho=14,
    ),
    Columna(ind.SEMAFORO_DEL_AVANCE, ind.SEMAFORO_DEL_AVANCE, "semaforo", ancho=11),
    Columna("Profesional responsable", "profesional_responsable", ancho=22),
)


def por_item(datos: DatosInforme) -> pd.DataFrame:
    """Cada ítem del plan en cada mes empezado: realizadas del mes y avance acumulado."""
    partes = []
    for mes in meses(datos):
        tabla = ind.indicadores_por_item(datos.consolidado, mes)
        partes.append(tabla.assign(mes=mes.titulo, _mes=mes.numero))
    if not partes:
        return pd.DataFrame(columns=[c.clave for c in COLUMNAS_ITEM])
    tabla = pd.concat(partes, ignore_index=True)
    orden = ["direccion", "id_asistencia", "_mes"]
    return tabla.sort_values(orden, kind="stable").reset_index(drop=True)


def escribir_seguimiento_mensual(datos: DatosInforme, ruta: Path) -> Path:
    """Escribe el seguimiento mensual de la vigencia en `ruta` (atómico, bytes reproducibles)."""
    vigencia = next(p for p in datos.periodos if p.clase == "vigencia")
    ultimo = (meses(datos) or [vigencia])[-1]
    enc = encabezado(datos, INFORME, vigencia)
    alertas = al.alertas(datos, vigencia, solo_del_periodo=False)
    tabla, columnas = por_mes(datos, vigencia)
    with libro_informe(ruta, datos.fecha_documento) as (libro, estilos):
        hoja_tabla(
            libro,
            estilos,
            "Por mes",
            enc,
            "La entidad y cada dirección, mes a mes (los indicadores acumulados van desde el 1 de "
            "enero hasta el fin de cada mes)",
            columnas,
            tabla,
            fijas=4,
            cabecera=cabecera(datos, ultimo, alertas),
        )
        hoja_items(libro, estilos, enc, datos)
        hoja_calidad(libro, estilos, enc, datos, vigencia)
        hoja_metadatos(libro, estilos, datos, enc, enc.periodo)
        hoja_notas(libro, estilos, enc, datos.consolidado.config.parametros, NOTAS)
    return ruta


def hoja_items(libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme) -> None:
    """Hoja `Por ítem del plan`: una fila por ítem y mes."""
    hoja_tabla(
        libro,
        estilos,
        "Por ítem del plan",
        enc,
        "Cada ítem del plan, mes a mes: sesiones realizadas en el mes y avance acumulado frente a "
        "sus sesiones programadas",
        COLUMNAS_ITEM,
        por_item(datos),
        fijas=1,
    )
