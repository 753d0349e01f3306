"""Las tablas tipadas que produce la validación y consumen la consolidación y los indicadores.

Una tabla por tipo de plantilla con solo las filas válidas. Columnas:

- de origen: `direccion` (código), `vigencia` (int), `archivo` (ruta relativa a entradas/),
  `fila` (fila de Excel);
- los campos de ficha propios de la plantilla (por ejemplo `id_actividad` y `fecha_actividad` en
  asistencia y evaluación, `fecha_corte` en cronograma y compromisos), salvo los comunes
  (entidad, dirección, vigencia, responsable);
- todas las columnas de la plantilla por su `nombre`.

Tipos: fechas `datetime64[ns]` (NaT si vacías), enteros `Int64`, números `float64`, catálogos con el
valor canónico de la lista (por ejemplo "Realizada"), `departamento` con el código DIVIPOLA de dos
dígitos y `municipio` con el de cinco, `numero_documento` sin puntos/espacios/guiones, `telefono`
sin separadores ni +57, el resto texto (`object`, None si vacío). La tabla de asistencia lleva además
`repetido` (bool): verdadero en la segunda y siguientes apariciones del mismo documento en la misma
actividad (regla X8; el documento cuenta una sola vez).
"""

from __future__ import annotations

import pandas as pd

from esquemas import PLANTILLAS, Plantilla, Tipo

FICHA_COMUN = ("entidad", "direccion", "vigencia", "responsable")


def campos_ficha_propios(plantilla: Plantilla):
    """Campos de ficha que pasan a cada fila de la tabla tipada."""
    return [c for c in plantilla.ficha if c.nombre not in FICHA_COMUN]


def _dtype(tipo: Tipo, nombre: str) -> str:
    if tipo is Tipo.FECHA:
        return "datetime64[ns]"
    if tipo is Tipo.ENTERO:
        return "Int64"
    if tipo is Tipo.NUMERO:
        return "float64"
    return "object"


def columnas(tipo: str) -> dict[str, str]:
    """Nombre → dtype de pandas de cada columna de la tabla tipada de `tipo`."""
    plantilla = PLANTILLAS[tipo]
    resultado = {"direccion": "object", "vigencia": "int64", "archivo": "object", "fila": "int64"}
    for campo in campos_ficha_propios(plantilla) + list(plantilla.columnas):
        resultado[campo.nombre] = _dtype(campo.tipo, campo.nombre)
    if tipo == "asistencia":
        resultado["repetido"] = "bool"
    return resultado


def vacia(tipo: str) -> pd.DataFrame:
    """Tabla tipada sin filas, con todas sus columnas y tipos."""
    return pd.DataFrame({n: pd.Series(dtype=d) for n, d in columnas(tipo).items()})


def desde_registros(tipo: str, registros: list[dict]) -> pd.DataFrame:
    """Tabla tipada a partir de diccionarios (útil en pruebas); las claves faltantes quedan vacías."""
    tabla = pd.DataFrame(registros, columns=list(columnas(tipo)))
    return ajustar_tipos(tipo, tabla)


def ajustar_tipos(tipo: str, tabla: pd.DataFrame) -> pd.DataFrame:
    """Convierte cada columna al tipo del contrato."""
    tabla = tabla.copy()
    for nombre, dtype in columnas(tipo).items():
        if nombre not in tabla:
            tabla[nombre] = None
        if dtype == "datetime64[ns]":
            tabla[nombre] = pd.to_datetime(tabla[nombre]).astype("datetime64[ns]")
        elif dtype == "bool":
            tabla[nombre] = (
                tabla[nombre].astype(object).where(tabla[nombre].notna(), False).astype(bool)
            )
        elif dtype == "object":
            tabla[nombre] = tabla[nombre].astype(object).where(tabla[nombre].notna(), None)
        else:
            tabla[nombre] = tabla[nombre].astype(dtype)
    return tabla[list(columnas(tipo))].reset_index(drop=True)
