"""Lo que cada dirección debe saber de una validación: qué recibió, qué debe corregir y reenviar.

Una sola fuente para la hoja `Por dirección` del reporte de validación (§7) y para el resumen que
imprime la línea de comandos al terminar `validar` y `consolidar` (§7.2).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.archivos import Estado
from pipeline.devoluciones import depende_de_otro, se_devuelve, se_puede_anotar
from pipeline.escritura import cantidad
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import fecha
from pipeline.problemas import Problema
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion

SIN_DIRECCION = "(sin dirección)"


@dataclass(frozen=True)
class ArchivoPendiente:
    """Un archivo de la dirección que no quedó del todo aceptado."""

    ruta: str
    estado: str
    errores: int
    advertencias: int
    reenviar: bool  # tiene errores propios: debe corregirse y reenviarse
    espera: tuple[str, ...] = ()  # otros archivos cuyo error lo deja fuera
    con_copia: bool = True  # recibe una copia anotada (no si no se pudo abrir)

    @property
    def accion(self) -> str:
        """Qué hacer con el archivo, en una frase."""
        if self.espera:
            otros = ", ".join(f"«{o}»" for o in self.espera)
            return f"Se aceptará cuando se corrija {otros}; no hay que reenviarlo."
        if self.reenviar and not self.con_copia:
            return "Corregir el archivo según el motivo de la hoja «Archivos» y reenviarlo."
        if self.reenviar:
            return "Corregir las celdas marcadas en su copia anotada y reenviarlo."
        return "Revisar las advertencias marcadas en su copia anotada; reenviarlo es opcional."


@dataclass
class ResumenDireccion:
    """Los archivos de una dirección por tipo y estado, sus problemas y lo que debe reenviar."""

    codigo: str
    por_tipo: Counter = field(default_factory=Counter)
    por_estado: Counter = field(default_factory=Counter)
    errores: int = 0
    advertencias: int = 0
    fecha_corte: dt.date | None = None
    pendientes: list[ArchivoPendiente] = field(default_factory=list)

    @property
    def recibidos(self) -> int:
        """Archivos recibidos de la dirección."""
        return sum(self.por_estado.values())

    @property
    def por_reenviar(self) -> list[ArchivoPendiente]:
        """Los archivos que la dirección debe corregir y reenviar."""
        return [p for p in self.pendientes if p.reenviar]


def resumir_por_direccion(
    resultado: ResultadoValidacion, direcciones: Sequence[str] = ()
) -> list[ResumenDireccion]:
    """Un resumen por dirección (las configuradas, aunque no enviaran nada, y las encontradas)."""
    por_archivo: dict[str, list[Problema]] = defaultdict(list)
    for p in resultado.problemas:
        por_archivo[p.archivo].append(p)
    resumenes = {codigo: ResumenDireccion(codigo) for codigo in direcciones}
    for archivo in sorted(resultado.archivos, key=lambda a: a.ruta):
        codigo = archivo.direccion or SIN_DIRECCION
        resumen = resumenes.setdefault(codigo, ResumenDireccion(codigo))
        resumen.por_tipo[archivo.tipo or "No reconocido"] += 1
        resumen.por_estado[archivo.estado] += 1
        resumen.errores += archivo.errores
        resumen.advertencias += archivo.advertencias
        pendiente = _pendiente(archivo, por_archivo.get(archivo.ruta, []))
        if pendiente is not None:
            resumen.pendientes.append(pendiente)
    for codigo, corte in _cortes(resultado).items():
        resumenes.setdefault(codigo, ResumenDireccion(codigo)).fecha_corte = corte
    return [resumenes[c] for c in sorted(resumenes)]


def _pendiente(archivo: ResultadoArchivo, problemas: list[Problema]) -> ArchivoPendiente | None:
    if archivo.estado is Estado.IGNORADO or not problemas:
        return None
    propios = [p for p in problemas if not depende_de_otro(p)]
    espera = tuple(sorted({p.origen for p in problemas if depende_de_otro(p)}))
    errores_propios = sum(p.es_error for p in propios)
    if not se_devuelve(problemas):
        return ArchivoPendiente(
            archivo.ruta, str(archivo.estado), archivo.errores, 0, False, espera
        )
    return ArchivoPendiente(
        archivo.ruta,
        str(archivo.estado),
        archivo.errores,
        archivo.advertencias,
        errores_propios > 0,
        espera if not errores_propios else (),
        se_puede_anotar(problemas),
    )


def _cortes(resultado: ResultadoValidacion) -> dict[str, dt.date]:
    """La `Fecha de corte` más reciente de los cronogramas aceptados de cada dirección."""
    cortes: dict[str, dt.date] = {}
    for libro in _libros_aceptados(resultado):
        if libro.tipo != "cronograma":
            continue
        corte = fecha(libro.ficha.get("fecha_corte"))
        if isinstance(corte, dt.datetime):
            corte = corte.date()
        if isinstance(corte, dt.date):
            codigo = libro.entrada.direccion_carpeta or SIN_DIRECCION
            cortes[codigo] = max(corte, cortes.get(codigo, corte))
    return cortes


def lineas_resumen(
    resultado: ResultadoValidacion,
    direcciones: Sequence[str] = (),
    con_informes: bool = False,
) -> list[str]:
    """El resumen de la terminal: estados, problemas, quién reenvía y si faltan datos (§7.2)."""
    cuenta = Counter(a.estado for a in resultado.archivos)
    estados = ", ".join(_estado(str(e), n) for e, n in cuenta.items()) or "ninguno"
    total = cantidad(len(resultado.archivos), "archivo", "archivos")
    lineas = [
        f"Vigencia {resultado.vigencia}: {total} ({estados}).",
        f"Problemas: {cantidad(resultado.errores, 'error', 'errores')}, "
        f"{cantidad(resultado.advertencias, 'advertencia', 'advertencias')}.",
    ]
    resumenes = resumir_por_direccion(resultado, direcciones)
    reenvian = [
        f"{r.codigo} ({cantidad(len(r.por_reenviar), 'archivo', 'archivos')})"
        for r in resumenes
        if r.por_reenviar
    ]
    if reenvian:
        lineas.append(
            "Deben corregir y reenviar archivos: " + ", ".join(reenvian) + ". Cada una tiene sus "
            "copias anotadas en devoluciones/<dirección>/ y el detalle en la hoja «Por dirección» "
            "del reporte de validación."
        )
    if con_informes:
        lineas += _incompletos(resultado, resumenes, direcciones)
    return lineas


def _estado(estado: str, n: int) -> str:
    """«1 aceptado», «83 aceptados», «2 aceptados con advertencias»."""
    primera, _, resto = estado.lower().partition(" ")
    palabra = primera if n == 1 else f"{primera}s"
    return f"{cantidad(n, palabra, palabra)}{' ' + resto if resto else ''}"


def _incompletos(
    resultado: ResultadoValidacion, resumenes: list[ResumenDireccion], direcciones: Sequence[str]
) -> list[str]:
    motivos = []
    rechazados = sum(1 for a in resultado.archivos if a.estado is Estado.RECHAZADO)
    if rechazados:
        motivos.append(cantidad(rechazados, "archivo rechazado", "archivos rechazados"))
    excluidas = 0 if resultado.excluidas is None else len(resultado.excluidas)
    if excluidas:
        motivos.append(cantidad(excluidas, "fila excluida", "filas excluidas"))
    tipos: dict[str | None, set[str]] = defaultdict(set)  # carpeta → tipos con algo aceptado
    for libro in _libros_aceptados(resultado):
        tipos[libro.entrada.direccion_carpeta].add(libro.tipo)
    sin_plan = [
        r.codigo
        for r in resumenes
        if r.codigo in direcciones and not {"plan", "cronograma"} <= tipos[r.codigo]
    ]
    if sin_plan:
        motivos.append("sin plan o cronograma aceptado: " + ", ".join(sin_plan))
    if not motivos:
        return []
    return [
        "Atención: los informes se escribieron con datos incompletos ("
        + "; ".join(motivos)
        + "). Cada informe lo dice en su primera hoja."
    ]


def _libros_aceptados(resultado: ResultadoValidacion) -> list[LibroLeido]:
    """Los libros leídos cuyo archivo no quedó rechazado."""
    aceptados = {a.ruta for a in resultado.archivos if a.estado is not Estado.RECHAZADO}
    return [libro for libro in resultado.libros if libro.entrada.relativa in aceptados]
