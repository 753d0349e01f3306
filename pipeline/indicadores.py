"""Los indicadores de la especificación (§6), por periodo y por nivel: entidad, dirección y tema.

Cada indicador es un numerador y, si es una razón, un denominador. Ambos son medidas: sumas de
lo que aporta cada actividad, compromiso o ítem del plan, o conteos de valores distintos. Las
medidas se agregan con numpy para todos los grupos de un nivel a la vez (sin recorrer filas en
Python). Una razón con denominador 0 queda vacía (NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.configuracion import Parametros
from pipeline.consolidacion import DIMENSIONES, Consolidado
from pipeline.divipola import cargar_divipola
from pipeline.periodos import Periodo


@dataclass(frozen=True)
class Definicion:
    """Un indicador: columna del numerador, del denominador (None si es un conteo) y factor."""

    nombre: str
    numerador: str
    denominador: str | None = None
    factor: float = 1.0


_PROMEDIOS = {
    "pertinencia": "Promedio pertinencia",
    "claridad": "Promedio claridad",
    "metodologia": "Promedio metodología",
    "dominio": "Promedio dominio",
    "utilidad": "Promedio utilidad",
    "satisfaccion_general": "Promedio satisfacción general",
}

# En el orden de la especificación (§6).
DEFINICIONES: tuple[Definicion, ...] = (
    Definicion("Actividades programadas", "programadas"),
    Definicion("Actividades realizadas", "realizadas"),
    Definicion("Actividades reprogramadas", "reprogramadas"),
    Definicion("Actividades canceladas", "canceladas"),
    Definicion("Cumplimiento del cronograma (%)", "programadas_realizadas", "programadas", 100),
    Definicion("Avance del plan (%)", "realizadas_acumuladas", "sesiones", 100),
    Definicion("Asistentes", "asistentes"),
    Definicion("Personas únicas", "personas_unicas"),
    Definicion("Mujeres", "mujeres"),
    Definicion("Hombres", "hombres"),
    Definicion("Municipios atendidos", "municipios"),
    Definicion("Departamentos atendidos", "departamentos"),
    Definicion("Evaluaciones", "evaluaciones"),
    Definicion("Cobertura de evaluación (%)", "evaluaciones", "asistentes", 100),
    Definicion("Satisfacción (%)", "evaluaciones_satisfechas", "evaluaciones", 100),
    *(Definicion(nombre, f"suma_{d}", f"respuestas_{d}") for d, nombre in _PROMEDIOS.items()),
    Definicion("Evidencias completas (%)", "evidencias", "realizadas", 100),
    Definicion("Informes oportunos (%)", "oportunos", "realizadas", 100),
    Definicion("Compromisos con vencimiento", "con_vencimiento"),
    Definicion("Compromisos cumplidos", "cumplidos"),
    Definicion("Cumplimiento de compromisos (%)", "cumplidos", "con_vencimiento", 100),
)

INDICADORES: tuple[str, ...] = tuple(d.nombre for d in DEFINICIONES)
PORCENTAJES: frozenset[str] = frozenset(n for n in INDICADORES if n.endswith("(%)"))
NIVELES = ("entidad", "dirección", "tema")
COLUMNAS = (
    "periodo",
    "nivel",
    "direccion",
    "tema",
    "indicador",
    "numerador",
    "denominador",
    "valor",
    "semaforo",
)

_CLAVES = {"dirección": ["direccion"], "tema": ["direccion", "tema"]}
_DISTINTAS = ("personas_unicas", "municipios", "departamentos")  # conteos de valores distintos
_ACUMULABLES = {  # hecho de R(P) → columna de la tabla de actividades
    "asistentes": "asistentes",
    "mujeres": "mujeres",
    "hombres": "hombres",
    "evaluaciones": "evaluaciones",
    "evaluaciones_satisfechas": "evaluaciones_satisfechas",
    "evidencias": "evidencias_completas",
    "oportunos": "informe_oportuno",
    **{f"suma_{d}": f"suma_{d}" for d in DIMENSIONES},
    **{f"respuestas_{d}": f"respuestas_{d}" for d in DIMENSIONES},
}


# --- Datos que no dependen del periodo ---------------------------------------------------------


@dataclass
class _Fuente:
    """Filas que aportan a las medidas (actividades, ítems del plan o compromisos).

    `posiciones[nivel]` es la posición del grupo de cada fila en ese nivel (-1 si no pertenece).
    """

    filas: pd.DataFrame
    posiciones: dict[str, np.ndarray]


@dataclass
class _Distintos:
    """Pares (grupo, valor) de una medida de valores distintos, numerados una sola vez."""

    par: np.ndarray  # número del par de cada fila (-1 si la fila no tiene grupo o valor)
    grupo_par: np.ndarray  # posición del grupo de cada par


def _pares(posiciones: np.ndarray, codigos: np.ndarray) -> _Distintos:
    validas = (posiciones >= 0) & (codigos >= 0)
    base = max(int(codigos.max()) + 1, 1) if len(codigos) else 1
    claves = np.where(validas, posiciones.astype(np.int64) * base + codigos, -1)
    unicas, par = np.unique(claves, return_inverse=True)
    hay_invalidas = len(unicas) > 0 and unicas[0] == -1
    par = par.reshape(-1) - int(hay_invalidas)
    par[~validas] = -1
    unicas = unicas[int(hay_invalidas) :]
    return _Distintos(par=par, grupo_par=(unicas // base).astype(np.intp))


@dataclass
class _Datos:
    """Fuentes con sus grupos y códigos enteros de los valores que se cuentan sin repetir."""

    consolidado: Consolidado
    grupos: dict[str, pd.Index]
    actividades: _Fuente
    plan: _Fuente
    compromisos: _Fuente
    persona_actividad: np.ndarray  # posición de la actividad de cada asistente (-1 si no está)
    # medida de valores distintos → nivel → pares (grupo, valor); las filas de «personas_unicas»
    # son los asistentes y las de «municipios» y «departamentos» son las actividades.
    distintos: dict[str, dict[str, _Distintos]]


def _tomar(valores: np.ndarray, posiciones: np.ndarray, relleno) -> np.ndarray:
    """valores[posiciones], con `relleno` donde la posición es -1."""
    resultado = np.full(len(posiciones), relleno, dtype=valores.dtype)
    validas = posiciones >= 0
    resultado[validas] = valores[posiciones[validas]]
    return resultado


def _posiciones(filas: pd.DataFrame, grupos: dict[str, pd.Index]) -> dict[str, np.ndarray]:
    posiciones = {}
    for nivel, indice in grupos.items():
        if nivel == "entidad":
            posiciones[nivel] = np.zeros(len(filas), dtype=np.intp)
        elif isinstance(indice, pd.MultiIndex):
            claves = pd.MultiIndex.from_frame(filas[list(indice.names)].astype(object))
            posiciones[nivel] = indice.get_indexer(claves)
        else:
            posiciones[nivel] = indice.get_indexer(filas[indice.name].astype(object))
    return posiciones


def _codigos(valores: pd.Series) -> np.ndarray:
    """Código entero de cada valor; -1 si está vacío."""
    valores = valores.astype(object).where(valores.notna() & (valores.astype(str) != ""), None)
    return pd.factorize(valores, use_na_sentinel=True)[0]


def _preparar(consolidado: Consolidado, grupos: dict[str, pd.Index]) -> _Datos:
    act = consolidado.actividades
    personas = consolidado.personas
    actividades = _Fuente(act, _posiciones(act, grupos))
    ids = pd.Index(act["id_actividad"].astype(object))
    persona_actividad = ids.get_indexer(personas["id_actividad"].astype(object))
    documento = (
        personas["tipo_documento"].astype(str) + "\x1f" + personas["numero_documento"].astype(str)
    )
    codigo_persona = _codigos(documento)
    codigos = {
        "municipios": _codigos(act["municipio_plan"]),
        "departamentos": _codigos(act["departamento_plan"]),
    }
    distintos: dict[str, dict[str, _Distintos]] = {m: {} for m in _DISTINTAS}
    for nivel in grupos:
        de_persona = _tomar(actividades.posiciones[nivel], persona_actividad, -1)
        distintos["personas_unicas"][nivel] = _pares(de_persona, codigo_persona)
        for medida, codigo in codigos.items():
            distintos[medida][nivel] = _pares(actividades.posiciones[nivel], codigo)
    return _Datos(
        consolidado=consolidado,
        grupos=grupos,
        actividades=actividades,
        plan=_Fuente(consolidado.plan, _posiciones(consolidado.plan, grupos)),
        compromisos=_Fuente(consolidado.compromisos, _posiciones(consolidado.compromisos, grupos)),
        persona_actividad=persona_actividad,
        distintos=distintos,
    )


# --- Medidas de un periodo: aporte de cada fila -------------------------------------------------


def _hasta(fechas: pd.Series, periodo: Periodo) -> np.ndarray:
    return (fechas <= pd.Timestamp(periodo.fin)).fillna(False).to_numpy(dtype=bool)


def en_r(consolidado: Consolidado, periodo: Periodo) -> pd.Series:
    """R(P): actividades Realizadas con Fecha de realización en P."""
    act = consolidado.actividades
    realizada = (act["estado"] == "Realizada").fillna(False)
    return realizada & periodo.contiene(act["fecha_realizacion"])


def _medidas_actividades(act: pd.DataFrame, vigencia: int, periodo: Periodo) -> dict:
    estado = act["estado"].astype(object).to_numpy()
    programada = periodo.contiene(act["fecha_programada"]).to_numpy(dtype=bool)
    realizada = estado == "Realizada"
    r = realizada & periodo.contiene(act["fecha_realizacion"]).to_numpy(dtype=bool)
    del_anio = (act["fecha_realizacion"].dt.year == vigencia).fillna(False).to_numpy(dtype=bool)
    medidas = {
        "programadas": programada,
        "realizadas": r,
        "reprogramadas": programada & (estado == "Reprogramada"),
        "canceladas": programada & (estado == "Cancelada"),
        "programadas_realizadas": programada & realizada,
        "realizadas_acumuladas": realizada & del_anio & _hasta(act["fecha_realizacion"], periodo),
    }
    for medida, columna in _ACUMULABLES.items():
        medidas[medida] = np.where(r, act[columna].to_numpy(dtype=float), 0.0)
    return medidas


def _estado_compromisos(comp: pd.DataFrame, periodo: Periodo) -> dict[str, np.ndarray]:
    estado = comp["estado"].astype(object).to_numpy()
    cumplido = (estado == "Cumplido") & _hasta(comp["fecha_cumplimiento"], periodo)
    return {
        "vence": _hasta(comp["fecha_limite"], periodo) & (estado != "Cancelado"),
        "cumplido": cumplido,
        "abierto": (estado != "Cancelado") & ~cumplido,
    }


def _medidas_compromisos(comp: pd.DataFrame, periodo: Periodo) -> dict:
    estado = _estado_compromisos(comp, periodo)
    return {"con_vencimiento": estado["vence"], "cumplidos": estado["vence"] & estado["cumplido"]}


# --- Agregación por nivel -----------------------------------------------------------------------


def _sumar(posiciones: np.ndarray, valores: np.ndarray, n: int) -> np.ndarray:
    validas = posiciones >= 0
    pesos = np.asarray(valores, dtype=float)[validas]
    return np.bincount(posiciones[validas], weights=pesos, minlength=n)[:n]


def _contar_distintos(distintos: _Distintos, filas_en_r: np.ndarray, n: int) -> np.ndarray:
    """Cuántos pares (grupo, valor) distintos tiene cada grupo entre las filas de R(P)."""
    presentes = np.zeros(len(distintos.grupo_par), dtype=bool)
    presentes[distintos.par[filas_en_r & (distintos.par >= 0)]] = True
    return np.bincount(distintos.grupo_par[presentes], minlength=n)[:n].astype(float)


def _agregar(datos: _Datos, periodo: Periodo) -> dict[str, dict[str, np.ndarray]]:
    """Por nivel: medida → arreglo con su valor en cada grupo del nivel."""
    c = datos.consolidado
    act = datos.actividades
    aportes = [
        (act, _medidas_actividades(act.filas, c.vigencia, periodo)),
        (datos.plan, {"sesiones": datos.plan.filas["sesiones_programadas"].fillna(0)}),
        (datos.compromisos, _medidas_compromisos(datos.compromisos.filas, periodo)),
    ]
    r = aportes[0][1]["realizadas"]
    en_r_por_fila = {
        "personas_unicas": _tomar(r, datos.persona_actividad, False),
        "municipios": r,
        "departamentos": r,
    }
    resultado = {}
    for nivel, grupos in datos.grupos.items():
        n = len(grupos)
        ancho = {m: np.zeros(n) for m in _sumables()}
        for fuente, medidas in aportes:
            for medida, valores in medidas.items():
                ancho[medida] = ancho[medida] + _sumar(fuente.posiciones[nivel], valores, n)
        for medida, filas_en_r in en_r_por_fila.items():
            ancho[medida] = _contar_distintos(datos.distintos[medida][nivel], filas_en_r, n)
        resultado[nivel] = ancho
    return resultado


def _sumables() -> list[str]:
    """Medidas que se suman por grupo (todas menos los conteos de valores distintos)."""
    columnas = {d.numerador for d in DEFINICIONES} | {d.denominador for d in DEFINICIONES}
    return sorted(c for c in columnas if c and c not in _DISTINTAS)


def _grupos(consolidado: Consolidado, nivel: str) -> pd.Index:
    """Los grupos del nivel: los configurados (aunque no tengan datos) y los que aparezcan."""
    direcciones = consolidado.config.direcciones
    if nivel == "entidad":
        return pd.RangeIndex(1)
    vistos = consolidado.plan[_CLAVES[nivel]].dropna().drop_duplicates()
    if nivel == "dirección":
        configurados = [d.codigo for d in direcciones]
        extra = [c for c in vistos["direccion"] if c not in configurados]
        return pd.Index(configurados + extra, name="direccion", dtype=object)
    configurados = [(d.codigo, t) for d in direcciones for t in d.temas]
    extra = [t for t in vistos.itertuples(index=False, name=None) if t not in configurados]
    return pd.MultiIndex.from_tuples(configurados + extra, names=["direccion", "tema"])


def _valores(ancho: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Matrices grupos × indicadores de numerador, denominador y valor."""
    n, m = len(ancho["programadas"]), len(DEFINICIONES)
    numerador, denominador, valor = (np.full((n, m), np.nan) for _ in range(3))
    for j, d in enumerate(DEFINICIONES):
        num = ancho[d.numerador]
        if d.denominador is None:
            valor[:, j] = num
            continue
        den = ancho[d.denominador]
        numerador[:, j], denominador[:, j] = num, den
        valor[:, j] = np.where(den > 0, d.factor * num / np.where(den > 0, den, 1), np.nan)
    return numerador, denominador, valor


def semaforo(valor: float | None, parametros: Parametros) -> str:
    """Verde, Amarillo o Rojo según los umbrales; "" si no hay valor. Se compara el valor a 2 decimales."""
    if valor is None or pd.isna(valor):
        return ""
    valor = round(float(valor), 2)
    if valor >= parametros.umbral_verde:
        return "Verde"
    return "Amarillo" if valor >= parametros.umbral_amarillo else "Rojo"


def _semaforos(valor: np.ndarray, parametros: Parametros) -> np.ndarray:
    redondeado = np.round(valor, 2)
    with np.errstate(invalid="ignore"):
        colores = np.select(
            [redondeado >= parametros.umbral_verde, redondeado >= parametros.umbral_amarillo],
            ["Verde", "Amarillo"],
            "Rojo",
        ).astype(object)
    colores[np.isnan(valor)] = ""
    es_porcentaje = np.array([n in PORCENTAJES for n in INDICADORES])
    colores[:, ~es_porcentaje] = ""
    return colores


def _largo(
    ancho: dict[str, np.ndarray],
    grupos: pd.Index,
    periodo: Periodo,
    nivel: str,
    parametros: Parametros,
) -> pd.DataFrame:
    numerador, denominador, valor = _valores(ancho)
    n, m = valor.shape
    if nivel == "tema":
        direcciones = grupos.get_level_values(0).to_numpy(dtype=object)
        temas = grupos.get_level_values(1).to_numpy(dtype=object)
    else:
        vacios = np.full(n, "", dtype=object)
        direcciones = grupos.to_numpy(dtype=object) if nivel == "dirección" else vacios
        temas = vacios
    return pd.DataFrame(
        {
            "periodo": periodo.codigo,
            "nivel": nivel,
            "direccion": np.repeat(direcciones, m),
            "tema": np.repeat(temas, m),
            "indicador": np.tile(np.array(INDICADORES, dtype=object), n),
            "numerador": numerador.ravel(),
            "denominador": denominador.ravel(),
            "valor": valor.ravel(),
            "semaforo": _semaforos(valor, parametros).ravel(),
        }
    )


def calcular_indicadores(consolidado: Consolidado, periodos: list[Periodo]) -> pd.DataFrame:
    """Tabla larga: una fila por periodo × nivel × grupo × indicador (columnas de `COLUMNAS`)."""
    parametros = consolidado.config.parametros
    datos = _preparar(consolidado, {nivel: _grupos(consolidado, nivel) for nivel in NIVELES})
    partes = []
    for periodo in periodos:
        por_nivel = _agregar(datos, periodo)
        for nivel in NIVELES:
            grupos = datos.grupos[nivel]
            partes.append(_largo(por_nivel[nivel], grupos, periodo, nivel, parametros))
    if not partes:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNAS})
    return pd.concat(partes, ignore_index=True)[list(COLUMNAS)]


# --- Vistas para los informes ---


def indicadores_por_item(consolidado: Consolidado, periodo: Periodo) -> pd.DataFrame:
    """Una fila por ítem del plan con sus indicadores en `periodo`, avance acumulado y semáforo."""
    plan = consolidado.plan
    divipola = cargar_divipola()
    grupos = pd.Index(plan["id_asistencia"].astype(object), name="id_asistencia")
    datos = _preparar(consolidado, {"item": grupos})
    _, _, valor = _valores(_agregar(datos, periodo)["item"])
    filas = pd.DataFrame(
        {
            "id_asistencia": plan["id_asistencia"],
            "direccion": plan["direccion"],
            "tema": plan["tema"],
            "tipo_servicio": plan["tipo_servicio"],
            "mecanismo": plan["mecanismo"],
            "modalidad": plan["modalidad_plan"],
            "entidad_beneficiaria": plan["entidad_beneficiaria"],
            "orden": plan["orden"],
            "departamento": plan["departamento_plan"].map(divipola.nombre_departamento),
            "municipio": plan["municipio_plan"].map(divipola.nombre_municipio),
            "sesiones_programadas": plan["sesiones_programadas"],
            "profesional_responsable": plan["profesional_responsable"],
        }
    ).reset_index(drop=True)
    indicadores = pd.DataFrame(valor, columns=list(INDICADORES))
    filas = pd.concat([filas, indicadores], axis=1)
    filas["Avance acumulado (%)"] = filas["Avance del plan (%)"]
    filas["Compromisos pendientes"] = _pendientes_por_item(consolidado, periodo, grupos)
    parametros = consolidado.config.parametros
    filas["Semáforo"] = [semaforo(v, parametros) for v in filas["Avance acumulado (%)"]]
    return filas


def _existian(comp: pd.DataFrame, periodo: Periodo) -> np.ndarray:
    # Un compromiso nace en su sesión: si la sesión se hizo después de fin(P), aún no existía.
    fecha = comp["fecha_actividad"]
    return fecha.isna().to_numpy(dtype=bool) | _hasta(fecha, periodo)


def _pendientes_por_item(
    consolidado: Consolidado, periodo: Periodo, grupos: pd.Index
) -> np.ndarray:
    comp = consolidado.compromisos
    pendientes = _estado_compromisos(comp, periodo)["abierto"] & _existian(comp, periodo)
    posiciones = grupos.get_indexer(comp["id_asistencia"].astype(object))
    return _sumar(posiciones, pendientes, len(grupos)).astype(int)


def actividades_periodo(consolidado: Consolidado, periodo: Periodo) -> pd.DataFrame:
    """Actividades con Fecha programada en P o realizadas en P, con sus marcas de evidencia."""
    act = consolidado.actividades
    programada = periodo.contiene(act["fecha_programada"])
    realizada = en_r(consolidado, periodo)
    seleccion = act[programada | realizada].assign(
        programada_en_periodo=programada, realizada_en_periodo=realizada
    )
    orden = ["direccion", "fecha_programada", "id_actividad"]
    return seleccion.sort_values(orden, kind="stable").reset_index(drop=True)


_COLUMNAS_COMPROMISOS = [
    "direccion",
    "tema",
    "id_actividad",
    "id_asistencia",
    "compromiso",
    "responsable",
    "fecha_limite",
    "estado",
    "fecha_cumplimiento",
    "archivo",
    "fila",
]


def compromisos_periodo(consolidado: Consolidado, periodo: Periodo) -> pd.DataFrame:
    """Compromisos con Fecha límite <= fin(P) o abiertos a fin(P), con la marca `vencido`."""
    comp = consolidado.compromisos
    estado = _estado_compromisos(comp, periodo)
    limite = _hasta(comp["fecha_limite"], periodo)
    incluido = (limite | estado["abierto"]) & _existian(comp, periodo)
    antes_del_fin = (comp["fecha_limite"] < pd.Timestamp(periodo.fin)).fillna(False).to_numpy(bool)
    vencido = antes_del_fin & estado["abierto"]
    resultado = comp.loc[incluido, _COLUMNAS_COMPROMISOS].assign(vencido=vencido[incluido])
    orden = ["direccion", "fecha_limite", "id_actividad"]
    return resultado.sort_values(orden, kind="stable").reset_index(drop=True)
