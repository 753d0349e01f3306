"""Matriz semestral de seguimiento y evaluación: `informes/matriz_semestral_<vigencia>_S<n>.xlsx`."""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.workbook import Workbook

from pipeline import indicadores as ind
from pipeline.informes import metas, textos_equipo
from pipeline.informes.calidad import hoja_calidad
from pipeline.informes.cambios_cierre import hoja_cambios_cierre
from pipeline.informes.comun import (
    Adicional,
    Columna,
    DatosInforme,
    Encabezado,
    Estilos,
    columnas_direccion,
    columnas_indicadores,
    encabezado,
    hoja_metadatos,
    hoja_tabla,
    libro_informe,
    por_direccion,
    texto_acumulacion,
)
from pipeline.informes.notas import hoja_notas
from pipeline.informes.resumen_ejecutivo import cabecera
from pipeline.periodos import Periodo

INFORME = "Matriz semestral de seguimiento y evaluación de la asistencia técnica"

COLUMNAS_ITEM = [
    Columna("ID asistencia", "id_asistencia", ancho=14),
    Columna("Dirección", "direccion", ancho=9),
    Columna("Tema", "tema", ancho=30),
    Columna("Tipo de servicio", "tipo_servicio", ancho=14),
    Columna("Mecanismo", "mecanismo", ancho=13),
    Columna("Modalidad", "modalidad", ancho=11),
    Columna("Entidad beneficiaria", "entidad_beneficiaria", ancho=26),
    Columna("Departamento", "departamento", ancho=15),
    Columna("Municipio", "municipio", ancho=15),
    Columna("Sesiones programadas", "sesiones_programadas", "entero", ancho=13),
    *metas.COLUMNAS_ITEM,
]
COLUMNAS_SEGUIMIENTO = [
    Columna(
        "Avance acumulado (%)", "Avance acumulado (%)", "porcentaje", 12, ind.SEMAFORO_DEL_AVANCE
    ),
    Columna("Compromisos pendientes", "Compromisos pendientes", "entero", ancho=12),
    Columna(ind.SEMAFORO_DEL_AVANCE, ind.SEMAFORO_DEL_AVANCE, "semaforo", ancho=11),
    Columna("Profesional responsable", "profesional_responsable", ancho=22),
    Columna("Análisis", "analisis", "nota", ancho=48),
    Columna("Acciones correctivas", "acciones", "nota", ancho=48),
]


def ruta_semestral(carpeta_vigencia: Path, periodo: Periodo, vigencia: int) -> Path:
    """`informes/matriz_semestral_<vigencia>_S<n>.xlsx`."""
    return carpeta_vigencia / "informes" / f"matriz_semestral_{vigencia}_S{periodo.numero}.xlsx"


def matriz(datos: DatosInforme, periodo: Periodo):
    """Una fila por ítem del plan con los indicadores del semestre y columnas vacías para el equipo."""
    tabla = metas.con_presupuesto(
        ind.indicadores_por_item(datos.consolidado, periodo), datos.consolidado
    )
    textos_equipo.llenar(tabla, datos.textos_equipo.get(periodo.codigo))  # §10.3
    return tabla.sort_values(["direccion", "id_asistencia"], kind="stable")


def hoja_matriz(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Matriz`, protegida salvo las columnas de análisis y acciones correctivas."""
    columnas = COLUMNAS_ITEM + columnas_indicadores() + COLUMNAS_SEGUIMIENTO
    hoja = hoja_tabla(
        libro,
        estilos,
        "Matriz",
        enc,
        "Seguimiento por ítem del plan. Escriba el análisis y las acciones correctivas en las "
        "dos últimas columnas.",
        columnas,
        matriz(datos, periodo),
        fijas=1,
        cabecera=cabecera(datos, periodo),
        nota=texto_acumulacion(),
    )
    # Protegida sin contraseña: evita cambiar por descuido las cifras calculadas; las columnas
    # de notas quedan desbloqueadas para el equipo.
    hoja.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})
    # Demasiado ancha para una sola hoja carta: tres páginas de ancho, repitiendo el ID.
    hoja.fit_to_pages(3, 0)
    hoja.repeat_columns(0, 0)


def escribir_matriz_semestral(datos: DatosInforme, periodo: Periodo, ruta: Path) -> Path:
    """Escribe la matriz semestral de `periodo` en `ruta` (atómico, bytes reproducibles)."""
    enc = encabezado(datos, INFORME, periodo)
    with libro_informe(ruta, datos.fecha_documento) as (libro, estilos):
        hoja_matriz(libro, estilos, enc, datos, periodo)
        textos = datos.textos_equipo.get(periodo.codigo)
        textos_equipo.hoja_textos_sin_fila(
            libro, estilos, enc, textos, datos.consolidado.plan.get("id_asistencia")
        )
        hoja_tabla(
            libro,
            estilos,
            "Resumen por dirección",
            enc,
            "Indicadores del semestre por dirección",
            columnas_direccion() + columnas_indicadores(),
            por_direccion(datos, periodo),
            fijas=2,
            negrita_ultima=True,
            adicionales=[
                Adicional(
                    "Metas del plan por dirección (acumulado al fin del semestre)",
                    metas.COLUMNAS_DIRECCION,
                    metas.metas_por_direccion(datos, periodo),
                )
            ],
            nota=texto_acumulacion(),
        )
        hoja_calidad(libro, estilos, enc, datos, periodo)
        hoja_cambios_cierre(libro, estilos, enc, datos)  # §10.2
        hoja_metadatos(libro, estilos, datos, enc, enc.periodo)
        hoja_notas(libro, estilos, enc, datos.consolidado.config.parametros)
    return ruta
