"""La hoja `Errores` de la copia, escrita como XML con texto en línea (sin tocar sharedStrings)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_rowcol_to_cell

from pipeline.ooxml.partes import atributo_xml, texto_xml


@dataclass(frozen=True)
class CeldaNueva:
    """Una celda de la hoja `Errores`: texto, estilo con nombre y, si acaso, un vínculo interno."""

    texto: str
    estilo: str = "texto"
    vinculo: str = ""  # «'Hoja'!C5»


@dataclass
class HojaNueva:
    """La hoja `Errores`: filas de celdas de texto, anchos, altos y la fila que queda fija."""

    filas: list[list[CeldaNueva]]
    anchos: tuple[float, ...]
    altos: dict[int, float] = field(default_factory=dict)  # fila base 1 → alto en puntos
    fija_hasta: int = 0  # filas fijas arriba (0: ninguna)


# ------------------------------------------------------------------------------------------------
# La hoja Errores


def xml_hoja(hoja: HojaNueva, estilos: dict[str, int]) -> bytes:
    """El XML de la hoja `Errores` con los estilos con nombre ya creados en styles.xml."""
    columnas = "".join(
        f'<col min="{j}" max="{j}" width="{ancho}" customWidth="1"/>'
        for j, ancho in enumerate(hoja.anchos, start=1)
    )
    filas, vinculos = [], []
    for i, celdas in enumerate(hoja.filas, start=1):
        alto = hoja.altos.get(i)
        atributos = f' ht="{alto}" customHeight="1"' if alto else ""
        contenido = []
        for j, celda in enumerate(celdas):
            ref = xl_rowcol_to_cell(i - 1, j)
            if celda.vinculo:
                vinculos.append(
                    f'<hyperlink ref="{ref}" location={atributo_xml(celda.vinculo)} '
                    f"display={atributo_xml(celda.texto)}/>"
                )
            s = estilos.get(celda.estilo, estilos["texto"])
            if celda.texto:
                contenido.append(
                    f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{texto_xml(celda.texto)}</t></is></c>"
                )
            elif celda.estilo != "texto":
                contenido.append(f'<c r="{ref}" s="{s}"/>')
        filas.append(f'<row r="{i}"{atributos}>{"".join(contenido)}</row>')
    panel = ""
    if hoja.fija_hasta:
        n = hoja.fija_hasta
        panel = (
            f'<pane ySplit="{n}" topLeftCell="A{n + 1}" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/>'
        )
    enlaces = f"<hyperlinks>{''.join(vinculos)}</hyperlinks>" if vinculos else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetPr><tabColor rgb="FFC00000"/><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<sheetViews><sheetView tabSelected="1" workbookViewId="0">{panel}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{columnas}</cols>'
        f"<sheetData>{''.join(filas)}</sheetData>{enlaces}"
        '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="1" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    ).encode()
