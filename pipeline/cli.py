"""Línea de comandos `asistencia`: solo interpreta opciones, llama a la biblioteca y elige el código de salida.

Códigos de salida (§8): 0 sin errores (advertencias permitidas); 1 se encontraron errores; 2 problema de
uso, de configuración o carpeta inexistente.
"""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from pathlib import Path

import click

from pipeline import cli_es
from pipeline.configuracion import RUTA_POR_DEFECTO, ErrorConfiguracion, cargar_configuracion

cli_es.traducir_click()

CONTEXTO = {"help_option_names": ["-h", "--help", "--ayuda"], "max_content_width": 100}


def _progreso(mensaje: str) -> None:
    click.echo(mensaje, err=True)


def _config(ruta: Path):
    try:
        return cargar_configuracion(ruta)
    except ErrorConfiguracion as exc:
        raise cli_es.SalidaUso(f"Configuración inválida: {exc}") from None


def _fecha(_ctx, _param, valor: str | None) -> dt.date | None:
    if valor is None:
        return None
    try:
        return dt.date.fromisoformat(valor)
    except ValueError:
        raise click.BadParameter(f"«{valor}» no es una fecha AAAA-MM-DD.") from None


opcion_config = click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=RUTA_POR_DEFECTO,
    show_default=True,
    help="Archivo TOML con la entidad, sus direcciones, temas y parámetros.",
)
opcion_entradas = click.option(
    "--entradas",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("entradas"),
    show_default=True,
    help="Carpeta con los archivos devueltos: entradas/<vigencia>/<dirección>/…",
)
opcion_salidas = click.option(
    "--salidas",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("salidas"),
    show_default=True,
    help="Carpeta donde se escriben los resultados (nunca dentro de entradas).",
)
opcion_vigencia = click.option(
    "--vigencia",
    metavar="AAAA",
    default=None,
    help="Año a procesar. Por defecto, la carpeta de vigencia más reciente.",
)


@click.group(
    context_settings=CONTEXTO,
    options_metavar="[OPCIONES]",
    subcommand_metavar="ORDEN [ARGUMENTOS]...",
)
@click.version_option(package_name="asistencia", message="asistencia %(version)s")
def main() -> None:
    """Seguimiento de la asistencia técnica: plantillas, validación, consolidación e informes.

    \b
    Ejemplo (el trabajo trimestral completo):
      asistencia consolidar --vigencia 2025
    """


@main.command(context_settings=CONTEXTO, options_metavar="[OPCIONES]")
@opcion_config
@click.option(
    "--salida",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("plantillas_excel"),
    show_default=True,
    help="Carpeta donde se escriben las cinco plantillas.",
)
def plantillas(config: Path, salida: Path) -> None:
    """Genera las cinco plantillas de Excel a partir de los esquemas y la configuración.

    Las listas desplegables (direcciones, temas, departamentos, municipios…) salen del archivo de
    configuración: después de cambiarlo, vuelva a generar las plantillas.

    \b
    Ejemplo:
      asistencia plantillas --config esquemas/entidad.toml --salida plantillas_excel
    """
    from pipeline.plantillas import generar_plantillas

    configuracion = _config(config)
    for ruta in generar_plantillas(configuracion, salida):
        click.echo(f"Plantilla escrita: {ruta}")


@main.command(context_settings=CONTEXTO, options_metavar="[OPCIONES]")
@opcion_config
@opcion_entradas
@opcion_salidas
@opcion_vigencia
def validar(config: Path, entradas: Path, salidas: Path, vigencia: str | None) -> None:
    """Valida los archivos de una vigencia y escribe el reporte y las devoluciones.

    Escribe salidas/<vigencia>/validacion/reporte_validacion.xlsx y, para cada archivo con
    problemas, una copia anotada en salidas/<vigencia>/devoluciones/<dirección>/.
    Sale con 0 si no hay errores, 1 si los hay y 2 ante un problema de uso o configuración.

    \b
    Ejemplo:
      asistencia validar --entradas entradas --vigencia 2025
    """
    configuracion = _config(config)
    from pipeline.ejecucion import validar_vigencia

    corrida = _ejecutar(
        lambda: validar_vigencia(configuracion, entradas, salidas, vigencia, progreso=_progreso)
    )
    _resumen(corrida)
    sys.exit(corrida.codigo_salida)


@main.command(context_settings=CONTEXTO, options_metavar="[OPCIONES]")
@opcion_config
@opcion_entradas
@opcion_salidas
@opcion_vigencia
@click.option(
    "--corte",
    metavar="AAAA-MM-DD",
    callback=_fecha,
    default=None,
    help="Fecha de corte. Por defecto, la Fecha de corte más reciente de los cronogramas.",
)
@click.option(
    "--estricto",
    is_flag=True,
    help="Si hay errores, escribe solo los resultados de validación (no los informes).",
)
def consolidar(
    config: Path,
    entradas: Path,
    salidas: Path,
    vigencia: str | None,
    corte: dt.date | None,
    estricto: bool,
) -> None:
    """Valida, consolida todas las direcciones y escribe indicadores e informes.

    Escribe en salidas/<vigencia>/ el reporte de validación, las devoluciones, la base consolidada,
    indicadores_<vigencia>.csv, el informe trimestral de cada trimestre iniciado, la matriz
    semestral de cada semestre iniciado y el informe anual. Los periodos sin terminar a la fecha de
    corte llevan «Parcial» en el título. Con errores, los informes se escriben con los datos válidos
    (salvo con --estricto) y la salida es 1.

    \b
    Ejemplo:
      asistencia consolidar --vigencia 2025 --corte 2025-06-30
    """
    configuracion = _config(config)
    from pipeline.ejecucion import consolidar_vigencia

    comando = _comando("consolidar")
    corrida = _ejecutar(
        lambda: consolidar_vigencia(
            configuracion,
            entradas,
            salidas,
            vigencia,
            corte=corte,
            estricto=estricto,
            comando=comando,
            progreso=_progreso,
        )
    )
    _resumen(corrida)
    sys.exit(corrida.codigo_salida)


@main.command(context_settings=CONTEXTO, options_metavar="[OPCIONES]")
@opcion_config
@opcion_entradas
@opcion_salidas
@opcion_vigencia
@click.option(
    "--periodo",
    metavar="PERIODO",
    required=True,
    help="Periodo a cerrar: trimestre (2025T1), semestre (2025S1), mes (2025M03) o la vigencia (2025).",
)
@click.option(
    "--reabrir",
    is_flag=True,
    help="Quita el cierre del periodo: la próxima consolidación vuelve a escribir sus informes.",
)
def cerrar(
    config: Path,
    entradas: Path,
    salidas: Path,
    vigencia: str | None,
    periodo: str,
    reabrir: bool,
) -> None:
    """Cierra un periodo terminado: congela sus informes tal como se emitieron.

    Consolida la vigencia y guarda en salidas/<vigencia>/cierres/<periodo>/ los informes del periodo,
    sus indicadores (indicadores_<periodo>.csv) y la lista de archivos de entrada con su SHA-256.
    Después, consolidar no reescribe esos informes y lista en la hoja «Cambios después del cierre»
    de los informes actuales todo lo que cambió. Úselo después del comité que aprobó el informe.
    Sale con 2 si el periodo no ha terminado a la fecha de corte o no ha empezado.

    \b
    Ejemplo:
      asistencia cerrar --periodo 2025T1
      asistencia cerrar --periodo 2025T1 --reabrir
    """
    configuracion = _config(config)
    from pipeline.ejecucion import cerrar_periodo, reabrir_periodo

    if reabrir:
        carpeta = _ejecutar(lambda: reabrir_periodo(entradas, salidas, periodo, vigencia))
        click.echo(f"Periodo reabierto: se retiró {carpeta}.")
        click.echo("La próxima vez que ejecute consolidar se reescribirán sus informes.")
        sys.exit(0)
    comando = _comando("cerrar")
    corrida = _ejecutar(
        lambda: cerrar_periodo(
            configuracion, entradas, salidas, periodo, vigencia, comando=comando, progreso=_progreso
        )
    )
    _resumen(corrida)
    click.echo(f"Periodo cerrado: {corrida.cerrado}")
    sys.exit(corrida.codigo_salida)


@main.command(context_settings=CONTEXTO, options_metavar="[OPCIONES]")
@opcion_config
@opcion_entradas
@opcion_salidas
@click.option(
    "--vigencia",
    metavar="AAAA",
    required=True,
    help="Vigencia para la que se preparan los paquetes (puede no tener archivos todavía).",
)
@click.option(
    "--desde",
    metavar="AAAA",
    default=None,
    help="Vigencia anterior: agrega al plan la hoja «Pendientes de AAAA» con lo que quedó abierto.",
)
def paquetes(config: Path, entradas: Path, salidas: Path, vigencia: str, desde: str | None) -> None:
    """Escribe para cada dirección sus plantillas ya diligenciadas con lo aceptado.

    En salidas/<vigencia>/paquetes/<código>/: el plan con la ficha llena (y, con --desde, los
    ítems sin terminar, los compromisos abiertos y las conclusiones de esa vigencia); si hay plan
    aceptado, el cronograma con sus filas aceptadas y una fila por cada sesión aún no programada;
    y en sesiones/<ID actividad>/ la lista de asistencia y la evaluación de cada sesión que aún no
    tiene lista aceptada. Nunca escribe en entradas.

    Uso típico al empezar un año: los planes con lo pendiente del año anterior.

    \b
    Ejemplo:
      asistencia paquetes --vigencia 2026 --desde 2025
    """
    configuracion = _config(config)
    from pipeline.escritura import cantidad
    from pipeline.paquetes import generar_paquetes

    resultado = _ejecutar(
        lambda: generar_paquetes(
            configuracion, entradas, salidas, vigencia, desde, progreso=_progreso
        )
    )
    for aviso in resultado.avisos:
        click.echo(aviso)
    for ruta in resultado.escritos:
        click.echo(f"Escrito: {ruta}")
    escritos = cantidad(len(resultado.escritos), "archivo", "archivos")
    click.echo(f"Paquetes de la vigencia {vigencia}: {escritos}.")


def _comando(orden: str) -> str:
    """La orden tal como se escribió, para dejarla en los informes; `asistencia <orden>` si no se sabe."""
    return "asistencia " + shlex.join(sys.argv[1:]) if sys.argv[1:] else f"asistencia {orden}"


def _ejecutar(funcion):
    from pipeline.ejecucion import ErrorUso

    try:
        return funcion()
    except ErrorUso as exc:
        raise cli_es.SalidaUso(str(exc)) from None


def _resumen(corrida) -> None:
    from pipeline.escritura import cantidad
    from pipeline.resumen_direcciones import lineas_resumen

    for linea in lineas_resumen(corrida.validacion, corrida.direcciones, corrida.con_informes):
        click.echo(linea)
    if corrida.solo_validacion:
        click.echo("Modo estricto: se escribieron solo los resultados de validación.")
    cambios = corrida.informe.cambios_cierre if corrida.informe is not None else None
    if cambios is not None and not cambios.empty:
        cuantos = cantidad(
            len(cambios),
            "indicador de un periodo cerrado cambió",
            "indicadores de periodos cerrados cambiaron",
        )
        click.echo(
            f"Después del cierre {cuantos}: vea la hoja «Cambios después del cierre» de los informes."
        )
    copias = set(corrida.copias_anotadas)
    for ruta in corrida.escritos:
        if ruta not in copias:
            click.echo(f"Escrito: {ruta}")
    if copias:
        carpeta = next(p for p in min(copias).parents if p.name == "devoluciones")
        texto = cantidad(len(copias), "copia anotada", "copias anotadas")
        click.echo(f"Devoluciones: {texto} en {carpeta}")


def ejecutar() -> None:
    """Punto de entrada de la orden `asistencia`: nunca muestra un traceback de Python."""
    import os

    try:
        main(standalone_mode=True)
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 — última barrera: el usuario no debe ver un traceback
        if os.environ.get("ASISTENCIA_DEPURAR"):
            raise
        click.echo(
            f"Error interno inesperado ({type(exc).__name__}). Ningún archivo de entrada fue "
            "modificado. Repita la orden con la variable ASISTENCIA_DEPURAR=1 para ver el detalle "
            "y repórtelo al equipo de soporte.",
            err=True,
        )
        sys.exit(1)
