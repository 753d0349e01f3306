"""Hoja `Cambios después del cierre` (§10.2): lo que cambió en los periodos ya cerrados."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from pipeline.informes.comun import (
    Columna,
    DatosInforme,
    Encabezado,
    Estilos,
    hoja_tabla,
    tipo_indicador,
)

HOJA = "Cambios después del cierre"
NIVELES = {"entidad": "Entidad", "dirección": "Dirección", "tema": "Tema"}
COLUMNAS = (
    Columna("Periodo", "periodo", ancho=10),
    Columna("Nivel", "nivel", ancho=10),
    Columna("Dirección", "direccion", ancho=10),
    Columna("Tema", "tema", ancho=30),
    Columna("Indicador", "indicador", ancho=34),
    Columna("Valor al cierre", "valor_cierre", "indicador", ancho=13),
    Columna("Valor actual", "valor_actual", "indicador", ancho=13),
)


def hoja_cambios_cierre(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme
) -> None:
    """La hoja, solo cuando algún periodo cerrado cambió después de su cierre."""
    cambios = datos.cambios_cierre
    if cambios is None or cambios.empty:
        return
    tabla = cambios.assign(
        nivel=cambios["nivel"].map(lambda n: NIVELES.get(n, n)),
        tipo=cambios["indicador"].map(tipo_indicador),
    )
    hoja_tabla(
        libro,
        estilos,
        HOJA,
        enc,
        "Indicadores de periodos cerrados que cambiaron después del cierre (el informe cerrado no "
        "se reescribe; ver salidas/<vigencia>/cierres/)",
        COLUMNAS,
        tabla,
        fijas=1,
    )
