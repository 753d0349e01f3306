"""Consolidación: las tablas válidas de una vigencia unidas en una tabla de actividades (§6).

Función pura de DataFrame a DataFrame, sin E/S. La dirección y el tema de una actividad son los de
su ítem del plan; cada documento cuenta una vez por actividad (Tipo y Número normalizado).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from esquemas.vocabulario import EstadoActividad, TipoPlantilla
from pipeline import tablas as tt
from pipeline.configuracion import Configuracion
from pipeline.dias_habiles import dias_habiles_entre, informe_oportuno
from pipeline.normalizacion import clave

TIPOS = tuple(t.value for t in TipoPlantilla)  # en el orden de validación

# Preguntas de la evaluación: columna de la tabla tipada → sufijo de las columnas agregadas.
DIMENSIONES = (
    "pertinencia",
    "claridad",
    "metodologia",
    "dominio",
    "utilidad",
    "satisfaccion_general",
)

_COLUMNAS_PLAN = {
    "id_asistencia": "id_asistencia",
    "direccion": "direccion",
    "tema": "tema",
    "tipo_servicio": "tipo_servicio",
    "mecanismo": "mecanismo",
    "modalidad": "modalidad_plan",
    "orden": "orden",
    "entidad_beneficiaria": "entidad_beneficiaria",
    "departamento": "departamento_plan",
    "municipio": "municipio_plan",
    "sesiones_programadas": "sesiones_programadas",
    "participantes_esperados": "participantes_esperados",
    "profesional_responsable": "profesional_responsable",
}

COLUMNAS_ACTIVIDADES = (
    "id_actividad",
    "id_asistencia",
    "direccion",
    "tema",
    "tipo_servicio",
    "mecanismo",
    "modalidad",
    "orden",
    "departamento_plan",
    "municipio_plan",
    "actividad",
    "estado",
    "fecha_programada",
    "nueva_fecha",
    "fecha_realizacion",
    "fecha_entrega_informe",
    "profesional_responsable",
    "asistentes",
    "mujeres",
    "hombres",
    "evaluaciones",
    "tiene_lista",
    "tiene_evaluacion",
    "evidencias_completas",
    "dias_habiles_informe",
    "informe_oportuno",
    "archivo",
    "fila",
    # Columnas adicionales (útiles para informes e indicadores).
    "modalidad_plan",
    "entidad_beneficiaria",
    "departamento",
    "municipio",
    "motivo",
    "direccion_cronograma",
    "fecha_corte",
    "evaluaciones_satisfechas",
    "participantes_esperados",
    *(f"suma_{d}" for d in DIMENSIONES),
    *(f"respuestas_{d}" for d in DIMENSIONES),
)


@dataclass
class Consolidado:
    """Las tablas válidas de una vigencia y la tabla de actividades unida a su plan."""

    vigencia: int
    corte: dt.date
    config: Configuracion
    tablas: dict[str, pd.DataFrame] = field(repr=False)
    actividades: pd.DataFrame = field(repr=False)
    # Asistentes sin repetir por actividad: id_actividad, tipo_documento, numero_documento, sexo y
    # municipio (el del asistente, código DIVIPOLA; no es un dato personal).
    personas: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    # Compromisos con la dirección y el tema de su actividad.
    compromisos: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    # Ítems del plan (una fila por ID asistencia).
    plan: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)


def corte_por_defecto(tablas: dict[str, pd.DataFrame]) -> dt.date | None:
    """La Fecha de corte más reciente entre los cronogramas; None si no hay ninguna."""
    cronograma = tablas.get("cronograma")
    if cronograma is None or "fecha_corte" not in cronograma:
        return None
    ultima = pd.to_datetime(cronograma["fecha_corte"]).max()
    return None if pd.isna(ultima) else ultima.date()


def consolidar(
    tablas: dict[str, pd.DataFrame], config: Configuracion, vigencia: int, corte: dt.date
) -> Consolidado:
    """Une plan, cronograma, asistencia, evaluaciones y compromisos de la vigencia."""
    if isinstance(corte, dt.datetime):
        corte = corte.date()
    propias = {tipo: _de_la_vigencia(tablas.get(tipo), tipo, vigencia) for tipo in TIPOS}
    plan = _plan(propias["plan"])
    personas = _personas(propias["asistencia"])
    actividades = _actividades(propias["cronograma"], plan, personas, propias["evaluacion"], config)
    return Consolidado(
        vigencia=vigencia,
        corte=corte,
        config=config,
        tablas=propias,
        actividades=actividades,
        personas=personas,
        compromisos=_compromisos(propias["compromisos"], actividades),
        plan=plan,
    )


def _de_la_vigencia(tabla: pd.DataFrame | None, tipo: str, vigencia: int) -> pd.DataFrame:
    if tabla is None:
        return tt.vacia(tipo)
    return tabla[tabla["vigencia"] == vigencia].reset_index(drop=True)


def _plan(plan: pd.DataFrame) -> pd.DataFrame:
    # X1 ya excluye IDs repetidos; se deduplica por si acaso para que la unión no multiplique filas.
    return (
        plan[list(_COLUMNAS_PLAN)]
        .rename(columns=_COLUMNAS_PLAN)
        .drop_duplicates("id_asistencia")
        .reset_index(drop=True)
    )


def clave_documento(numero: pd.Series) -> pd.Series:
    """Número de documento normalizado: sin puntos, espacios ni guiones, en mayúsculas."""
    return numero.astype("string").str.replace(r"[.\s\-]", "", regex=True).str.upper()


def _clave_tipo(tipos: pd.Series) -> pd.Series:
    # Pocos valores distintos: se normaliza cada uno una vez.
    claves = {t: clave(t).upper() for t in tipos.dropna().unique()}
    return tipos.map(claves).astype("string")


def _personas(asistencia: pd.DataFrame) -> pd.DataFrame:
    # Se usa la marca `repetido` de la validación (X8) y además se deduplica por (Tipo, Número).
    filas = asistencia[~asistencia["repetido"].astype(bool)]
    personas = pd.DataFrame(
        {
            "id_actividad": filas["id_actividad"].astype("string"),
            "tipo_documento": _clave_tipo(filas["tipo_documento"]),
            "numero_documento": clave_documento(filas["numero_documento"]),
            "sexo": filas["sexo"].astype("string"),
            "municipio": filas["municipio"].astype("string"),
        }
    )
    personas = personas.dropna(subset=["id_actividad", "tipo_documento", "numero_documento"])
    return personas.drop_duplicates(["id_actividad", "tipo_documento", "numero_documento"])


def _por_actividad_personas(personas: pd.DataFrame) -> pd.DataFrame:
    conteo = pd.DataFrame(
        {
            "id_actividad": personas["id_actividad"],
            "asistentes": 1,
            "mujeres": (personas["sexo"] == "Mujer").fillna(False).astype(int),
            "hombres": (personas["sexo"] == "Hombre").fillna(False).astype(int),
        }
    )
    return conteo.groupby("id_actividad", sort=False).sum()


def _por_actividad_evaluaciones(evaluacion: pd.DataFrame) -> pd.DataFrame:
    respuestas = {d: pd.to_numeric(evaluacion[d], errors="coerce") for d in DIMENSIONES}
    datos = {"id_actividad": evaluacion["id_actividad"].astype("string"), "evaluaciones": 1}
    datos["evaluaciones_satisfechas"] = (respuestas["satisfaccion_general"] >= 4).astype(int)
    for d, serie in respuestas.items():
        datos[f"suma_{d}"] = serie.fillna(0)
        datos[f"respuestas_{d}"] = serie.notna().astype(int)
    return pd.DataFrame(datos).groupby("id_actividad", sort=False).sum()


def _actividades(
    cronograma: pd.DataFrame,
    plan: pd.DataFrame,
    personas: pd.DataFrame,
    evaluacion: pd.DataFrame,
    config: Configuracion,
) -> pd.DataFrame:
    act = cronograma.drop_duplicates("id_actividad").rename(
        columns={"direccion": "direccion_cronograma"}
    )
    act = act.merge(plan, on="id_asistencia", how="left")
    # Una actividad sin ítem de plan (no debería pasar la validación) queda en su dirección.
    act["direccion"] = act["direccion"].fillna(act["direccion_cronograma"])
    act["id_actividad"] = act["id_actividad"].astype("string")
    conteos = _por_actividad_personas(personas).join(
        _por_actividad_evaluaciones(evaluacion), how="outer"
    )
    act = act.merge(conteos, left_on="id_actividad", right_index=True, how="left")
    enteros = [c for c in conteos.columns if not c.startswith("suma_")]
    for columna in enteros:
        act[columna] = act[columna].fillna(0).astype("int64")
    for d in DIMENSIONES:
        act[f"suma_{d}"] = act[f"suma_{d}"].fillna(0).astype(float)
    act["tiene_lista"] = act["asistentes"] > 0
    act["tiene_evaluacion"] = act["evaluaciones"] > 0
    act["evidencias_completas"] = act["tiene_lista"] & act["tiene_evaluacion"]
    act["dias_habiles_informe"] = _dias_habiles(act)
    limite = config.parametros.dias_habiles_informe
    act["informe_oportuno"] = informe_oportuno(act["dias_habiles_informe"], limite)
    act["id_actividad"] = act["id_actividad"].astype(object)
    return act[list(COLUMNAS_ACTIVIDADES)].reset_index(drop=True)


def _dias_habiles(act: pd.DataFrame) -> pd.Series:
    """Días hábiles hasta la entrega del informe; solo de las realizadas con informe entregado."""
    validas = (act["estado"] == EstadoActividad.REALIZADA) & act["fecha_realizacion"].notna()
    validas &= act["fecha_entrega_informe"].notna()
    resultado = pd.Series(pd.NA, index=act.index, dtype="Int64")
    if validas.any():
        pares = act.loc[validas]
        resultado[validas] = dias_habiles_entre(
            pares["fecha_realizacion"], pares["fecha_entrega_informe"]
        )
    return resultado


def _compromisos(compromisos: pd.DataFrame, actividades: pd.DataFrame) -> pd.DataFrame:
    datos_actividad = actividades[
        ["id_actividad", "id_asistencia", "direccion", "tema", "fecha_realizacion"]
    ].rename(columns={"direccion": "direccion_actividad", "fecha_realizacion": "fecha_actividad"})
    unidos = compromisos.assign(id_actividad=compromisos["id_actividad"].astype("string")).merge(
        datos_actividad, on="id_actividad", how="left"
    )
    unidos = unidos.rename(columns={"direccion": "direccion_archivo"})
    unidos["direccion"] = unidos["direccion_actividad"].fillna(unidos["direccion_archivo"])
    return unidos.drop(columns=["direccion_actividad"])
