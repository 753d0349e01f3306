"""Descubrimiento de los archivos de entrada y controles de seguridad antes de leerlos (§3, §9)."""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as DET

from pipeline.errores import ArchivoRechazado
from pipeline.escritura import numero_es
from pipeline.problemas import Codigo

EXTENSIONES_LEIBLES = {".xlsx", ".xlsm"}
EXTENSIONES_HOJA_DE_CALCULO = EXTENSIONES_LEIBLES | {
    ".xls",
    ".xlsb",
    ".ods",
    ".xltx",
    ".xltm",
    ".csv",
}

_FIRMA_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # contenedor OLE: .xls antiguo o .xlsx cifrado
_CIFRADO_OLE = "EncryptionInfo".encode("utf-16-le")  # flujo que solo tiene un .xlsx cifrado
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)")
_ELEMENTO = re.compile(rb"<[A-Za-z_]")  # el primer elemento cierra el prólogo, donde va un DTD
PROLOGO_MAXIMO = 65536
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_RELACIONES = "http://schemas.openxmlformats.org/package/2006/relationships"
_ID_RELACION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MACROS = ("xl/vbaproject.bin", "xl/macrosheets/", "xl/dialogsheets/")
MIB = 2**20
MEMORIA_MINIMA = 128 * MIB  # por proceso de lectura: una plantilla grande se lee con mucho menos


@dataclass(frozen=True)
class Limites:
    """Presupuesto de lectura de un archivo: lo que se revisa antes de leerlo y el tope al leerlo.

    Una plantilla diligenciada pesa decenas de KB y se lee en milisegundos: los límites están muy por
    encima de un archivo real y muy por debajo de lo que tumbaría la corrida. Las pruebas los bajan.
    """

    tamano: int = 50 * MIB  # bytes del archivo en disco
    descomprimido: int = 256 * MIB  # bytes descomprimidos de todas las partes
    parte: int = 64 * MIB  # bytes descomprimidos de una parte
    razon: int = 200  # descomprimido / comprimido de una parte de más de 1 MiB
    partes: int = 2000
    celdas: int = 2_000_000  # filas × columnas del rango que ocupa una hoja que se lee
    caracteres: int = 20_000_000  # caracteres de texto compartido que se copian a las celdas
    memoria: int = 512 * MIB  # lo que pueden reservar entre todos los procesos de lectura
    segundos: float = 60.0  # tiempo máximo para leer un archivo

    def procesos(self, pedidos: int) -> int:
        """Cuántos procesos de lectura caben en `memoria` con al menos 128 MiB cada uno."""
        return max(1, min(pedidos, self.memoria // MEMORIA_MINIMA))

    def memoria_por_proceso(self, procesos: int) -> int:
        """Tope de memoria de cada proceso de lectura (al menos 128 MiB)."""
        return max(MEMORIA_MINIMA, self.memoria // max(1, procesos))


LIMITES = Limites()


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


@dataclass
class Contenedor:
    """El paquete zip de un libro ya revisado: sus hojas y lo que se necesita para revisarlas."""

    zip: zipfile.ZipFile
    contenido: bytes = b""
    sistema_1904: bool = False
    partes_hoja: dict[str, str] = field(default_factory=dict)  # nombre de hoja → parte del zip
    ocultas: frozenset[str] = frozenset()  # hojas ocultas
    limites: Limites = LIMITES
    _largos: list[int] | None = None

    def parte(self, nombre: str) -> bytes:
        """Una parte del paquete, descomprimida (b"" si no existe)."""
        try:
            info = self.zip.getinfo(nombre)
        except KeyError:
            return b""
        return leer_parte(self.zip, self.contenido, info)

    def xml_hoja(self, nombre: str) -> bytes:
        """El XML de la hoja `nombre` (b"" si el libro no la declara)."""
        parte = self.partes_hoja.get(nombre)
        return self.parte(parte) if parte else b""

    def largos_cadenas(self) -> list[int]:
        """Tamaño en bytes de cada texto compartido (cota de sus caracteres), en orden."""
        if self._largos is None:
            nombre = next(
                (n for n in self.zip.namelist() if n.lower().endswith("sharedstrings.xml")), None
            )
            xml = self.parte(nombre) if nombre else b""
            trozos = re.split(rb"<(?:\w+:)?si\b", xml)[1:]
            self._largos = [len(t) for t in trozos]
        return self._largos


def es_bloqueo(nombre: str) -> bool:
    """Archivos de bloqueo de Excel (`~$*`) y LibreOffice (`.~lock.*#`)."""
    return nombre.startswith("~$") or (nombre.startswith(".~lock.") and nombre.endswith("#"))


def descubrir(entradas: Path, vigencia: str | None = None) -> list[Entrada]:
    """Todos los archivos bajo `entradas/<vigencia>/`, en orden estable, clasificados.

    Se recorre con os.scandir (el tipo de cada entrada viene del directorio, sin un stat por archivo)
    y la raíz se resuelve una sola vez: las carpetas que son enlaces simbólicos no se recorren.
    """
    entradas = Path(entradas)
    raiz = entradas.resolve()
    if vigencia is None:
        encontradas = list(_recorrer(os.fspath(entradas), ()))
    elif os.path.isdir(entradas / vigencia) and not os.path.islink(entradas / vigencia):
        encontradas = list(_recorrer(os.fspath(entradas / vigencia), (vigencia,)))
    else:
        encontradas = []  # sin carpeta de la vigencia (o es un enlace, que no se sigue)
    encontradas.sort(key=lambda par: par[0])
    resultado: list[Entrada] = []
    for partes, entrada in encontradas:
        enlace = entrada.is_symlink()
        comun = not enlace and _es(entrada.is_file)
        carpeta = not enlace and _es(entrada.is_dir)
        sufijo = _sufijo(partes[-1])
        if carpeta and sufijo not in EXTENSIONES_HOJA_DE_CALCULO:
            continue  # carpetas comunes: lo que hay dentro se recorre igual
        if len(partes) < 2 and sufijo not in EXTENSIONES_HOJA_DE_CALCULO:
            continue  # README u otros archivos sueltos en la raíz de entradas/
        if any(p.startswith(".") and not es_bloqueo(p) for p in partes):
            continue  # carpetas y archivos ocultos (.git, .DS_Store…)
        nombre = partes[-1]
        ignorado = ""
        if es_bloqueo(nombre):
            ignorado = "Archivo de bloqueo de Excel o LibreOffice"
        elif sufijo not in EXTENSIONES_HOJA_DE_CALCULO:
            ignorado = "No es una hoja de cálculo"
        elif enlace:
            ignorado = "Enlace simbólico: no se sigue"
        elif carpeta:
            ignorado = "Es una carpeta con nombre de libro de Excel, no un archivo"
        elif not comun:
            ignorado = "No es un archivo común (dispositivo, tubería o similar)"
        resultado.append(
            Entrada(
                ruta=raiz.joinpath(*partes) if comun else entradas.joinpath(*partes),
                relativa="/".join(partes),
                vigencia_carpeta=partes[0] if len(partes) > 1 else "",
                direccion_carpeta=partes[1] if len(partes) > 2 else "",
                ignorado=ignorado,
            )
        )
    return resultado


def _recorrer(
    carpeta: str, partes: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], os.DirEntry]]:
    """Cada entrada bajo `carpeta` con sus partes relativas; no entra en enlaces simbólicos."""
    try:
        with os.scandir(carpeta) as iterador:
            hijas = list(iterador)
    except OSError:
        return  # carpeta ilegible: como Path.rglob, se omite
    for hija in hijas:
        propias = (*partes, hija.name)
        yield propias, hija
        if not hija.is_symlink() and _es(hija.is_dir):
            yield from _recorrer(hija.path, propias)


def _sufijo(nombre: str) -> str:
    """La extensión en minúsculas, como Path.suffix: «.xlsx» de «a.b.XLSX»; nada de «.oculto»."""
    punto = nombre.rfind(".")
    return nombre[punto:].lower() if 0 < punto < len(nombre) - 1 else ""


def _es(prueba: Callable[[], bool]) -> bool:
    try:
        return prueba()
    except OSError:
        return False


def sha256(contenido: bytes) -> str:
    """Huella SHA-256 en hexadecimal."""
    return hashlib.sha256(contenido).hexdigest()


def sha256_de_archivo(ruta: Path) -> str:
    """Huella SHA-256 de un archivo leído por partes (sin cargarlo entero); "" si no se puede leer."""
    try:
        with open(ruta, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return ""


def revisar_tamano(tamano: int, limites: Limites) -> None:
    """Rechaza un archivo que pesa más de lo que se admite, antes de cargarlo."""
    if tamano > limites.tamano:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_DEMASIADO_GRANDE,
            motivo=f"pesa {numero_es(tamano // MIB)} MB "
            f"(el máximo es {numero_es(limites.tamano // MIB)} MB)",
        )


def revisar_contenedor(ruta: Path, contenido: bytes, limites: Limites = LIMITES) -> Contenedor:
    """Revisa el paquete del libro antes de leerlo, sin descomprimir más que lo indispensable.

    Lanza ArchivoRechazado si es de un formato no admitido, está cifrado, no es un libro, es una
    bomba zip, trae macros, DTD o entidades XML, o está en formato Strict Open XML.
    """
    extension = ruta.suffix.lower()
    if extension not in EXTENSIONES_LEIBLES:
        raise ArchivoRechazado(Codigo.FORMATO_NO_ADMITIDO, extension=extension or "(sin extensión)")
    revisar_tamano(len(contenido), limites)
    if contenido.startswith(_FIRMA_OLE):
        if _CIFRADO_OLE in contenido:
            raise ArchivoRechazado(Codigo.ARCHIVO_CIFRADO)
        raise ArchivoRechazado(Codigo.FORMATO_NO_ADMITIDO, extension="Excel 97-2003 (.xls)")
    try:
        libro = zipfile.ZipFile(io.BytesIO(contenido))
        partes = libro.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_ILEGIBLE, motivo=DANADO, detalle=_tecnico(exc)
        ) from None
    _revisar_tamanos(partes, limites)
    nombres = {p.filename.lower() for p in partes}
    if any(n.startswith(_MACROS) for n in nombres):
        raise ArchivoRechazado(Codigo.ARCHIVO_CON_MACROS)
    if "xl/workbook.xml" not in nombres:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_ILEGIBLE,
            motivo="no es un libro de Excel (le falta la parte principal del libro)",
        )
    try:
        _revisar_dtd(libro, contenido, partes)
        contenedor = _leer_libro_xml(libro, contenido)
    except defusedxml.DefusedXmlException as exc:
        raise ArchivoRechazado(Codigo.XML_PELIGROSO, detalle=_tecnico(exc)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, DET.ParseError, zlib.error) as exc:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_ILEGIBLE, motivo=DANADO, detalle=_tecnico(exc)
        ) from None
    contenedor.limites = limites
    return contenedor


DANADO = "el archivo está dañado o incompleto"


def _tecnico(exc: BaseException) -> str:
    """Detalle técnico para el registro: la clase de la excepción, nunca su texto (puede traer datos)."""
    return type(exc).__name__


def _revisar_tamanos(partes: list[zipfile.ZipInfo], limites: Limites) -> None:
    if len(partes) > limites.partes:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_DEMASIADO_GRANDE,
            motivo=f"tiene {numero_es(len(partes))} partes internas",
        )
    total = sum(p.file_size for p in partes)
    if total > limites.descomprimido:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_DEMASIADO_GRANDE,
            motivo=f"ocupa {numero_es(total // MIB)} MB descomprimido (posible bomba zip)",
        )
    for p in partes:
        razon = p.file_size // max(p.compress_size, 1)
        if p.file_size > limites.parte or (p.file_size > MIB and razon > limites.razon):
            raise ArchivoRechazado(
                Codigo.ARCHIVO_DEMASIADO_GRANDE,
                motivo=f"tiene una parte que se expande {numero_es(razon)} veces hasta "
                f"{numero_es(p.file_size // MIB)} MB (posible bomba zip)",
            )


def _revisar_dtd(libro: zipfile.ZipFile, contenido: bytes, partes: list[zipfile.ZipInfo]) -> None:
    """Un DTD (entidades XML) solo puede ir en el prólogo: basta mirar hasta el primer elemento."""
    for p in partes:
        if p.filename.lower().endswith((".xml", ".rels", ".vml")):
            prologo = _prologo(libro, contenido, p)
            if prologo is None or _DTD.search(prologo):
                raise ArchivoRechazado(
                    Codigo.XML_PELIGROSO, detalle=f"DTD o entidades en {p.filename}"
                )


def _prologo(libro: zipfile.ZipFile, contenido: bytes, parte: zipfile.ZipInfo) -> bytes | None:
    """Lo que precede al primer elemento de una parte XML; None si no aparece en 64 KB."""
    inicio = leer_parte(libro, contenido, parte, 512)
    if not _ELEMENTO.search(inicio):
        inicio = leer_parte(libro, contenido, parte, PROLOGO_MAXIMO)
    if inicio.startswith((b"\xff\xfe", b"\xfe\xff")):
        inicio = inicio.decode("utf-16", errors="replace").encode()
    elemento = _ELEMENTO.search(inicio)
    if elemento is None:
        return None if len(inicio) >= PROLOGO_MAXIMO else inicio
    return inicio[: elemento.start()]


def leer_parte(
    libro: zipfile.ZipFile, contenido: bytes, parte: zipfile.ZipInfo, hasta: int | None = None
) -> bytes:
    """Descomprime una parte del zip (o sus primeros `hasta` bytes) sin pasar de su tamaño declarado.

    zlib directo sobre los bytes de la parte es varias veces más rápido que zipfile.read, que lee y
    descomprime en trozos desde Python; es la mitad del costo de mirar una hoja antes de leerla.
    """
    limite = parte.file_size if hasta is None else min(hasta, parte.file_size)
    if limite <= 0:
        return b""
    inicio = parte.header_offset
    if parte.flag_bits & 1 or contenido[inicio : inicio + 4] != b"PK\x03\x04":
        with libro.open(parte) as f:  # cifrada o rara: que zipfile decida (y lance si no puede)
            return f.read(limite)
    nombre, extra = struct.unpack_from("<HH", contenido, inicio + 26)
    datos = memoryview(contenido)[inicio + 30 + nombre + extra :][: parte.compress_size]
    if parte.compress_type == zipfile.ZIP_STORED:
        return bytes(datos[:limite])
    if parte.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompressobj(-15).decompress(datos, limite)
    with libro.open(parte) as f:
        return f.read(limite)


def _leer_libro_xml(libro: zipfile.ZipFile, contenido: bytes) -> Contenedor:
    """Sistema de fechas, hojas (nombre → parte) y hojas ocultas, de workbook.xml y sus relaciones."""
    contenedor = Contenedor(zip=libro, contenido=contenido)
    raiz = DET.fromstring(contenedor.parte("xl/workbook.xml"))
    if raiz.tag.startswith(f"{{{_STRICT}}}"):
        raise ArchivoRechazado(Codigo.ARCHIVO_STRICT)
    destinos = _relaciones(contenedor)
    ocultas = set()
    for elemento in raiz.iter():
        etiqueta = elemento.tag.rsplit("}", 1)[-1]
        if etiqueta == "workbookPr":
            contenedor.sistema_1904 = elemento.get("date1904", "false").lower() in ("1", "true")
        elif etiqueta == "sheet":
            nombre = elemento.get("name", "")
            relacion = elemento.get(_ID_RELACION, "")
            if relacion in destinos:
                contenedor.partes_hoja[nombre] = destinos[relacion]
            if elemento.get("state", "visible") != "visible":
                ocultas.add(nombre)
    contenedor.ocultas = frozenset(ocultas)
    return contenedor


def _relaciones(contenedor: Contenedor) -> dict[str, str]:
    xml = contenedor.parte("xl/_rels/workbook.xml.rels")
    if not xml:
        return {}
    existentes = {n.lower(): n for n in contenedor.zip.namelist()}
    destinos = {}
    for relacion in DET.fromstring(xml).iter(f"{{{_RELACIONES}}}Relationship"):
        destino = relacion.get("Target", "")
        destino = destino.lstrip("/") if destino.startswith("/") else f"xl/{destino}"
        destino = existentes.get(posixpath.normpath(destino).lower())
        if destino:
            destinos[relacion.get("Id", "")] = destino
    return destinos
