"""Los indicadores de la especificación (§6), por periodo y por nivel: entidad, dirección y tema.

Cada indicador se declara una sola vez con su ficha técnica (§6.1: definición, clase, acumulación,
regla de semáforo) en `FICHAS`; el CSV, los informes y las Notas metodológicas leen esa ficha.
Cada indicador es un numerador y, si es una razón, un denominador. Ambos son medidas: sumas de
lo que aporta cada actividad, compromiso o ítem del plan, o conteos de valores distintos. Las
medidas se agregan con numpy para todos los grupos de un nivel a la vez (sin recorrer filas en
Python). Una razón con denominador 0 queda vacía (NaN).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from esquemas.vocabulario import ACTIVIDAD_PENDIENTE, EstadoActividad, EstadoCompromiso
from pipeline.configuracion import Parametros
from pipeline.consolidacion import DIMENSIONES, Consolidado
from pipeline.divipola import cargar_divipola
from pipeline.periodos import Periodo


class Clase(StrEnum):
    """Clase de un indicador (§6.1): decide su formato en los informes y si lleva semáforo."""

    CONTEO = "conteo"
    PORCENTAJE = "porcentaje"
    PROMEDIO = "promedio"


class Acumulacion(StrEnum):
    """Qué cubre un indicador en un periodo P (§6.1)."""

    PERIODO = "del periodo"  # hechos dentro de P
    VIGENCIA = "acumulado en la vigencia"  # desde el 1 de enero hasta fin(P)


class TipoSemaforo(StrEnum):
    """Con qué se juzga un indicador para darle semáforo (§6.1)."""

    NINGUNO = "ninguno"
    UMBRALES = "umbrales"  # umbral_verde y umbral_amarillo de la configuración
    FRENTE_A = "frente_a"  # la razón valor / valor de otro indicador, con los mismos umbrales
    MINIMO_COBERTURA = "minimo_cobertura"  # Verde desde cobertura_minima_evaluacion, si no Rojo


@dataclass(frozen=True)
class ReglaSemaforo:
    """Regla del semáforo de un indicador; `referencia` es el indicador de FRENTE_A."""

    tipo: TipoSemaforo
    referencia: str = ""

    def describir(self, parametros: Parametros) -> str:
        """La regla en español, con los umbrales configurados."""
        verde, amarillo = numero_es(parametros.umbral_verde), numero_es(parametros.umbral_amarillo)
        if self.tipo is TipoSemaforo.UMBRALES:
            return f"Verde desde {verde} %, Amarillo desde {amarillo} %, Rojo por debajo."
        if self.tipo is TipoSemaforo.FRENTE_A:
            return (
                f"Se juzga frente a «{self.referencia}» (lo que debía estar hecho): la razón entre "
                f"ambos es Verde desde {verde} %, Amarillo desde {amarillo} %, Rojo por debajo; "
                "sin semáforo si aún no se esperaba nada."
            )
        if self.tipo is TipoSemaforo.MINIMO_COBERTURA:
            minimo = numero_es(parametros.cobertura_minima_evaluacion)
            return f"Verde desde {minimo} % (mínimo de los procedimientos), Rojo por debajo."
        return "Sin semáforo."


def numero_es(valor: float) -> str:
    """Número al estilo colombiano en una frase: coma decimal, sin decimales si es entero."""
    if float(valor).is_integer():
        return f"{int(valor):,}".replace(",", ".")
    return f"{valor:,.2f}".rstrip("0").replace(",", "_").replace(".", ",").replace("_", ".")


SIN_SEMAFORO = ReglaSemaforo(TipoSemaforo.NINGUNO)
UMBRALES = ReglaSemaforo(TipoSemaforo.UMBRALES)
MINIMO_COBERTURA = ReglaSemaforo(TipoSemaforo.MINIMO_COBERTURA)


def frente_a(referencia: str) -> ReglaSemaforo:
    """Semáforo sobre la razón entre el indicador y `referencia`."""
    return ReglaSemaforo(TipoSemaforo.FRENTE_A, referencia)


@dataclass(frozen=True)
class Ficha:
    """Ficha técnica de un indicador (§6.1) y cómo se calcula.

    El cálculo es `factor × numerador / denominador`, donde numerador y denominador son medidas
    (ver `_medidas_actividades`, `_medidas_plan`, `_medidas_compromisos` y `_DISTINTAS`); un conteo
    no tiene denominador.
    """

    nombre: str
    definicion: str
    clase: Clase
    acumulacion: Acumulacion
    semaforo: ReglaSemaforo
    numerador: str
    denominador: str | None = None
    factor: float = 1.0

    @property
    def tiene_semaforo(self) -> bool:
        """Verdadero si el indicador lleva semáforo."""
        return self.semaforo.tipo is not TipoSemaforo.NINGUNO


_PROMEDIOS = {
    "pertinencia": ("Promedio pertinencia", "Pertinencia del tema"),
    "claridad": ("Promedio claridad", "Claridad de la exposición"),
    "metodologia": ("Promedio metodología", "Metodología"),
    "dominio": ("Promedio dominio", "Dominio del tema"),
    "utilidad": ("Promedio utilidad", "Utilidad para la gestión"),
    "satisfaccion_general": ("Promedio satisfacción general", "Satisfacción general"),
}
_P, _V = Acumulacion.PERIODO, Acumulacion.VIGENCIA
_R = "las actividades realizadas en el periodo"

# En el orden de la especificación (§6).
FICHAS: tuple[Ficha, ...] = (
    Ficha(
        "Actividades programadas",
        "Actividades del cronograma con Fecha programada en el periodo.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "programadas",
    ),
    Ficha(
        "Actividades realizadas",
        "Actividades en estado Realizada con Fecha de realización en el periodo.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "realizadas",
    ),
    Ficha(
        "Actividades reprogramadas",
        "Actividades con Fecha programada en el periodo que están en estado Reprogramada.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "reprogramadas",
    ),
    Ficha(
        "Actividades canceladas",
        "Actividades con Fecha programada en el periodo que están en estado Cancelada.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "canceladas",
    ),
    Ficha(
        "Cumplimiento del cronograma (%)",
        "De las actividades con Fecha programada en el periodo, porcentaje que está Realizada.",
        Clase.PORCENTAJE,
        _P,
        UMBRALES,
        "programadas_realizadas",
        "programadas",
        100,
    ),
    Ficha(
        "Avance del plan (%)",
        "Actividades realizadas desde el 1 de enero hasta el fin del periodo, como porcentaje "
        "de la suma de Sesiones programadas de los ítems del plan.",
        Clase.PORCENTAJE,
        _V,
        frente_a("Avance esperado (%)"),
        "realizadas_acumuladas",
        "sesiones",
        100,
    ),
    Ficha(
        "Asistentes",
        f"Asistentes de {_R}; cada documento cuenta una vez por actividad.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "asistentes",
    ),
    Ficha(
        "Personas únicas",
        f"Personas distintas (tipo y número de documento) entre los asistentes de {_R}.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "personas_unicas",
    ),
    Ficha(
        "Mujeres",
        f"Asistentes de {_R} que registraron Sexo Mujer.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "mujeres",
    ),
    Ficha(
        "Hombres",
        f"Asistentes de {_R} que registraron Sexo Hombre.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "hombres",
    ),
    Ficha(
        "Municipios atendidos",
        f"Municipios distintos de los ítems del plan de {_R} (sin contar los ítems sin municipio).",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "municipios",
    ),
    Ficha(
        "Departamentos atendidos",
        f"Departamentos distintos de los ítems del plan de {_R}.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "departamentos",
    ),
    Ficha(
        "Evaluaciones",
        f"Evaluaciones de satisfacción recibidas de {_R}.",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "evaluaciones",
    ),
    Ficha(
        "Cobertura de evaluación (%)",
        f"Evaluaciones como porcentaje de los asistentes de {_R}.",
        Clase.PORCENTAJE,
        _P,
        MINIMO_COBERTURA,
        "evaluaciones",
        "asistentes",
        100,
    ),
    Ficha(
        "Satisfacción (%)",
        "Porcentaje de evaluaciones con Satisfacción general de 4 o 5.",
        Clase.PORCENTAJE,
        _P,
        UMBRALES,
        "evaluaciones_satisfechas",
        "evaluaciones",
        100,
    ),
    *(
        Ficha(
            nombre,
            f"Promedio de 1 a 5 de las respuestas a «{pregunta}» en las evaluaciones de {_R} "
            "(las respuestas vacías no cuentan).",
            Clase.PROMEDIO,
            _P,
            SIN_SEMAFORO,
            f"suma_{d}",
            f"respuestas_{d}",
        )
        for d, (nombre, pregunta) in _PROMEDIOS.items()
    ),
    Ficha(
        "Evidencias completas (%)",
        f"De {_R}, porcentaje con al menos un asistente y al menos una evaluación.",
        Clase.PORCENTAJE,
        _P,
        UMBRALES,
        "evidencias",
        "realizadas",
        100,
    ),
    Ficha(
        "Informes oportunos (%)",
        f"De {_R}, porcentaje cuyo informe se entregó dentro del plazo en días hábiles.",
        Clase.PORCENTAJE,
        _P,
        UMBRALES,
        "oportunos",
        "realizadas",
        100,
    ),
    Ficha(
        "Compromisos con vencimiento",
        "Compromisos con Fecha límite hasta el fin del periodo, sin contar los cancelados.",
        Clase.CONTEO,
        _V,
        SIN_SEMAFORO,
        "con_vencimiento",
    ),
    Ficha(
        "Compromisos cumplidos",
        "De los compromisos con vencimiento, los Cumplidos con Fecha de cumplimiento hasta el "
        "fin del periodo.",
        Clase.CONTEO,
        _V,
        SIN_SEMAFORO,
        "cumplidos",
    ),
    Ficha(
        "Cumplimiento de compromisos (%)",
        "Compromisos cumplidos como porcentaje de los compromisos con vencimiento.",
        Clase.PORCENTAJE,
        _V,
        UMBRALES,
        "cumplidos",
        "con_vencimiento",
        100,
    ),
    Ficha(
        "Avance esperado (%)",
        "Actividades no canceladas cuya fecha vigente (la Nueva fecha si fue reprogramada, si no "
        "la Fecha programada) cae entre el 1 de enero y el fin del periodo, como porcentaje de la "
        "suma de Sesiones programadas de los ítems del plan: lo que debía estar hecho.",
        Clase.PORCENTAJE,
        _V,
        SIN_SEMAFORO,
        "esperadas",
        "sesiones",
        100,
    ),
    Ficha(
        "Actividades vencidas",
        "Actividades aún Programadas o Reprogramadas cuya fecha vigente cae entre el 1 de enero "
        "y el fin del periodo y es anterior a la fecha de corte.",
        Clase.CONTEO,
        _V,
        SIN_SEMAFORO,
        "vencidas",
    ),
    Ficha(
        "Avance en participantes (%)",
        "Asistentes de las actividades realizadas desde el 1 de enero hasta el fin del periodo "
        "cuyo ítem del plan indica Participantes esperados, como porcentaje de la suma de "
        "Participantes esperados de esos ítems.",
        Clase.PORCENTAJE,
        _V,
        SIN_SEMAFORO,
        "asistentes_con_meta",
        "participantes_esperados",
        100,
    ),
    Ficha(
        "Municipios con asistentes",
        f"Municipios distintos que los asistentes de {_R} registraron como suyos (no el del "
        "ítem del plan).",
        Clase.CONTEO,
        _P,
        SIN_SEMAFORO,
        "municipios_asistentes",
    ),
)

_POR_NOMBRE = {f.nombre: f for f in FICHAS}
INDICADORES: tuple[str, ...] = tuple(f.nombre for f in FICHAS)
PORCENTAJES: frozenset[str] = frozenset(f.nombre for f in FICHAS if f.clase is Clase.PORCENTAJE)
CON_SEMAFORO: tuple[str, ...] = tuple(f.nombre for f in FICHAS if f.tiene_semaforo)


def ficha(nombre: str) -> Ficha:
    """La ficha técnica del indicador `nombre` (KeyError si no es un indicador de §6)."""
    return _POR_NOMBRE[nombre]


def clave_semaforo(nombre: str) -> str:
    """Columna con el semáforo de un indicador en las tablas anchas (una columna por indicador)."""
    return f"{nombre} · semáforo"


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
# Conteos de valores distintos; los de «personas_unicas» y «municipios_asistentes» son de los
# asistentes y los de «municipios» y «departamentos», de las actividades.
_DISTINTAS = ("personas_unicas", "municipios", "departamentos", "municipios_asistentes")
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
class _Reparto:
    """Cómo sumar por grupo las filas de una fuente en un nivel: las filas ordenadas por grupo."""

    orden: np.ndarray  # filas que tienen grupo, ordenadas por grupo
    inicios: np.ndarray  # dónde empieza en `orden` cada grupo presente
    grupos: np.ndarray  # posición de cada grupo presente
    n: int  # grupos del nivel

    def sumar(self, medidas: np.ndarray) -> np.ndarray:
        """Matriz filas × medidas → grupos × medidas (todas las medidas en una sola pasada)."""
        resultado = np.zeros((self.n, medidas.shape[1]))
        if len(self.orden):
            resultado[self.grupos] = np.add.reduceat(medidas[self.orden], self.inicios, axis=0)
        return resultado


def _reparto(posiciones: np.ndarray, n: int) -> _Reparto:
    validas = np.flatnonzero(posiciones >= 0)
    orden = validas[np.argsort(posiciones[validas], kind="stable")]
    grupos, inicios = np.unique(posiciones[orden], return_index=True)
    return _Reparto(orden=orden, inicios=inicios, grupos=grupos, n=n)


@dataclass
class _Fuente:
    """Filas que aportan a las medidas (actividades, ítems del plan o compromisos).

    `posiciones[nivel]` es la posición del grupo de cada fila en ese nivel (-1 si no pertenece).
    """

    filas: pd.DataFrame
    posiciones: dict[str, np.ndarray]
    repartos: dict[str, _Reparto] = field(default_factory=dict)

    @classmethod
    def crear(cls, filas: pd.DataFrame, grupos: dict[str, pd.Index]) -> _Fuente:
        """Fuente con la posición de cada fila en cada nivel y su reparto para sumar."""
        posiciones = _posiciones(filas, grupos)
        repartos = {nivel: _reparto(posiciones[nivel], len(grupos[nivel])) for nivel in grupos}
        return cls(filas, posiciones, repartos)


@dataclass
class _Distintos:
    """Pares (grupo, valor) de una medida de valores distintos, numerados una sola vez."""

    par: np.ndarray  # número del par de cada fila (-1 si la fila no tiene grupo o valor)
    grupo_par: np.ndarray  # posición del grupo de cada par


# Claves posibles hasta las que se numeran con un arreglo denso en vez de ordenar: el arreglo se
# recorre entero (cumsum), así que solo conviene si no es mucho más largo que las filas.
_MAX_DENSO = 50_000_000
_MIN_DENSO = 1_000_000
_FILAS_DENSO = 4


def _pares(posiciones: np.ndarray, codigos: np.ndarray) -> _Distintos:
    validas = (posiciones >= 0) & (codigos >= 0)
    base = max(int(codigos.max()) + 1, 1) if len(codigos) else 1
    claves = np.where(validas, posiciones.astype(np.int64) * base + codigos, -1)
    grupos = int(posiciones.max()) + 1 if len(posiciones) else 0
    denso = min(_MAX_DENSO, max(_MIN_DENSO, _FILAS_DENSO * len(claves)))
    if 0 < grupos * base <= denso:
        # Numerar las claves presentes con un arreglo denso: lineal, sin ordenar.
        presente = np.zeros(grupos * base, dtype=bool)
        presente[claves[validas]] = True
        numero = np.cumsum(presente) - 1
        par = np.where(validas, numero[np.where(validas, claves, 0)], -1)
        unicas = np.flatnonzero(presente)
        return _Distintos(par=par, grupo_par=(unicas // base).astype(np.intp))
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
    columnas: _Actividades
    medidas_plan: dict[str, np.ndarray]  # no dependen del periodo
    persona_actividad: np.ndarray  # posición de la actividad de cada asistente (-1 si no está)
    # medida de valores distintos (_DISTINTAS) → nivel → pares (grupo, valor)
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
    actividades = _Fuente.crear(act, grupos)
    ids = pd.Index(act["id_actividad"].astype(object))
    persona_actividad = ids.get_indexer(personas["id_actividad"].astype(object))
    documento = (
        personas["tipo_documento"].astype(str) + "\x1f" + personas["numero_documento"].astype(str)
    )
    de_personas = {
        "personas_unicas": _codigos(documento),
        "municipios_asistentes": _codigos(personas["municipio"]),
    }
    codigos = {
        "municipios": _codigos(act["municipio_plan"]),
        "departamentos": _codigos(act["departamento_plan"]),
    }
    distintos: dict[str, dict[str, _Distintos]] = {m: {} for m in _DISTINTAS}
    for nivel in grupos:
        de_persona = _tomar(actividades.posiciones[nivel], persona_actividad, -1)
        for medida, codigo in de_personas.items():
            distintos[medida][nivel] = _pares(de_persona, codigo)
        for medida, codigo in codigos.items():
            distintos[medida][nivel] = _pares(actividades.posiciones[nivel], codigo)
    return _Datos(
        consolidado=consolidado,
        grupos=grupos,
        actividades=actividades,
        plan=_Fuente.crear(consolidado.plan, grupos),
        compromisos=_Fuente.crear(consolidado.compromisos, grupos),
        columnas=_columnas_actividades(act, consolidado.vigencia, consolidado.corte),
        medidas_plan=_medidas_plan(consolidado.plan),
        persona_actividad=persona_actividad,
        distintos=distintos,
    )


# --- Medidas de un periodo: aporte de cada fila -------------------------------------------------


def _fechas(serie: pd.Series) -> np.ndarray:
    return np.asarray(serie, dtype="datetime64[ns]")


def _hasta(fechas: pd.Series | np.ndarray, periodo: Periodo) -> np.ndarray:
    """fecha ≤ fin(P); una fecha vacía (NaT) nunca lo está."""
    return _fechas(fechas) <= np.datetime64(periodo.fin, "ns")


def _en(fechas: np.ndarray, periodo: Periodo) -> np.ndarray:
    """inicio(P) ≤ fecha ≤ fin(P)."""
    return (fechas >= np.datetime64(periodo.inicio, "ns")) & _hasta(fechas, periodo)


def en_r(consolidado: Consolidado, periodo: Periodo) -> pd.Series:
    """R(P): actividades Realizadas con Fecha de realización en P."""
    act = consolidado.actividades
    realizada = (act["estado"] == EstadoActividad.REALIZADA).fillna(False)
    return realizada & periodo.contiene(act["fecha_realizacion"])


def fecha_vigente(act: pd.DataFrame) -> pd.Series:
    """Fecha vigente de cada actividad (§6): la Nueva fecha si está Reprogramada y la tiene, si no
    la Fecha programada."""
    reprogramada = (act["estado"] == EstadoActividad.REPROGRAMADA).fillna(False) & act[
        "nueva_fecha"
    ].notna()
    return act["fecha_programada"].where(~reprogramada, act["nueva_fecha"])


def _del_anio(fechas: pd.Series, vigencia: int) -> np.ndarray:
    return (fechas.dt.year == vigencia).fillna(False).to_numpy(dtype=bool)


@dataclass
class _Actividades:
    """Columnas de la tabla de actividades que usan las medidas, como arreglos, una sola vez."""

    estado: np.ndarray
    programada: np.ndarray  # Fecha programada
    realizacion: np.ndarray  # Fecha de realización
    vigente: np.ndarray  # fecha vigente
    realizada: np.ndarray  # Estado Realizada
    realizada_del_anio: np.ndarray  # Realizada con Fecha de realización en la vigencia
    esperable: np.ndarray  # no Cancelada y con fecha vigente en la vigencia
    vencible: (
        np.ndarray
    )  # Programada o Reprogramada, fecha vigente en la vigencia y antes del corte
    asistentes_con_meta: np.ndarray  # asistentes si su ítem indica Participantes esperados, si no 0
    acumulables: dict[str, np.ndarray]  # hechos de R(P) (ver _ACUMULABLES)


def _columnas_actividades(act: pd.DataFrame, vigencia: int, corte: dt.date) -> _Actividades:
    estado = act["estado"].astype(object).to_numpy()
    vigente = fecha_vigente(act)
    realizada = estado == EstadoActividad.REALIZADA
    esperable = (estado != EstadoActividad.CANCELADA) & _del_anio(vigente, vigencia)
    pendiente = act["estado"].isin(ACTIVIDAD_PENDIENTE).fillna(False).to_numpy(dtype=bool)
    antes_del_corte = _fechas(vigente) < np.datetime64(corte, "ns")
    con_meta = act["participantes_esperados"].notna().to_numpy(dtype=bool)
    return _Actividades(
        estado=estado,
        programada=_fechas(act["fecha_programada"]),
        realizacion=_fechas(act["fecha_realizacion"]),
        vigente=_fechas(vigente),
        realizada=realizada,
        realizada_del_anio=realizada & _del_anio(act["fecha_realizacion"], vigencia),
        esperable=esperable,
        vencible=pendiente & _del_anio(vigente, vigencia) & antes_del_corte,
        asistentes_con_meta=np.where(con_meta, act["asistentes"].to_numpy(dtype=float), 0.0),
        acumulables={m: act[c].to_numpy(dtype=float) for m, c in _ACUMULABLES.items()},
    )


def actividades_vencidas(
    consolidado: Consolidado, periodo: Periodo, corte: dt.date | None = None
) -> pd.DataFrame:
    """Las actividades que cuenta `Actividades vencidas` en P (corte: el de la corrida), con su
    `fecha_vigente`, ordenadas por dirección, fecha vigente e ID."""
    act = consolidado.actividades
    columnas = _columnas_actividades(act, consolidado.vigencia, corte or consolidado.corte)
    marca = columnas.vencible & _hasta(columnas.vigente, periodo)
    seleccion = act[marca].assign(fecha_vigente=fecha_vigente(act)[marca])
    orden = ["direccion", "fecha_vigente", "id_actividad"]
    return seleccion.sort_values(orden, kind="stable").reset_index(drop=True)


def _medidas_actividades(act: _Actividades, periodo: Periodo) -> dict:
    programada = _en(act.programada, periodo)
    r = act.realizada & _en(act.realizacion, periodo)
    acumuladas = act.realizada_del_anio & _hasta(act.realizacion, periodo)
    vigente_hasta = _hasta(act.vigente, periodo)
    medidas = {
        "programadas": programada,
        "realizadas": r,
        "reprogramadas": programada & (act.estado == EstadoActividad.REPROGRAMADA),
        "canceladas": programada & (act.estado == EstadoActividad.CANCELADA),
        "programadas_realizadas": programada & act.realizada,
        "realizadas_acumuladas": acumuladas,
        "esperadas": act.esperable & vigente_hasta,
        "vencidas": act.vencible & vigente_hasta,
        "asistentes_con_meta": np.where(acumuladas, act.asistentes_con_meta, 0.0),
    }
    for medida, valores in act.acumulables.items():
        medidas[medida] = np.where(r, valores, 0.0)
    return medidas


def _estado_compromisos(comp: pd.DataFrame, periodo: Periodo) -> dict[str, np.ndarray]:
    estado = comp["estado"].astype(object).to_numpy()
    cumplido = (estado == EstadoCompromiso.CUMPLIDO) & _hasta(comp["fecha_cumplimiento"], periodo)
    return {
        "vence": _hasta(comp["fecha_limite"], periodo) & (estado != EstadoCompromiso.CANCELADO),
        "cumplido": cumplido,
        "abierto": (estado != EstadoCompromiso.CANCELADO) & ~cumplido,
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
    aportes = [
        (datos.actividades, _medidas_actividades(datos.columnas, periodo)),
        (datos.plan, datos.medidas_plan),
        (datos.compromisos, _medidas_compromisos(datos.compromisos.filas, periodo)),
    ]
    r = aportes[0][1]["realizadas"]
    r_persona = _tomar(r, datos.persona_actividad, False)
    en_r_por_fila = {
        "personas_unicas": r_persona,
        "municipios_asistentes": r_persona,
        "municipios": r,
        "departamentos": r,
    }
    matrices = [
        (
            fuente,
            list(medidas),
            np.column_stack([np.asarray(v, dtype=float) for v in medidas.values()]),
        )
        for fuente, medidas in aportes
    ]
    resultado = {}
    for nivel, grupos in datos.grupos.items():
        n = len(grupos)
        ancho = {m: np.zeros(n) for m in _sumables()}
        for fuente, nombres, matriz in matrices:
            sumas = fuente.repartos[nivel].sumar(matriz)
            for k, medida in enumerate(nombres):
                ancho[medida] = ancho[medida] + sumas[:, k]
        for medida, filas_en_r in en_r_por_fila.items():
            ancho[medida] = _contar_distintos(datos.distintos[medida][nivel], filas_en_r, n)
        resultado[nivel] = ancho
    return resultado


def _medidas_plan(plan: pd.DataFrame) -> dict:
    return {
        "sesiones": plan["sesiones_programadas"].fillna(0).to_numpy(dtype=float),
        "participantes_esperados": plan["participantes_esperados"].fillna(0).to_numpy(dtype=float),
    }


def _sumables() -> list[str]:
    """Medidas que se suman por grupo (todas menos los conteos de valores distintos)."""
    columnas = {f.numerador for f in FICHAS} | {f.denominador for f in FICHAS}
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
    pares = [(d.codigo, t) for d in direcciones for t in d.temas]
    otros = [t for t in vistos.itertuples(index=False, name=None) if t not in pares]
    return pd.MultiIndex.from_tuples(pares + otros, names=["direccion", "tema"])


def _valores(ancho: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Matrices grupos × indicadores de numerador, denominador y valor."""
    n, m = len(ancho["programadas"]), len(FICHAS)
    numerador, denominador, valor = (np.full((n, m), np.nan) for _ in range(3))
    for j, d in enumerate(FICHAS):
        num = ancho[d.numerador]
        if d.denominador is None:
            valor[:, j] = num
            continue
        den = ancho[d.denominador]
        numerador[:, j], denominador[:, j] = num, den
        valor[:, j] = np.where(den > 0, d.factor * num / np.where(den > 0, den, 1), np.nan)
    return numerador, denominador, valor


def semaforo(valor: float | None, parametros: Parametros) -> str:
    """Verde, Amarillo o Rojo según los umbrales (regla UMBRALES); "" si no hay valor.

    Se compara el valor a 2 decimales, como se muestra.
    """
    arreglo = np.array([np.nan if valor is None else valor], dtype=float)
    return str(colores(UMBRALES, arreglo, None, parametros)[0])


def _por_umbrales(valor: np.ndarray, verde: float, amarillo: float) -> np.ndarray:
    redondeado = np.round(valor, 2)
    with np.errstate(invalid="ignore"):
        colores = np.select(
            [redondeado >= verde, redondeado >= amarillo], ["Verde", "Amarillo"], "Rojo"
        ).astype(object)
    colores[np.isnan(valor)] = ""
    return colores


def colores(
    regla: ReglaSemaforo,
    valor: np.ndarray,
    referencia: np.ndarray | None,
    parametros: Parametros,
) -> np.ndarray:
    """Semáforo de cada valor según `regla` (§6.1); "" donde no hay semáforo.

    `referencia` son los valores del indicador contra el que se juzga (regla FRENTE_A): sin
    semáforo donde la referencia es 0 o está vacía (aún no se esperaba nada).
    """
    valor = np.asarray(valor, dtype=float)
    verde, amarillo = parametros.umbral_verde, parametros.umbral_amarillo
    if regla.tipo is TipoSemaforo.UMBRALES:
        return _por_umbrales(valor, verde, amarillo)
    if regla.tipo is TipoSemaforo.MINIMO_COBERTURA:
        minimo = parametros.cobertura_minima_evaluacion
        return _por_umbrales(valor, minimo, minimo)
    if regla.tipo is TipoSemaforo.FRENTE_A and referencia is not None:
        ref = np.nan_to_num(np.asarray(referencia, dtype=float), nan=0.0)
        razon = np.where(ref > 0, 100 * valor / np.where(ref > 0, ref, 1), np.nan)
        return _por_umbrales(razon, verde, amarillo)
    return np.full(valor.shape, "", dtype=object)


def semaforo_indicador(
    nombre: str, valores: dict[str, float | None], parametros: Parametros
) -> str:
    """Semáforo de un indicador a partir de su valor y el de su referencia (`valores[nombre]`)."""
    regla = ficha(nombre).semaforo

    def _arreglo(clave: str) -> np.ndarray:
        valor = valores.get(clave)
        return np.array([np.nan if valor is None else valor], dtype=float)

    referencia = _arreglo(regla.referencia) if regla.referencia else None
    return str(colores(regla, _arreglo(nombre), referencia, parametros)[0])


_COLUMNA = {f.nombre: j for j, f in enumerate(FICHAS)}


def _semaforos(valor: np.ndarray, parametros: Parametros) -> np.ndarray:
    """Matriz grupos × indicadores con el semáforo de cada valor según su ficha."""
    resultado = np.full(valor.shape, "", dtype=object)
    for j, f in enumerate(FICHAS):
        if f.tiene_semaforo:
            ref = f.semaforo.referencia
            referencia = valor[:, _COLUMNA[ref]] if ref else None
            resultado[:, j] = colores(f.semaforo, valor[:, j], referencia, parametros)
    return resultado


def _largo(
    ancho: dict[str, np.ndarray],
    grupos: pd.Index,
    periodo: Periodo,
    nivel: str,
) -> dict[str, np.ndarray]:
    """Columnas de la tabla larga para un periodo y un nivel (se unen una sola vez al final).

    `valor` queda como matriz grupos × indicadores: el semáforo se calcula al final, de una vez.
    """
    numerador, denominador, valor = _valores(ancho)
    n, m = valor.shape
    if nivel == "tema":
        direcciones = grupos.get_level_values(0).to_numpy(dtype=object)
        temas = grupos.get_level_values(1).to_numpy(dtype=object)
    else:
        vacios = np.full(n, "", dtype=object)
        direcciones = grupos.to_numpy(dtype=object) if nivel == "dirección" else vacios
        temas = vacios
    return {
        "periodo": np.full(n * m, periodo.codigo, dtype=object),
        "nivel": np.full(n * m, nivel, dtype=object),
        "direccion": np.repeat(direcciones, m),
        "tema": np.repeat(temas, m),
        "indicador": np.tile(np.array(INDICADORES, dtype=object), n),
        "numerador": numerador.ravel(),
        "denominador": denominador.ravel(),
        "valor": valor,
    }


def calcular_indicadores(consolidado: Consolidado, periodos: list[Periodo]) -> pd.DataFrame:
    """Tabla larga: una fila por periodo × nivel × grupo × indicador (columnas de `COLUMNAS`)."""
    parametros = consolidado.config.parametros
    datos = _preparar(consolidado, {nivel: _grupos(consolidado, nivel) for nivel in NIVELES})
    partes = []
    for periodo in periodos:
        por_nivel = _agregar(datos, periodo)
        for nivel in NIVELES:
            grupos = datos.grupos[nivel]
            partes.append(_largo(por_nivel[nivel], grupos, periodo, nivel))
    if not partes:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNAS})
    valor = np.vstack([p.pop("valor") for p in partes])
    columnas = {c: np.concatenate([p[c] for p in partes]) for c in COLUMNAS[:-2]}
    columnas["valor"] = valor.ravel()
    columnas["semaforo"] = _semaforos(valor, parametros).ravel()
    return pd.DataFrame(columnas)


# --- Vistas para los informes ---


SEMAFORO_DEL_AVANCE = "Semáforo del avance"


def indicadores_por_item(consolidado: Consolidado, periodo: Periodo) -> pd.DataFrame:
    """Una fila por ítem del plan con sus indicadores en `periodo` y sus semáforos.

    Columnas: las del ítem, una por indicador, `clave_semaforo(n)` por cada indicador con
    semáforo, `Avance acumulado (%)`, `Compromisos pendientes` y `Semáforo del avance` (el avance
    del plan frente al esperado, §6.1).
    """
    datos, fijas = _datos_por_item(consolidado)
    grupos = datos.grupos["item"]
    _, _, valor = _valores(_agregar(datos, periodo)["item"])
    parametros = consolidado.config.parametros
    semaforos = _semaforos(valor, parametros)
    indicadores = pd.DataFrame(valor, columns=list(INDICADORES))
    colores_item = pd.DataFrame(
        semaforos[:, [_COLUMNA[n] for n in CON_SEMAFORO]],
        columns=[clave_semaforo(n) for n in CON_SEMAFORO],
    )
    filas = pd.concat([fijas, indicadores, colores_item], axis=1)
    filas["Avance acumulado (%)"] = filas["Avance del plan (%)"]
    filas["Compromisos pendientes"] = _pendientes_por_item(consolidado, periodo, grupos)
    filas[SEMAFORO_DEL_AVANCE] = filas[clave_semaforo("Avance del plan (%)")]
    return filas


def _columnas_item(plan: pd.DataFrame) -> pd.DataFrame:
    """Las columnas del ítem del plan que no dependen del periodo (nombres DIVIPOLA incluidos)."""
    divipola = cargar_divipola()
    return pd.DataFrame(
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
            "participantes_esperados": plan["participantes_esperados"],
            "profesional_responsable": plan["profesional_responsable"],
        }
    ).reset_index(drop=True)


# Lo que no depende del periodo, por ítem, del último consolidado: los informes piden los ítems
# de muchos periodos (doce meses, semestres, vigencia) sobre los mismos datos.
_POR_ITEM: tuple[Consolidado, _Datos, pd.DataFrame] | None = None


def _datos_por_item(consolidado: Consolidado) -> tuple[_Datos, pd.DataFrame]:
    global _POR_ITEM
    if _POR_ITEM is None or _POR_ITEM[0] is not consolidado:
        plan = consolidado.plan
        grupos = pd.Index(plan["id_asistencia"].astype(object), name="id_asistencia")
        datos = _preparar(consolidado, {"item": grupos})
        _POR_ITEM = (consolidado, datos, _columnas_item(plan))
    return _POR_ITEM[1], _POR_ITEM[2]


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
