"""Escribe todos los libros de informes de una corrida (§7), en paralelo cuando conviene."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.paralelo import grupo, numero_procesos, recolector_congelado

if TYPE_CHECKING:
    from pipeline.informes.datos import DatosInforme
    from pipeline.periodos import Periodo

# Los procesos hijos heredan los datos por fork en lugar de recibirlos serializados (son grandes).
_TRABAJO: tuple[DatosInforme, Path] | None = None


def escribir_informes(
    datos: DatosInforme, carpeta_vigencia: Path, procesos: int | None = None
) -> list[Path]:
    """Base consolidada, informes trimestrales, matrices semestrales, informe anual y seguimiento
    mensual (§7).

    Cada libro es independiente: con varios núcleos se escriben en paralelo.
    """
    global _TRABAJO
    tareas = _tareas(datos, Path(carpeta_vigencia))
    n = numero_procesos(len(tareas), pedidos=procesos)
    # Los datos ya leídos son cientos de miles de objetos que no cambian: el recolector de basura
    # no los recorre mientras se escriben las celdas, aquí o en los procesos hijos.
    with recolector_congelado():
        if n <= 1:
            return [escribir(datos, *argumentos) for escribir, argumentos in tareas]
        _TRABAJO = (datos, Path(carpeta_vigencia))
        try:
            with grupo(n) as procesos_hijos:
                return list(procesos_hijos.map(_ejecutar_tarea, range(len(tareas))))
        finally:
            _TRABAJO = None


def _ejecutar_tarea(indice: int) -> Path:
    # Solo corre en un proceso hijo de `escribir_informes`, que heredó _TRABAJO ya asignado.
    assert _TRABAJO is not None
    datos, carpeta = _TRABAJO
    escribir, argumentos = _tareas(datos, carpeta)[indice]
    return escribir(datos, *argumentos)


def informes_del_periodo(carpeta_vigencia: Path, periodo: Periodo, vigencia: int) -> list[Path]:
    """Los libros de `informes/` que son de `periodo` (un mes no tiene libro propio)."""
    from pipeline.informes.anual import ruta_anual
    from pipeline.informes.semestral import ruta_semestral
    from pipeline.informes.trimestral import ruta_trimestral

    carpeta = Path(carpeta_vigencia)
    rutas = {
        "trimestre": lambda: [ruta_trimestral(carpeta, periodo, vigencia)],
        "semestre": lambda: [ruta_semestral(carpeta, periodo, vigencia)],
        "vigencia": lambda: [ruta_anual(carpeta, vigencia)],
    }
    return rutas.get(periodo.clase, list)()


def _tareas(datos: DatosInforme, carpeta: Path) -> list[tuple[Callable, tuple]]:
    # Importación diferida: el reporte de validación no necesita matplotlib ni los indicadores.
    from pipeline.informes.anual import escribir_informe_anual, ruta_anual
    from pipeline.informes.base_consolidada import escribir_base_consolidada, ruta_base
    from pipeline.informes.mensual import escribir_seguimiento_mensual, ruta_mensual
    from pipeline.informes.semestral import escribir_matriz_semestral, ruta_semestral
    from pipeline.informes.trimestral import escribir_informe_trimestral, ruta_trimestral

    vigencia = datos.consolidado.vigencia
    # Los dos libros más largos primero (la base consolidada y el anual, con su mapa): así ningún
    # proceso queda solo con uno de ellos al final mientras el otro espera.
    tareas: list[tuple[Callable, tuple]] = [
        (escribir_base_consolidada, (ruta_base(carpeta, vigencia),))
    ]
    if str(vigencia) not in datos.periodos_cerrados:
        tareas.append((escribir_informe_anual, (ruta_anual(carpeta, vigencia),)))
    # §10.2: el informe de un periodo cerrado queda como se emitió (no se reescribe).
    abiertos = [p for p in datos.periodos if p.codigo not in datos.periodos_cerrados]
    for periodo in abiertos:
        if periodo.clase == "trimestre":
            ruta = ruta_trimestral(carpeta, periodo, vigencia)
            tareas.append((escribir_informe_trimestral, (periodo, ruta)))
    for periodo in abiertos:
        if periodo.clase == "semestre":
            tareas.append(
                (escribir_matriz_semestral, (periodo, ruta_semestral(carpeta, periodo, vigencia)))
            )
    # El seguimiento mensual es de toda la vigencia: se rehace en cada corrida.
    tareas.append((escribir_seguimiento_mensual, (ruta_mensual(carpeta, vigencia),)))
    return tareas
