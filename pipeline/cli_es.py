"""Click en español: traduce los textos propios de click (uso, opciones, errores de uso)."""

from __future__ import annotations

import click

_TRADUCCIONES = {
    "Usage:": "Uso:",
    "Options": "Opciones",
    "Commands": "Órdenes",
    "Positional arguments": "Argumentos",
    "Show this message and exit.": "Muestra esta ayuda y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "Error: {message}": "Error: {message}",
    "Try '{command} {option}' for help.": "Pruebe «{command} {option}» para ver la ayuda.",
    "No such command {name!r}.": "No existe la orden {name!r}.",
    "No such option {name!r}.": "No existe la opción {name!r}.",
    "No such option: {name}": "No existe la opción: {name}",
    "Missing command.": "Falta la orden.",
    "Missing argument": "Falta un argumento",
    "Missing option": "Falta una opción",
    "Missing parameter": "Falta un parámetro",
    "Missing parameter: {param_name}": "Falta el parámetro: {param_name}",
    "Invalid value for {param_hint}: {message}": "Valor inválido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor inválido: {message}",
    "Aborted!": "¡Cancelado!",
    "default: {default}": "por defecto: {default}",
    "required": "obligatoria",
    "{name} {filename!r} does not exist.": "{name} {filename!r} no existe.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} es una carpeta.",
    "{name} {filename!r} is a file.": "{name} {filename!r} es un archivo.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} no se puede leer.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} no se puede escribir.",
    "{value!r} is not a valid {number_type}.": "{value!r} no es un {number_type} válido.",
    "{value} is not in the range {range}.": "{value} no está en el rango {range}.",
    "file": "archivo",
    "directory": "carpeta",
    "path": "ruta",
    "Option {name!r} requires an argument.": "La opción {name!r} necesita un valor.",
    "Option {name!r} requires {nargs} arguments.": "La opción {name!r} necesita {nargs} valores.",
    "Got unexpected extra argument ({args})": "Sobra el argumento ({args})",
    "Got unexpected extra arguments ({args})": "Sobran los argumentos ({args})",
    "Did you mean {possibility}?": "¿Quiso decir {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(¿Quiso decir alguna de: {possibilities}?)",
    "%(prog)s, version %(version)s": "%(prog)s, versión %(version)s",
}


def traducir(texto: str) -> str:
    """El texto de click en español (o el original si no hay traducción)."""
    return _TRADUCCIONES.get(texto, texto)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return traducir(singular if n == 1 else plural)


def traducir_click() -> None:
    """Instala las traducciones en los módulos de click que usan gettext."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for modulo in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        if hasattr(modulo, "_"):
            modulo._ = traducir  # type: ignore[attr-defined]
        if hasattr(modulo, "ngettext"):
            modulo.ngettext = _ngettext  # type: ignore[attr-defined]


class SalidaUso(click.ClickException):
    """Problema de uso, configuración o carpeta: mensaje en español y salida 2 (§8)."""

    exit_code = 2
