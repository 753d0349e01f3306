"""Base consolidada: `consolidado/base_consolidada_<vigencia>.xlsx`, una tabla de Excel por plantilla.

Cada tabla lleva la Dirección, el Archivo y la Fila de origen y las columnas con sus etiquetas de la
plantilla. Ley 1581 de 2012: nombres, correos y teléfonos solo de quien autorizó el tratamiento de
sus datos; el número de documento siempre enmascarado. Pensada para 100.000 filas (§9).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from esquemas import PLANTILLAS, Campo, Plantilla, Tipo
from pipeline.divipola import cargar_divipola
from pipeline.escritura import (
    FORMATO_FECHA,
    cerrar_libro,
    escribir_cuerpo,
    escritura_atomica,
    libro_xlsx,
)
from pipeline.filas_xml import serial_fechas
from pipeline.informes.comun import (
    DatosInforme,
    Estilos,
    encabezado,
    hoja_metadatos,
    titulo_periodo,
)
from pipeline.normalizacion import enmascarar
from pipeline.tablas import campos_ficha_propios, vacia

INFORME = "Base consolidada de la asistencia técnica"
AUTORIZADOS = ("nombres", "correo", "telefono")  # solo con «Autoriza tratamiento de datos» = Sí
_TIPOS_CELDA = {Tipo.FECHA: "fecha", Tipo.ENTERO: "entero", Tipo.NUMERO: "decimal"}


def ruta_base(carpeta_vigencia: Path, vigencia: int) -> Path:
    """`consolidado/base_consolidada_<vigencia>.xlsx`."""
    return carpeta_vigencia / "consolidado" / f"base_consolidada_{vigencia}.xlsx"


def _campos(plantilla: Plantilla) -> list[Campo]:
    return campos_ficha_propios(plantilla) + list(plantilla.columnas)


def protegida(tabla: pd.DataFrame) -> pd.DataFrame:
    """La tabla con los datos personales que no se pueden consolidar en blanco o enmascarados."""
    tabla = tabla.copy()
    if "autoriza_datos" in tabla:
        autoriza = (tabla["autoriza_datos"] == "Sí").fillna(False).astype(bool)
        for columna in AUTORIZADOS:
            if columna in tabla:
                tabla[columna] = tabla[columna].astype(object).where(autoriza, None)
    if "numero_documento" in tabla:
        tabla["numero_documento"] = [
            enmascarar(v) if isinstance(v, str) and v else None for v in tabla["numero_documento"]
        ]
    return tabla


def _lugares(tabla: pd.DataFrame) -> pd.DataFrame:
    # Los códigos DIVIPOLA se muestran con el nombre oficial, que es lo que el equipo reconoce.
    divipola = cargar_divipola()
    tabla = tabla.copy()
    if "departamento" in tabla:
        tabla["departamento"] = tabla["departamento"].map(
            lambda c: divipola.nombre_departamento(c) or c if isinstance(c, str) else None
        )
    if "municipio" in tabla:
        tabla["municipio"] = tabla["municipio"].map(
            lambda c: divipola.nombre_municipio(c) or c if isinstance(c, str) else None
        )
    return tabla


def _columnas(tipo: str) -> list[tuple[str, str, str, float]]:
    """(etiqueta, columna, tipo de celda, ancho) de la tabla de `tipo`."""
    columnas: list[tuple[str, str, str, float]] = [
        ("Dirección", "direccion", "texto", 10),
        ("Archivo", "archivo", "texto", 36),
        ("Fila", "fila", "entero", 7),
    ]
    for campo in _campos(PLANTILLAS[tipo]):
        celda = _TIPOS_CELDA.get(campo.tipo, "texto")
        ancho = 12 if celda == "fecha" else min(max(campo.ancho, len(campo.etiqueta) + 2), 40)
        columnas.append((campo.etiqueta, campo.nombre, celda, ancho))
    if tipo == "asistencia":
        columnas.append(("Repetido en la sesión", "repetido", "sino", 12))
    return columnas


def _valores(serie: pd.Series, celda: str) -> Sequence[object]:
    """Los valores de una columna como los lleva la celda (fechas, números, Sí/No o texto)."""
    if celda == "fecha":
        return serial_fechas(serie)
    if celda in ("entero", "decimal"):
        numeros = pd.to_numeric(serie, errors="coerce").astype(float)
        return [None if v != v else v for v in numeros.tolist()]
    if celda == "sino":
        return ["Sí" if bool(v) else "No" for v in serie]
    return [
        v if type(v) is str else None if v is None or v != v else str(v) for v in serie.tolist()
    ]


def escribir_hoja(libro, formatos: Estilos, tipo: str, tabla: pd.DataFrame) -> None:
    """Hoja con su tabla de Excel: encabezados y, como XML al cerrar el libro, todas sus filas."""
    columnas = _columnas(tipo)
    numeros = {
        "fecha": formatos.de({"num_format": FORMATO_FECHA}),
        "entero": formatos.de({"num_format": "0"}),
        "decimal": formatos.de({"num_format": "#,##0.##"}),
    }
    hoja = libro.add_worksheet(PLANTILLAS[tipo].hoja)
    for j, (_, _, celda, ancho) in enumerate(columnas):
        hoja.set_column(j, j, ancho, numeros.get(celda))
    hoja.freeze_panes(1, 0)
    hoja.set_landscape()
    hoja.fit_to_pages(1, 0)
    hoja.repeat_rows(0)
    escribir_cuerpo(
        hoja,
        formatos,
        1,
        0,
        [_valores(tabla[nombre], celda) for _, nombre, celda, _ in columnas],
        [numeros.get(celda) for _, _, celda, _ in columnas],
        tabla={
            "name": "".join(c for c in tipo.title() if c.isalpha()),
            "style": "Table Style Medium 2",
            "columns": [{"header": etiqueta} for etiqueta, *_ in columnas],
        },
    )


def escribir_base_consolidada(datos: DatosInforme, ruta: Path) -> Path:
    """Escribe la base consolidada de la vigencia en `ruta` (atómico, bytes reproducibles).

    Las filas de datos van por el camino rápido de la caja de escritura (`escribir_cuerpo`), con
    compresión rápida: con cien mil filas, la compresión por omisión tarda más que generarlas.
    """
    vigencia = next(p for p in datos.periodos if p.clase == "vigencia")
    enc = encabezado(datos, INFORME, vigencia)
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, datos.fecha_documento)
        estilos = Estilos(libro)
        for tipo in PLANTILLAS:
            tabla = datos.consolidado.tablas.get(tipo)
            tabla = vacia(tipo) if tabla is None else tabla
            orden = ["direccion", "archivo", "fila"]
            tabla = _lugares(protegida(tabla)).sort_values(orden, kind="stable")
            escribir_hoja(libro, estilos, tipo, tabla)
        hoja_metadatos(libro, estilos, datos, enc, titulo_periodo(vigencia))
        cerrar_libro(libro, estilos, temporal, nivel=1)
    return ruta
