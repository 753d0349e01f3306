"""El encabezado de control de un formato (§4.7): lo que pide la oficina de calidad (SIG/MIPG).

Arriba de la ficha: el área del logo, el nombre de la entidad, el título del formato y las casillas
`Código`, `Versión` y `Fecha` (en blanco si la configuración no las da). Al imprimir, el pie de
página repite Código, Versión y `Página N de M`. Nada de esto es una etiqueta de ficha ni de columna,
así que el lector nunca lo toma por datos.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.image import Image
from xlsxwriter.worksheet import Worksheet

from esquemas import Plantilla
from pipeline.configuracion import Configuracion, Control
from pipeline.escritura import AZUL_OSCURO, CARTA, Formatos

ALTO_FILA_CONTROL = 20  # puntos; tres filas de control
ANCHO_MINIMO_CASILLAS = 22  # caracteres de las casillas Código/Versión/Fecha


def control_de(plantilla: Plantilla, config: Configuracion) -> Control:
    """Los datos de control de la plantilla según [formatos.<archivo sin .xlsx>]."""
    return config.formatos.control(Path(plantilla.archivo).stem)


def casillas(control: Control) -> tuple[str, str, str]:
    """Los textos de las casillas Código, Versión y Fecha (solo la etiqueta si falta el dato)."""
    fecha = f"{control.fecha:%d/%m/%Y}" if control.fecha else ""
    return (
        f"Código: {control.codigo}".rstrip(),
        f"Versión: {control.version}".rstrip(),
        f"Fecha: {fecha}".rstrip(),
    )


def escribir_encabezado_control(
    hoja: Worksheet,
    titulo: str,
    control: Control,
    config: Configuracion,
    anchos: Sequence[float],
    estilos: Formatos,
) -> None:
    """Las tres primeras filas: logo | entidad y título | Código, Versión y Fecha."""
    primera_casilla = _primera_casilla(anchos)
    borde = {"border": 1, "valign": "vcenter"}
    for fila in range(3):
        hoja.set_row(fila, ALTO_FILA_CONTROL)
    hoja.merge_range(0, 0, 2, 0, "", estilos.de(borde))
    centro = (1, max(primera_casilla - 1, 1))
    entidad = estilos.de(
        {"bold": True, "font_size": 12, "align": "center", "text_wrap": True} | borde
    )
    nombre = estilos.de(
        {"bold": True, "font_size": 12, "align": "center", "text_wrap": True}
        | borde
        | {"font_color": AZUL_OSCURO}
    )
    _combinar(hoja, 0, centro, config.entidad, entidad)
    hoja.merge_range(1, centro[0], 2, centro[1], titulo.upper(), nombre)
    for fila, texto in enumerate(casillas(control)):
        _combinar(hoja, fila, (primera_casilla, len(anchos) - 1), texto, estilos.de(borde))
    if config.formatos.logo is not None:
        _logo(hoja, config.formatos.logo, anchos[0])


def _primera_casilla(anchos: Sequence[float]) -> int:
    """Primera columna de las casillas: las últimas columnas que suman el ancho mínimo."""
    acumulado = 0.0
    for j in range(len(anchos) - 1, 1, -1):
        acumulado += anchos[j]
        if acumulado >= ANCHO_MINIMO_CASILLAS:
            return j
    return len(anchos) - 1


def _combinar(hoja: Worksheet, fila: int, columnas: tuple[int, int], texto: str, formato) -> None:
    if columnas[1] > columnas[0]:
        hoja.merge_range(fila, columnas[0], fila, columnas[1], texto, formato)
    else:
        hoja.write_string(fila, columnas[0], texto, formato)


def _logo(hoja: Worksheet, ruta: Path, ancho_columna: float) -> None:
    """Inserta el logo escalado para caber en el área de la columna A (sin deformarlo)."""
    datos = ruta.read_bytes()
    imagen = Image(io.BytesIO(datos))
    ancho = imagen.width * 96 / (imagen.x_dpi or 96)
    alto = imagen.height * 96 / (imagen.y_dpi or 96)
    area_ancho = ancho_columna * 7 + 5 - 8
    area_alto = 3 * ALTO_FILA_CONTROL * 4 / 3 - 8
    escala = min(area_ancho / ancho, area_alto / alto)
    hoja.insert_image(
        0,
        0,
        ruta.name,
        {
            "image_data": io.BytesIO(datos),
            "x_scale": escala,
            "y_scale": escala,
            "x_offset": 4,
            "y_offset": 4,
            "object_position": 1,
            "description": "Logo de la entidad",
        },
    )


def imprimir_formato_controlado(
    hoja: Worksheet, titulo: str, control: Control, horizontal: bool = True, paginas_alto: int = 0
) -> None:
    """Carta ajustada al ancho, márgenes, y Código, Versión y `Página N de M` en cada pie de página.

    `paginas_alto`: 0 para tantas páginas como haga falta, 1 para una sola (el formulario).
    """
    if horizontal:
        hoja.set_landscape()
    else:
        hoja.set_portrait()
    hoja.set_paper(CARTA)
    hoja.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    codigo, version, fecha = (_escapar(t) for t in casillas(control))
    titulo = _escapar(titulo)[:80]
    hoja.set_footer(
        f"&L&8{codigo}   {version}   {fecha}&C&8{titulo}&R&8Página &P de &N", {"margin": 0.3}
    )
    hoja.fit_to_pages(1, paginas_alto)


def _escapar(texto: str) -> str:
    """En encabezados y pies de página de Excel, «&» es un código: se escribe «&&»."""
    return texto.replace("&", "&&")
