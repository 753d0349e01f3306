"""Reglas X5–X10: las listas de asistencia y evaluaciones de cada actividad del cronograma.

Todas reciben `actividades`: las filas vivas del cronograma con su `llave` (vigencia|dirección|ID), y
`archivos`: un renglón por lista o evaluación que pasó X4, con la `llave` de su ficha.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from esquemas.vocabulario import EstadoActividad, TipoPlantilla
from pipeline.normalizacion import texto
from pipeline.problemas import Codigo
from pipeline.validacion.hallazgos import Hallazgos, Ubicador, agrupar, enumerar

_DOCUMENTO = ["_actividad", "tipo_documento", "numero_documento"]


def con_actividad(archivos: pd.DataFrame, actividades: pd.DataFrame) -> pd.DataFrame:
    """Cada archivo junto a la fila del cronograma de su actividad."""
    columnas = ["llave", "estado", "fecha_realizacion"]
    return archivos.merge(actividades[columnas], on="llave", how="left")


def no_realizadas(
    archivos: pd.DataFrame, tipo: str, ubicador: Ubicador, hallazgos: Hallazgos
) -> pd.DataFrame:
    """X5: lista o evaluación de una actividad que no está Realizada; se excluye el archivo."""
    malos = archivos[archivos["estado"] != EstadoActividad.REALIZADA].assign(codigo=Codigo.X5)
    for r in malos.itertuples():
        hallazgos.problemas.append(
            ubicador.en_ficha(
                Codigo.X5, tipo, r.archivo, "id_actividad", r.valor, r.direccion, estado=r.estado
            )
        )
    return malos


def fechas_distintas(
    archivos: pd.DataFrame, tipo: str, ubicador: Ubicador, hallazgos: Hallazgos
) -> None:
    """X6: la Fecha de la actividad de la ficha no es la Fecha de realización del cronograma."""
    fa, fr = archivos["fecha_actividad"], archivos["fecha_realizacion"]
    distintas = archivos[fa.notna() & fr.notna() & (fa != fr)]
    for r in distintas.itertuples():
        hallazgos.problemas.append(
            ubicador.en_ficha(
                Codigo.X6,
                tipo,
                r.archivo,
                "fecha_actividad",
                r.fecha_actividad,
                r.direccion,
                otra=texto(r.fecha_realizacion),
            )
        )


def documentos_repetidos(
    asistencia: pd.DataFrame, llaves: pd.Series, ubicador: Ubicador, hallazgos: Hallazgos
) -> pd.Series:
    """X8: el mismo documento dos veces en una actividad; `repetido` desde la segunda aparición.

    `llaves` va de archivo a llave de la actividad, así se comparan todas las listas de la sesión.
    """
    marco = asistencia[["archivo", "fila", "direccion", "id_actividad", *_DOCUMENTO[1:]]]
    marco = marco.assign(_actividad=marco["archivo"].map(llaves)).sort_values(["archivo", "fila"])
    con_documento = marco["numero_documento"].notna()
    repetido = marco.duplicated(_DOCUMENTO, keep="first") & con_documento
    en_grupo = marco[marco.duplicated(_DOCUMENTO, keep=False) & con_documento]
    for grupo in agrupar(en_grupo, _DOCUMENTO):
        for i, r in enumerate(grupo[1:], start=1):
            lugares = [
                ubicador.lugar_desde(
                    r["archivo"],
                    TipoPlantilla.ASISTENCIA,
                    o["archivo"],
                    o["fila"],
                    "numero_documento",
                )
                for o in grupo
            ]
            hallazgos.problemas.append(
                ubicador.en_dato(
                    Codigo.X8,
                    TipoPlantilla.ASISTENCIA,
                    r["archivo"],
                    r["fila"],
                    "numero_documento",
                    r["numero_documento"],
                    r["direccion"],
                    personal=True,
                    actividad=r["id_actividad"],
                    otros=enumerar(lugares[:i] + lugares[i + 1 :]),
                )
            )
    return repetido.reindex(asistencia.index, fill_value=False)


def mas_evaluaciones(
    archivos: pd.DataFrame,
    evaluaciones: pd.Series,
    asistentes: pd.Series,
    ubicador: Ubicador,
    hallazgos: Hallazgos,
) -> pd.DataFrame:
    """X7: más evaluaciones que asistentes; se excluyen todas las evaluaciones de la actividad.

    `evaluaciones` y `asistentes` cuentan por llave de actividad.
    """
    n_asistentes = asistentes.reindex(evaluaciones.index, fill_value=0)
    exceso = evaluaciones.index[evaluaciones > n_asistentes]
    malos = archivos[archivos["llave"].isin(exceso)].assign(codigo=Codigo.X7)
    for r in malos.itertuples():
        hallazgos.problemas.append(
            ubicador.en_ficha(
                Codigo.X7,
                TipoPlantilla.EVALUACION,
                r.archivo,
                "id_actividad",
                r.valor,
                r.direccion,
                evaluaciones=int(evaluaciones[r.llave]),
                asistentes=int(n_asistentes[r.llave]),
            )
        )
    return malos


def sin_lista(
    actividades: pd.DataFrame, recibidas: set[str], ubicador: Ubicador, hallazgos: Hallazgos
) -> None:
    """X9: actividad Realizada de la que no llegó ninguna lista de asistencia."""
    faltan = actividades[
        (actividades["estado"] == EstadoActividad.REALIZADA) & ~actividades["llave"].isin(recibidas)
    ]
    for r in faltan.to_dict("records"):
        hallazgos.problemas.append(ubicador.en_actividad(Codigo.X9, r, "estado"))


def minimo_evaluaciones(asistentes: pd.Series, porcentaje: float) -> pd.Series:
    """⌈porcentaje % × asistentes⌉, sin que el error de coma flotante sume una evaluación."""
    return np.ceil((asistentes * porcentaje / 100).round(9)).astype("int64")


def pocas_evaluaciones(
    actividades: pd.DataFrame,
    evaluaciones: pd.Series,
    asistentes: pd.Series,
    porcentaje: float,
    ubicador: Ubicador,
    hallazgos: Hallazgos,
) -> None:
    """X10: actividad Realizada con asistentes y menos evaluaciones que el mínimo configurado."""
    realizadas = actividades[actividades["estado"] == EstadoActividad.REALIZADA]
    n_asistentes = realizadas["llave"].map(asistentes).fillna(0).astype("int64")
    n_evaluaciones = realizadas["llave"].map(evaluaciones).fillna(0).astype("int64")
    minimo = minimo_evaluaciones(n_asistentes, porcentaje)
    pocas = (n_asistentes > 0) & (n_evaluaciones < minimo)
    marco = realizadas.assign(
        _asistentes=n_asistentes, _evaluaciones=n_evaluaciones, _minimo=minimo
    )
    for r in marco[pocas].to_dict("records"):
        hallazgos.problemas.append(
            ubicador.en_actividad(
                Codigo.X10,
                r,
                "estado",
                evaluaciones=int(r["_evaluaciones"]),
                asistentes=int(r["_asistentes"]),
                minimo=int(r["_minimo"]),
                porcentaje=f"{porcentaje:g}",
            )
        )
