"""Reglas entre archivos X1–X11 y X15 (especificación §5): la lista ordenada `PASOS`.

Cada paso recibe la misma `Revision` (tablas, ubicador, hallazgos y lo que dejaron los pasos
anteriores) y se aplica en el orden de las dependencias: plan (X1) → cronograma (X2, X3) →
compromisos, listas y evaluaciones (X4, X5) → evidencias de cada actividad (X6–X10) → plazos según
la Fecha de corte (X11 informes, X15 estados sin actualizar). Cada nivel solo ve lo que sobrevivió
al anterior, así las exclusiones se encadenan.

Las referencias (X3–X6) se revisan también en las filas y archivos que la validación de campos
excluyó, con sus valores crudos, para que una corrida diga todos los problemas (§5); esas filas
siguen excluidas. X7–X11 cuentan solo evidencia válida.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from esquemas import PLANTILLAS
from esquemas.vocabulario import TipoPlantilla
from pipeline import tablas as contrato
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import clave
from pipeline.problemas import Codigo, Problema
from pipeline.validacion import evidencias as ev
from pipeline.validacion.contexto import Contexto
from pipeline.validacion.hallazgos import Hallazgos, Ubicador, apilar, llave
from pipeline.validacion.identificadores import (
    Referencia,
    conocidas,
    fichas_sin_filas_validas,
    marco,
    origen,
    por_archivo,
    referencias_excluidas,
    referencias_rotas,
    repetidos,
)
from pipeline.validacion.plazos import estados_sin_actualizar, informes_tarde
from pipeline.validacion.resultado import marco_excluidas

X3 = Referencia(
    TipoPlantilla.CRONOGRAMA,
    "id_asistencia",
    Codigo.X3,
    TipoPlantilla.PLAN,
    "id_asistencia",
    "el ID asistencia",
)
X4_COMPROMISOS = Referencia(
    TipoPlantilla.COMPROMISOS,
    "id_actividad",
    Codigo.X4,
    TipoPlantilla.CRONOGRAMA,
    "id_actividad",
    "la actividad",
)
EVIDENCIAS = (TipoPlantilla.ASISTENCIA, TipoPlantilla.EVALUACION)


@dataclass
class ReglasEntreArchivos:
    """Lo que dejan las reglas entre archivos: tablas depuradas, problemas y filas excluidas."""

    tablas: dict[str, pd.DataFrame]  # sin las filas excluidas; asistencia con `repetido` (X8)
    problemas: list[Problema]
    excluidas: pd.DataFrame  # archivo, fila, tipo, codigos (solo las que excluyen estas reglas)


def aplicar_reglas_entre_archivos(
    tablas: dict[str, pd.DataFrame],
    libros: list[LibroLeido],
    contexto: Contexto,
    excluidas_previas: pd.DataFrame | None = None,
    problemas_previos: list[Problema] | None = None,
) -> ReglasEntreArchivos:
    """Aplica los `PASOS` en orden; X1–X6 también miran las filas que excluyó la validación de campos.

    `excluidas_previas` (archivo, fila, tipo, codigos) son las filas que excluyó la validación de
    campos: sirven para distinguir una referencia a una fila excluida (DEPENDE_DE_EXCLUIDA) de una
    referencia a un ID que no existe (X3, X4), y sus referencias también se revisan.
    `problemas_previos` (lectura y campos) dejan que una dependencia señale el error de fondo.
    """
    t = {tipo: _tabla(tablas, tipo) for tipo in PLANTILLAS}
    previas = _previas(excluidas_previas)
    ubicador, hallazgos = Ubicador(libros), Hallazgos(previos=list(problemas_previos or []))
    revision = Revision(t, previas, ubicador, hallazgos, contexto)
    for paso in PASOS:
        paso.aplicar(revision)
    repetido = revision.repetido.reindex(t[TipoPlantilla.ASISTENCIA].index, fill_value=False)
    t[TipoPlantilla.ASISTENCIA] = t[TipoPlantilla.ASISTENCIA].assign(repetido=repetido.astype(bool))
    depuradas = {
        tipo: hallazgos.quitar(tipo, tabla).reset_index(drop=True) for tipo, tabla in t.items()
    }
    otras = {tipo: tabla for tipo, tabla in tablas.items() if tipo not in depuradas}
    return ReglasEntreArchivos({**depuradas, **otras}, hallazgos.problemas, hallazgos.excluidas())


def _tabla(tablas: dict[str, pd.DataFrame], tipo: str) -> pd.DataFrame:
    tabla = tablas.get(tipo)
    # Índice único y consecutivo: las reglas alinean sus resultados por índice.
    return contrato.vacia(tipo) if tabla is None else tabla.reset_index(drop=True)


def _previas(excluidas: pd.DataFrame | None) -> pd.DataFrame:
    if excluidas is None or excluidas.empty:
        return marco_excluidas()
    return excluidas


@dataclass
class Revision:
    """El estado de una corrida de las reglas: tablas, ubicador, hallazgos y lo que deja cada paso."""

    t: dict[str, pd.DataFrame]
    previas: pd.DataFrame
    ubicador: Ubicador
    hallazgos: Hallazgos
    contexto: Contexto
    # Lo que dejan los pasos para los siguientes (vacío hasta que el paso corre).
    plan: pd.DataFrame = field(default_factory=pd.DataFrame)  # X1: filas conocidas del plan
    cronograma: pd.DataFrame = field(default_factory=pd.DataFrame)  # X2: del cronograma
    archivos: dict[str, pd.DataFrame] = field(default_factory=dict)  # X4: listas y evaluaciones
    actividades: pd.DataFrame = field(default_factory=pd.DataFrame)  # X5: cronograma vivo
    vivos: dict[str, pd.DataFrame] = field(default_factory=dict)  # X5/X6: evidencia válida
    repetido: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))  # X8
    asistentes: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))  # X8
    evaluaciones: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))  # X7

    def repetidos(self, tipo: str, nombre: str, codigo: Codigo) -> pd.DataFrame:
        """X1/X2 sobre todas las filas conocidas de `tipo` (válidas y excluidas por campos)."""
        filas = pd.concat(
            [
                marco(self.t[tipo], nombre),
                conocidas(tipo, nombre, self.previas, self.ubicador, self.contexto),
            ],
            ignore_index=True,
        )
        repetidos(filas, tipo, nombre, codigo, self.ubicador, self.hallazgos)
        return filas

    def marcar_vivas(self, tipo: str, filas: pd.DataFrame) -> None:
        """`viva`: la fila pasó los campos y ninguna regla entre archivos la excluyó."""
        filas["viva"] = filas["valida"] & ~self.hallazgos.mascara(tipo, filas)

    def referencias(self, destino: pd.DataFrame, regla: Referencia) -> None:
        """X3/X4 fila por fila, también en las filas excluidas por campos; se excluyen las válidas."""
        refs = apilar(
            [
                marco(self.t[regla.tipo], regla.nombre),
                referencias_excluidas(
                    regla.tipo, regla.nombre, self.previas, self.ubicador, self.contexto
                ),
            ]
        )
        rotas = referencias_rotas(refs, destino, regla, self.ubicador, self.hallazgos)
        validas = rotas[rotas["valida"]]
        self.hallazgos.excluir(regla.tipo, validas, validas["codigo"])

    def evidencias_x4(self, tipo: str, cronograma: pd.DataFrame) -> pd.DataFrame:
        """X4 por archivo de lista o evaluación (con o sin filas válidas); da los que siguen."""
        tabla = self.t[tipo]
        presentes = set(tabla["archivo"])
        archivos = apilar(
            [
                por_archivo(tabla),
                fichas_sin_filas_validas(tipo, presentes, self.ubicador, self.contexto),
            ]
        )
        regla = Referencia(
            tipo,
            "id_actividad",
            Codigo.X4,
            TipoPlantilla.CRONOGRAMA,
            "id_actividad",
            "la actividad",
            en_ficha=True,
        )
        rotas = referencias_rotas(archivos, cronograma, regla, self.ubicador, self.hallazgos)
        self.hallazgos.excluir_archivos(tipo, self.t[tipo], rotas)
        return archivos[~archivos["archivo"].isin(rotas["archivo"])]

    def vivas(self) -> pd.DataFrame:
        """Filas vivas del cronograma con la llave de su actividad."""
        vivas = self.hallazgos.quitar(
            TipoPlantilla.CRONOGRAMA, self.t[TipoPlantilla.CRONOGRAMA]
        ).reset_index(drop=True)
        return vivas.assign(
            llave=llave(vivas["vigencia"], vivas["id_actividad"], vivas["direccion"])
        )

    def realizadas(
        self, tipo: str, archivos: pd.DataFrame, actividades: pd.DataFrame
    ) -> pd.DataFrame:
        """X5 (se excluye el archivo) y X6 (advertencia) para las listas o evaluaciones de `tipo`."""
        unidos = ev.con_actividad(archivos, actividades)
        malos = ev.no_realizadas(unidos, tipo, self.ubicador, self.hallazgos)
        self.hallazgos.excluir_archivos(tipo, self.t[tipo], malos)
        buenos = unidos[~unidos["archivo"].isin(malos["archivo"])]
        ev.fechas_distintas(buenos, tipo, self.ubicador, self.hallazgos)
        return buenos

    def recibidas(self) -> set[str]:
        """Llaves de las actividades de las que llegó alguna lista, aunque tenga errores."""
        recibidas = set(por_archivo(self.t[TipoPlantilla.ASISTENCIA])["llave"])
        for libro in self.ubicador.libros(TipoPlantilla.ASISTENCIA):
            ident = clave(libro.ficha.get("id_actividad"))
            if ident:
                vigencia, direccion, _ = origen(libro, self.contexto)
                recibidas.add(f"{vigencia}|{clave(direccion)}|{ident}")
        return recibidas - {""}


# Los pasos, en orden ---------------------------------------------------------------------------


def ids_asistencia_repetidos(r: Revision) -> None:
    """X1: ID asistencia repetido en la vigencia (también entre direcciones)."""
    r.plan = r.repetidos(TipoPlantilla.PLAN, "id_asistencia", Codigo.X1)
    r.marcar_vivas(TipoPlantilla.PLAN, r.plan)


def ids_actividad_repetidos(r: Revision) -> None:
    """X2: ID actividad repetido en la vigencia."""
    r.cronograma = r.repetidos(TipoPlantilla.CRONOGRAMA, "id_actividad", Codigo.X2)


def actividades_sin_asistencia(r: Revision) -> None:
    """X3: fila del cronograma cuyo ID asistencia no está en el plan de su dirección."""
    r.referencias(r.plan, X3)
    r.marcar_vivas(TipoPlantilla.CRONOGRAMA, r.cronograma)


def referencias_sin_actividad(r: Revision) -> None:
    """X4: compromiso, lista o evaluación cuyo ID actividad no está en el cronograma."""
    r.referencias(r.cronograma, X4_COMPROMISOS)
    r.archivos = {tipo: r.evidencias_x4(tipo, r.cronograma) for tipo in EVIDENCIAS}


def evidencias_de_no_realizadas(r: Revision) -> None:
    """X5 (actividad no Realizada) y X6 (fecha distinta) para listas y evaluaciones."""
    r.actividades = r.vivas()
    vivos = {tipo: r.realizadas(tipo, r.archivos[tipo], r.actividades) for tipo in EVIDENCIAS}
    # Los archivos sin filas válidas ya recibieron X4–X6; no cuentan como evidencia (X7–X10).
    r.vivos = {tipo: v[v["valida"]] for tipo, v in vivos.items()}


def documentos_repetidos(r: Revision) -> None:
    """X8: el mismo documento dos veces en una actividad (cuenta una vez)."""
    asistencia = r.hallazgos.quitar(TipoPlantilla.ASISTENCIA, r.t[TipoPlantilla.ASISTENCIA])
    de_lista = r.vivos[TipoPlantilla.ASISTENCIA].set_index("archivo")["llave"]
    r.repetido = ev.documentos_repetidos(asistencia, de_lista, r.ubicador, r.hallazgos)
    r.asistentes = asistencia.loc[~r.repetido, "archivo"].map(de_lista).value_counts()


def mas_evaluaciones_que_asistentes(r: Revision) -> None:
    """X7: más evaluaciones que asistentes en una actividad; se excluyen sus evaluaciones."""
    evaluacion = r.hallazgos.quitar(TipoPlantilla.EVALUACION, r.t[TipoPlantilla.EVALUACION])
    de_evaluacion = r.vivos[TipoPlantilla.EVALUACION].set_index("archivo")["llave"]
    evaluaciones = evaluacion["archivo"].map(de_evaluacion).value_counts()
    malos = ev.mas_evaluaciones(
        r.vivos[TipoPlantilla.EVALUACION], evaluaciones, r.asistentes, r.ubicador, r.hallazgos
    )
    r.hallazgos.excluir_archivos(TipoPlantilla.EVALUACION, r.t[TipoPlantilla.EVALUACION], malos)
    r.evaluaciones = evaluaciones.drop(malos["llave"].unique())


def realizadas_sin_lista(r: Revision) -> None:
    """X9: actividad Realizada sin lista de asistencia."""
    ev.sin_lista(r.actividades, r.recibidas(), r.ubicador, r.hallazgos)


def pocas_evaluaciones(r: Revision) -> None:
    """X10: menos evaluaciones que la cobertura mínima de los asistentes."""
    porcentaje = r.contexto.config.parametros.cobertura_minima_evaluacion
    ev.pocas_evaluaciones(
        r.actividades, r.evaluaciones, r.asistentes, porcentaje, r.ubicador, r.hallazgos
    )


def informes_fuera_de_plazo(r: Revision) -> None:
    """X11: informe entregado o pendiente después del plazo en días hábiles."""
    plazo = r.contexto.config.parametros.dias_habiles_informe
    informes_tarde(r.actividades, plazo, r.ubicador, r.hallazgos)


def estados_vencidos(r: Revision) -> None:
    """X15: actividad Programada o Reprogramada cuya fecha vigente ya pasó."""
    estados_sin_actualizar(r.actividades, r.ubicador, r.hallazgos)


@dataclass(frozen=True)
class Paso:
    """Una regla entre archivos: los códigos que puede dar y la función que la aplica."""

    codigos: tuple[Codigo, ...]
    aplicar: Callable[[Revision], None]


PASOS = (
    Paso((Codigo.X1,), ids_asistencia_repetidos),
    Paso((Codigo.X2,), ids_actividad_repetidos),
    Paso((Codigo.X3,), actividades_sin_asistencia),
    Paso((Codigo.X4,), referencias_sin_actividad),
    Paso((Codigo.X5, Codigo.X6), evidencias_de_no_realizadas),
    Paso((Codigo.X8,), documentos_repetidos),
    Paso((Codigo.X7,), mas_evaluaciones_que_asistentes),
    Paso((Codigo.X9,), realizadas_sin_lista),
    Paso((Codigo.X10,), pocas_evaluaciones),
    Paso((Codigo.X11,), informes_fuera_de_plazo),
    Paso((Codigo.X15,), estados_vencidos),
)
"""Las reglas entre archivos en el orden en que se aplican (X8 cuenta asistentes antes de X7)."""
