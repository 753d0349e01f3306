"""Interfaz de línea de comandos (provisional)."""

import click


@click.group()
def main() -> None:
    """Seguimiento de la asistencia técnica."""
