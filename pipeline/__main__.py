"""Permite ejecutar `python -m pipeline`."""

from pipeline.cli import ejecutar

ejecutar()
