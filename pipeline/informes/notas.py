"""Hoja `Notas metodológicas`: la ficha técnica (§6.1) de cada indicador que muestra un informe."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import indicadores as ind
from pipeline.configuracion import Parametros
from pipeline.informes.comun import FILA_ENCABEZADO, Columna, Encabezado, Estilos, hoja_tabla

HOJA = "Notas metodológicas"
_CLASES = {
    ind.Clase.CONTEO: "Conteo",
    ind.Clase.PORCENTAJE: "Porcentaje",
    ind.Clase.PROMEDIO: "Promedio (de 1 a 5)",
}
COLUMNAS = (
    Columna("Indicador", "indicador", ancho=30),
    Columna("Definición", "definicion", ancho=60),
    Columna("Clase", "clase", ancho=18),
    Columna("Acumulación", "acumulacion", ancho=22),
    Columna("Semáforo", "semaforo", ancho=44),
)


def fichas(nombres: Sequence[str], parametros: Parametros) -> pd.DataFrame:
    """Una fila por indicador con su ficha técnica y la regla de semáforo con los umbrales."""
    filas = [ind.ficha(n) for n in nombres]
    return pd.DataFrame(
        {
            "indicador": [f.nombre for f in filas],
            "definicion": [f.definicion for f in filas],
            "clase": [_CLASES[f.clase] for f in filas],
            "acumulacion": [f.acumulacion.value.capitalize() for f in filas],
            "semaforo": [f.semaforo.describir(parametros) for f in filas],
        }
    )


def parametros_usados(parametros: Parametros) -> list[str]:
    """Los parámetros de la configuración que intervienen en los indicadores, en frases."""
    return [
        f"Umbrales del semáforo: Verde desde {ind.numero_es(parametros.umbral_verde)} %, "
        f"Amarillo desde {ind.numero_es(parametros.umbral_amarillo)} %.",
        "Cobertura mínima de evaluación: "
        f"{ind.numero_es(parametros.cobertura_minima_evaluacion)} % de los asistentes.",
        "Plazo para entregar el informe de cada sesión: "
        + _dias(int(parametros.dias_habiles_informe))
        + " después de la sesión.",
        "«Del periodo» cuenta lo ocurrido dentro del periodo; «Acumulado en la vigencia», desde "
        "el 1 de enero hasta el fin del periodo (o la fecha de corte, si el periodo es parcial).",
        "Una razón con denominador 0 queda vacía.",
    ]


def _dias(n: int) -> str:
    return "1 día hábil" if n == 1 else f"{n} días hábiles"


def hoja_notas(
    libro: Workbook,
    estilos: Estilos,
    enc: Encabezado,
    parametros: Parametros,
    nombres: Sequence[str] = ind.INDICADORES,
) -> Worksheet:
    """Hoja `Notas metodológicas` con la ficha de cada indicador de `nombres` y los parámetros."""
    tabla = fichas(nombres, parametros)
    hoja = hoja_tabla(
        libro,
        estilos,
        HOJA,
        enc,
        "Ficha técnica de los indicadores de este informe",
        COLUMNAS,
        tabla,
    )
    fila = FILA_ENCABEZADO + len(tabla) + 2
    hoja.write_string(fila, 0, "Parámetros de la configuración", estilos["seccion"])
    for i, frase in enumerate(parametros_usados(parametros), start=1):
        hoja.write_string(fila + i, 0, frase)
    return hoja
