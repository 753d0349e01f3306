"""La configuración de la entidad: un archivo TOML convertido en un dataclass inmutable."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esquemas import PLANTILLAS
from pipeline.errores import ErrorConfiguracion
from pipeline.normalizacion import clave

RUTA_POR_DEFECTO = Path("esquemas/entidad.toml")


@dataclass(frozen=True)
class Parametros:
    """Parámetros de seguimiento; los valores por defecto son los de la especificación (§2)."""

    cobertura_minima_evaluacion: float = 10
    dias_habiles_informe: int = 3
    umbral_verde: float = 90
    umbral_amarillo: float = 70


@dataclass(frozen=True)
class Direccion:
    """Una dirección técnica con sus temas de asistencia."""

    codigo: str
    nombre: str
    temas: tuple[str, ...]

    @property
    def etiqueta(self) -> str:
        """Texto «código - nombre» que muestran las listas desplegables."""
        return f"{self.codigo} - {self.nombre}"


@dataclass(frozen=True)
class Control:
    """Datos de control de un formato (§4.7): vacíos cuando la configuración no los da."""

    codigo: str = ""
    version: str = ""
    fecha: dt.date | None = None


@dataclass(frozen=True)
class Formatos:
    """La sección [formatos]: logo opcional y datos de control por plantilla (clave → Control)."""

    logo: Path | None = None
    controles: tuple[tuple[str, Control], ...] = ()

    def control(self, formato: str) -> Control:
        """Los datos de control del formato (`lista_asistencia`, `plan_asistencia`…)."""
        return dict(self.controles).get(formato, Control())


@dataclass(frozen=True)
class Configuracion:
    """La entidad, sus parámetros, sus direcciones y sus formatos controlados."""

    entidad: str
    parametros: Parametros
    direcciones: tuple[Direccion, ...]
    ruta: Path | None = field(default=None, compare=False)
    formatos: Formatos = field(default_factory=Formatos)

    def direccion(self, texto: object) -> Direccion | None:
        """La dirección que nombra `texto`: código, nombre o «código - nombre»."""
        k = clave(texto)
        if not k:
            return None
        for d in self.direcciones:
            if k in (clave(d.codigo), clave(d.nombre), clave(d.etiqueta)):
                return d
        codigo = k.split(" - ", 1)[0].strip()
        for d in self.direcciones:
            if codigo == clave(d.codigo):
                return d
        return None

    def por_codigo(self, codigo: str) -> Direccion | None:
        """La dirección de código `codigo` (sin distinguir mayúsculas)."""
        return self.direccion(codigo)


_CLAVES_RAIZ = {"entidad", "parametros", "direcciones", "formatos"}
FORMATOS = tuple(Path(p.archivo).stem for p in PLANTILLAS.values())
"""Claves de [formatos.<clave>]: el nombre de archivo de cada plantilla sin «.xlsx»."""
_CLAVES_CONTROL = ("codigo", "version", "fecha")
_TAMANO_MAXIMO_LOGO = 2 * 1024 * 1024
_CLAVES_DIRECCION = {"codigo", "nombre", "temas"}


def cargar_configuracion(ruta: Path | str = RUTA_POR_DEFECTO) -> Configuracion:
    """Lee y valida el TOML de la entidad; lanza ErrorConfiguracion con la clave culpable."""
    ruta = Path(ruta)
    try:
        texto = ruta.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ErrorConfiguracion(f"No existe el archivo de configuración «{ruta}».") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ErrorConfiguracion(f"No se pudo leer «{ruta}»: {exc}.") from None
    try:
        datos = tomllib.loads(texto)
    except tomllib.TOMLDecodeError as exc:
        raise ErrorConfiguracion(f"«{ruta}» no es un TOML válido: {exc}.") from None
    return desde_dict(datos, ruta)


def desde_dict(datos: dict, ruta: Path | None = None) -> Configuracion:
    """Construye y valida la configuración a partir del diccionario del TOML."""
    desconocidas = sorted(set(datos) - _CLAVES_RAIZ)
    if desconocidas:
        raise ErrorConfiguracion(f"Clave desconocida «{desconocidas[0]}» en la configuración.")
    entidad = datos.get("entidad")
    if not isinstance(entidad, str) or not entidad.strip():
        raise ErrorConfiguracion("La clave «entidad» es obligatoria y debe ser un texto.")
    return Configuracion(
        entidad=entidad.strip(),
        parametros=_parametros(datos.get("parametros", {})),
        direcciones=_direcciones(datos.get("direcciones")),
        ruta=ruta,
        formatos=_formatos(datos.get("formatos", {}), ruta),
    )


def _numero(valor: object, nombre: str, minimo: float, maximo: float, entero: bool) -> float:
    if isinstance(valor, bool) or not isinstance(valor, int | float):
        raise ErrorConfiguracion(f"La clave «parametros.{nombre}» debe ser un número.")
    if entero and int(valor) != valor:
        raise ErrorConfiguracion(f"La clave «parametros.{nombre}» debe ser un número entero.")
    if not minimo <= valor <= maximo:
        raise ErrorConfiguracion(
            f"La clave «parametros.{nombre}» debe estar entre {minimo:g} y {maximo:g}."
        )
    return int(valor) if entero else valor


def _parametros(datos: object) -> Parametros:
    if not isinstance(datos, dict):
        raise ErrorConfiguracion("La clave «parametros» debe ser una tabla [parametros].")
    limites = {
        "cobertura_minima_evaluacion": (0, 100, False),
        "dias_habiles_informe": (0, 60, True),
        "umbral_verde": (0, 100, False),
        "umbral_amarillo": (0, 100, False),
    }
    valores: dict[str, Any] = {}
    for nombre, valor in datos.items():
        if nombre not in limites:
            raise ErrorConfiguracion(f"Clave desconocida «parametros.{nombre}».")
        valores[nombre] = _numero(valor, nombre, *limites[nombre])
    parametros = Parametros(**valores)
    if parametros.umbral_amarillo > parametros.umbral_verde:
        raise ErrorConfiguracion(
            "La clave «parametros.umbral_amarillo» no puede ser mayor que «parametros.umbral_verde»."
        )
    return parametros


def _solo_claves(datos: dict, permitidas: Iterable[str], lugar: str) -> None:
    """Falla con la primera clave (en orden alfabético) de la tabla `lugar` que no está permitida."""
    desconocidas = sorted(set(datos) - set(permitidas))
    if desconocidas:
        raise ErrorConfiguracion(f"Clave desconocida «{lugar}.{desconocidas[0]}».")


def _direcciones(datos: object) -> tuple[Direccion, ...]:
    if not isinstance(datos, list) or not datos:
        raise ErrorConfiguracion(
            "La clave «direcciones» es obligatoria: agregue al menos una tabla [[direcciones]]."
        )
    direcciones: list[Direccion] = []
    for i, d in enumerate(datos, start=1):
        lugar = f"direcciones[{i}]"
        if not isinstance(d, dict):
            raise ErrorConfiguracion(f"La clave «{lugar}» debe ser una tabla [[direcciones]].")
        _solo_claves(d, _CLAVES_DIRECCION, lugar)
        for nombre in ("codigo", "nombre"):
            if not isinstance(d.get(nombre), str) or not d[nombre].strip():
                raise ErrorConfiguracion(
                    f"La clave «{lugar}.{nombre}» es obligatoria y debe ser un texto."
                )
        codigo = d["codigo"].strip()
        if not codigo.replace("_", "").isalnum():
            raise ErrorConfiguracion(
                f"La clave «{lugar}.codigo» solo admite letras, dígitos y «_» (es el nombre de la carpeta)."
            )
        temas = d.get("temas")
        if (
            not isinstance(temas, list)
            or not temas
            or not all(isinstance(t, str) and t.strip() for t in temas)
        ):
            raise ErrorConfiguracion(
                f"La clave «{lugar}.temas» debe ser una lista de textos no vacía."
            )
        if len({clave(t) for t in temas}) != len(temas):
            raise ErrorConfiguracion(f"La clave «{lugar}.temas» tiene temas repetidos.")
        direcciones.append(Direccion(codigo, d["nombre"].strip(), tuple(t.strip() for t in temas)))
    codigos = [clave(d.codigo) for d in direcciones]
    for i, c in enumerate(codigos):
        if c in codigos[:i]:
            raise ErrorConfiguracion(
                f"La clave «direcciones[{i + 1}].codigo» repite el código «{direcciones[i].codigo}»."
            )
    return tuple(direcciones)


def _formatos(datos: object, ruta: Path | None) -> Formatos:
    if not isinstance(datos, dict):
        raise ErrorConfiguracion("La clave «formatos» debe ser una tabla [formatos].")
    desconocidas = sorted(set(datos) - {"logo", *FORMATOS})
    if desconocidas:
        raise ErrorConfiguracion(
            f"Clave desconocida «formatos.{desconocidas[0]}»; use «logo» o una de: "
            f"{', '.join(FORMATOS)}."
        )
    controles = tuple((f, _control(datos[f], f)) for f in FORMATOS if f in datos)
    logo = _logo(datos["logo"], ruta) if "logo" in datos else None
    return Formatos(logo=logo, controles=controles)


def _control(datos: object, formato: str) -> Control:
    lugar = f"formatos.{formato}"
    if not isinstance(datos, dict):
        raise ErrorConfiguracion(f"La clave «{lugar}» debe ser una tabla [{lugar}].")
    _solo_claves(datos, _CLAVES_CONTROL, lugar)
    textos = {}
    for nombre in ("codigo", "version"):
        valor = datos.get(nombre, "")
        if isinstance(valor, bool) or not isinstance(valor, str | int | float):
            raise ErrorConfiguracion(f"La clave «{lugar}.{nombre}» debe ser un texto.")
        textos[nombre] = str(valor).strip()
    return Control(textos["codigo"], textos["version"], _fecha_control(datos.get("fecha"), lugar))


def _fecha_control(valor: object, lugar: str) -> dt.date | None:
    if valor is None:
        return None
    if isinstance(valor, dt.date) and not isinstance(valor, dt.datetime):
        return valor
    if isinstance(valor, str):
        try:
            return dt.date.fromisoformat(valor.strip())
        except ValueError:
            pass
    raise ErrorConfiguracion(
        f"La clave «{lugar}.fecha» debe ser una fecha AAAA-MM-DD (por ejemplo 2025-01-15)."
    )


def _logo(valor: object, ruta: Path | None) -> Path:
    if not isinstance(valor, str) or not valor.strip():
        raise ErrorConfiguracion(
            "La clave «formatos.logo» debe ser la ruta de una imagen PNG o JPEG."
        )
    logo = Path(valor.strip())
    if not logo.is_absolute() and ruta is not None:
        logo = Path(ruta).parent / logo
    try:
        tamano = logo.stat().st_size
        with logo.open("rb") as archivo:
            inicio = archivo.read(8)
    except OSError:
        raise ErrorConfiguracion(
            f"La clave «formatos.logo» nombra «{logo}», que no existe o no se puede leer."
        ) from None
    if not (inicio.startswith(b"\x89PNG\r\n\x1a\n") or inicio.startswith(b"\xff\xd8\xff")):
        raise ErrorConfiguracion(f"La clave «formatos.logo»: «{logo}» no es una imagen PNG o JPEG.")
    if tamano > _TAMANO_MAXIMO_LOGO:
        raise ErrorConfiguracion(
            f"La clave «formatos.logo»: «{logo}» pesa más de 2 MB; use una imagen más liviana."
        )
    return logo
