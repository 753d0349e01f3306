"""Reglas entre archivos X1–X11 y X15 (especificación §5) sobre las tablas tipadas de todas las
direcciones.

Se aplican en el orden de las dependencias: plan (X1) → cronograma (X2, X3) → compromisos, listas
y evaluaciones (X4, X5) → evidencias de cada actividad (X6–X10) → plazos según la Fecha de corte
(X11 informes, X15 estados sin actualizar). Cada
nivel solo ve lo que sobrevivió al anterior, así las exclusiones se encadenan.

Las referencias (X3–X6) se revisan también en las filas y archivos que la validación de campos
excluyó, con sus valores crudos, para que una corrida diga todos los problemas (§5); esas filas
siguen excluidas. X7–X11 cuentan solo evidencia válida.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from esquemas import PLANTILLAS
from pipeline import tablas as contrato
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import clave
from pipeline.problemas import Codigo, Problema
from pipeline.validacion import evidencias as ev
from pipeline.validacion.contexto import Contexto
from pipeline.validacion.cruce import COLUMNAS_EXCLUIDAS, Hallazgos, Ubicador, apilar, llave
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

X3 = Referencia(
    "cronograma", "id_asistencia", Codigo.X3, "plan", "id_asistencia", "el ID asistencia"
)
X4_COMPROMISOS = Referencia(
    "compromisos", "id_actividad", Codigo.X4, "cronograma", "id_actividad", "la actividad"
)
EVIDENCIAS = ("asistencia", "evaluacion")


@dataclass
class ReglasCruzadas:
    """Lo que dejan las reglas entre archivos: tablas depuradas, problemas y filas excluidas."""

    tablas: dict[str, pd.DataFrame]  # sin las filas excluidas; asistencia con `repetido` (X8)
    problemas: list[Problema]
    excluidas: pd.DataFrame  # archivo, fila, tipo, codigos (solo las que excluyen estas reglas)


def aplicar_reglas_cruzadas(
    tablas: dict[str, pd.DataFrame],
    libros: list[LibroLeido],
    contexto: Contexto,
    excluidas_previas: pd.DataFrame | None = None,
    problemas_previos: list[Problema] | None = None,
) -> ReglasCruzadas:
    """Aplica X1–X11 y X15; X1–X6 también miran las filas que excluyó la validación de campos.

    `excluidas_previas` (archivo, fila, tipo, codigos) son las filas que excluyó la validación de
    campos: sirven para distinguir una referencia a una fila excluida (DEPENDE_DE_EXCLUIDA) de una
    referencia a un ID que no existe (X3, X4), y sus referencias también se revisan.
    `problemas_previos` (lectura y campos) dejan que una dependencia señale el error de fondo.
    """
    t = {tipo: _tabla(tablas, tipo) for tipo in PLANTILLAS}
    previas = _previas(excluidas_previas)
    ubicador, hallazgos = Ubicador(libros), Hallazgos(previos=list(problemas_previos or []))
    revisar = _Revision(t, previas, ubicador, hallazgos, contexto)

    plan = revisar.repetidos("plan", "id_asistencia", Codigo.X1)
    revisar.marcar_vivas("plan", plan)
    cronograma = revisar.repetidos("cronograma", "id_actividad", Codigo.X2)
    revisar.referencias(plan, X3)
    revisar.marcar_vivas("cronograma", cronograma)
    revisar.referencias(cronograma, X4_COMPROMISOS)
    archivos = {tipo: revisar.evidencias_x4(tipo, cronograma) for tipo in EVIDENCIAS}

    actividades = revisar.actividades()
    repetido = revisar.evidencias(archivos, actividades)
    informes_tarde(
        actividades, contexto.config.parametros.dias_habiles_informe, ubicador, hallazgos
    )
    estados_sin_actualizar(actividades, ubicador, hallazgos)

    t["asistencia"] = t["asistencia"].assign(repetido=repetido.astype(bool))
    depuradas = {
        tipo: hallazgos.quitar(tipo, tabla).reset_index(drop=True) for tipo, tabla in t.items()
    }
    otras = {tipo: tabla for tipo, tabla in tablas.items() if tipo not in depuradas}
    return ReglasCruzadas({**depuradas, **otras}, hallazgos.problemas, hallazgos.excluidas())


def _tabla(tablas: dict[str, pd.DataFrame], tipo: str) -> pd.DataFrame:
    tabla = tablas.get(tipo)
    # Índice único y consecutivo: las reglas alinean sus resultados por índice.
    return contrato.vacia(tipo) if tabla is None else tabla.reset_index(drop=True)


def _previas(excluidas: pd.DataFrame | None) -> pd.DataFrame:
    if excluidas is None or excluidas.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNAS_EXCLUIDAS})
    return excluidas


@dataclass
class _Revision:
    """El estado compartido de una corrida de las reglas: tablas, ubicador y hallazgos."""

    t: dict[str, pd.DataFrame]
    previas: pd.DataFrame
    ubicador: Ubicador
    hallazgos: Hallazgos
    contexto: Contexto

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
            "cronograma",
            "id_actividad",
            "la actividad",
            en_ficha=True,
        )
        rotas = referencias_rotas(archivos, cronograma, regla, self.ubicador, self.hallazgos)
        self.hallazgos.excluir_archivos(tipo, self.t[tipo], rotas)
        return archivos[~archivos["archivo"].isin(rotas["archivo"])]

    def actividades(self) -> pd.DataFrame:
        """Filas vivas del cronograma con la llave de su actividad."""
        vivas = self.hallazgos.quitar("cronograma", self.t["cronograma"]).reset_index(drop=True)
        return vivas.assign(
            llave=llave(vivas["vigencia"], vivas["id_actividad"], vivas["direccion"])
        )

    def evidencias(self, archivos: dict[str, pd.DataFrame], actividades: pd.DataFrame) -> pd.Series:
        """X5–X10; devuelve `repetido` (X8) alineado con la tabla de asistencia."""
        vivos = {tipo: self._realizadas(tipo, archivos[tipo], actividades) for tipo in EVIDENCIAS}
        # Los archivos sin filas válidas ya recibieron X4–X6; no cuentan como evidencia (X7–X10).
        vivos = {tipo: v[v["valida"]] for tipo, v in vivos.items()}
        asistencia = self.hallazgos.quitar("asistencia", self.t["asistencia"])
        de_lista = vivos["asistencia"].set_index("archivo")["llave"]
        repetido = ev.documentos_repetidos(asistencia, de_lista, self.ubicador, self.hallazgos)
        unicos = asistencia.loc[~repetido, "archivo"]
        asistentes = unicos.map(de_lista).value_counts()
        evaluacion = self.hallazgos.quitar("evaluacion", self.t["evaluacion"])
        de_evaluacion = vivos["evaluacion"].set_index("archivo")["llave"]
        evaluaciones = evaluacion["archivo"].map(de_evaluacion).value_counts()
        malos = ev.mas_evaluaciones(
            vivos["evaluacion"], evaluaciones, asistentes, self.ubicador, self.hallazgos
        )
        self.hallazgos.excluir_archivos("evaluacion", self.t["evaluacion"], malos)
        evaluaciones = evaluaciones.drop(malos["llave"].unique())
        ev.sin_lista(actividades, self._recibidas(), self.ubicador, self.hallazgos)
        porcentaje = self.contexto.config.parametros.cobertura_minima_evaluacion
        ev.pocas_evaluaciones(
            actividades, evaluaciones, asistentes, porcentaje, self.ubicador, self.hallazgos
        )
        return repetido.reindex(self.t["asistencia"].index, fill_value=False)

    def _realizadas(
        self, tipo: str, archivos: pd.DataFrame, actividades: pd.DataFrame
    ) -> pd.DataFrame:
        """X5 (se excluye el archivo) y X6 (advertencia) para las listas o evaluaciones de `tipo`."""
        unidos = ev.con_actividad(archivos, actividades)
        malos = ev.no_realizadas(unidos, tipo, self.ubicador, self.hallazgos)
        self.hallazgos.excluir_archivos(tipo, self.t[tipo], malos)
        buenos = unidos[~unidos["archivo"].isin(malos["archivo"])]
        ev.fechas_distintas(buenos, tipo, self.ubicador, self.hallazgos)
        return buenos

    def _recibidas(self) -> set[str]:
        """Llaves de las actividades de las que llegó alguna lista, aunque tenga errores."""
        recibidas = set(por_archivo(self.t["asistencia"])["llave"])
        for libro in self.ubicador.libros("asistencia"):
            ident = clave(libro.ficha.get("id_actividad"))
            if ident:
                vigencia, direccion, _ = origen(libro, self.contexto)
                recibidas.add(f"{vigencia}|{clave(direccion)}|{ident}")
        return recibidas - {""}
