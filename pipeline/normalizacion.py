"""Cómo se leen los valores tal como los escribe el personal (especificación §4.6).

Cada conversor recibe el valor crudo de una celda (texto, número, fecha, booleano o None) y devuelve
el valor convertido, `None` si la celda está vacía, o `INVALIDO` si no se puede interpretar.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache


class _Invalido:
    """Marca de un valor que no se pudo interpretar."""

    _instancia = None

    def __new__(cls):
        if cls._instancia is None:
            cls._instancia = super().__new__(cls)
        return cls._instancia

    def __repr__(self) -> str:
        return "INVALIDO"

    def __bool__(self) -> bool:
        return False


INVALIDO = _Invalido()

_ESPACIOS = re.compile(r"\s+")
_NBSP = {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": ""}


@lru_cache(maxsize=65536)
def _clave_texto(texto: str) -> str:
    for origen, destino in _NBSP.items():
        texto = texto.replace(origen, destino)
    sin_tildes = "".join(
        c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c)
    )
    return _ESPACIOS.sub(" ", sin_tildes).strip().casefold()


def clave(valor: object) -> str:
    """Forma de comparación: sin mayúsculas, tildes (ñ = n) ni espacios repetidos o de borde."""
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    return _clave_texto(str(valor))


def clave_etiqueta(valor: object) -> str:
    """Como `clave`, admitiendo además «:» al final de la etiqueta."""
    if isinstance(valor, str):
        return _clave_etiqueta_texto(valor)
    return clave(valor).rstrip(":").rstrip()


@lru_cache(maxsize=4096)
def _clave_etiqueta_texto(texto: str) -> str:
    return _clave_texto(texto).rstrip(":").rstrip()


def texto(valor: object) -> str | None:
    """El texto de la celda sin espacios de borde; None si está vacía."""
    if type(valor) is str:  # el caso común, sin las pruebas de tipo de abajo
        s = (valor if valor.isascii() else _sin_espacios_raros(valor)).strip()
        return s or None
    if valor is None:
        return None
    if isinstance(valor, float):
        if math.isnan(valor):
            return None
        if valor.is_integer():
            valor = int(valor)
    if isinstance(valor, dt.datetime):
        return valor.strftime("%d/%m/%Y") if valor.time() == dt.time() else valor.isoformat(" ")
    if isinstance(valor, dt.date):
        return valor.strftime("%d/%m/%Y")
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    s = _sin_espacios_raros(str(valor)).strip()
    return s or None


def _sin_espacios_raros(s: str) -> str:
    for origen, destino in _NBSP.items():
        s = s.replace(origen, destino)
    return s


def vacio(valor: object) -> bool:
    """Verdadero si la celda no tiene contenido (vacía, solo espacios o NaN)."""
    return texto(valor) is None


_FECHA_DMA = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_FECHA_AMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_BASE_1900 = dt.date(1899, 12, 30)
_BASE_1904 = dt.date(1904, 1, 1)


def fecha(valor: object, sistema_1904: bool = False) -> dt.date | None | _Invalido:
    """Fecha real de Excel, texto dd/mm/aaaa o aaaa-mm-dd, o número de serie de Excel."""
    if isinstance(valor, dt.datetime):
        return valor.date()
    if isinstance(valor, dt.date):
        return valor
    if isinstance(valor, bool):
        return INVALIDO
    if isinstance(valor, int | float):
        if isinstance(valor, float) and math.isnan(valor):
            return None
        if not float(valor).is_integer() or not 1 <= valor <= 2958465:
            return INVALIDO
        base = _BASE_1904 if sistema_1904 else _BASE_1900
        try:
            return base + dt.timedelta(days=int(valor))
        except OverflowError:
            return INVALIDO
    s = texto(valor)
    if s is None:
        return None
    for patron, orden in ((_FECHA_DMA, (2, 1, 0)), (_FECHA_AMD, (0, 1, 2))):
        m = patron.match(s)
        if m:
            partes = [int(g) for g in m.groups()]
            try:
                return dt.date(partes[orden[0]], partes[orden[1]], partes[orden[2]])
            except ValueError:
                return INVALIDO
    if re.fullmatch(r"\d+(\.0+)?", s):
        return fecha(float(s), sistema_1904)
    return INVALIDO


def numero(valor: object) -> float | None | _Invalido:
    """Número real; admite texto con coma o punto decimal («1.500,5» no se adivina)."""
    if isinstance(valor, bool):
        return INVALIDO
    if isinstance(valor, int | float):
        return None if isinstance(valor, float) and math.isnan(valor) else float(valor)
    s = texto(valor)
    if s is None:
        return None
    s = s.replace(" ", "").replace("$", "")
    if re.fullmatch(r"-?\d+([.,]\d+)?", s):
        return float(s.replace(",", "."))
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):
        return float(s.replace(".", ""))
    return INVALIDO


def entero(valor: object) -> int | None | _Invalido:
    """Número entero; admite el texto «3» y el número 3.0."""
    n = numero(valor)
    if n is None or isinstance(n, _Invalido):
        return n
    return int(n) if float(n).is_integer() else INVALIDO


_SEPARADORES_DOC = re.compile(r"[.\s\-]")


def documento(valor: object) -> str | None:
    """Número de documento sin puntos, espacios ni guiones, en mayúsculas."""
    s = texto(valor)
    if s is None:
        return None
    return _SEPARADORES_DOC.sub("", s).upper()


def telefono(valor: object) -> str | None:
    """Teléfono sin espacios, guiones, paréntesis ni prefijo +57."""
    s = texto(valor)
    if s is None:
        return None
    s = re.sub(r"[\s\-().]", "", s)
    if s.startswith("+57"):
        s = s[3:]
    return s


_CORREO = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def correo_valido(valor: object) -> bool:
    """Verdadero si el texto es un correo electrónico bien formado."""
    s = texto(valor)
    return bool(s and _CORREO.match(s) and ".." not in s)


def enmascarar(valor: object, visibles: int = 4) -> str:
    """Oculta un dato personal dejando ver solo sus últimos caracteres: «******6789».

    Nunca deja ver más del 40 % del dato, para que un documento corto no quede casi completo.
    """
    s = texto(valor) or ""
    if "@" in s:
        usuario, _, dominio = s.partition("@")
        return f"{usuario[:1]}***@{dominio}"
    visibles = min(visibles, len(s) * 2 // 5)
    return "*" * (len(s) - visibles) + (s[-visibles:] if visibles else "")
