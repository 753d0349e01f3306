"""Los comentarios de una hoja y su dibujo VML: los de la dirección se conservan, los del producto no."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xlsxwriter.utility import xl_cell_to_rowcol

from pipeline.escritura import AMARILLO_NOTA
from pipeline.ooxml.partes import atributos_de, desescapar, texto_xml

AUTOR = "Validación de asistencia técnica"
SEPARADOR_ANTERIOR = "\n\n— Comentario anterior —\n"
INICIOS = ("Error: ", "Advertencia: ")
"""Cómo empieza cada comentario del producto (pipeline.devoluciones los escribe así)."""

# ------------------------------------------------------------------------------------------------
# Comentarios y su dibujo VML


@dataclass
class Comentario:
    """Un comentario de celda: referencia A1, autor y texto."""

    ref: str
    autor: str
    texto: str


_COMENTARIO = re.compile(r"<(?:\w+:)?comment\b([^>]*)>(.*?)</(?:\w+:)?comment>", re.S)
_AUTOR = re.compile(r"<(?:\w+:)?author>(.*?)</(?:\w+:)?author>|<(?:\w+:)?author/>", re.S)
_T = re.compile(r"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)


def es_propio(comentario: Comentario) -> bool:
    """Si el comentario lo escribió el producto: por su autor o, si otro programa lo borró al
    guardar (LibreOffice lo hace), porque empieza como empiezan los suyos."""
    return comentario.autor == AUTOR or comentario.texto.startswith(INICIOS)


def leer_comentarios(texto: str) -> list[Comentario]:
    """Todos los comentarios de una parte de comentarios, con su autor y su texto."""
    autores = [desescapar(m.group(1) or "") for m in _AUTOR.finditer(texto)]
    resultado = []
    for m in _COMENTARIO.finditer(texto):
        a = atributos_de(m.group(1))
        indice = int(a.get("authorId", "0") or 0)
        autor = autores[indice] if 0 <= indice < len(autores) else ""
        contenido = desescapar("".join(_T.findall(m.group(2))))
        resultado.append(Comentario(a.get("ref", ""), autor, contenido))
    return resultado


def comentarios_previos(texto: str) -> list[Comentario]:
    """Los comentarios de la dirección; los del producto se quitan (y lo que guardaban se recupera)."""
    resultado = []
    for comentario in leer_comentarios(texto):
        if es_propio(comentario):
            if SEPARADOR_ANTERIOR not in comentario.texto:
                continue
            anterior = comentario.texto.split(SEPARADOR_ANTERIOR, 1)[1]
            comentario = Comentario(comentario.ref, "", anterior)
        resultado.append(comentario)
    return resultado


def xml_comentarios(comentarios: list[Comentario]) -> bytes:
    """La parte de comentarios (commentsN.xml) con sus autores."""
    autores = list(dict.fromkeys(c.autor for c in comentarios))
    cuerpo = "".join(
        f'<comment ref="{c.ref}" authorId="{autores.index(c.autor)}"><text><r><rPr><sz val="9"/>'
        f'<rFont val="Tahoma"/><family val="2"/></rPr><t xml:space="preserve">{texto_xml(c.texto)}'
        "</t></r></text></comment>"
        for c in comentarios
    )
    lista_autores = "".join(f"<author>{texto_xml(a)}</author>" for a in autores)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<authors>{lista_autores}</authors><commentList>{cuerpo}</commentList></comments>"
    ).encode()


def xml_vml(comentarios: list[Comentario], bloque: int) -> bytes:
    """El dibujo VML que Excel necesita para mostrar los comentarios (un cuadro por celda)."""
    formas = []
    for i, c in enumerate(comentarios, start=1):
        fila, columna = xl_cell_to_rowcol(c.ref)
        lineas = min(30, 2 + len(c.texto) // 40 + c.texto.count("\n"))
        formas.append(
            f'<v:shape id="_x0000_s{bloque * 1024 + i}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:80pt;margin-top:2pt;width:260pt;'
            f'height:{12 * lineas}pt;z-index:{i};visibility:hidden" fillcolor="{AMARILLO_NOTA}" '
            f'o:insetmode="auto"><v:fill color2="{AMARILLO_NOTA}"/><v:shadow on="t" color="black" '
            'obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note">'
            "<x:MoveWithCells/><x:SizeWithCells/>"
            f"<x:Anchor>{columna + 1}, 15, {fila}, 2, {columna + 5}, 15, {fila + lineas}, 2</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill><x:Row>{fila}</x:Row><x:Column>{columna}</x:Column>"
            "</x:ClientData></v:shape>"
        )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{bloque}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        + "".join(formas)
        + "</xml>"
    ).encode("utf-8")
