"""Partes de un paquete OOXML (xlsx): lectura acotada, relaciones, tipos de contenido y el libro.

Se trabaja sobre el texto de las partes pequeñas con expresiones regulares y sin volver a serializar
el XML: los prefijos de espacios de nombres (y `mc:Ignorable`) quedan como los escribió quien hizo
el libro, que es lo que Excel exige para abrirlo sin «reparar».
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.sax.saxutils import escape, quoteattr

from pipeline.errores import ErrorAsistencia
from pipeline.normalizacion import clave

HOJA_ERRORES = "Errores"
_PARTE_PEQUENA = 32 << 20  # estilos, libro, relaciones, comentarios: se leen enteros

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = NS_R
T_HOJA = f"{_REL}/worksheet"
T_COMENTARIOS = f"{_REL}/comments"
T_VML = f"{_REL}/vmlDrawing"
CT_HOJA = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMENTARIOS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
ILEGALES_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Los caracteres que XML 1.0 no admite en un texto."""


class LibroNoAnotable(ErrorAsistencia):
    """El paquete no tiene la forma de un libro de Excel que se pueda anotar."""


def limpio(valor: str) -> str:
    """El texto sin los caracteres de control que XML no admite."""
    return ILEGALES_XML.sub("", valor)


def texto_xml(valor: str) -> str:
    """Texto escapado para el contenido de un elemento XML."""
    return escape(limpio(valor))


def atributo_xml(valor: str) -> str:
    """Texto escapado y entre comillas para un atributo XML."""
    return quoteattr(limpio(valor), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


# ------------------------------------------------------------------------------------------------
# Partes pequeñas: lectura y relaciones


def leer_parte(zf: zipfile.ZipFile, nombre: str) -> str:
    """El texto de una parte pequeña; LibroNoAnotable si es desmedida."""
    info = zf.getinfo(nombre)
    if info.file_size > _PARTE_PEQUENA:
        raise LibroNoAnotable(f"la parte {nombre} es demasiado grande")
    return zf.read(info).decode("utf-8")


def ruta_de_rels(parte: str) -> str:
    """La parte de relaciones de `parte` (xl/_rels/workbook.xml.rels…)."""
    p = PurePosixPath(parte)
    return str(p.parent / "_rels" / f"{p.name}.rels")


def destino_rel(parte: str, objetivo: str) -> str:
    """La ruta dentro del paquete a la que apunta `objetivo` desde `parte`."""
    if objetivo.startswith("/"):
        return objetivo.lstrip("/")
    partes: list[str] = []
    for trozo in (str(PurePosixPath(parte).parent) + "/" + objetivo).split("/"):
        if trozo == "..":
            if partes:
                partes.pop()
        elif trozo not in ("", "."):
            partes.append(trozo)
    return "/".join(partes)


_RELACION = re.compile(r"<(?:\w+:)?Relationship\b([^>]*?)/?>", re.S)
_ATRIBUTO = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def atributos_de(texto: str) -> dict[str, str]:
    """Los atributos de una etiqueta como diccionario."""
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATRIBUTO.finditer(texto)
    }


def relaciones(zf: zipfile.ZipFile, parte: str) -> list[dict[str, str]]:
    """Las relaciones de `parte` (Id, Type, Target…); ninguna si no tiene."""
    ruta = ruta_de_rels(parte)
    try:
        zf.getinfo(ruta)
    except KeyError:
        return []
    return [atributos_de(m.group(1)) for m in _RELACION.finditer(leer_parte(zf, ruta))]


def nuevo_id(existentes: set[str]) -> str:
    """Un Id de relación que no está en `existentes`."""
    n = len(existentes) + 1
    while f"rId{n}" in existentes:
        n += 1
    return f"rId{n}"


def nombre_libre(nombres: set[str], patron: str) -> str:
    """El primer nombre de parte libre según `patron` («…sheet{}.xml»); queda reservado."""
    n = 1
    while patron.format(n) in nombres:
        n += 1
    nombre = patron.format(n)
    nombres.add(nombre)
    return nombre


def quitar_relaciones(texto: str, ids: set[str]) -> str:
    """El texto de relaciones sin las de `ids`."""

    def quitar(m: re.Match) -> str:
        return "" if atributos_de(m.group(1)).get("Id") in ids else m.group(0)

    return _RELACION.sub(quitar, texto)


def agregar_relaciones(texto: str, nuevas: list[tuple[str, str, str]]) -> str:
    """El texto de relaciones con las nuevas (Id, Type, Target) al final."""
    bloque = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target={atributo_xml(o)}/>' for i, t, o in nuevas
    )
    return re.sub(r"(</(?:\w+:)?Relationships>)", lambda m: bloque + m.group(1), texto, count=1)


def rels_vacias() -> str:
    """Una parte de relaciones sin relaciones."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        "</Relationships>"
    )


# ------------------------------------------------------------------------------------------------
# Libro: hojas, hoja Errores previa, nombres definidos


@dataclass
class HojaDelLibro:
    """Una hoja del libro: su nombre, su parte y el Id de su relación."""

    nombre: str
    parte: str
    rid: str


_HOJA_LIBRO = re.compile(r"<(?:\w+:)?sheet\b([^>]*?)/>", re.S)


def hojas_del_libro(libro: str, rels: list[dict[str, str]]) -> list[HojaDelLibro]:
    """Las hojas de workbook.xml en su orden, con la parte de cada una."""
    objetivos = {r.get("Id"): r for r in rels}
    hojas = []
    for m in _HOJA_LIBRO.finditer(libro):
        a = atributos_de(m.group(1))
        rid = next((v for k, v in a.items() if k.endswith(":id")), "")
        rel = objetivos.get(rid)
        if rel is None or not rel.get("Type", "").endswith("/worksheet"):
            hojas.append(HojaDelLibro(desescapar(a.get("name", "")), "", rid))
            continue
        hojas.append(
            HojaDelLibro(
                desescapar(a.get("name", "")), destino_rel("xl/workbook.xml", rel["Target"]), rid
            )
        )
    return hojas


def desescapar(valor: str) -> str:
    """Texto de un atributo o elemento XML sin sus entidades."""
    return (
        valor.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )  # fmt: skip


_NOMBRE_DEFINIDO = re.compile(
    r"<((?:\w+:)?)definedName\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?definedName>)", re.S
)


def ajustar_libro(libro: str, indice_previa: int | None, rid_nueva: str, sheet_id: int) -> str:
    """Quita la hoja Errores previa, pone la nueva primera y corre los `localSheetId`."""

    def nombre(m: re.Match) -> str:
        a = atributos_de(m.group(2))
        local = a.get("localSheetId")
        if local is None or not local.isdigit():
            return m.group(0)
        n = int(local)
        if indice_previa is not None:
            if n == indice_previa:
                return ""
            if n > indice_previa:
                n -= 1
        return re.sub(r'localSheetId="\d+"', f'localSheetId="{n + 1}"', m.group(0), count=1)

    libro = _NOMBRE_DEFINIDO.sub(nombre, libro)
    libro = re.sub(r"<(?:\w+:)?definedNames\b[^>]*>\s*</(?:\w+:)?definedNames>", "", libro)
    if indice_previa is not None:
        cuenta = iter(range(1_000_000))
        libro = _HOJA_LIBRO.sub(
            lambda m: "" if next(cuenta) == indice_previa else m.group(0), libro
        )
    prefijo = re.search(r"<(\w+:)?sheets\b", libro)
    if prefijo is None:
        raise LibroNoAnotable("el libro no tiene lista de hojas")
    p = prefijo.group(1) or ""
    nueva = f'<{p}sheet name="{HOJA_ERRORES}" sheetId="{sheet_id}" xmlns:r="{NS_R}" r:id="{rid_nueva}"/>'
    libro = re.sub(r"(<(?:\w+:)?sheets\b[^>]*>)", lambda m: m.group(1) + nueva, libro, count=1)
    # La hoja Errores es la que se ve al abrir.
    libro = re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", libro)
    return re.sub(r"(<(?:\w+:)?workbookView\b)", r'\1 activeTab="0"', libro)


def tipos_de_contenido(
    texto: str, agregar: list[tuple[str, str]], quitar: set[str], vml: bool
) -> str:
    """[Content_Types].xml sin las partes quitadas y con las nuevas."""
    texto = re.sub(
        r"<(?:\w+:)?Override\b[^>]*?PartName=\"([^\"]*)\"[^>]*?/>",
        lambda m: "" if m.group(1).lstrip("/") in quitar else m.group(0),
        texto,
    )
    bloque = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in agregar)
    if vml and not re.search(r'Extension="vml"', texto, re.I):
        bloque = f'<Default Extension="vml" ContentType="{CT_VML}"/>' + bloque
    return re.sub(r"(</(?:\w+:)?Types>)", lambda m: bloque + m.group(1), texto, count=1)


def hoja_de(hojas: list[HojaDelLibro], nombre: str) -> HojaDelLibro | None:
    """La hoja con ese nombre (exacto o con otras mayúsculas y tildes)."""
    exacta = next((h for h in hojas if h.nombre == nombre and h.parte), None)
    if exacta is not None:
        return exacta
    objetivo = clave(nombre)
    return next((h for h in hojas if clave(h.nombre) == objetivo and h.parte), None)
