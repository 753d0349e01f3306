"""Valida una vigencia completa: lee, valida campos y fichas, separa versiones y aplica las reglas
entre archivos (el índice de reglas está en el docstring del paquete)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from esquemas import PLANTILLAS
from pipeline import tablas as contrato
from pipeline.archivos import Entrada, Estado, Limites, descubrir
from pipeline.escritura import cantidad, numero_es
from pipeline.lectura import LibroLeido, leer_aislados
from pipeline.problemas import Codigo, Problema, ordenar_problemas, problema
from pipeline.validacion.campos import validar_campos, validar_fichas
from pipeline.validacion.contexto import Contexto
from pipeline.validacion.entre_archivos import aplicar_reglas_entre_archivos
from pipeline.validacion.resultado import (
    COLUMNAS_EXCLUIDAS,
    ResultadoArchivo,
    ResultadoValidacion,
    marco_excluidas,
)
from pipeline.validacion.versiones import Reemplazo, separar_versiones

Progreso = Callable[[str], None]


def validar(
    entradas: Path,
    contexto: Contexto,
    progreso: Progreso | None = None,
    limites: Limites | None = None,
) -> ResultadoValidacion:
    """Lee y valida todos los archivos de `entradas/<vigencia>/`; nunca lanza por un archivo.

    `limites` es el presupuesto de lectura de cada archivo (por defecto, archivos.LIMITES).
    """
    avisar = progreso or (lambda _mensaje: None)
    encontrados = descubrir(Path(entradas), contexto.vigencia)
    cuantos = cantidad(len(encontrados), "archivo", "archivos")
    avisar(f"Leyendo {cuantos} de {Path(entradas) / contexto.vigencia}…")
    archivos: dict[str, ResultadoArchivo] = {}
    libros: list[LibroLeido] = []
    problemas: list[Problema] = []
    vistos: dict[str, str] = {}
    a_leer = [e for e in encontrados if not e.ignorado]
    for entrada in encontrados:
        if entrada.ignorado:
            archivos[entrada.relativa] = ResultadoArchivo(
                entrada.relativa,
                "",
                "",
                entrada.direccion_carpeta,
                Estado.IGNORADO,
                motivo=entrada.ignorado,
            )
    for libro in _leer_todos(a_leer, avisar, limites):
        entrada = libro.entrada
        original = vistos.get(libro.sha256) if libro.sha256 else None
        if original is not None:
            problemas.append(
                problema(
                    Codigo.X12,
                    archivo=entrada.relativa,
                    direccion=entrada.direccion_carpeta,
                    otro=original,
                )
            )
            archivos[entrada.relativa] = ResultadoArchivo(
                entrada.relativa,
                libro.plantilla.titulo if libro.plantilla else "",
                libro.version,
                entrada.direccion_carpeta,
                Estado.IGNORADO,
                sha256=libro.sha256,
                motivo=f"Idéntico a «{original}»",
            )
            continue
        if libro.sha256:
            vistos[libro.sha256] = entrada.relativa
        libros.append(libro)

    avisar("Validando campos…")
    tablas: dict[str, pd.DataFrame] = {}
    excluidas: list[pd.DataFrame] = []
    reemplazos: list[Reemplazo] = []
    revisados: dict[str, LibroLeido] = {}  # libros con la ficha validada (copias)
    for tipo, plantilla in PLANTILLAS.items():
        del_tipo = [lb for lb in libros if lb.tipo == tipo and not lb.rechazado]
        fichas = validar_fichas(plantilla, del_tipo, contexto)
        problemas.extend(fichas.problemas)
        del_tipo = fichas.libros
        revisados.update((lb.entrada.relativa, lb) for lb in del_tipo)
        # §10.1 después de la ficha: una versión nueva rechazada no reemplaza a la anterior.
        versiones = separar_versiones(del_tipo)
        reemplazos += versiones.reemplazos
        problemas.extend(versiones.problemas)
        campos = validar_campos(
            plantilla,
            [lb.legible() for lb in versiones.vigentes if not lb.rechazado],
            fichas,
            contexto,
        )
        problemas.extend(campos.problemas)
        tablas[tipo] = campos.tabla
        excluidas.append(campos.excluidas)
        de_lectura = [
            f for lb in versiones.vigentes if not lb.rechazado for f in lb.filas_excluidas()
        ]
        excluidas.append(marco_excluidas(de_lectura))
    excluidas_campos = _unir(excluidas)
    libros = [revisados.get(lb.entrada.relativa, lb) for lb in libros]
    fuera = {id(r.libro) for r in reemplazos}
    libros = [lb for lb in libros if id(lb) not in fuera]  # nada se cruza con un reemplazado

    avisar("Aplicando reglas entre archivos…")
    previos = problemas + [p for libro in libros for p in libro.problemas]
    entre_archivos = aplicar_reglas_entre_archivos(
        tablas, libros, contexto, excluidas_previas=excluidas_campos, problemas_previos=previos
    )
    problemas.extend(entre_archivos.problemas)
    tablas = {t: entre_archivos.tablas.get(t, contrato.vacia(t)) for t in PLANTILLAS}

    for libro in libros:
        problemas.extend(libro.problemas)
    problemas = ordenar_problemas(problemas)
    _resumir_archivos(archivos, libros, problemas, tablas)
    _resumir_reemplazos(archivos, reemplazos)
    ordenados = [archivos[e.relativa] for e in encontrados if e.relativa in archivos]
    return ResultadoValidacion(
        vigencia=contexto.vigencia,
        archivos=ordenados,
        problemas=problemas,
        tablas=tablas,
        libros=libros,
        excluidas=_unir([excluidas_campos, entre_archivos.excluidas]),
    )


def _leer_todos(
    entradas: list[Entrada], avisar: Progreso, limites: Limites | None
) -> Iterator[LibroLeido]:
    """Lee los libros en orden, en procesos aislados con tope de memoria y tiempo por archivo (§9)."""
    total = len(entradas)
    paso = max(1, total // 10)
    for i, libro in enumerate(leer_aislados(entradas, limites), start=1):
        if i % paso == 0:
            avisar(f"  {numero_es(i)} de {cantidad(total, 'archivo leído', 'archivos leídos')}")
        yield libro


def _unir(marcos: list[pd.DataFrame]) -> pd.DataFrame:
    marcos = [m for m in marcos if m is not None and not m.empty]
    if not marcos:
        return marco_excluidas()
    return pd.concat(marcos, ignore_index=True)[COLUMNAS_EXCLUIDAS]


def _resumir_archivos(
    archivos: dict[str, ResultadoArchivo],
    libros: list[LibroLeido],
    problemas: list[Problema],
    tablas: dict[str, pd.DataFrame],
) -> None:
    errores: Counter = Counter()
    advertencias: Counter = Counter()
    for p in problemas:
        (errores if p.es_error else advertencias)[p.archivo] += 1
    aceptadas: dict[str, int] = defaultdict(int)
    for tabla in tablas.values():
        if not tabla.empty:
            for archivo, n in tabla["archivo"].value_counts().items():
                aceptadas[archivo] += int(n)
    for libro in libros:
        ruta = libro.entrada.relativa
        leidas = 0 if libro.datos is None else len(libro.datos)
        n_aceptadas = 0 if libro.rechazado else aceptadas.get(ruta, 0)
        rechazado = libro.rechazado or (leidas > 0 and n_aceptadas == 0 and errores[ruta] > 0)
        if rechazado:
            estado = Estado.RECHAZADO
            n_aceptadas = 0
        elif errores[ruta] or advertencias[ruta]:
            estado = Estado.ACEPTADO_CON_ADVERTENCIAS
        else:
            estado = Estado.ACEPTADO
        archivos[ruta] = ResultadoArchivo(
            ruta=ruta,
            tipo=libro.plantilla.titulo if libro.plantilla else "",
            version=libro.version,
            direccion=libro.entrada.direccion_carpeta,
            estado=estado,
            filas_leidas=leidas,
            filas_aceptadas=n_aceptadas,
            errores=errores[ruta],
            advertencias=advertencias[ruta],
            sha256=libro.sha256,
        )
    for ruta, archivo in archivos.items():
        if archivo.estado is Estado.IGNORADO:
            archivo.advertencias = advertencias[ruta]


def _resumir_reemplazos(archivos: dict[str, ResultadoArchivo], reemplazos: list[Reemplazo]) -> None:
    for r in reemplazos:
        ruta = r.libro.entrada.relativa
        archivos[ruta] = ResultadoArchivo(
            ruta=ruta,
            tipo=r.libro.plantilla.titulo if r.libro.plantilla else "",
            version=r.libro.version,
            direccion=r.libro.entrada.direccion_carpeta,
            estado=Estado.REEMPLAZADO,
            filas_leidas=0 if r.libro.datos is None else len(r.libro.datos),
            advertencias=1,
            sha256=r.libro.sha256,
            motivo=f"Reemplazado por «{r.nuevo.entrada.relativa}»",
        )


__all__ = ["Contexto", "ResultadoValidacion", "validar"]
