"""styles.xml de la copia: estilos de las marcas (el de la celda con otro relleno) y de la hoja Errores."""

from __future__ import annotations

import re

from pipeline.escritura import AMBAR, AZUL_OSCURO, BLANCO, NEGRO, ROJO, VERDE
from pipeline.ooxml.partes import LibroNoAnotable

# Colores propios del producto (no son de la paleta de Excel): así se reconocen al quitarlos.
COLOR_ERROR, COLOR_ADVERTENCIA = "FFFFA3A3", "FFFFF0A0"


def _argb(color: str) -> str:
    """«#1F4E79» de la paleta → «FF1F4E79», como lo escribe styles.xml."""
    return "FF" + color.lstrip("#").upper()


# Estilos de la hoja `Errores`: (negrita, tamaño, color de letra, relleno, ajustar, subrayado).
ESTILOS_HOJA = {
    "titulo": (True, 14, _argb(AZUL_OSCURO), "", False, False),
    "etiqueta": (True, 11, _argb(NEGRO), "", False, False),
    "texto": (False, 11, _argb(NEGRO), "", False, False),
    "ajustado": (False, 11, _argb(NEGRO), "", True, False),
    "encabezado": (True, 11, _argb(BLANCO), _argb(AZUL_OSCURO), True, False),
    "error": (True, 11, _argb(ROJO), "", False, False),
    "advertencia": (True, 11, _argb(AMBAR), "", False, False),
    "aceptado": (True, 11, _argb(VERDE), "", False, False),
    "enlace": (False, 11, "FF0563C1", "", False, True),
}


# ------------------------------------------------------------------------------------------------
# Estilos


_SECCION = "<(?P<p>(?:\\w+:)?){0}\\b(?P<a>[^>]*?)(?:/>|>(?P<c>.*?)</(?:\\w+:)?{0}>)"


def _seccion(estilos: str, nombre: str) -> re.Match | None:
    return re.search(_SECCION.format(nombre), estilos, re.S)


def _elementos(contenido: str, nombre: str) -> list[str]:
    patron = rf"<(?:\w+:)?{nombre}\b[^>]*?(?:/>|>.*?</(?:\w+:)?{nombre}>)"
    return re.findall(patron, contenido or "", re.S)


class Estilos:
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
            for nombre, (negrita, tam, color, fondo, ajustar, subrayado) in ESTILOS_HOJA.items():
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
