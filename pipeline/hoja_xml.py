"""Lo que el XML de una hoja dice y calamine no: cuánto ocupará leerla, errores, fórmulas y filas ocultas.

calamine entrega valores: una celda con error (#REF!) o con una fórmula sin resultado guardado le llega
vacía, y una celda lejana o un texto compartido repetido miles de veces se vuelven gigabytes antes de que
Python vea nada. Aquí se mira el XML con búsquedas acotadas de bytes (sin construir un árbol) y solo se
recorre celda por celda cuando la búsqueda rápida encontró algo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.archivos import ArchivoRechazado, Contenedor
from pipeline.escritura import numero_es
from pipeline.problemas import Codigo, posicion_celda

_PREFIJO = rb"(?:[A-Za-z_][\w.-]*:)?"
_FILA = re.compile(rb"<" + _PREFIJO + rb"row\b[^>]*?\br=\"(\d+)\"")
# Celdas con contenido (no las vacías con solo formato, `<c r="X9" s="1"/>`).
_REFERENCIA = re.compile(rb"<" + _PREFIJO + rb"c\b[^>]*?\br=\"([A-Z]{1,3})(\d+)\"[^>]*(?<!/)>")
_CELDA = re.compile(
    rb"<" + _PREFIJO + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _PREFIJO + rb"c>)", re.DOTALL
)
_R = re.compile(rb"\br=\"([A-Z]{1,3}\d+)\"")
_T = re.compile(rb"\bt=\"(\w+)\"")
_V = re.compile(rb"<" + _PREFIJO + rb"v\b[^>]*?(?:/>|>(.*?)</" + _PREFIJO + rb"v>)", re.DOTALL)
_F = re.compile(rb"<" + _PREFIJO + rb"f\b")
_TEXTO_COMPARTIDO = re.compile(rb"\bt=\"s\"[^>]*>\s*<" + _PREFIJO + rb"v>(\d+)<")
_FILA_OCULTA = re.compile(rb"<" + _PREFIJO + rb"row\b[^>]*\bhidden=\"(?:1|true)\"[^>]*>")
_BYTES_POR_CELDA = 20  # la celda compartida más corta posible: <c t="s"><v>0</v></c>
ANCHO_HABITUAL = 26  # columnas A–Z: cubren cualquier plantilla; más anchas se miden celda por celda


@dataclass
class HojaXml:
    """Hallazgos en el XML de una hoja: celdas con error, fórmulas sin valor y filas ocultas."""

    errores: dict[str, str] = field(default_factory=dict)  # celda A1 → texto del error (#REF!)
    formulas_sin_valor: set[str] = field(default_factory=set)  # celdas A1
    filas_ocultas: list[int] = field(default_factory=list)  # filas de Excel

    def celda_ilegible(self, referencia: str) -> Codigo | None:
        """Código del problema si la celda no tiene un valor que se pueda saber."""
        if referencia in self.errores:
            return Codigo.CELDA_CON_ERROR
        return Codigo.FORMULA_SIN_VALOR if referencia in self.formulas_sin_valor else None


def revisar_hoja(contenedor: Contenedor, nombre: str, detalle: bool = False) -> HojaXml:
    """Comprueba que la hoja quepa en el presupuesto antes de leerla; con `detalle`, sus hallazgos.

    Lanza ArchivoRechazado si el rango que ocupa o el texto que repite superan los límites.
    """
    xml = _datos(contenedor.xml_hoja(nombre))
    if not xml:
        return HojaXml()
    _revisar_rango(xml, nombre, contenedor.limites.celdas)
    _revisar_textos(xml, nombre, contenedor)
    return _hallazgos(xml) if detalle else HojaXml()


def _datos(xml: bytes) -> bytes:
    """Solo `<sheetData>`: las celdas y filas; lo demás (validaciones, formatos) no importa aquí."""
    inicio, fin = xml.find(b"sheetData"), xml.rfind(b"sheetData")
    return xml[max(0, inicio - 1) : fin] if 0 <= inicio < fin else xml


def _revisar_rango(xml: bytes, nombre: str, maximo: int) -> None:
    """calamine reserva filas × columnas del rango ocupado: una celda lejana lo vuelve enorme.

    Las filas van en orden, así que la última da el alto y sus celdas, de paso, el ancho donde suele
    estar una celda lejana (al menos A–Z). Si la cuenta rápida pasa del máximo, se mide celda por
    celda. Una columna lejana en otra fila la frena el tope de memoria al leer.
    """
    inicio = max(xml.rfind(b"<row"), xml.rfind(b":row"))
    ultima = _FILA.search(xml, max(0, inicio - 1)) if inicio >= 0 else None
    if ultima is None:
        return
    filas = int(ultima.group(1))
    ultima_fila = (_columna(letras) for letras, _n in _REFERENCIA.findall(xml, inicio))
    columnas = max(ultima_fila, default=0)
    columnas = max(columnas, ANCHO_HABITUAL)
    if filas * columnas > maximo:
        _rechazar_rango(xml, nombre, maximo)


def _columna(letras: bytes) -> int:
    return posicion_celda(letras.decode() + "1")[1]


def _rechazar_rango(xml: bytes, nombre: str, maximo: int) -> None:
    filas = columnas = 0
    for letras, numero in _REFERENCIA.findall(xml):
        filas, columnas = max(filas, int(numero)), max(columnas, _columna(letras))
    if filas * columnas > maximo:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_DEMASIADO_GRANDE,
            motivo=f"tiene datos hasta la fila {numero_es(filas)} y la columna "
            f"{numero_es(columnas)} de la hoja «{nombre}» ({numero_es(filas * columnas)} celdas; "
            f"el máximo es {numero_es(maximo)})",
        )


def _revisar_textos(xml: bytes, nombre: str, contenedor: Contenedor) -> None:
    """Un texto compartido se copia a cada celda que lo usa: 1 MB en 5.000 celdas son 5 GB."""
    largos = contenedor.largos_cadenas()
    maximo = contenedor.limites.caracteres
    if not largos or max(largos) * (len(xml) // _BYTES_POR_CELDA) <= maximo:
        return
    if xml.count(b't="s"') * max(largos) <= maximo:
        return
    total = 0
    for indice in _TEXTO_COMPARTIDO.findall(xml):
        i = int(indice)
        total += largos[i] if i < len(largos) else 0
    if total > maximo:
        raise ArchivoRechazado(
            Codigo.ARCHIVO_DEMASIADO_GRANDE,
            motivo=f"repite textos largos en muchas celdas de la hoja «{nombre}» (unos "
            f"{numero_es(total // 10**6)} millones de caracteres al leerla; el máximo es "
            f"{numero_es(maximo // 10**6)} millones)",
        )


def _hallazgos(xml: bytes) -> HojaXml:
    hoja = HojaXml()
    # Búsquedas rápidas antes de recorrer celdas: las agujas largas o raras cuestan poco (un error
    # de Excel siempre empieza por «#»; toda fórmula con texto cierra con </f>).
    if b'hidden="' in xml:
        for fila in _FILA_OCULTA.finditer(xml):
            numero = _FILA.match(fila.group(0))
            if numero:
                hoja.filas_ocultas.append(int(numero.group(1)))
    con_prefijo = xml[:1] != b"<"  # <x:sheetData>: las marcas rápidas no sirven
    if not con_prefijo and b"#" not in xml and b"</f>" not in xml:
        return hoja
    for atributos, cuerpo in _CELDA.findall(xml):
        referencia = _R.search(atributos)
        if referencia is None:
            continue
        marca_tipo = _T.search(atributos)
        tipo = marca_tipo.group(1) if marca_tipo else b"n"
        valor = _V.search(cuerpo or b"")
        texto_valor = (valor.group(1) or b"") if valor else b""
        if tipo == b"e":
            hoja.errores[referencia.group(1).decode()] = texto_valor.decode(errors="replace")
        elif cuerpo and _F.search(cuerpo) and not texto_valor and tipo != b"str":
            hoja.formulas_sin_valor.add(referencia.group(1).decode())
    return hoja
