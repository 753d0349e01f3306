"""Lo pendiente de una vigencia anterior (§11): la evaluación del año que alimenta el plan nuevo.

Por dirección: los ítems del plan con avance por debajo de 100 %, los compromisos ni cumplidos ni
cancelados y el texto de `Conclusiones` del informe anual de esa vigencia, si existe (§10.3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from esquemas.vocabulario import COMPROMISO_CERRADO
from pipeline.configuracion import Configuracion, Direccion
from pipeline.consolidacion import consolidar
from pipeline.escritura import (
    ALTO_LINEA,
    CARTA,
    FORMATO_FECHA,
    GRIS_BORDE,
    alto_fila,
    escribir_valor,
    lineas_texto,
)
from pipeline.indicadores import indicadores_por_item
from pipeline.informes.textos_equipo import InformeIlegible, leer_conclusiones
from pipeline.normalizacion import clave
from pipeline.periodos import periodo
from pipeline.validacion import ResultadoValidacion

if TYPE_CHECKING:
    from pipeline.plantillas import FormatosPlantilla

COLUMNAS_ITEMS = (
    ("id_asistencia", "ID asistencia", 18),
    ("tema", "Tema", 44),
    ("entidad_beneficiaria", "Entidad beneficiaria", 34),
    ("sesiones_programadas", "Sesiones programadas", 14),
    ("realizadas", "Sesiones realizadas", 14),
    ("avance", "Avance del plan (%)", 14),
)
COLUMNAS_COMPROMISOS = (
    ("id_actividad", "ID actividad", 18),
    ("compromiso", "Compromiso", 44),
    ("responsable", "Responsable", 34),
    ("fecha_limite", "Fecha límite", 14),
    ("estado", "Estado", 14),
)


@dataclass
class Pendientes:
    """Lo pendiente de la vigencia `anio`: ítems y compromisos (con su dirección) y conclusiones."""

    anio: str
    items: pd.DataFrame
    compromisos: pd.DataFrame
    conclusiones: str = ""

    @property
    def hoja(self) -> str:
        """Nombre de la hoja del paquete del plan: `Pendientes de <AAAA>`."""
        return f"Pendientes de {self.anio}"


def calcular_pendientes(
    previa: ResultadoValidacion, config: Configuracion, salidas: Path
) -> Pendientes:
    """Consolida la vigencia anterior completa (corte al 31/12) y extrae lo pendiente."""
    anio = int(previa.vigencia)
    corte = dt.date(anio, 12, 31)
    consolidado = consolidar(previa.tablas, config, anio, corte)
    items = indicadores_por_item(consolidado, periodo(anio, corte, str(anio)))
    items = items.assign(
        realizadas=items["Actividades realizadas"].astype("Int64"),
        avance=items["Avance del plan (%)"],
    )
    items = items[items["realizadas"].fillna(0) < items["sesiones_programadas"]]
    compromisos = consolidado.compromisos
    abiertos = ~compromisos["estado"].isin(COMPROMISO_CERRADO)
    ruta = Path(salidas) / previa.vigencia / "informes" / f"informe_anual_{previa.vigencia}.xlsx"
    return Pendientes(
        anio=previa.vigencia,
        items=items.reset_index(drop=True),
        compromisos=compromisos[abiertos].sort_values(
            ["fecha_limite", "id_actividad"], kind="stable"
        ),
        conclusiones=leer_conclusiones_anual(ruta),
    )


def leer_conclusiones_anual(ruta: Path) -> str:
    """El texto de la hoja `Conclusiones` del informe anual; "" si el informe no está o no se lee."""
    try:
        return (leer_conclusiones(ruta) or "").strip()
    except InformeIlegible:  # un informe dañado o abierto no impide escribir los paquetes
        return ""


def hoja_pendientes(
    pendientes: Pendientes, direccion: Direccion
) -> Callable[[Workbook, FormatosPlantilla], None]:
    """La función que agrega la hoja `Pendientes de <AAAA>` de la dirección al libro del plan."""
    codigo = clave(direccion.codigo)
    items, compromisos = (
        tabla[tabla["direccion"].map(clave) == codigo]
        for tabla in (pendientes.items, pendientes.compromisos)
    )

    def agregar(libro: Workbook, estilos: FormatosPlantilla) -> None:
        hoja = libro.add_worksheet(pendientes.hoja)
        anchos = [c[2] for c in COLUMNAS_ITEMS]
        for j, ancho in enumerate(anchos):
            hoja.set_column(j, j, ancho)
        hoja.write_string(
            0,
            0,
            f"Pendientes de la vigencia {pendientes.anio} — {direccion.etiqueta}",
            estilos["titulo"],
        )
        hoja.write_string(
            1,
            0,
            f"Lo que quedó sin terminar en {pendientes.anio}, para tenerlo en cuenta al formular "
            "el plan nuevo. Esta hoja es informativa: el sistema no la lee.",
            estilos["nota"],
        )
        fila = _tabla(
            hoja,
            3,
            f"Ítems del plan de {pendientes.anio} con avance por debajo de 100 %",
            COLUMNAS_ITEMS,
            items,
            "Ninguno: todos los ítems del plan alcanzaron el 100 %.",
            estilos,
        )
        fila = _tabla(
            hoja,
            fila + 1,
            "Compromisos ni cumplidos ni cancelados",
            COLUMNAS_COMPROMISOS,
            compromisos,
            "Ninguno: no quedaron compromisos abiertos.",
            estilos,
        )
        hoja.write_string(
            fila + 1, 0, f"Conclusiones de la vigencia {pendientes.anio}", estilos["subtitulo"]
        )
        conclusiones = pendientes.conclusiones or (
            f"El informe anual de {pendientes.anio} no tiene conclusiones registradas."
        )
        for k, linea in enumerate(conclusiones.splitlines()):
            hoja.merge_range(fila + 2 + k, 0, fila + 2 + k, len(anchos) - 1, "", estilos["tabla"])
            hoja.write_string(fila + 2 + k, 0, linea, estilos["tabla"])
            hoja.set_row(fila + 2 + k, ALTO_LINEA * lineas_texto(linea, sum(anchos)))
        hoja.set_landscape()
        hoja.set_paper(CARTA)
        hoja.fit_to_pages(1, 0)

    return agregar


def _tabla(
    hoja: Worksheet,
    fila: int,
    titulo: str,
    columnas: tuple[tuple[str, str, int], ...],
    datos: pd.DataFrame,
    vacio: str,
    estilos: FormatosPlantilla,
) -> int:
    """Título, encabezados y filas; devuelve la siguiente fila libre."""
    hoja.write_string(fila, 0, titulo, estilos["subtitulo"])
    fila += 1
    for j, (_, etiqueta, _) in enumerate(columnas):
        hoja.write_string(fila, j, etiqueta, estilos["encabezado_tabla"])
    hoja.set_row(fila, 30)
    if datos.empty:
        hoja.write_string(fila + 1, 0, vacio, estilos["nota"])
        return fila + 3
    celda = {"border": 1, "border_color": GRIS_BORDE, "valign": "top"}
    porcentaje = estilos.de(celda | {"num_format": "0.0 %"})
    fecha = estilos.de(celda | {"num_format": FORMATO_FECHA})
    anchos = tuple(c[2] for c in columnas)
    for registro in datos.itertuples(index=False):
        fila += 1
        textos = tuple(str(getattr(registro, c[0])) for c in columnas)
        hoja.set_row(fila, alto_fila(textos, anchos))
        for j, (nombre, _, _) in enumerate(columnas):
            valor = getattr(registro, nombre)
            if nombre == "avance":
                valor, formato = (None if pd.isna(valor) else valor / 100), porcentaje
            elif nombre == "fecha_limite":
                formato = fecha
            else:
                formato = estilos["tabla"]
            escribir_valor(hoja, fila, j, valor, formato)
    return fila + 2
