"""Herramientas de desarrollo que no forman parte del producto (generador de la muestra)."""
