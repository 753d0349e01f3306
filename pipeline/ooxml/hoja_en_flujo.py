"""Una hoja recorrida en flujo, fila por fila: estilos de las celdas marcadas y el dibujo de comentarios.

La memoria queda acotada sea cual sea el tamaño de la hoja: solo se guarda una fila marcada a la
vez; las demás pasan sin mirarse por dentro.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from pipeline.ooxml.estilos import Estilos
from pipeline.ooxml.partes import NS_R, LibroNoAnotable, atributos_de

FRAGMENTO = 1 << 16
_FILA_MAXIMA = 64 << 20  # bytes de una fila marcada que se leen de una vez


@dataclass(frozen=True)
class Marca:
    """Lo que se pone en una celda: relleno de error o de advertencia y el texto del comentario."""

    error: bool
    comentario: str


# ------------------------------------------------------------------------------------------------
# Hojas en flujo


class Flujo:
    """Lee una parte del zip por fragmentos y escribe lo que ya no hay que mirar (memoria acotada).

    Las posiciones de las coincidencias son del búfer actual; `pos` marca lo ya escrito o consumido.
    El búfer solo se compacta al leer otro fragmento, así recorrer una hoja larga no copia de más.
    """

    def __init__(self, origen: IO[bytes], destino: IO[bytes]) -> None:
        self.origen, self.destino = origen, destino
        self.buf = b""
        self.pos = 0
        self.fin = False

    def _llenar(self) -> None:
        trozo = self.origen.read(FRAGMENTO)
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
        """Escribe lo que queda de la parte tal cual."""
        self.destino.write(self.buf[self.pos :])
        self.buf, self.pos = b"", 0
        while trozo := self.origen.read(FRAGMENTO):
            self.destino.write(trozo)


_HASTA_DATOS = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_FILA_O_FIN = re.compile(rb"<(/?)((?:\w+:)?)(row|sheetData)\b([^>]*?)(/?)>")
_FIN_FILA = re.compile(rb"</(?:\w+:)?row>")
_FIN_DATOS = re.compile(rb"</(?:\w+:)?sheetData>")
_CELDA = re.compile(rb"<((?:\w+:)?)c\b([^>]*?)(/?)>")
_R = re.compile(rb'\sr="([^"]*)"')
_S = re.compile(rb'\ss="(\d*)"')
_COLUMNA = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_SELECCIONADA = re.compile(rb'\stabSelected="(?:1|true)"')
_COLA = re.compile(
    rb"<(/?)(?:\w+:)?(legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|"
    rb"tableParts|extLst|worksheet)\b[^>]*?(/?)>"
)


@dataclass
class MarcasHoja:
    """Las marcas de una hoja (fila → columna → marca) y la relación de su dibujo VML."""

    celdas: dict[int, dict[int, Marca]]  # fila → columna → marca (base 1)
    rid_vml: str = ""


def copiar_hoja(
    origen: IO[bytes], destino: IO[bytes], estilos: Estilos, marcas: MarcasHoja | None
) -> None:
    """Copia una hoja; si tiene marcas, cambia sus estilos y le pone el dibujo de comentarios."""
    flujo = Flujo(origen, destino)
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
    prefijo = re.match(rb"<((?:\w+:)?)", etiqueta)
    p = prefijo.group(1) if prefijo else b""
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
        a = atributos_de(m.group(1).decode("utf-8", "replace"))
        if a.get("style", "").isdigit() and a.get("min", "").isdigit():
            minimo, maximo = int(a["min"]), int(a.get("max") or a["min"])
            for columna in range(minimo, min(maximo, minimo + 16_384) + 1):
                resultado[columna] = int(a["style"])
    return resultado


def _copiar_filas(
    flujo: Flujo,
    pendientes: list[int],
    marcas: MarcasHoja,
    estilos: Estilos,
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
    flujo: Flujo,
    inicio: re.Match[bytes],
    fila: int,
    celdas: dict[int, Marca],
    estilos: Estilos,
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
    estilos: Estilos,
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
    estilos: Estilos,
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
    marcas: MarcasHoja,
    estilos: Estilos,
    por_columna: dict[int, int],
    p: bytes,
) -> bytes:
    return b"".join(
        b'<' + p + b'row r="%d">' % fila
        + _celdas_nuevas(fila, marcas.celdas[fila], estilos, por_columna, None, p)
        + b"</" + p + b"row>"
        for fila in filas
    )  # fmt: skip


def _poner_dibujo(flujo: Flujo, rid: str) -> None:
    """Escribe el resto de la hoja con `<legacyDrawing>` en su lugar (o en lugar del que había)."""
    nuevo = f'<legacyDrawing xmlns:r="{NS_R}" r:id="{rid}"/>'.encode() if rid else b""
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


def superior_izquierda(
    celda: tuple[int, int], rangos: list[tuple[int, int, int, int]]
) -> tuple[int, int]:
    """Una celda dentro de un rango combinado se anota en la superior izquierda (la visible)."""
    fila, columna = celda
    for f1, c1, f2, c2 in rangos:
        if f1 <= fila <= f2 and c1 <= columna <= c2:
            return f1, c1
    return fila, columna


_COMBINADA = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?ref="([A-Z]+\d+):([A-Z]+\d+)"')


def combinadas(zf: zipfile.ZipFile, parte: str) -> list[tuple[int, int, int, int]]:
    """Rangos combinados de una hoja (fila1, col1, fila2, col2, base 0), leídos en flujo."""
    rangos: list[tuple[int, int, int, int]] = []
    with zf.open(parte) as f:
        resto = b""
        while trozo := f.read(FRAGMENTO):
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
