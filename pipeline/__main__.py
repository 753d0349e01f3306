"""Permite ejecutar `python -m pipeline`."""

from pipeline.cli import ejecutar

if __name__ == "__main__":
    ejecutar()
