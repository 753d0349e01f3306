"""Qué direcciones tienen datos incompletos para un periodo, y por qué (§7.1, §10.4).

Una sola definición para el aviso `Datos incompletos:` de la primera hoja de cada informe y para la
marca de las tablas por dirección: archivos rechazados, filas excluidas, plan o cronograma sin
aceptar, o un cronograma cuya `Fecha de corte` queda antes del fin del periodo.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.informes.calidad import calidad_por_direccion
from pipeline.informes.comun import Columna
from pipeline.informes.redaccion import cantidad, enumerar

if TYPE_CHECKING:
    from pipeline.informes.datos import DatosInforme
    from pipeline.periodos import Periodo

PREFIJO = "Datos incompletos:"
# La columna que marca las direcciones con datos incompletos en cada tabla por dirección.
COLUMNA = Columna("Datos incompletos", "incompletos", ancho=22, semaforo="color_incompletos")


def cortes_cronograma(datos: DatosInforme) -> dict[str, dt.date]:
    """Dirección → `Fecha de corte` de su cronograma aceptado más reciente."""
    cronograma = datos.consolidado.tablas.get("cronograma")
    if cronograma is None or cronograma.empty or "fecha_corte" not in cronograma:
        return {}
    cortes = pd.to_datetime(cronograma["fecha_corte"]).groupby(cronograma["direccion"]).max()
    return {str(d): f.date() for d, f in cortes.items() if pd.notna(f)}


def motivos_por_direccion(datos: DatosInforme, periodo: Periodo) -> dict[str, list[str]]:
    """Código de dirección → motivos por los que sus datos del periodo están incompletos."""
    calidad = calidad_por_direccion(datos.validacion, datos.consolidado.config).iloc[:-1]
    cortes = cortes_cronograma(datos)
    resultado: dict[str, list[str]] = {}
    for fila in calidad.to_dict("records"):
        codigo = fila["codigo"]
        motivos = []
        if fila["rechazados"]:
            motivos.append(cantidad(fila["rechazados"], "archivo rechazado", "archivos rechazados"))
        if fila["filas_rechazadas"]:
            motivos.append(cantidad(fila["filas_rechazadas"], "fila excluida", "filas excluidas"))
        configurada = datos.consolidado.config.por_codigo(codigo) is not None
        if configurada and fila["falta_plan"]:
            motivos.append("sin plan aceptado")
        if configurada and fila["falta_cronograma"]:
            motivos.append("sin cronograma aceptado")
        elif codigo in cortes and cortes[codigo] < periodo.fin:
            motivos.append(
                f"cronograma actualizado solo hasta el {cortes[codigo]:%d/%m/%Y}, "
                f"antes del {periodo.fin:%d/%m/%Y}"
            )
        if motivos:
            resultado[codigo] = motivos
    return resultado


def aviso(motivos: dict[str, list[str]]) -> str:
    """«Datos incompletos: DGT (1 archivo rechazado); DPV (sin cronograma aceptado). …»; "" si no."""
    if not motivos:
        return ""
    partes = "; ".join(f"{codigo} ({enumerar(m)})" for codigo, m in motivos.items())
    return (
        f"{PREFIJO} {partes}. Las cifras de este informe no incluyen lo que falta; "
        "vea la hoja «Calidad de datos»."
    )


def marcar(tabla: pd.DataFrame, motivos: dict[str, list[str]], columna: str = "direccion"):
    """Añade a una tabla por dirección la marca (los motivos) y su color (§7.1)."""
    textos = ["; ".join(motivos.get(str(c), [])) for c in tabla[columna]]
    return tabla.assign(
        incompletos=textos, color_incompletos=["Amarillo" if t else "" for t in textos]
    )
