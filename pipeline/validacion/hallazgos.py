"""Piezas comunes de las reglas entre archivos: ubicar celdas, crear problemas y anotar exclusiones.

Las reglas trabajan sobre «llaves»: vigencia, dirección e identificador normalizados con
`normalizacion.clave` y unidos en un solo texto, para comparar con `isin` y `merge` sin bucles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import pandas as pd

from esquemas import PLANTILLAS
from esquemas.vocabulario import TipoPlantilla
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import clave
from pipeline.problemas import CATALOGO, Codigo, Problema, celda, problema
from pipeline.validacion.resultado import COLUMNAS_EXCLUIDAS, marco_excluidas

MAX_OTROS = 5
_ORDEN_CODIGOS = {codigo: i for i, codigo in enumerate(CATALOGO)}


def llave(
    vigencia: pd.Series, identificador: pd.Series, direccion: pd.Series | None = None
) -> pd.Series:
    """«vigencia|dirección|ID» normalizados (sin dirección si no se da); vacío si falta el ID."""
    # Con el texto de pandas 3 una celda vacía llega como NaN, que `clave` volvería «nan».
    ident = identificador.astype(object).where(identificador.notna(), None).map(clave)
    unida = vigencia.astype(str) + "|"
    if direccion is not None:
        unida = unida + direccion.map(clave) + "|"
    return (unida + ident).where(ident != "", "")


def apilar(marcos: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatena los marcos con filas; si ninguno tiene, el primero (conserva columnas y tipos)."""
    con_filas = [m for m in marcos if not m.empty]
    if not con_filas:
        return marcos[0].reset_index(drop=True)
    return pd.concat(con_filas, ignore_index=True)


def enumerar(lugares: list[str]) -> str:
    """Lista legible de lugares, recortada para que el mensaje no se vuelva ilegible."""
    if len(lugares) <= MAX_OTROS:
        return "; ".join(lugares)
    return "; ".join(lugares[:MAX_OTROS]) + f" y {len(lugares) - MAX_OTROS} más"


def agrupar(marco: pd.DataFrame, columnas: list[str]) -> list[list[dict]]:
    """Renglones agrupados por `columnas`, cada grupo en orden de archivo y fila.

    Para recorrer en Python solo los pocos renglones que generan problemas: `groupby` e
    `itertuples` de pandas cuestan milisegundos por grupo.
    """
    ordenado = marco.sort_values([*columnas, "archivo", "fila"], kind="stable")
    registros = ordenado.to_dict("records")
    return [
        list(grupo) for _, grupo in groupby(registros, key=lambda r: tuple(r[c] for c in columnas))
    ]


class Ubicador:
    """Encuentra el libro, la hoja y la celda de cada fila de las tablas tipadas."""

    def __init__(self, libros: list[LibroLeido]) -> None:
        self._libros = {libro.entrada.relativa: libro for libro in libros}

    def libro(self, archivo: str) -> LibroLeido | None:
        """El libro leído de `archivo`, si se recibió."""
        return self._libros.get(archivo)

    def libros(self, tipo: str) -> list[LibroLeido]:
        """Los libros reconocidos como `tipo`."""
        return [libro for libro in self._libros.values() if libro.tipo == tipo]

    def hoja(self, tipo: str, archivo: str) -> str:
        """Nombre de la hoja de datos tal como está en el libro."""
        libro = self.libro(archivo)
        return libro.hoja if libro is not None and libro.hoja else PLANTILLAS[tipo].hoja

    def celda_dato(self, tipo: str, archivo: str, fila: int, nombre: str) -> str:
        """Celda de la columna `nombre` en la fila de Excel `fila`."""
        libro = self.libro(archivo)
        if libro is not None and nombre in libro.columnas:
            return libro.celda(nombre, int(fila))
        return celda(PLANTILLAS[tipo].indice_columna(nombre), int(fila))

    def celda_ficha(self, tipo: str, archivo: str, nombre: str) -> str:
        """Celda del valor del campo de ficha `nombre`."""
        libro = self.libro(archivo)
        if libro is not None and nombre in libro.celdas_ficha:
            return libro.celdas_ficha[nombre]
        return f"B{PLANTILLAS[tipo].fila_ficha(nombre)}"

    def crudos(self, archivo: str, filas: pd.Series, nombre: str) -> pd.Series:
        """Valores leídos de la columna `nombre` en `filas` (None si faltan), para filas excluidas."""
        libro = self.libro(archivo)
        if libro is None or libro.datos is None or nombre not in libro.datos:
            return pd.Series([None] * len(filas), dtype=object)
        valores = libro.datos[nombre].reindex(pd.Index(filas, dtype="int64")).astype(object)
        return valores.where(valores.notna(), None).reset_index(drop=True)

    def direccion(self, archivo: str, defecto: object = "") -> str:
        """Código de la carpeta de la dirección dueña del archivo (a donde vuelve la devolución)."""
        libro = self.libro(archivo)
        if libro is not None and libro.entrada.direccion_carpeta:
            return libro.entrada.direccion_carpeta
        return str(defecto or "")

    def lugar_dato(self, tipo: str, archivo: str, fila: int, nombre: str) -> str:
        """«archivo», celda A9: para decir dónde más está un valor."""
        return f"«{archivo}», celda {self.celda_dato(tipo, archivo, fila, nombre)}"

    def lugar_desde(self, propio: str, tipo: str, archivo: str, fila: int, nombre: str) -> str:
        """Como `lugar_dato`, visto desde `propio`: en el mismo archivo, «la fila N de esta hoja»."""
        if archivo == propio:
            return f"la fila {int(fila)} de esta hoja"
        return self.lugar_dato(tipo, archivo, fila, nombre)

    def en_dato(
        self,
        codigo: Codigo,
        tipo: str,
        archivo: str,
        fila: int,
        nombre: str,
        valor: object,
        direccion: object = "",
        personal: bool = False,
        **datos: Any,
    ) -> Problema:
        """Problema en una celda de datos."""
        return problema(
            codigo,
            archivo=archivo,
            hoja=self.hoja(tipo, archivo),
            celda=self.celda_dato(tipo, archivo, fila, nombre),
            campo=PLANTILLAS[tipo].campo(nombre).etiqueta,
            valor=valor,
            personal=personal,
            direccion=self.direccion(archivo, direccion),
            fila=int(fila),
            **datos,
        )

    def en_actividad(
        self, codigo: Codigo, actividad: Mapping[str, Any], nombre: str, **datos: Any
    ) -> Problema:
        """Problema en la celda `nombre` de una fila del cronograma (un registro de `actividades`)."""
        return self.en_dato(
            codigo,
            TipoPlantilla.CRONOGRAMA,
            actividad["archivo"],
            actividad["fila"],
            nombre,
            actividad["id_actividad"],
            actividad["direccion"],
            **datos,
        )

    def en_ficha(
        self,
        codigo: Codigo,
        tipo: str,
        archivo: str,
        nombre: str,
        valor: object,
        direccion: object = "",
        **datos: Any,
    ) -> Problema:
        """Problema en una celda de la ficha: uno por archivo."""
        return problema(
            codigo,
            archivo=archivo,
            hoja=self.hoja(tipo, archivo),
            celda=self.celda_ficha(tipo, archivo, nombre),
            campo=PLANTILLAS[tipo].campo(nombre).etiqueta,
            valor=valor,
            direccion=self.direccion(archivo, direccion),
            **datos,
        )


@dataclass
class Hallazgos:
    """Lo que van encontrando las reglas: problemas y filas excluidas (tipo, archivo, fila, código).

    `previos` son los problemas de lectura y de campos: con ellos una dependencia señala la celda
    del problema de fondo (la `Fecha de realización` vacía), no la del identificador.
    """

    problemas: list[Problema] = field(default_factory=list)
    previos: list[Problema] = field(default_factory=list)
    _exclusiones: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    _indice: dict[tuple[str, int | None], list[Problema]] = field(default_factory=dict)
    _indexados: int = -1
    _raices: dict[int, Problema] = field(default_factory=dict)

    def _indexar(self, nuevos: list[Problema]) -> None:
        for p in nuevos:
            if p.es_error:
                self._indice.setdefault((p.archivo, p.fila), []).append(p)

    def causa(self, archivo: str, fila: int) -> Problema | None:
        """El error de fondo que excluyó la fila `fila` de `archivo` (o el archivo entero)."""
        if self._indexados < 0:
            self._indexar(self.previos)
            self._indexados = 0
        self._indexar(self.problemas[self._indexados :])
        self._indexados = len(self.problemas)
        candidatos = self._indice.get((archivo, int(fila))) or self._indice.get((archivo, None))
        if not candidatos:
            return None
        propio = next((p for p in candidatos if p.codigo != Codigo.DEPENDE_DE_EXCLUIDA), None)
        if propio is not None:
            return propio
        return self._raices.get(id(candidatos[0]), candidatos[0])

    def depende(self, problema_: Problema, raiz: Problema | None) -> None:
        """Anota una dependencia y su causa de fondo (para seguir cadenas plan → cronograma → lista)."""
        self.problemas.append(problema_)
        if raiz is not None:
            self._raices[id(problema_)] = raiz

    def excluir(self, tipo: str, filas: pd.DataFrame, codigo: Codigo | pd.Series) -> None:
        """Anota como excluidas las filas (`archivo`, `fila`) de `tipo`."""
        if filas.empty:
            return
        codigos = codigo.to_numpy() if isinstance(codigo, pd.Series) else codigo
        marco = pd.DataFrame(
            {
                "archivo": filas["archivo"].to_numpy(),
                "fila": filas["fila"].to_numpy(dtype="int64"),
                "tipo": tipo,
                "codigo": codigos,
            }
        )
        self._exclusiones.append((tipo, marco))

    def excluir_archivos(self, tipo: str, tabla: pd.DataFrame, archivos: pd.DataFrame) -> None:
        """Excluye todas las filas de los archivos listados (`archivo`, `codigo`)."""
        if archivos.empty:
            return
        filas = tabla[["archivo", "fila"]].merge(archivos[["archivo", "codigo"]], on="archivo")
        self.excluir(tipo, filas, filas["codigo"])

    def mascara(self, tipo: str, tabla: pd.DataFrame) -> pd.Series:
        """Verdadero en las filas de `tabla` que ya se excluyeron."""
        del_tipo = [marco for t, marco in self._exclusiones if t == tipo]
        if not del_tipo or tabla.empty:
            return pd.Series(False, index=tabla.index)
        excluidas = pd.concat(del_tipo)
        claves = pd.MultiIndex.from_frame(excluidas[["archivo", "fila"]])
        propias = pd.MultiIndex.from_arrays([tabla["archivo"], tabla["fila"].astype("int64")])
        return pd.Series(propias.isin(claves), index=tabla.index)

    def quitar(self, tipo: str, tabla: pd.DataFrame) -> pd.DataFrame:
        """La tabla sin las filas excluidas."""
        return tabla[~self.mascara(tipo, tabla)]

    def excluidas(self) -> pd.DataFrame:
        """Una fila por fila excluida, con sus códigos en el orden del catálogo."""
        if not self._exclusiones:
            return marco_excluidas()
        todas = pd.concat([m for _, m in self._exclusiones], ignore_index=True).drop_duplicates()
        todas["orden"] = todas["codigo"].map(_ORDEN_CODIGOS)
        todas = todas.sort_values(["tipo", "archivo", "fila", "orden"], kind="stable")
        agrupadas = todas.groupby(["archivo", "fila", "tipo"], sort=False)["codigo"].agg(", ".join)
        return agrupadas.reset_index().rename(columns={"codigo": "codigos"})[COLUMNAS_EXCLUIDAS]
