"""La copia anotada de un libro, escrita parchando su paquete OOXML (sin cargarlo con openpyxl).

Cada parte del libro de la dirección se copia byte a byte, salvo las que hay que tocar:
- `styles.xml`: se añaden los rellenos de las marcas como estilos nuevos (copia del estilo de la
  celda con otro relleno: conserva formato de fecha, bordes y desbloqueo) y los de la hoja `Errores`;
- las hojas con marcas: se recorren en flujo, fila por fila, cambiando `s=` en las celdas marcadas
  (y creando las que no existen); memoria acotada sea cual sea el tamaño de la hoja;
- comentarios: una parte de comentarios y su dibujo VML por hoja marcada, con sus relaciones;
- la hoja `Errores` al principio (libro, relaciones, tipos de contenido).

Una copia reenviada se reconoce por lo que deja el producto: su hoja `Errores`, los comentarios de
su autor y sus dos rellenos. Todo eso se quita antes de marcar de nuevo (§7.2).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from pipeline.normalizacion import clave

AUTOR = "Validación de asistencia técnica"
HOJA_ERRORES = "Errores"
# Colores propios del producto (no son de la paleta de Excel): así se reconocen al quitarlos.
COLOR_ERROR, COLOR_ADVERTENCIA = "FFFFA3A3", "FFFFF0A0"
SEPARADOR_ANTERIOR = "\n\n— Comentario anterior —\n"

_FRAGMENTO = 1 << 16
_NIVEL_ZIP = 1
_FILA_MAXIMA = 64 << 20  # bytes de una fila marcada que se leen de una vez
_PARTE_PEQUENA = 32 << 20  # estilos, libro, relaciones, comentarios: se leen enteros

_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = _NS_R
_T_HOJA = f"{_REL}/worksheet"
_T_COMENTARIOS = f"{_REL}/comments"
_T_VML = f"{_REL}/vmlDrawing"
_CT_HOJA = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_COMENTARIOS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_ILEGALES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class LibroNoAnotable(Exception):
    """El paquete no tiene la forma de un libro de Excel que se pueda anotar."""


@dataclass(frozen=True)
class Marca:
    """Lo que se pone en una celda: relleno de error o de advertencia y el texto del comentario."""

    error: bool
    comentario: str


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


# Estilos de la hoja `Errores`: (negrita, tamaño, color de letra, relleno, ajustar, subrayado).
_ESTILOS_HOJA = {
    "titulo": (True, 14, "FF1F3864", "", False, False),
    "etiqueta": (True, 11, "FF000000", "", False, False),
    "texto": (False, 11, "FF000000", "", False, False),
    "ajustado": (False, 11, "FF000000", "", True, False),
    "encabezado": (True, 11, "FFFFFFFF", "FF1F3864", True, False),
    "error": (True, 11, "FFC00000", "", False, False),
    "advertencia": (True, 11, "FF9C5700", "", False, False),
    "aceptado": (True, 11, "FF006100", "", False, False),
    "enlace": (False, 11, "FF0563C1", "", False, True),
}


def _limpio(valor: str) -> str:
    return _ILEGALES.sub("", valor)


def _texto_xml(valor: str) -> str:
    return escape(_limpio(valor))


def _atributo(valor: str) -> str:
    return quoteattr(_limpio(valor), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


# ------------------------------------------------------------------------------------------------
# Partes pequeñas: lectura y relaciones


def _leer(zf: zipfile.ZipFile, nombre: str) -> str:
    info = zf.getinfo(nombre)
    if info.file_size > _PARTE_PEQUENA:
        raise LibroNoAnotable(f"la parte {nombre} es demasiado grande")
    return zf.read(info).decode("utf-8")


def _ruta_rels(parte: str) -> str:
    p = PurePosixPath(parte)
    return str(p.parent / "_rels" / f"{p.name}.rels")


def _destino_rel(parte: str, objetivo: str) -> str:
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


def _atributos(texto: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATRIBUTO.finditer(texto)
    }


def _relaciones(zf: zipfile.ZipFile, parte: str) -> list[dict[str, str]]:
    ruta = _ruta_rels(parte)
    try:
        zf.getinfo(ruta)
    except KeyError:
        return []
    return [_atributos(m.group(1)) for m in _RELACION.finditer(_leer(zf, ruta))]


def _nuevo_id(existentes: set[str]) -> str:
    n = len(existentes) + 1
    while f"rId{n}" in existentes:
        n += 1
    return f"rId{n}"


def _nombre_libre(nombres: set[str], patron: str) -> str:
    n = 1
    while patron.format(n) in nombres:
        n += 1
    nombre = patron.format(n)
    nombres.add(nombre)
    return nombre


def _quitar_relaciones(texto: str, ids: set[str]) -> str:
    def quitar(m: re.Match) -> str:
        return "" if _atributos(m.group(1)).get("Id") in ids else m.group(0)

    return _RELACION.sub(quitar, texto)


def _agregar_relaciones(texto: str, nuevas: list[tuple[str, str, str]]) -> str:
    bloque = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target={_atributo(o)}/>' for i, t, o in nuevas
    )
    return re.sub(r"(</(?:\w+:)?Relationships>)", lambda m: bloque + m.group(1), texto, count=1)


def _rels_vacias() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        "</Relationships>"
    )


# ------------------------------------------------------------------------------------------------
# Libro: hojas, hoja Errores previa, nombres definidos


@dataclass
class _Hoja:
    nombre: str
    parte: str
    rid: str


_HOJA_LIBRO = re.compile(r"<(?:\w+:)?sheet\b([^>]*?)/>", re.S)


def _hojas(libro: str, rels: list[dict[str, str]]) -> list[_Hoja]:
    objetivos = {r.get("Id"): r for r in rels}
    hojas = []
    for m in _HOJA_LIBRO.finditer(libro):
        a = _atributos(m.group(1))
        rid = next((v for k, v in a.items() if k.endswith(":id")), "")
        rel = objetivos.get(rid)
        if rel is None or not rel.get("Type", "").endswith("/worksheet"):
            hojas.append(_Hoja(_desescapar(a.get("name", "")), "", rid))
            continue
        hojas.append(
            _Hoja(
                _desescapar(a.get("name", "")), _destino_rel("xl/workbook.xml", rel["Target"]), rid
            )
        )
    return hojas


def _desescapar(valor: str) -> str:
    return (
        valor.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )  # fmt: skip


_NOMBRE_DEFINIDO = re.compile(
    r"<((?:\w+:)?)definedName\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?definedName>)", re.S
)


def _ajustar_libro(libro: str, indice_previa: int | None, rid_nueva: str, sheet_id: int) -> str:
    """Quita la hoja Errores previa, pone la nueva primera y corre los `localSheetId`."""

    def nombre(m: re.Match) -> str:
        a = _atributos(m.group(2))
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
    nueva = f'<{p}sheet name="{HOJA_ERRORES}" sheetId="{sheet_id}" xmlns:r="{_NS_R}" r:id="{rid_nueva}"/>'
    libro = re.sub(r"(<(?:\w+:)?sheets\b[^>]*>)", lambda m: m.group(1) + nueva, libro, count=1)
    # La hoja Errores es la que se ve al abrir.
    libro = re.sub(r'\s(?:activeTab|firstSheet)="\d+"', "", libro)
    return re.sub(r"(<(?:\w+:)?workbookView\b)", r'\1 activeTab="0"', libro)


# ------------------------------------------------------------------------------------------------
# Estilos


_SECCION = "<(?P<p>(?:\\w+:)?){0}\\b(?P<a>[^>]*?)(?:/>|>(?P<c>.*?)</(?:\\w+:)?{0}>)"


def _seccion(estilos: str, nombre: str) -> re.Match | None:
    return re.search(_SECCION.format(nombre), estilos, re.S)


def _elementos(contenido: str, nombre: str) -> list[str]:
    patron = rf"<(?:\w+:)?{nombre}\b[^>]*?(?:/>|>.*?</(?:\w+:)?{nombre}>)"
    return re.findall(patron, contenido or "", re.S)


class _Estilos:
    """styles.xml con los rellenos y estilos que añade la copia; se escribe al final."""

    def __init__(self, texto: str) -> None:
        self.texto = _quitar_rellenos_propios(texto)
        raiz = re.search(r"<(\w+:)?styleSheet\b", self.texto)
        self.p = (raiz.group(1) or "") if raiz else ""
        self.fuentes = _elementos(self._contenido("fonts"), "font")
        self.rellenos = _elementos(self._contenido("fills"), "fill")
        self.xfs = _elementos(self._contenido("cellXfs"), "xf")
        self.nuevas_fuentes: list[str] = []
        self.nuevos_rellenos: list[str] = []
        self.nuevos_xfs: list[str] = []
        self._marcas: dict[tuple[int, bool], int] = {}
        self._relleno_marca: dict[bool, int] = {}
        self.hoja: dict[str, int] = {}

    def _contenido(self, nombre: str) -> str:
        m = _seccion(self.texto, nombre)
        return (m.group("c") or "") if m else ""

    def _fuente(self, xml: str) -> int:
        self.nuevas_fuentes.append(xml)
        return len(self.fuentes) + len(self.nuevas_fuentes) - 1

    def _relleno(self, color: str) -> int:
        p = self.p
        self.nuevos_rellenos.append(
            f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{color}"/>'
            f'<{p}bgColor indexed="64"/></{p}patternFill></{p}fill>'
        )
        return len(self.rellenos) + len(self.nuevos_rellenos) - 1

    def _xf(self, xml: str) -> int:
        self.nuevos_xfs.append(xml)
        return len(self.xfs) + len(self.nuevos_xfs) - 1

    def marca(self, original: int, error: bool) -> int:
        """El estilo de una celda marcada: el suyo con el relleno de error o de advertencia."""
        llave = (original, error)
        if llave not in self._marcas:
            if error not in self._relleno_marca:
                self._relleno_marca[error] = self._relleno(
                    COLOR_ERROR if error else COLOR_ADVERTENCIA
                )
            relleno = self._relleno_marca[error]
            base = self.xfs[original] if 0 <= original < len(self.xfs) else f"<{self.p}xf/>"
            self._marcas[llave] = self._xf(_con_relleno(base, relleno))
        return self._marcas[llave]

    def estilos_hoja(self) -> dict[str, int]:
        """Los estilos con nombre de la hoja `Errores` (se crean una vez)."""
        if not self.hoja:
            p = self.p
            for nombre, (negrita, tam, color, fondo, ajustar, subrayado) in _ESTILOS_HOJA.items():
                fuente = self._fuente(
                    f"<{p}font>{f'<{p}b/>' if negrita else ''}{f'<{p}u/>' if subrayado else ''}"
                    f'<{p}sz val="{tam}"/><{p}color rgb="{color}"/><{p}name val="Calibri"/>'
                    f'<{p}family val="2"/></{p}font>'
                )
                relleno = self._relleno(fondo) if fondo else 0
                ajuste = ' wrapText="1"' if ajustar else ""
                alineacion = f'<{p}alignment vertical="top"{ajuste}/>'
                self.hoja[nombre] = self._xf(
                    f'<{p}xf numFmtId="0" fontId="{fuente}" fillId="{relleno}" borderId="0" '
                    f'xfId="0" applyFont="1" applyFill="1" applyAlignment="1">{alineacion}</{p}xf>'
                )
        return self.hoja

    def xml(self) -> bytes:
        """styles.xml con lo añadido al final de cada lista y sus `count` al día."""
        texto = self.texto
        for nombre, actuales, nuevos in (
            ("fonts", self.fuentes, self.nuevas_fuentes),
            ("fills", self.rellenos, self.nuevos_rellenos),
            ("cellXfs", self.xfs, self.nuevos_xfs),
        ):
            if nuevos:
                texto = _ampliar(texto, nombre, self.p, len(actuales) + len(nuevos), nuevos)
        return texto.encode("utf-8")


def _ampliar(texto: str, nombre: str, p: str, total: int, nuevos: list[str]) -> str:
    m = _seccion(texto, nombre)
    if m is None:
        raise LibroNoAnotable(f"styles.xml sin {nombre}")
    atributos = re.sub(r'\s*count="\d*"', "", m.group("a"))
    bloque = f'<{m.group("p")}{nombre} count="{total}"{atributos}>{m.group("c") or ""}'
    bloque += "".join(nuevos) + f"</{m.group('p')}{nombre}>"
    return texto[: m.start()] + bloque + texto[m.end() :]


def _con_relleno(xf: str, relleno: int) -> str:
    inicio = re.match(r"<((?:\w+:)?)xf\b([^>]*?)(/?)>", xf, re.S)
    if inicio is None:
        return xf
    atributos = re.sub(r'\s(?:fillId|applyFill)="[^"]*"', "", inicio.group(2))
    nuevo = f'<{inicio.group(1)}xf{atributos} fillId="{relleno}" applyFill="1"{inicio.group(3)}>'
    return nuevo + xf[inicio.end() :]


_RELLENO_PROPIO = re.compile(
    r"<((?:\w+:)?)fill>\s*<(?:\w+:)?patternFill\b[^>]*>\s*<(?:\w+:)?fgColor\s+rgb=\"(?:"
    + COLOR_ERROR
    + "|"
    + COLOR_ADVERTENCIA
    + r")\"\s*/>.*?</(?:\w+:)?fill>",
    re.S | re.I,
)


def _quitar_rellenos_propios(estilos: str) -> str:
    """Las marcas de una copia anterior vuelven a «sin relleno» (mismo índice: las celdas no cambian)."""
    return _RELLENO_PROPIO.sub(
        lambda m: (
            f'<{m.group(1)}fill><{m.group(1)}patternFill patternType="none"/></{m.group(1)}fill>'
        ),
        estilos,
    )


# ------------------------------------------------------------------------------------------------
# Hojas en flujo


class _Flujo:
    """Lee una parte del zip por fragmentos y escribe lo que ya no hay que mirar (memoria acotada).

    Las posiciones de las coincidencias son del búfer actual; `pos` marca lo ya escrito o consumido.
    El búfer solo se compacta al leer otro fragmento, así recorrer una hoja larga no copia de más.
    """

    def __init__(self, origen: BinaryIO, destino: BinaryIO) -> None:
        self.origen, self.destino = origen, destino
        self.buf = b""
        self.pos = 0
        self.fin = False

    def _llenar(self) -> None:
        trozo = self.origen.read(_FRAGMENTO)
        if trozo:
            self.buf = self.buf[self.pos :] + trozo
            self.pos = 0
        else:
            self.fin = True

    def buscar(self, patron: re.Pattern[bytes], copiar: bool = True) -> re.Match[bytes] | None:
        """Busca `patron` desde `pos`; lo anterior se escribe (si `copiar`) y se da por consumido."""
        while True:
            m = patron.search(self.buf, self.pos)
            if m is not None:
                if copiar:
                    self.destino.write(self.buf[self.pos : m.start()])
                    self.pos = m.start()
                return m
            if self.fin:
                return None
            corte = self.buf.rfind(b"<", self.pos)
            if copiar and corte > self.pos:
                self.destino.write(self.buf[self.pos : corte])
                self.pos = corte
            elif len(self.buf) - self.pos > _FILA_MAXIMA:
                raise LibroNoAnotable("una fila o etiqueta de la hoja es desmedida")
            self._llenar()

    def consumir(self, hasta: int) -> bytes:
        """Lo que hay entre `pos` y `hasta` (posición del búfer), que sale del flujo."""
        trozo, self.pos = self.buf[self.pos : hasta], hasta
        return trozo

    def copiar_resto(self) -> None:
        self.destino.write(self.buf[self.pos :])
        self.buf, self.pos = b"", 0
        while trozo := self.origen.read(_FRAGMENTO):
            self.destino.write(trozo)


_HASTA_DATOS = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_FILA_O_FIN = re.compile(rb"<(/?)((?:\w+:)?)(row|sheetData)\b([^>]*?)(/?)>")
_FIN_FILA = re.compile(rb"</(?:\w+:)?row>")
_FIN_DATOS = re.compile(rb"</(?:\w+:)?sheetData>")
_CELDA = re.compile(rb"<((?:\w+:)?)c\b([^>]*?)(/?)>")
_FIN_CELDA = re.compile(rb"</(?:\w+:)?c>")
_R = re.compile(rb'\sr="([^"]*)"')
_S = re.compile(rb'\ss="(\d*)"')
_COLUMNA = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_SELECCIONADA = re.compile(rb'\stabSelected="(?:1|true)"')
_COLA = re.compile(
    rb"<(/?)(?:\w+:)?(legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|"
    rb"tableParts|extLst|worksheet)\b[^>]*?(/?)>"
)


@dataclass
class _MarcasHoja:
    celdas: dict[int, dict[int, Marca]]  # fila → columna → marca (base 1)
    rid_vml: str = ""


def _copiar_hoja(
    origen: BinaryIO, destino: BinaryIO, estilos: _Estilos, marcas: _MarcasHoja | None
) -> None:
    """Copia una hoja; si tiene marcas, cambia sus estilos y le pone el dibujo de comentarios."""
    flujo = _Flujo(origen, destino)
    m = flujo.buscar(_HASTA_DATOS, copiar=False)
    if m is None:
        flujo.copiar_resto()  # no es una hoja de datos normal: se copia tal cual
        return
    cabeza = flujo.consumir(m.start())
    if len(cabeza) > _FILA_MAXIMA:
        raise LibroNoAnotable("encabezado de hoja desmedido")
    # La hoja Errores es la seleccionada: ninguna otra queda agrupada con ella.
    destino.write(_SELECCIONADA.sub(b"", cabeza))
    if marcas is None:
        flujo.copiar_resto()
        return
    estilos_columna = _estilos_columnas(cabeza)
    etiqueta = flujo.consumir(m.end())
    p = re.match(rb"<((?:\w+:)?)", etiqueta).group(1)
    pendientes = sorted(marcas.celdas)
    if m.group(1):  # <sheetData/>
        destino.write(etiqueta[:-2] + b">")
        destino.write(_filas_nuevas(pendientes, marcas, estilos, estilos_columna, p))
        destino.write(b"</" + p + b"sheetData>")
    else:
        destino.write(etiqueta)
        _copiar_filas(flujo, pendientes, marcas, estilos, estilos_columna)
    _poner_dibujo(flujo, marcas.rid_vml)


def _estilos_columnas(cabeza: bytes) -> dict[int, int]:
    resultado: dict[int, int] = {}
    for m in _COLUMNA.finditer(cabeza):
        a = _atributos(m.group(1).decode("utf-8", "replace"))
        if a.get("style", "").isdigit() and a.get("min", "").isdigit():
            minimo, maximo = int(a["min"]), int(a.get("max") or a["min"])
            for columna in range(minimo, min(maximo, minimo + 16_384) + 1):
                resultado[columna] = int(a["style"])
    return resultado


def _copiar_filas(
    flujo: _Flujo,
    pendientes: list[int],
    marcas: _MarcasHoja,
    estilos: _Estilos,
    por_columna: dict[int, int],
) -> None:
    anterior = 0
    while True:
        if not pendientes:  # nada más que marcar: el resto de las filas pasa sin mirarlas
            if flujo.buscar(_FIN_DATOS) is None:
                raise LibroNoAnotable("hoja sin cierre de sheetData")
            return
        m = flujo.buscar(_FILA_O_FIN)
        if m is None:
            raise LibroNoAnotable("hoja sin cierre de sheetData")
        p = m.group(2)
        if m.group(3) == b"sheetData":  # </sheetData>
            flujo.destino.write(_filas_nuevas(pendientes, marcas, estilos, por_columna, p))
            pendientes.clear()
            return
        r = _R.search(m.group(4))
        fila = int(r.group(1)) if r and r.group(1).isdigit() else anterior + 1
        anterior = fila
        antes = [f for f in pendientes if f < fila]
        if antes:
            flujo.destino.write(_filas_nuevas(antes, marcas, estilos, por_columna, p))
            del pendientes[: len(antes)]
        if pendientes and pendientes[0] == fila:
            pendientes.pop(0)
            _marcar_fila(flujo, m, fila, marcas.celdas[fila], estilos, por_columna)
        elif m.group(5):
            flujo.destino.write(flujo.consumir(m.end()))
        else:
            flujo.destino.write(flujo.consumir(m.end()))
            fin = flujo.buscar(_FIN_FILA)
            if fin is None:
                raise LibroNoAnotable("fila sin cierre")
            flujo.destino.write(flujo.consumir(fin.end()))


def _marcar_fila(
    flujo: _Flujo,
    inicio: re.Match[bytes],
    fila: int,
    celdas: dict[int, Marca],
    estilos: _Estilos,
    por_columna: dict[int, int],
) -> None:
    etiqueta = flujo.consumir(inicio.end())
    p = inicio.group(2)
    s_fila = _S.search(inicio.group(4))
    base_fila = int(s_fila.group(1)) if s_fila and b'customFormat="1"' in inicio.group(4) else None
    if inicio.group(5):  # <row …/>
        flujo.destino.write(etiqueta[:-2] + b">")
        flujo.destino.write(_celdas_nuevas(fila, celdas, estilos, por_columna, base_fila, p))
        flujo.destino.write(b"</" + p + b"row>")
        return
    fin = flujo.buscar(_FIN_FILA, copiar=False)
    if fin is None:
        raise LibroNoAnotable("fila sin cierre")
    contenido = flujo.consumir(fin.start())
    cierre = flujo.consumir(fin.end())
    flujo.destino.write(etiqueta)
    flujo.destino.write(_marcar_celdas(contenido, fila, celdas, estilos, por_columna, base_fila, p))
    flujo.destino.write(cierre)


def _marcar_celdas(
    contenido: bytes,
    fila: int,
    celdas: dict[int, Marca],
    estilos: _Estilos,
    por_columna: dict[int, int],
    base_fila: int | None,
    p: bytes,
) -> bytes:
    faltan = dict(celdas)
    salida: list[bytes] = []
    pos, columna = 0, 0
    for m in _CELDA.finditer(contenido):
        r = _R.search(m.group(2))
        if r:
            _, col0 = xl_cell_to_rowcol(r.group(1).decode("ascii", "replace"))
            columna = col0 + 1
        else:
            columna += 1
        antes = sorted(c for c in faltan if c < columna)
        salida.append(contenido[pos : m.start()])
        if antes:
            salida.append(
                _celdas_nuevas(
                    fila, {c: faltan.pop(c) for c in antes}, estilos, por_columna, base_fila, p
                )
            )
        pos = m.start()
        marca = faltan.pop(columna, None)
        if marca is not None:
            s = _S.search(m.group(2))
            original = int(s.group(1)) if s and s.group(1) else 0
            nuevo = estilos.marca(original, marca.error)
            atributos = _S.sub(b"", m.group(2)) + b' s="%d"' % nuevo
            salida.append(b"<" + m.group(1) + b"c" + atributos + m.group(3) + b">")
            pos = m.end()
    salida.append(contenido[pos:])
    if faltan:
        salida.append(_celdas_nuevas(fila, faltan, estilos, por_columna, base_fila, p))
    return b"".join(salida)


def _celdas_nuevas(
    fila: int,
    celdas: dict[int, Marca],
    estilos: _Estilos,
    por_columna: dict[int, int],
    base_fila: int | None,
    p: bytes,
) -> bytes:
    partes = []
    for columna in sorted(celdas):
        original = base_fila if base_fila is not None else por_columna.get(columna, 0)
        s = estilos.marca(original, celdas[columna].error)
        ref = xl_rowcol_to_cell(fila - 1, columna - 1).encode("ascii")
        partes.append(b"<" + p + b'c r="' + ref + b'" s="%d"/>' % s)
    return b"".join(partes)


def _filas_nuevas(
    filas: list[int],
    marcas: _MarcasHoja,
    estilos: _Estilos,
    por_columna: dict[int, int],
    p: bytes,
) -> bytes:
    return b"".join(
        b'<' + p + b'row r="%d">' % fila
        + _celdas_nuevas(fila, marcas.celdas[fila], estilos, por_columna, None, p)
        + b"</" + p + b"row>"
        for fila in filas
    )  # fmt: skip


def _poner_dibujo(flujo: _Flujo, rid: str) -> None:
    """Escribe el resto de la hoja con `<legacyDrawing>` en su lugar (o en lugar del que había)."""
    nuevo = f'<legacyDrawing xmlns:r="{_NS_R}" r:id="{rid}"/>'.encode() if rid else b""
    profundidad = 0
    while True:
        m = flujo.buscar(_COLA)
        if m is None:
            raise LibroNoAnotable("hoja sin cierre de worksheet")
        cierre, nombre, sola = m.group(1), m.group(2), m.group(3)
        if nombre == b"worksheet":
            flujo.destino.write(nuevo)
            flujo.copiar_resto()
            return
        if profundidad == 0 and nombre == b"legacyDrawing" and not cierre:
            # El dibujo anterior se reemplaza: el nuevo lleva todos los comentarios.
            flujo.consumir(m.end())
            if not sola:
                fin = flujo.buscar(re.compile(rb"</(?:\w+:)?legacyDrawing>"), copiar=False)
                if fin is None:
                    raise LibroNoAnotable("legacyDrawing sin cierre")
                flujo.consumir(fin.end())
            flujo.destino.write(nuevo)
            flujo.copiar_resto()
            return
        if profundidad == 0 and not cierre:
            flujo.destino.write(nuevo)
            flujo.copiar_resto()
            return
        flujo.destino.write(flujo.consumir(m.end()))
        if not sola:
            profundidad += -1 if cierre else 1


def _superior_izquierda(
    celda: tuple[int, int], rangos: list[tuple[int, int, int, int]]
) -> tuple[int, int]:
    """Una celda dentro de un rango combinado se anota en la superior izquierda (la visible)."""
    fila, columna = celda
    for f1, c1, f2, c2 in rangos:
        if f1 <= fila <= f2 and c1 <= columna <= c2:
            return f1, c1
    return fila, columna


# ------------------------------------------------------------------------------------------------
# Comentarios y su dibujo VML


@dataclass
class _Comentario:
    ref: str
    autor: str
    texto: str


_COMENTARIO = re.compile(r"<(?:\w+:)?comment\b([^>]*)>(.*?)</(?:\w+:)?comment>", re.S)
_AUTOR = re.compile(r"<(?:\w+:)?author>(.*?)</(?:\w+:)?author>|<(?:\w+:)?author/>", re.S)
_T = re.compile(r"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)


def _comentarios_previos(texto: str) -> list[_Comentario]:
    """Los comentarios de la dirección; los del producto se quitan (y lo que guardaban se recupera)."""
    autores = [_desescapar(m.group(1) or "") for m in _AUTOR.finditer(texto)]
    resultado = []
    for m in _COMENTARIO.finditer(texto):
        a = _atributos(m.group(1))
        indice = int(a.get("authorId", "0") or 0)
        autor = autores[indice] if 0 <= indice < len(autores) else ""
        contenido = _desescapar("".join(_T.findall(m.group(2))))
        if autor == AUTOR:
            if SEPARADOR_ANTERIOR not in contenido:
                continue
            autor, contenido = "", contenido.split(SEPARADOR_ANTERIOR, 1)[1]
        resultado.append(_Comentario(a.get("ref", ""), autor, contenido))
    return resultado


def _xml_comentarios(comentarios: list[_Comentario]) -> bytes:
    autores = list(dict.fromkeys(c.autor for c in comentarios))
    cuerpo = "".join(
        f'<comment ref="{c.ref}" authorId="{autores.index(c.autor)}"><text><r><rPr><sz val="9"/>'
        f'<rFont val="Tahoma"/><family val="2"/></rPr><t xml:space="preserve">{_texto_xml(c.texto)}'
        "</t></r></text></comment>"
        for c in comentarios
    )
    lista_autores = "".join(f"<author>{_texto_xml(a)}</author>" for a in autores)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<authors>{lista_autores}</authors><commentList>{cuerpo}</commentList></comments>"
    ).encode()


def _xml_vml(comentarios: list[_Comentario], bloque: int) -> bytes:
    formas = []
    for i, c in enumerate(comentarios, start=1):
        fila, columna = xl_cell_to_rowcol(c.ref)
        lineas = min(30, 2 + len(c.texto) // 40 + c.texto.count("\n"))
        formas.append(
            f'<v:shape id="_x0000_s{bloque * 1024 + i}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:80pt;margin-top:2pt;width:260pt;'
            f'height:{12 * lineas}pt;z-index:{i};visibility:hidden" fillcolor="#ffffe1" '
            'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" '
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


# ------------------------------------------------------------------------------------------------
# La hoja Errores


def _xml_hoja(hoja: HojaNueva, estilos: dict[str, int]) -> bytes:
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
                    f'<hyperlink ref="{ref}" location={_atributo(celda.vinculo)} '
                    f"display={_atributo(celda.texto)}/>"
                )
            s = estilos.get(celda.estilo, estilos["texto"])
            if celda.texto:
                contenido.append(
                    f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_texto_xml(celda.texto)}</t></is></c>"
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


# ------------------------------------------------------------------------------------------------
# El paquete completo


def _tipos(texto: str, agregar: list[tuple[str, str]], quitar: set[str], vml: bool) -> str:
    texto = re.sub(
        r"<(?:\w+:)?Override\b[^>]*?PartName=\"([^\"]*)\"[^>]*?/>",
        lambda m: "" if m.group(1).lstrip("/") in quitar else m.group(0),
        texto,
    )
    bloque = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in agregar)
    if vml and not re.search(r'Extension="vml"', texto, re.I):
        bloque = f'<Default Extension="vml" ContentType="{_CT_VML}"/>' + bloque
    return re.sub(r"(</(?:\w+:)?Types>)", lambda m: bloque + m.group(1), texto, count=1)


def _hoja_de(hojas: list[_Hoja], nombre: str) -> _Hoja | None:
    exacta = next((h for h in hojas if h.nombre == nombre and h.parte), None)
    if exacta is not None:
        return exacta
    objetivo = clave(nombre)
    return next((h for h in hojas if clave(h.nombre) == objetivo and h.parte), None)


def anotar(
    origen: BinaryIO,
    destino: zipfile.ZipFile,
    marcas: dict[str, dict[str, Marca]],
    hoja: HojaNueva,
    fecha_zip: tuple[int, int, int, int, int, int],
) -> set[tuple[str, str]]:
    """Escribe en `destino` la copia anotada del libro `origen`; devuelve las celdas marcadas.

    `marcas`: nombre de hoja → referencia A1 → marca. Las hojas o celdas que no existen se
    omiten (el problema sigue en la hoja `Errores`). Lanza LibroNoAnotable si el paquete no
    tiene la forma de un libro.
    """
    with zipfile.ZipFile(origen) as zf:
        return _Anotador(zf, destino, fecha_zip).anotar(marcas, hoja)


class _Anotador:
    def __init__(self, zf: zipfile.ZipFile, destino: zipfile.ZipFile, fecha_zip) -> None:
        self.zf, self.destino, self.fecha = zf, destino, fecha_zip
        self.originales = frozenset(zf.namelist())

    def anotar(self, marcas: dict[str, dict[str, Marca]], hoja: HojaNueva) -> set[tuple[str, str]]:
        zf = self.zf
        originales = self.originales
        nombres = set(originales)  # también las partes nuevas, para no repetir nombres
        if "xl/workbook.xml" not in nombres or "[Content_Types].xml" not in nombres:
            raise LibroNoAnotable("no es un libro de Excel")
        libro = _leer(zf, "xl/workbook.xml")
        rels_libro = _relaciones(zf, "xl/workbook.xml")
        hojas = _hojas(libro, rels_libro)
        estilos_parte = next(
            (_destino_rel("xl/workbook.xml", r["Target"]) for r in rels_libro
             if r.get("Type", "").endswith("/styles")), None,
        )  # fmt: skip
        if estilos_parte is None or estilos_parte not in originales:
            raise LibroNoAnotable("el libro no tiene estilos")
        estilos = _Estilos(_leer(zf, estilos_parte))
        quitar: set[str] = set()
        texto_rels_libro = _leer(zf, _ruta_rels("xl/workbook.xml"))

        # La hoja Errores de una copia anterior sale del libro.
        previa = next((i for i, h in enumerate(hojas) if h.nombre == HOJA_ERRORES), None)
        if previa is not None:
            h = hojas.pop(previa)
            texto_rels_libro = _quitar_relaciones(texto_rels_libro, {h.rid})
            if h.parte:
                quitar |= {h.parte, _ruta_rels(h.parte)}

        por_parte: dict[str, _MarcasHoja] = {}
        marcadas: set[tuple[str, str]] = set()
        for nombre_hoja, celdas in marcas.items():
            h = _hoja_de(hojas, nombre_hoja)
            if h is None or h.parte not in originales:
                continue
            destino = por_parte.setdefault(h.parte, _MarcasHoja({}))
            rangos = _combinadas(zf, h.parte)
            for ref, marca in celdas.items():
                fila, columna = _superior_izquierda(xl_cell_to_rowcol(ref), rangos)
                en_fila = destino.celdas.setdefault(fila + 1, {})
                previa_marca = en_fila.get(columna + 1)
                if previa_marca is not None:  # dos celdas de un mismo rango combinado
                    marca = Marca(
                        marca.error or previa_marca.error,
                        f"{previa_marca.comentario}\n\n{marca.comentario}",
                    )
                en_fila[columna + 1] = marca
                marcadas.add((nombre_hoja, ref))

        # Una hoja sin marcas nuevas pero con comentarios del producto también se limpia.
        for h in hojas:
            if h.parte in originales and h.parte not in por_parte and self._tiene_propios(h.parte):
                por_parte[h.parte] = _MarcasHoja({})

        agregar_tipos: list[tuple[str, str]] = []
        nuevas_partes: dict[str, bytes] = {}
        for bloque, (parte, m) in enumerate(sorted(por_parte.items()), start=1):
            agregar_tipos += self._comentarios(parte, m, nombres, nuevas_partes, quitar, bloque)

        # La hoja Errores nueva.
        parte_errores = _nombre_libre(nombres, "xl/worksheets/sheet{}.xml")
        ids = {r.get("Id", "") for r in rels_libro}
        rid = _nuevo_id(ids)
        objetivo = "/" + parte_errores
        texto_rels_libro = _agregar_relaciones(texto_rels_libro, [(rid, _T_HOJA, objetivo)])
        sheet_ids = [int(x) for x in re.findall(r'sheetId="(\d+)"', libro)]
        libro = _ajustar_libro(libro, previa, rid, max(sheet_ids, default=0) + 1)
        nuevas_partes[parte_errores] = _xml_hoja(hoja, estilos.estilos_hoja())
        agregar_tipos.append((parte_errores, _CT_HOJA))
        tipos = _tipos(_leer(zf, "[Content_Types].xml"), agregar_tipos, quitar, bool(por_parte))

        reemplazos = {
            "[Content_Types].xml": tipos.encode("utf-8"),
            "xl/workbook.xml": libro.encode("utf-8"),
            _ruta_rels("xl/workbook.xml"): texto_rels_libro.encode("utf-8"),
            **nuevas_partes,
        }
        partes_hojas = {h.parte for h in hojas}
        for info in zf.infolist():
            nombre = info.filename
            if nombre in quitar or nombre == estilos_parte:
                continue
            if nombre in reemplazos:
                self._escribir(nombre, reemplazos.pop(nombre))
                continue
            with zf.open(info) as entrada, self._abrir(nombre) as salida:
                if nombre in partes_hojas:
                    _copiar_hoja(entrada, salida, estilos, por_parte.get(nombre))
                else:
                    while trozo := entrada.read(_FRAGMENTO):
                        salida.write(trozo)
        for nombre, contenido in reemplazos.items():  # las partes nuevas
            self._escribir(nombre, contenido)
        self._escribir(estilos_parte, estilos.xml())
        return marcadas

    def _tiene_propios(self, parte: str) -> bool:
        """Si la hoja tiene comentarios escritos por el producto (una copia reenviada)."""
        for r in _relaciones(self.zf, parte):
            destino = _destino_rel(parte, r.get("Target", ""))
            es_comentario = r.get("Type") == _T_COMENTARIOS and destino in self.originales
            if es_comentario and escape(AUTOR) in _leer(self.zf, destino):
                return True
        return False

    def _comentarios(
        self,
        parte: str,
        marcas: _MarcasHoja,
        nombres: set[str],
        nuevas: dict[str, bytes],
        quitar: set[str],
        bloque: int,
    ) -> list[tuple[str, str]]:
        """Comentarios y VML de una hoja marcada: los de la dirección más los del producto."""
        rels = _relaciones(self.zf, parte)
        ruta_rels = _ruta_rels(parte)
        existe = ruta_rels in self.originales
        texto_rels = _leer(self.zf, ruta_rels) if existe else _rels_vacias()
        previos: list[_Comentario] = []
        viejos = {r.get("Id", "") for r in rels if r.get("Type") in (_T_COMENTARIOS, _T_VML)}
        for r in rels:
            destino = _destino_rel(parte, r.get("Target", ""))
            if r.get("Type") == _T_COMENTARIOS and destino in self.originales:
                previos = _comentarios_previos(_leer(self.zf, destino))
            if r.get("Id") in viejos and destino in self.originales:
                quitar.add(destino)
        texto_rels = _quitar_relaciones(texto_rels, viejos)
        por_celda = {c.ref: c for c in previos}
        for fila, columnas in marcas.celdas.items():
            for columna, marca in columnas.items():
                ref = xl_rowcol_to_cell(fila - 1, columna - 1)
                anterior = por_celda.get(ref)
                texto = marca.comentario
                if anterior is not None and anterior.texto:
                    texto += SEPARADOR_ANTERIOR + anterior.texto
                por_celda[ref] = _Comentario(ref, AUTOR, texto)
        comentarios = sorted(por_celda.values(), key=lambda c: xl_cell_to_rowcol(c.ref))
        if not comentarios:  # solo había comentarios del producto: la hoja queda sin dibujo
            nuevas[ruta_rels] = texto_rels.encode("utf-8")
            marcas.rid_vml = ""
            return []
        parte_comentarios = _nombre_libre(nombres, "xl/comments{}.xml")
        parte_vml = _nombre_libre(nombres, "xl/drawings/vmlDrawing{}.vml")
        ids = {r.get("Id", "") for r in rels}
        rid_c = _nuevo_id(ids)
        rid_v = _nuevo_id(ids | {rid_c})
        marcas.rid_vml = rid_v
        texto_rels = _agregar_relaciones(
            texto_rels,
            [(rid_c, _T_COMENTARIOS, "/" + parte_comentarios), (rid_v, _T_VML, "/" + parte_vml)],
        )
        nuevas[parte_comentarios] = _xml_comentarios(comentarios)
        nuevas[parte_vml] = _xml_vml(comentarios, bloque)
        nuevas[ruta_rels] = texto_rels.encode("utf-8")
        return [(parte_comentarios, _CT_COMENTARIOS)]

    def _info(self, nombre: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(nombre, date_time=self.fecha)
        info.compress_type = zipfile.ZIP_DEFLATED
        # Compresión rápida: la copia se escribe en milisegundos y pesa poco más que el original.
        # (ZipFile.open(…, "w") no recibe el nivel: solo lo toma de la ZipInfo.)
        info._compresslevel = _NIVEL_ZIP
        info.external_attr = 0o600 << 16
        return info

    def _escribir(self, nombre: str, contenido: bytes) -> None:
        self.destino.writestr(self._info(nombre), contenido)

    def _abrir(self, nombre: str):
        return self.destino.open(self._info(nombre), "w", force_zip64=True)


_COMBINADA = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?ref="([A-Z]+\d+):([A-Z]+\d+)"')


def _combinadas(zf: zipfile.ZipFile, parte: str) -> list[tuple[int, int, int, int]]:
    """Rangos combinados de una hoja (fila1, col1, fila2, col2, base 0), leídos en flujo."""
    rangos: list[tuple[int, int, int, int]] = []
    with zf.open(parte) as f:
        resto = b""
        while trozo := f.read(_FRAGMENTO):
            bloque = resto + trozo
            fin = bloque.rfind(b"<")
            fin = fin if fin > 0 else len(bloque)
            for m in _COMBINADA.finditer(bloque, 0, fin):
                uno, dos = (xl_cell_to_rowcol(x.decode()) for x in m.groups())
                rangos.append((*uno, *dos))
                if len(rangos) > 100_000:
                    return rangos
            resto = bloque[fin:]
    return rangos
