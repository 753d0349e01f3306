"""DIVIPOLA del DANE: departamentos y municipios, con búsqueda tolerante por nombre o código."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from pipeline.normalizacion import clave, texto

# Nombres con que el personal suele escribir algunos departamentos.
_ALIAS_DEPARTAMENTOS = {
    "bogota": "11",
    "bogota d.c.": "11",
    "bogota dc": "11",
    "bogota, d.c": "11",
    "distrito capital": "11",
    "san andres": "88",
    "san andres y providencia": "88",
    "archipielago de san andres": "88",
    "valle": "76",
    "guajira": "44",
    "norte santander": "54",
}


class FalloMunicipio(StrEnum):
    """Por qué no se pudo ubicar un municipio (regla X14)."""

    NO_EXISTE = "no existe en DIVIPOLA"
    OTRO_DEPARTAMENTO = "no pertenece al departamento indicado"
    AMBIGUO = "es ambiguo sin departamento"


@dataclass(frozen=True)
class Municipio:
    """Un municipio (o área no municipalizada) de DIVIPOLA."""

    codigo: str
    nombre: str
    cod_dpto: str
    tipo: str
    longitud: float
    latitud: float


@dataclass(frozen=True)
class Divipola:
    """El listado DIVIPOLA con índices para buscar por nombre o código."""

    departamentos: dict[str, str]  # código de 2 dígitos → nombre oficial
    municipios: dict[str, Municipio]  # código de 5 dígitos → municipio
    _dpto_por_clave: dict[str, str]
    _mpio_por_nombre: dict[tuple[str, str], str]  # (cod_dpto, clave nombre) → código
    _mpios_por_nombre: dict[str, tuple[str, ...]]  # clave nombre → códigos

    def departamento(self, valor: object) -> str | None:
        """Código del departamento dado por nombre o código; None si no existe."""
        k = clave(valor)
        if not k:
            return None
        if k.isdigit():
            k = k.zfill(2)
            return k if k in self.departamentos else None
        return self._dpto_por_clave.get(k) or self._dpto_por_clave.get(k.rstrip("."))

    def municipio(
        self, valor: object, cod_dpto: str | None
    ) -> tuple[str | None, FalloMunicipio | None]:
        """Código del municipio dado por nombre (dentro del departamento) o por código de 5 dígitos."""
        k = clave(valor)
        if not k:
            return None, None
        if k.isdigit():
            codigo = k.zfill(5)
            m = self.municipios.get(codigo)
            if m is None:
                return None, FalloMunicipio.NO_EXISTE
            if cod_dpto and m.cod_dpto != cod_dpto:
                return None, FalloMunicipio.OTRO_DEPARTAMENTO
            return codigo, None
        codigos = self._mpios_por_nombre.get(k, ())
        if not codigos:
            return None, FalloMunicipio.NO_EXISTE
        if cod_dpto:
            del_dpto = self._mpio_por_nombre.get((cod_dpto, k))
            return (del_dpto, None) if del_dpto else (None, FalloMunicipio.OTRO_DEPARTAMENTO)
        if len(codigos) > 1:
            return None, FalloMunicipio.AMBIGUO
        return codigos[0], None

    def municipios_de(self, cod_dpto: str) -> list[Municipio]:
        """Municipios del departamento, en orden alfabético."""
        return sorted(
            (m for m in self.municipios.values() if m.cod_dpto == cod_dpto),
            key=lambda m: clave(m.nombre),
        )

    def nombre_departamento(self, cod_dpto: str | None) -> str:
        """Nombre oficial del departamento (vacío si no hay código)."""
        return self.departamentos.get(cod_dpto or "", "")

    def nombre_municipio(self, codigo: str | None) -> str:
        """Nombre oficial del municipio (vacío si no hay código)."""
        m = self.municipios.get(codigo or "")
        return m.nombre if m else ""


@lru_cache(maxsize=1)
def cargar_divipola() -> Divipola:
    """Carga el DIVIPOLA incluido en `esquemas/catalogos/divipola.csv`."""
    ruta = resources.files("esquemas") / "catalogos" / "divipola.csv"
    contenido = ruta.read_bytes().decode("utf-8")
    filas = list(csv.DictReader(io.StringIO(contenido, newline="")))
    departamentos: dict[str, str] = {}
    municipios: dict[str, Municipio] = {}
    for fila in filas:
        departamentos[fila["cod_dpto"]] = fila["nom_dpto"]
        municipios[fila["cod_mpio"]] = Municipio(
            fila["cod_mpio"],
            fila["nom_mpio"],
            fila["cod_dpto"],
            fila["tipo"],
            float(fila["longitud"]),
            float(fila["latitud"]),
        )
    dpto_por_clave = {clave(n): c for c, n in departamentos.items()}
    dpto_por_clave.update(_ALIAS_DEPARTAMENTOS)
    mpio_por_nombre: dict[tuple[str, str], str] = {}
    mpios_por_nombre: dict[str, list[str]] = {}
    for m in municipios.values():
        for nombre in {clave(m.nombre), clave((texto(m.nombre) or "").split(" (")[0])}:
            mpio_por_nombre[(m.cod_dpto, nombre)] = m.codigo
            mpios_por_nombre.setdefault(nombre, []).append(m.codigo)
    return Divipola(
        departamentos,
        municipios,
        dpto_por_clave,
        mpio_por_nombre,
        {k: tuple(dict.fromkeys(v)) for k, v in mpios_por_nombre.items()},
    )
