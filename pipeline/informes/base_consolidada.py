"""Base consolidada: `consolidado/base_consolidada_<vigencia>.xlsx`, una tabla de Excel por plantilla.

Cada tabla lleva la Dirección, el Archivo y la Fila de origen y las columnas con sus etiquetas de la
plantilla. Ley 1581 de 2012: nombres, correos y teléfonos solo de quien autorizó el tratamiento de
sus datos; el número de documento siempre enmascarado. Pensada para 100.000 filas (§9).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from xlsxwriter.utility import xl_col_to_name, xl_range, xl_rowcol_to_cell

from esquemas import PLANTILLAS, Campo, Plantilla, Tipo
from pipeline.divipola import cargar_divipola
from pipeline.escritura import FORMATO_FECHA, escritura_atomica, libro_xlsx
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


def preparar_hoja(libro, tipo: str, formatos: dict) -> list[tuple[str, str, object]]:
    """Hoja con su tabla de Excel y solo la fila de encabezados; devuelve las columnas a llenar."""
    columnas = _columnas(tipo)
    hoja = libro.add_worksheet(PLANTILLAS[tipo].hoja)
    for j, (_, _, celda, ancho) in enumerate(columnas):
        hoja.set_column(j, j, ancho, formatos.get(celda))
    # La tabla se declara con una fila y se amplía al insertar las filas: con todas, xlsxwriter
    # registraría cada celda del rango y gastaría cientos de MB.
    hoja.add_table(
        0,
        0,
        1,
        len(columnas) - 1,
        {
            "name": "".join(c for c in tipo.title() if c.isalpha()),
            "style": "Table Style Medium 2",
            "columns": [{"header": etiqueta} for etiqueta, *_ in columnas],
        },
    )
    hoja.freeze_panes(1, 0)
    hoja.set_landscape()
    hoja.fit_to_pages(1, 0)
    hoja.repeat_rows(0)
    return [(nombre, celda, formatos.get(celda)) for _, nombre, celda, _ in columnas]


def escribir_base_consolidada(datos: DatosInforme, ruta: Path) -> Path:
    """Escribe la base consolidada de la vigencia en `ruta` (atómico, bytes reproducibles).

    xlsxwriter escribe la estructura (tablas, anchos, estilos, Metadatos); las filas de datos se
    generan aparte como XML y se insertan por partes: escribirlas celda a celda con xlsxwriter es
    diez veces más lento y las tablas de Excel no admiten su modo de memoria constante.
    """
    vigencia = next(p for p in datos.periodos if p.clase == "vigencia")
    enc = encabezado(datos, INFORME, vigencia)
    tablas = {}
    for tipo in PLANTILLAS:
        tabla = datos.consolidado.tablas.get(tipo)
        tabla = vacia(tipo) if tabla is None else tabla
        orden = ["direccion", "archivo", "fila"]
        tablas[tipo] = _lugares(protegida(tabla)).sort_values(orden, kind="stable")
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, datos.fecha_documento)
        estilos = Estilos(libro)
        formatos = {
            "fecha": estilos.de({"num_format": FORMATO_FECHA}),
            "entero": estilos.de({"num_format": "0"}),
            "decimal": estilos.de({"num_format": "#,##0.##"}),
        }
        columnas = {t: preparar_hoja(libro, t, formatos) for t in PLANTILLAS}
        hoja_metadatos(libro, estilos, datos, enc, titulo_periodo(vigencia))
        libro.close()
        _insertar_filas(temporal, [(tablas[t], columnas[t]) for t in PLANTILLAS])
    return ruta


def _insertar_filas(ruta: Path, hojas: list[tuple[pd.DataFrame, list]]) -> None:
    """Reescribe el zip con las filas de datos de la hoja (y la tabla) i-ésima."""
    por_parte = {}
    for i, (tabla, columnas) in enumerate(hojas, start=1):
        ultima = xl_rowcol_to_cell(max(len(tabla), 1), len(columnas) - 1)
        por_parte[f"xl/worksheets/sheet{i}.xml"] = (tabla, columnas, ultima)
        por_parte[f"xl/tables/table{i}.xml"] = (None, columnas, ultima)
    with zipfile.ZipFile(ruta) as origen:
        partes = [(info, origen.read(info)) for info in origen.infolist()]
    # Las hojas de datos, con compresión rápida (nivel 1): con cien mil filas el nivel por omisión
    # (6) tarda más que generar el XML. Las demás partes se copian como las dejó xlsxwriter.
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as destino:
        for info, contenido in partes:
            info.compress_type = zipfile.ZIP_DEFLATED
            if info.filename not in por_parte:
                destino.writestr(info, contenido)
                continue
            tabla, columnas, ultima = por_parte[info.filename]
            xml = contenido.decode("utf-8")
            rango = f'ref="{xl_range(0, 0, 1, len(columnas) - 1)}"'
            if tabla is None:
                destino.writestr(info, xml.replace(rango, f'ref="A1:{ultima}"').encode("utf-8"))
                continue
            inicio, _, final = xml.partition("</sheetData>")
            inicio = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{ultima}"/>', inicio)
            # Abierta por nombre, la parte toma la compresión rápida del zip (fecha fija de 1980).
            with destino.open(info.filename, "w") as salida:
                salida.write(inicio.encode("utf-8"))
                for bloque in _bloques_xml(tabla, columnas):
                    salida.write(bloque.encode("utf-8"))
                salida.write(("</sheetData>" + final).encode("utf-8"))


_ILEGALES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BLOQUE = 5000
_BASE_EXCEL = pd.Timestamp("1899-12-30")


def _xml(texto: str) -> str:
    if "&" in texto:
        texto = texto.replace("&", "&amp;")
    if "<" in texto:
        texto = texto.replace("<", "&lt;")
    if ">" in texto:
        texto = texto.replace(">", "&gt;")
    if _ILEGALES.search(texto):
        texto = _ILEGALES.sub(lambda m: f"_x{ord(m.group()):04X}_", texto)
    return texto


def _celdas(serie: pd.Series, celda: str, letra: str, filas: range, formato) -> list[str]:
    """El XML de las celdas de una columna; el texto va como cadena en línea (nunca fórmula)."""
    estilo = f' s="{formato.xf_index}"' if formato is not None else ""
    if celda == "fecha":
        dias = (pd.to_datetime(serie) - _BASE_EXCEL).dt.days
        valores = [None if pd.isna(d) else str(int(d)) for d in dias]
    elif celda in ("entero", "decimal"):
        numeros = pd.to_numeric(serie, errors="coerce").astype(float)
        valores = [
            None if pd.isna(v) else (f"{v:.0f}" if v.is_integer() else repr(v)) for v in numeros
        ]
    else:
        textos = ["Sí" if bool(v) else "No" for v in serie] if celda == "sino" else serie.tolist()
        textos = [
            None if v is None or (isinstance(v, float) and v != v) else str(v) for v in textos
        ]
        # Casi ninguna columna tiene algo que escapar: se mira una vez la columna entera.
        juntos = "".join(t for t in textos if t is not None)
        if "&" in juntos or "<" in juntos or ">" in juntos or _ILEGALES.search(juntos):
            textos = [None if t is None else _xml(t) for t in textos]
        return [
            ""
            if v is None
            else f'<c r="{letra}{r}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
            for r, v in zip(filas, textos, strict=True)
        ]
    return [
        "" if v is None else f'<c r="{letra}{r}"{estilo}><v>{v}</v></c>'
        for r, v in zip(filas, valores, strict=True)
    ]


def _bloques_xml(tabla: pd.DataFrame, columnas: list) -> Iterator[str]:
    """Las filas de datos en XML, por bloques para no tener toda la hoja en memoria."""
    for desde in range(0, len(tabla), _BLOQUE):
        parte = tabla.iloc[desde : desde + _BLOQUE]
        filas = range(desde + 2, desde + 2 + len(parte))
        celdas = [
            _celdas(parte[nombre], celda, xl_col_to_name(j), filas, formato)
            for j, (nombre, celda, formato) in enumerate(columnas)
        ]
        yield "".join(
            f'<row r="{r}">{"".join(fila)}</row>'
            for r, fila in zip(filas, zip(*celdas, strict=True), strict=True)
        )
