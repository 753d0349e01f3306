"""Mapa de Colombia por departamento, coloreado por cobertura, como PNG reproducible en memoria."""

from __future__ import annotations

import io
import json
import math
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from pipeline.escritura import GRIS_CLARO, GRIS_TEXTO

if TYPE_CHECKING:
    from matplotlib.path import Path as Trazo

# matplotlib se importa al dibujar (medio segundo): solo lo necesita el proceso del informe anual,
# no el arranque de cada corrida.

SAN_ANDRES = "88"
SIN_COBERTURA = GRIS_CLARO
PUNTOS_POR_PULGADA = 100


@lru_cache(maxsize=1)
def departamentos() -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Código DIVIPOLA → polígonos (cada uno, lista de anillos) del GeoJSON incluido."""
    ruta = resources.files("esquemas") / "catalogos" / "departamentos.geojson"
    datos = json.loads(ruta.read_text(encoding="utf-8"))
    resultado: dict[str, list] = {}
    for rasgo in datos["features"]:
        codigo = str(rasgo["properties"]["DPTO_CCDGO"]).zfill(2)
        geometria = rasgo["geometry"]
        poligonos = (
            [geometria["coordinates"]]
            if geometria["type"] == "Polygon"
            else list(geometria["coordinates"])
        )
        resultado.setdefault(codigo, []).extend(poligonos)
    return resultado


def _trazo(poligonos: list) -> Trazo:
    from matplotlib.path import Path as Trazo

    # Un solo trazo con todos los anillos: los interiores quedan como huecos.
    vertices, codigos = [], []
    for poligono in poligonos:
        for anillo in poligono:
            puntos = [(float(x), float(y)) for x, y, *_ in anillo]
            vertices += puntos + [puntos[0]]
            codigos += [Trazo.MOVETO] + [Trazo.LINETO] * (len(puntos) - 1) + [Trazo.CLOSEPOLY]
    return Trazo(vertices, codigos)


def _color(valor: float | None, norma, mapa_color):
    # Gris: sin actividades; azul muy claro: atendido solo a nivel departamental (0 municipios).
    if valor is None:
        return SIN_COBERTURA
    return mapa_color(0.12 + 0.88 * norma(valor)) if valor > 0 else mapa_color(0.06)


def _dibujar(ejes, cobertura: dict, codigos: list[str], norma, mapa_color) -> None:
    from matplotlib.patches import PathPatch

    for codigo in codigos:
        color = _color(cobertura.get(codigo), norma, mapa_color)
        ejes.add_patch(
            PathPatch(
                _trazo(departamentos()[codigo]), facecolor=color, edgecolor=GRIS_TEXTO, lw=0.4
            )
        )
    ejes.set_aspect("equal")
    ejes.set_axis_off()


LEYENDA = "Municipios atendidos / municipios del departamento (%). Gris: sin actividades."


def dibujar_mapa(cobertura: dict[str, float], titulo: str, leyenda: str = LEYENDA) -> bytes:
    """PNG del mapa; `cobertura` va de código de departamento a porcentaje (0–100).

    Los departamentos que no están en `cobertura` quedan en gris. La escala va hasta la mayor
    cobertura (redondeada a decenas) para que las coberturas bajas se distingan; `leyenda` dice
    qué se colorea.
    """
    import matplotlib

    matplotlib.use("Agg")  # sin pantalla: el mapa solo se guarda como imagen
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    figura = Figure(figsize=(6.2, 7.2), dpi=PUNTOS_POR_PULGADA)
    ejes = figura.add_axes((0.02, 0.13, 0.96, 0.80))
    tope = max([10.0, *(v for v in cobertura.values() if v == v)])
    norma = Normalize(vmin=0, vmax=min(100.0, 10 * math.ceil(tope / 10)))
    mapa_color = colormaps["Blues"]
    continentales = sorted(c for c in departamentos() if c != SAN_ANDRES)
    _dibujar(ejes, cobertura, continentales, norma, mapa_color)
    ejes.set_xlim(-79.2, -66.7)
    ejes.set_ylim(-4.4, 12.7)
    if SAN_ANDRES in departamentos():
        # El archipiélago queda lejos de la costa: va en un recuadro para no encoger el mapa.
        recuadro = figura.add_axes((0.06, 0.72, 0.14, 0.18))
        _dibujar(recuadro, cobertura, [SAN_ANDRES], norma, mapa_color)
        recuadro.autoscale_view()
        recuadro.margins(0.25)
        recuadro.set_axis_on()
        recuadro.set_xticks([])
        recuadro.set_yticks([])
        recuadro.set_title("San Andrés", fontsize=7)
    figura.suptitle(titulo, fontsize=11, fontweight="bold")
    barra = figura.add_axes((0.2, 0.085, 0.6, 0.02))
    escala = ScalarMappable(norm=norma, cmap=mapa_color)
    color_barra = figura.colorbar(escala, cax=barra, orientation="horizontal")
    color_barra.set_label(leyenda, fontsize=8)
    color_barra.ax.tick_params(labelsize=7)
    salida = io.BytesIO()
    figura.savefig(salida, format="png", dpi=PUNTOS_POR_PULGADA, metadata={"Software": None})
    return salida.getvalue()
