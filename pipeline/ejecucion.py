"""Las corridas completas que ofrece la línea de comandos, como funciones de biblioteca.

`validar_vigencia` escribe el reporte de validación y las devoluciones; `consolidar_vigencia` además
consolida, calcula los indicadores y escribe el CSV y los informes (§7, §8).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline import cierres
from pipeline.configuracion import Configuracion
from pipeline.errores import ErrorAsistencia
from pipeline.escritura import (
    ErrorDestino,
    comprobar_destino,
    fecha_documento,
    sincronizar_carpeta,
)
from pipeline.paralelo import Pendiente
from pipeline.validacion import Contexto, ResultadoValidacion, validar

if TYPE_CHECKING:
    from pipeline.informes.datos import DatosInforme
    from pipeline.periodos import Periodo

Progreso = Callable[[str], None]


class ErrorUso(ErrorAsistencia):
    """La corrida no puede empezar (carpeta inexistente, vigencia ausente…): salida 2."""


@dataclass
class Corrida:
    """Lo que produjo una corrida: el resultado de la validación y los archivos escritos."""

    validacion: ResultadoValidacion
    corte: dt.date  # el pedido, el de los cronogramas o el 31/12 de la vigencia
    escritos: list[Path] = field(default_factory=list)
    solo_validacion: bool = False
    # Lo que recibieron los informes (None si no se escribieron).
    informe: DatosInforme | None = None
    cerrado: Path | None = None  # carpeta del cierre escrito por `cerrar_periodo`
    direcciones: tuple[str, ...] = ()  # códigos configurados (para el resumen por dirección)
    con_informes: bool = False  # se escribieron los informes (consolidar)
    pendientes: list[Pendiente] = field(default_factory=list)  # devoluciones en otro proceso
    copias_anotadas: list[Path] = field(default_factory=list)  # también están en `escritos`

    def esperar(self) -> None:
        """Espera las devoluciones que se escriben en otro proceso y añade lo que escribieron."""
        while self.pendientes:
            copias = self.pendientes.pop(0).resultado()
            self.copias_anotadas += copias
            self.escritos += copias

    @property
    def codigo_salida(self) -> int:
        """0 sin errores (advertencias permitidas), 1 con errores (§8)."""
        return 1 if self.validacion.errores else 0


def elegir_vigencia(entradas: Path, vigencia: str | None) -> str:
    """La vigencia pedida, o la más reciente con carpeta en `entradas/`."""
    entradas = Path(entradas)
    if not entradas.is_dir():
        raise ErrorUso(f"No existe la carpeta de entradas «{entradas}».")
    if vigencia is not None:
        if not (vigencia.isdigit() and len(vigencia) == 4):
            raise ErrorUso(f"La vigencia «{vigencia}» no es un año de cuatro dígitos (AAAA).")
        if not (entradas / vigencia).is_dir():
            raise ErrorUso(
                f"No existe la carpeta «{entradas / vigencia}»: los archivos de la vigencia {vigencia} "
                f"van en {entradas}/{vigencia}/<código de dirección>/."
            )
        return vigencia
    anios = sorted(
        p.name for p in entradas.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4
    )
    if not anios:
        raise ErrorUso(
            f"No hay carpetas de vigencia en «{entradas}»: organice los archivos en "
            f"{entradas}/<AAAA>/<código de dirección>/."
        )
    return anios[-1]


def validar_vigencia(
    config: Configuracion,
    entradas: Path,
    salidas: Path,
    vigencia: str | None = None,
    progreso: Progreso | None = None,
    corte: dt.date | None = None,
    esperar: bool = True,
) -> Corrida:
    """Valida la vigencia y escribe el reporte de validación y las devoluciones.

    Con `esperar=False` las devoluciones pueden seguir escribiéndose al volver: `Corrida.esperar()`.
    """
    from pipeline.consolidacion import corte_por_defecto
    from pipeline.devoluciones import escribir_devoluciones
    from pipeline.informes.reporte_validacion import escribir_reporte_validacion
    from pipeline.registro import escribir_registro

    avisar = progreso or (lambda _m: None)
    vigencia = elegir_vigencia(entradas, vigencia)
    with _como_uso(ErrorDestino):
        comprobar_destino(Path(salidas), Path(entradas))
    contexto = Contexto.crear(config, vigencia)
    resultado = validar(Path(entradas), contexto, progreso=avisar)
    corte = corte or corte_por_defecto(resultado.tablas) or dt.date(int(vigencia), 12, 31)
    fecha_doc = fecha_documento(corte)
    carpeta = Path(salidas) / vigencia
    avisar("Escribiendo el reporte de validación y las devoluciones…")
    # Las copias anotadas se escriben en otro proceso mientras sigue el reporte (y, en consolidar,
    # la consolidación y los informes): la corrida las espera antes de terminar.
    devoluciones = Pendiente(
        reemplazar_carpeta,
        carpeta / "devoluciones",
        lambda destino: escribir_devoluciones(resultado, destino, fecha_doc, procesos=1),
    )
    direcciones = tuple(d.codigo for d in config.direcciones)
    corrida = Corrida(resultado, corte, direcciones=direcciones)
    corrida.pendientes.append(devoluciones)
    try:
        corrida.escritos.append(
            escribir_reporte_validacion(
                resultado,
                carpeta / "validacion" / "reporte_validacion.xlsx",
                fecha_doc,
                direcciones=list(direcciones),
            )
        )
        corrida.escritos.append(
            escribir_registro(resultado.libros, carpeta / "validacion" / "registro.log")
        )
    except BaseException:
        corrida.esperar()  # el proceso de las devoluciones no queda a medias
        raise
    if esperar:
        corrida.esperar()
    return corrida


def consolidar_vigencia(
    config: Configuracion,
    entradas: Path,
    salidas: Path,
    vigencia: str | None = None,
    corte: dt.date | None = None,
    estricto: bool = False,
    comando: str = "asistencia consolidar",
    progreso: Progreso | None = None,
    al_elegir_corte: Callable[[dt.date], None] | None = None,
) -> Corrida:
    """Valida, consolida y escribe indicadores e informes; con `estricto` y errores, solo valida.

    Los informes de periodos cerrados no se reescriben (§10.2) y el texto del equipo de los que se
    reescriben se conserva (§10.3). `al_elegir_corte` puede detener la corrida (ErrorUso) antes de
    escribir los informes.
    """
    avisar = progreso or (lambda _m: None)
    vigencia = elegir_vigencia(entradas, vigencia)
    if corte is not None and corte.year != int(vigencia):
        raise ErrorUso(f"La fecha de corte {corte:%d/%m/%Y} no es de la vigencia {vigencia}.")
    carpeta = Path(salidas) / vigencia
    cerrados = frozenset(cierres.cerrados(carpeta))
    textos = _textos_equipo(carpeta, int(vigencia), cerrados)  # antes de escribir nada
    corrida = validar_vigencia(config, entradas, salidas, vigencia, progreso, corte, esperar=False)
    try:
        _consolidar(
            corrida,
            config,
            carpeta,
            vigencia,
            estricto=estricto,
            comando=comando,
            avisar=avisar,
            al_elegir_corte=al_elegir_corte,
            cerrados=cerrados,
            textos=textos,
        )
    finally:
        corrida.esperar()
    return corrida


def _consolidar(
    corrida: Corrida,
    config: Configuracion,
    carpeta: Path,
    vigencia: str,
    *,
    estricto: bool,
    comando: str,
    avisar: Progreso,
    al_elegir_corte: Callable[[dt.date], None] | None,
    cerrados: frozenset[str],
    textos: dict,
) -> None:
    """La parte de `consolidar_vigencia` que sigue a la validación (las copias siguen en otro proceso)."""
    from pipeline.consolidacion import consolidar
    from pipeline.indicadores import calcular_indicadores
    from pipeline.informes.datos import DatosInforme
    from pipeline.informes.indicadores_csv import escribir_indicadores_csv
    from pipeline.informes.libros import escribir_informes
    from pipeline.periodos import periodos

    resultado = corrida.validacion
    if estricto and resultado.errores:
        avisar("Modo estricto: hay errores, no se escriben los informes.")
        corrida.solo_validacion = True
        return
    corte = corrida.corte  # el corte pedido, el de los cronogramas o el 31/12 (validar_vigencia)
    if al_elegir_corte is not None:
        al_elegir_corte(corte)
    avisar(f"Consolidando con fecha de corte {corte:%d/%m/%Y}…")
    consolidado = consolidar(resultado.tablas, config, int(vigencia), corte)
    lista_periodos = periodos(int(vigencia), corte)
    indicadores = calcular_indicadores(consolidado, lista_periodos)
    corrida.escritos.append(
        escribir_indicadores_csv(indicadores, carpeta / f"indicadores_{vigencia}.csv")
    )
    avisar("Escribiendo los informes…")
    datos = DatosInforme(
        consolidado=consolidado,
        indicadores=indicadores,
        validacion=resultado,
        periodos=lista_periodos,
        comando=comando,
        fecha_documento=fecha_documento(corte),
        cambios_cierre=cierres.cambios(carpeta, indicadores),
        periodos_cerrados=cerrados,
        textos_equipo=textos,
    )
    corrida.escritos += escribir_informes(datos, carpeta)
    for codigo in sorted(cerrados):
        corrida.escritos += cierres.restaurar(carpeta, codigo)
    corrida.informe = datos
    corrida.con_informes = True


def _textos_equipo(carpeta: Path, vigencia: int, cerrados: frozenset[str]) -> dict:
    from pipeline.informes.textos_equipo import InformeIlegible, leer_textos_vigencia

    with _como_uso(InformeIlegible):
        return leer_textos_vigencia(carpeta, vigencia, cerrados)


@contextmanager
def _como_uso(*errores: type[Exception]) -> Iterator[None]:
    """Los errores de la biblioteca que detienen la corrida salen como ErrorUso (salida 2)."""
    try:
        yield
    except errores as exc:
        raise ErrorUso(str(exc)) from None


def cerrar_periodo(
    config: Configuracion,
    entradas: Path,
    salidas: Path,
    periodo: str,
    vigencia: str | None = None,
    comando: str = "asistencia cerrar",
    progreso: Progreso | None = None,
) -> Corrida:
    """Consolida la vigencia y congela el periodo en `cierres/<periodo>/` (§10.2)."""
    from pipeline.informes.libros import informes_del_periodo

    avisar = progreso or (lambda _m: None)
    pedido = _pedido(periodo, entradas, vigencia)
    vigencia = pedido.codigo[:4]
    carpeta = Path(salidas) / vigencia
    with _como_uso(cierres.ErrorCierre):
        cierres.comprobar_abierto(carpeta, pedido.codigo)
        corrida = consolidar_vigencia(
            config,
            entradas,
            salidas,
            vigencia,
            comando=comando,
            progreso=progreso,
            al_elegir_corte=lambda corte: cierres.comprobar_terminado(pedido, corte),
        )
        datos = corrida.informe
        assert datos is not None  # sin modo estricto la corrida siempre escribe los informes
        del_periodo = next(p for p in datos.periodos if p.codigo == pedido.codigo)
        avisar(f"Cerrando {pedido.codigo}…")
        archivos = pd.DataFrame(
            [(a.ruta, a.tipo, str(a.estado), a.sha256) for a in corrida.validacion.archivos],
            columns=["ruta", "tipo", "estado", "sha256"],
        )
        informes = informes_del_periodo(carpeta, del_periodo, int(vigencia))
        corrida.cerrado = cierres.congelar(
            carpeta, pedido.codigo, informes, datos.indicadores, archivos
        )
    return corrida


def reabrir_periodo(
    entradas: Path, salidas: Path, periodo: str, vigencia: str | None = None
) -> Path:
    """Quita el cierre de un periodo (§10.2); devuelve la carpeta retirada."""
    pedido = _pedido(periodo, entradas, vigencia)
    with _como_uso(cierres.ErrorCierre):
        return cierres.reabrir(Path(salidas) / pedido.codigo[:4], pedido.codigo)


def _pedido(periodo: str, entradas: Path, vigencia: str | None) -> Periodo:
    with _como_uso(cierres.ErrorCierre):
        pedido = cierres.interpretar(periodo)
    if vigencia is not None and vigencia != pedido.codigo[:4]:
        raise ErrorUso(f"El periodo {pedido.codigo} no es de la vigencia {vigencia}.")
    elegir_vigencia(entradas, pedido.codigo[:4])
    return pedido


def reemplazar_carpeta(destino: Path, escribir: Callable[[Path], list[Path]]) -> list[Path]:
    """Escribe una carpeta completa aparte y la pone en lugar de la anterior (sin restos viejos)."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    temporal = destino.with_name(f".{destino.name}.nuevo-{os.getpid()}")
    viejo = destino.with_name(f".{destino.name}.viejo-{os.getpid()}")
    shutil.rmtree(temporal, ignore_errors=True)
    temporal.mkdir()
    try:
        escritos = escribir(temporal)
    except BaseException:
        shutil.rmtree(temporal, ignore_errors=True)
        raise
    for carpeta in sorted({p.parent for p in escritos}):  # una vez por carpeta, no por archivo
        sincronizar_carpeta(carpeta)
    if destino.exists():
        destino.rename(viejo)
    temporal.rename(destino)
    shutil.rmtree(viejo, ignore_errors=True)
    return [destino / p.relative_to(temporal) for p in escritos]
