"""Informe trimestral de seguimiento: `informes/informe_trimestral_<vigencia>_T<n>.xlsx` (§7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook

from esquemas.vocabulario import EstadoActividad
from pipeline import indicadores as ind
from pipeline.divipola import cargar_divipola
from pipeline.escritura import AZUL_MEDIO, AZUL_OSCURO
from pipeline.informes import alertas as al
from pipeline.informes import incompletos
from pipeline.informes.calidad import hoja_calidad
from pipeline.informes.cambios_cierre import hoja_cambios_cierre
from pipeline.informes.comun import (
    Cabecera,
    Columna,
    DatosInforme,
    Encabezado,
    Estilos,
    anchos,
    eje_conteos,
    encabezado,
    escribir_tabla,
    hoja_metadatos,
    hoja_tabla,
    hojas_por_direccion_y_tema,
    libro_informe,
    preparar_tabla,
    primera_hoja,
    resumen_entidad,
    seleccion,
)
from pipeline.informes.notas import hoja_notas
from pipeline.informes.resumen_ejecutivo import cabecera
from pipeline.periodos import Periodo

INFORME = "Informe trimestral de seguimiento a la asistencia técnica"
COL_GRAFICA = 6  # la tabla y la gráfica por dirección van a la derecha de los indicadores


def ruta_trimestral(carpeta_vigencia: Path, periodo: Periodo, vigencia: int) -> Path:
    """`informes/informe_trimestral_<vigencia>_T<n>.xlsx`."""
    return carpeta_vigencia / "informes" / f"informe_trimestral_{vigencia}_T{periodo.numero}.xlsx"


def periodo_acumulado(periodo: Periodo, vigencia: int) -> Periodo:
    """Del 1 de enero de la vigencia hasta fin(P): lo acumulado al cierre del trimestre."""
    return replace(
        periodo,
        codigo=f"{vigencia}A{periodo.numero}",
        clase="vigencia",
        numero=0,
        inicio=date(vigencia, 1, 1),
        titulo=f"Acumulado de la vigencia al {periodo.fin:%d/%m/%Y}",
    )


def escribir_informe_trimestral(datos: DatosInforme, periodo: Periodo, ruta: Path) -> Path:
    """Escribe el informe trimestral de `periodo` en `ruta` (atómico, bytes reproducibles)."""
    enc = encabezado(datos, INFORME, periodo)
    alertas = al.alertas(datos, periodo, solo_del_periodo=True)
    with libro_informe(ruta, datos.fecha_documento) as (libro, estilos):
        hoja_resumen(libro, estilos, enc, datos, periodo, cabecera(datos, periodo, alertas))
        hojas_por_direccion_y_tema(libro, estilos, enc, datos, periodo)
        hoja_actividades(libro, estilos, enc, datos, periodo)
        hoja_alertas(
            libro,
            estilos,
            enc,
            alertas,
            f"Alertas abiertas al {datos.consolidado.corte:%d/%m/%Y} con fecha en el trimestre",
        )
        hoja_compromisos(libro, estilos, enc, datos, periodo)
        hoja_calidad(libro, estilos, enc, datos, periodo)
        hoja_cambios_cierre(libro, estilos, enc, datos)  # §10.2
        hoja_metadatos(libro, estilos, datos, enc, enc.periodo)
        hoja_notas(libro, estilos, enc, datos.consolidado.config.parametros)
    return ruta


def _resumen(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    acumulado = periodo_acumulado(periodo, datos.consolidado.vigencia)
    del_acumulado = ind.calcular_indicadores(datos.consolidado, [acumulado])
    trimestre = resumen_entidad(datos.indicadores, periodo.codigo)
    hasta_fin = resumen_entidad(del_acumulado, acumulado.codigo)
    return trimestre.assign(acumulado=hasta_fin["valor"], semaforo_acumulado=hasta_fin["semaforo"])


def _programadas_realizadas(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    filas = seleccion(datos.indicadores, periodo.codigo, "dirección")
    tabla = filas.pivot_table(index="direccion", columns="indicador", values="valor", sort=False)
    tabla = tabla.reindex(columns=["Actividades programadas", "Actividades realizadas"])
    codigos = [d.codigo for d in datos.consolidado.config.direcciones]
    codigos += [c for c in tabla.index if c not in codigos]
    tabla = tabla.reindex(codigos).fillna(0).reset_index()
    nombres = {d.codigo: d.nombre for d in datos.consolidado.config.direcciones}
    tabla.insert(1, "nombre", [nombres.get(c, c) for c in tabla["direccion"]])
    return incompletos.marcar(tabla, incompletos.motivos_por_direccion(datos, periodo))


def hoja_resumen(
    libro: Workbook,
    estilos: Estilos,
    enc: Encabezado,
    datos: DatosInforme,
    periodo: Periodo,
    cabecera: Cabecera,
) -> None:
    """Hoja `Resumen`: aviso, Resumen ejecutivo, indicadores del trimestre y acumulados, gráfica."""
    columnas = [
        Columna("Indicador", "indicador", ancho=36),
        Columna(periodo.titulo, "valor", "indicador", ancho=16, semaforo="semaforo"),
        Columna("Semáforo", "semaforo", "semaforo", ancho=11),
        Columna(
            f"Acumulado al {periodo.fin:%d/%m/%Y}",
            "acumulado",
            "indicador",
            ancho=16,
            semaforo="semaforo_acumulado",
        ),
        Columna("Semáforo acumulado", "semaforo_acumulado", "semaforo", ancho=11),
        Columna("Acumulación", "acumulacion", ancho=14),
    ]
    hoja, fila = primera_hoja(
        libro,
        estilos,
        "Resumen",
        enc,
        "Indicadores de la entidad",
        cabecera,
        [c.ancho for c in columnas],
    )
    anchos(hoja, columnas)
    escribir_tabla(hoja, estilos, fila, columnas, _resumen(datos, periodo))
    preparar_tabla(hoja, fila, 1, primera=True)
    tabla = _programadas_realizadas(datos, periodo)
    grafica = [
        Columna("Código", "direccion", ancho=8),
        Columna("Dirección", "nombre", ancho=40),
        Columna("Actividades programadas", "Actividades programadas", "entero", ancho=13),
        Columna("Actividades realizadas", "Actividades realizadas", "entero", ancho=13),
        incompletos.COLUMNA,
    ]
    hoja.write_string(fila - 2, COL_GRAFICA, "Actividades por dirección", estilos["seccion"])
    anchos(hoja, grafica, col=COL_GRAFICA)
    escribir_tabla(hoja, estilos, fila, grafica, tabla, col=COL_GRAFICA, filtro=False)
    maximo = tabla[["Actividades programadas", "Actividades realizadas"]].to_numpy().max(initial=0)
    _grafica_direcciones(libro, hoja, fila, len(tabla), maximo)


def _grafica_direcciones(libro: Workbook, hoja, fila: int, n: int, maximo: float) -> None:
    if n == 0:
        return
    grafica = libro.add_chart({"type": "column"})
    for col, color in ((COL_GRAFICA + 2, AZUL_MEDIO), (COL_GRAFICA + 3, AZUL_OSCURO)):
        grafica.add_series(
            {
                "name": ["Resumen", fila, col],
                "categories": ["Resumen", fila + 1, COL_GRAFICA, fila + n, COL_GRAFICA],
                "values": ["Resumen", fila + 1, col, fila + n, col],
                "fill": {"color": color},
                "data_labels": {"value": True},
            }
        )
    grafica.set_title({"name": "Programadas y realizadas por dirección", "name_font": {"size": 12}})
    grafica.set_legend({"position": "bottom"})
    grafica.set_y_axis(eje_conteos(maximo))
    grafica.set_size({"width": 620, "height": 360})
    hoja.insert_chart(fila + n + 2, COL_GRAFICA, grafica)


# Detalle del periodo: actividades, alertas y compromisos (también los usa el informe anual).

COLUMNAS_ACTIVIDADES = (
    Columna("ID actividad", "id_actividad", ancho=16),
    Columna("ID asistencia", "id_asistencia", ancho=14),
    Columna("Dirección", "direccion", ancho=9),
    Columna("Tema", "tema", ancho=30),
    Columna("Actividad", "actividad", ancho=32),
    Columna("Modalidad", "modalidad", ancho=11),
    Columna("Departamento", "nombre_departamento", ancho=16),
    Columna("Municipio", "nombre_municipio", ancho=16),
    Columna("Estado", "estado", ancho=12),
    Columna("Fecha programada", "fecha_programada", "fecha", ancho=11),
    Columna("Nueva fecha", "nueva_fecha", "fecha", ancho=11),
    Columna("Fecha de realización", "fecha_realizacion", "fecha", ancho=11),
    Columna("Fecha de entrega del informe", "fecha_entrega_informe", "fecha", ancho=11),
    Columna("Asistentes", "asistentes", "entero", ancho=10),
    Columna("Evaluaciones", "evaluaciones", "entero", ancho=11),
    Columna("Lista de asistencia", "tiene_lista", "sino", ancho=10),
    Columna("Evaluación", "tiene_evaluacion", "sino", ancho=10),
    Columna("Evidencias completas", "evidencias_completas", "sino", ancho=11),
    Columna("Informe oportuno", "informe_oportuno", "sino", ancho=10),
    Columna("Profesional responsable", "profesional_responsable", ancho=22),
)
_MARCAS = ("tiene_lista", "tiene_evaluacion", "evidencias_completas", "informe_oportuno")


def tabla_actividades(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """Actividades del periodo; las marcas de evidencia solo aplican a las realizadas."""
    act = ind.actividades_periodo(datos.consolidado, periodo).copy()
    divipola = cargar_divipola()
    departamento = act["departamento"].fillna(act["departamento_plan"])
    municipio = act["municipio"].where(act["departamento"].notna(), act["municipio_plan"])
    act["nombre_departamento"] = departamento.map(divipola.nombre_departamento)
    act["nombre_municipio"] = municipio.map(divipola.nombre_municipio)
    realizada = (act["estado"] == EstadoActividad.REALIZADA).fillna(False).astype(bool)
    for marca in _MARCAS:
        act[marca] = act[marca].astype(object).where(realizada, None)
    return act


def hoja_actividades(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Actividades`: las del periodo con sus marcas de evidencia (Sí/No)."""
    hoja_tabla(
        libro,
        estilos,
        "Actividades",
        enc,
        "Actividades programadas o realizadas en el periodo y sus evidencias",
        COLUMNAS_ACTIVIDADES,
        tabla_actividades(datos, periodo),
        fijas=1,
    )


COLUMNAS_COMPROMISOS = (
    Columna("Dirección", "direccion", ancho=9),
    Columna("Tema", "tema", ancho=30),
    Columna("ID actividad", "id_actividad", ancho=16),
    Columna("Compromiso", "compromiso", ancho=44),
    Columna("Responsable", "responsable", ancho=24),
    Columna("Fecha límite", "fecha_limite", "fecha", ancho=11),
    Columna("Estado", "estado", ancho=11),
    Columna("Fecha de cumplimiento", "fecha_cumplimiento", "fecha", ancho=12),
    Columna("Vencido", "vencido", "sino", ancho=9, semaforo="color_vencido"),
)


def hoja_compromisos(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Compromisos`: vencidos en el periodo o abiertos a su cierre."""
    tabla = ind.compromisos_periodo(datos.consolidado, periodo)
    tabla = tabla.assign(color_vencido=tabla["vencido"].map({True: "Rojo", False: ""}))
    hoja_tabla(
        libro,
        estilos,
        "Compromisos",
        enc,
        f"Compromisos con fecha límite hasta el {periodo.fin:%d/%m/%Y} o abiertos a esa fecha",
        COLUMNAS_COMPROMISOS,
        tabla,
        fijas=1,
    )


def hoja_alertas(
    libro: Workbook, estilos: Estilos, enc: Encabezado, tabla: pd.DataFrame, subtitulo: str
) -> None:
    """Hoja `Alertas`: las alertas abiertas al corte, la más grave y la más antigua primero."""
    hoja_tabla(libro, estilos, "Alertas", enc, subtitulo, al.COLUMNAS, tabla, fijas=1)
