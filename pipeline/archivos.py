"""Descubrimiento de los archivos de entrada y controles de seguridad antes de leerlos (§3, §9)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as DET

EXTENSIONES_LEIBLES = {".xlsx", ".xlsm"}
EXTENSIONES_HOJA_DE_CALCULO = EXTENSIONES_LEIBLES | {
    ".xls",
    ".xlsb",
    ".ods",
    ".xltx",
    ".xltm",
    ".csv",
}

# Límites contra archivos desmedidos y bombas zip: una plantilla diligenciada pesa decenas de KB.
TAMANO_MAXIMO = 50 * 1024 * 1024  # bytes del archivo en disco
DESCOMPRIMIDO_MAXIMO = 300 * 1024 * 1024  # bytes descomprimidos de todas las partes
RAZON_MAXIMA = 200  # descomprimido / comprimido de una parte grande
PARTES_MAXIMAS = 2000

_FIRMA_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # contenedor OLE: .xls antiguo o .xlsx cifrado
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class Estado(StrEnum):
    """Estado de un archivo en el reporte de validación (§7)."""

    ACEPTADO = "Aceptado"
    ACEPTADO_CON_ADVERTENCIAS = "Aceptado con advertencias"
    RECHAZADO = "Rechazado"
    IGNORADO = "Ignorado"
    REEMPLAZADO = "Reemplazado"  # versión anterior de un plan, cronograma o compromisos (§10.1)


@dataclass(frozen=True)
class Entrada:
    """Un archivo encontrado bajo la carpeta de entradas."""

    ruta: Path  # ruta absoluta
    relativa: str  # ruta relativa a la carpeta de entradas, con «/»
    vigencia_carpeta: str  # primer nivel bajo entradas/
    direccion_carpeta: str  # segundo nivel (código de la dirección), "" si no hay
    ignorado: str = ""  # motivo si se ignora (archivo de bloqueo, no es hoja de cálculo)


class ArchivoRechazado(Exception):
    """El archivo no se puede leer con seguridad; lleva el código del catálogo y sus datos."""

    def __init__(self, codigo: str, **datos: object) -> None:
        super().__init__(codigo)
        self.codigo = codigo
        self.datos = datos


def es_bloqueo(nombre: str) -> bool:
    """Archivos de bloqueo de Excel (`~$*`) y LibreOffice (`.~lock.*#`)."""
    return nombre.startswith("~$") or (nombre.startswith(".~lock.") and nombre.endswith("#"))


def descubrir(entradas: Path, vigencia: str | None = None) -> list[Entrada]:
    """Todos los archivos bajo `entradas/<vigencia>/`, en orden estable, clasificados."""
    entradas = Path(entradas)
    resultado: list[Entrada] = []
    for ruta in sorted(p for p in entradas.rglob("*") if p.is_file() or p.is_symlink()):
        partes = ruta.relative_to(entradas).parts
        if len(partes) < 2 and ruta.suffix.lower() not in EXTENSIONES_HOJA_DE_CALCULO:
            continue  # README u otros archivos sueltos en la raíz de entradas/
        if vigencia is not None and partes[0] != vigencia:
            continue
        if any(p.startswith(".") and not es_bloqueo(p) for p in partes):
            continue  # carpetas y archivos ocultos (.git, .DS_Store…)
        ignorado = ""
        if es_bloqueo(ruta.name):
            ignorado = "Archivo de bloqueo de Excel o LibreOffice"
        elif ruta.suffix.lower() not in EXTENSIONES_HOJA_DE_CALCULO:
            ignorado = "No es una hoja de cálculo"
        elif ruta.is_symlink():
            ignorado = "Enlace simbólico: no se sigue"
        resultado.append(
            Entrada(
                ruta=ruta.resolve() if not ruta.is_symlink() else ruta,
                relativa="/".join(partes),
                vigencia_carpeta=partes[0] if len(partes) > 1 else "",
                direccion_carpeta=partes[1] if len(partes) > 2 else "",
                ignorado=ignorado,
            )
        )
    return resultado


def sha256(contenido: bytes) -> str:
    """Huella SHA-256 en hexadecimal."""
    return hashlib.sha256(contenido).hexdigest()


def revisar_contenedor(ruta: Path, contenido: bytes) -> bool:
    """Revisa el libro antes de leerlo; devuelve si usa el sistema de fechas 1904.

    Lanza ArchivoRechazado si es de un formato no admitido, está cifrado, no es un libro, es una
    bomba zip o trae DTD/entidades XML.
    """
    extension = ruta.suffix.lower()
    if extension not in EXTENSIONES_LEIBLES:
        raise ArchivoRechazado("FORMATO_NO_ADMITIDO", extension=extension or "(sin extensión)")
    if len(contenido) > TAMANO_MAXIMO:
        raise ArchivoRechazado(
            "ARCHIVO_DEMASIADO_GRANDE",
            motivo=f"pesa {len(contenido) / 1e6:.0f} MB (el máximo es {TAMANO_MAXIMO // 2**20} MB)",
        )
    if contenido.startswith(_FIRMA_OLE):
        raise ArchivoRechazado("ARCHIVO_CIFRADO")
    import io

    try:
        libro = zipfile.ZipFile(io.BytesIO(contenido))
        partes = libro.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchivoRechazado(
            "ARCHIVO_ILEGIBLE", motivo="no es un libro de Excel válido (el archivo está dañado)"
        ) from None
    if len(partes) > PARTES_MAXIMAS:
        raise ArchivoRechazado(
            "ARCHIVO_DEMASIADO_GRANDE", motivo=f"tiene {len(partes)} partes internas"
        )
    total = sum(p.file_size for p in partes)
    if total > DESCOMPRIMIDO_MAXIMO:
        raise ArchivoRechazado(
            "ARCHIVO_DEMASIADO_GRANDE",
            motivo=f"ocupa {total / 1e6:.0f} MB descomprimido (posible bomba zip)",
        )
    for p in partes:
        if p.file_size > 10 * 2**20 and p.file_size > RAZON_MAXIMA * max(p.compress_size, 1):
            raise ArchivoRechazado(
                "ARCHIVO_DEMASIADO_GRANDE",
                motivo=f"tiene una parte que se expande {p.file_size // max(p.compress_size, 1)} veces "
                "(posible bomba zip)",
            )
    nombres = {p.filename for p in partes}
    if "xl/workbook.xml" not in nombres:
        raise ArchivoRechazado(
            "ARCHIVO_ILEGIBLE", motivo="no contiene un libro de Excel (falta xl/workbook.xml)"
        )
    try:
        for p in partes:
            if p.filename.endswith((".xml", ".rels", ".vml")):
                with libro.open(p) as f:
                    inicio = f.read(4096)
                if _DTD.search(inicio):
                    raise ArchivoRechazado(
                        "XML_PELIGROSO", motivo=f"DTD o entidades en {p.filename}"
                    )
        raiz = DET.fromstring(libro.read("xl/workbook.xml"))
    except defusedxml.DefusedXmlException as exc:
        raise ArchivoRechazado("XML_PELIGROSO", motivo=type(exc).__name__) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, DET.ParseError) as exc:
        raise ArchivoRechazado(
            "ARCHIVO_ILEGIBLE", motivo=f"el libro está dañado ({type(exc).__name__})"
        ) from None
    for elemento in raiz.iter():
        if elemento.tag.endswith("}workbookPr") or elemento.tag == "workbookPr":
            return elemento.get("date1904", "false").lower() in ("1", "true")
    return False
