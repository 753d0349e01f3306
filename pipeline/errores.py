"""Las condiciones que detienen una operación. Los problemas de validación no están aquí: son datos.

Cada error lleva un mensaje en español para quien usa el programa; la interfaz lo muestra tal cual.
"""

from __future__ import annotations

from typing import Any

from pipeline.problemas import Codigo


class ErrorAsistencia(Exception):
    """Base de los errores del producto: su mensaje es para el usuario."""


class ErrorConfiguracion(ErrorAsistencia):
    """La configuración de la entidad no se puede usar; el mensaje nombra la clave."""


class ArchivoRechazado(ErrorAsistencia):
    """Un archivo de entrada no se puede leer con seguridad; lleva el código del catálogo."""

    def __init__(self, codigo: Codigo, **datos: object) -> None:
        super().__init__(codigo)
        self.codigo = codigo
        self.datos: dict[str, Any] = datos  # los datos del mensaje del catálogo
