"""Comparación golden de libros de Excel: instantánea legible (JSON) y primeras celdas distintas.

Una instantánea guarda, por hoja y en orden: el rango usado, las celdas combinadas, cada celda no
vacía como {"v": valor, "fmt": formato numérico, "fill": relleno, "b": negrita} y las gráficas e
imágenes del dibujo de la hoja (leídas del zip). Las fechas van como texto ISO.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path

import defusedxml.ElementTree as ET
import openpyxl
from openpyxl.utils.cell import coordinate_to_tuple

Normalizar = Callable[[str], str]

_NS_PRINCIPAL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PAQUETE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_GRAFICA = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_DIGITOS_DECIMALES = 10  # evita falsas diferencias por el último bit de un cociente
MAXIMO_DIFERENCIAS = 10


def instantanea(ruta: Path, normalizar: Normalizar = str) -> dict:
    """Lo comparable de un libro: hojas en orden con rango, combinadas, celdas y dibujos."""
    libro = openpyxl.load_workbook(ruta)
    dibujos = dibujos_por_hoja(ruta)
    return {
        "hojas": [hoja.title for hoja in libro.worksheets],
        "contenido": {
            hoja.title: {
                "rango": hoja.dimensions,
                "combinadas": sorted(str(r) for r in hoja.merged_cells.ranges),
                **dibujos.get(hoja.title, {"graficas": [], "imagenes": 0}),
                "celdas": _celdas(hoja, normalizar),
            }
            for hoja in libro.worksheets
        },
    }


def _celdas(hoja, normalizar: Normalizar) -> dict[str, dict]:
    celdas = {}
    for fila in hoja.iter_rows():
        for celda in fila:
            if celda.value is None or celda.value == "":
                continue
            celdas[celda.coordinate] = _celda(celda, normalizar)
    return celdas


def _celda(celda, normalizar: Normalizar) -> dict:
    datos: dict[str, object] = {"v": _valor(celda.value, normalizar)}
    if celda.number_format and celda.number_format != "General":
        datos["fmt"] = celda.number_format
    if celda.fill is not None and celda.fill.fill_type == "solid":
        datos["fill"] = "#" + str(celda.fill.fgColor.rgb)[-6:]
    if celda.font is not None and celda.font.b:
        datos["b"] = True
    return datos


def _valor(valor: object, normalizar: Normalizar) -> object:
    if isinstance(valor, dt.datetime):
        return valor.date().isoformat() if valor.time() == dt.time() else valor.isoformat()
    if isinstance(valor, dt.date | dt.time):
        return valor.isoformat()
    if isinstance(valor, float):
        return round(valor, _DIGITOS_DECIMALES)
    if isinstance(valor, str):
        return normalizar(valor)
    return valor


def dibujos_por_hoja(ruta: Path) -> dict[str, dict]:
    """Por nombre de hoja: gráficas (tipo y rangos de sus series) e imágenes, según el zip."""
    with zipfile.ZipFile(ruta) as paquete:
        nombres = set(paquete.namelist())
        leer = paquete.read
        objetivos = _relaciones(leer, "xl/workbook.xml", nombres)
        resultado = {}
        for hoja in ET.fromstring(leer("xl/workbook.xml")).iter(f"{_NS_PRINCIPAL}sheet"):
            parte = objetivos.get(hoja.get(f"{_NS_REL}id"), ("", ""))[1]
            graficas, imagenes = [], 0
            for tipo, dibujo in _relaciones(leer, parte, nombres).values():
                if not tipo.endswith("/drawing"):
                    continue
                for tipo_d, destino in _relaciones(leer, dibujo, nombres).values():
                    if tipo_d.endswith("/chart"):
                        graficas.append(_grafica(leer(destino)))
                    elif tipo_d.endswith("/image"):
                        imagenes += 1
            resultado[hoja.get("name")] = {"graficas": graficas, "imagenes": imagenes}
    return resultado


def _relaciones(leer, parte: str, nombres: set[str]) -> dict[str, tuple[str, str]]:
    """Id → (tipo, parte destino) de las relaciones de `parte` (vacío si no tiene)."""
    carpeta, archivo = posixpath.split(parte)
    rels = posixpath.join(carpeta, "_rels", f"{archivo}.rels")
    if rels not in nombres:
        return {}
    return {
        r.get("Id"): (r.get("Type"), posixpath.normpath(posixpath.join(carpeta, r.get("Target"))))
        for r in ET.fromstring(leer(rels)).iter(f"{_NS_PAQUETE}Relationship")
        if r.get("TargetMode") != "External"
    }


def _grafica(xml: bytes) -> dict:
    raiz = ET.fromstring(xml)
    area = raiz.find(f".//{_NS_GRAFICA}plotArea")
    tipos = [h.tag.removeprefix(_NS_GRAFICA) for h in area if h.tag.endswith("Chart")]
    series = [f.text for f in area.iter(f"{_NS_GRAFICA}f")]
    return {"tipos": tipos, "rangos": series}


def diferencias(esperado: dict, obtenido: dict) -> list[str]:
    """Las diferencias legibles, en orden de hoja y de celda («Hoja!B5 v: 3 → 4»)."""
    if esperado["hojas"] != obtenido["hojas"]:
        return [f"hojas: {esperado['hojas']} → {obtenido['hojas']}"]
    salida = []
    for nombre in esperado["hojas"]:
        esp, obt = esperado["contenido"][nombre], obtenido["contenido"][nombre]
        for clave in ("rango", "combinadas", "graficas", "imagenes"):
            if esp[clave] != obt[clave]:
                salida.append(f"{nombre} {clave}: {esp[clave]} → {obt[clave]}")
        salida += _diferencias_celdas(nombre, esp["celdas"], obt["celdas"])
    return salida


def _diferencias_celdas(hoja: str, esperadas: dict, obtenidas: dict) -> list[str]:
    salida = []
    for celda in sorted(esperadas.keys() | obtenidas.keys(), key=_orden_celda):
        esp, obt = esperadas.get(celda, {}), obtenidas.get(celda, {})
        for atributo in ("v", "fmt", "fill", "b"):
            if esp.get(atributo) != obt.get(atributo):
                antes, despues = _mostrar(esp, atributo), _mostrar(obt, atributo)
                salida.append(f"{hoja}!{celda} {atributo}: {antes} → {despues}")
    return salida


def _orden_celda(coordenada: str) -> tuple[int, int]:
    return coordinate_to_tuple(coordenada)


def _mostrar(celda: dict, atributo: str) -> str:
    if not celda:
        return "(vacía)"
    return "(nada)" if atributo not in celda else json.dumps(celda[atributo], ensure_ascii=False)


def mensaje(nombre: str, lista: list[str], limite: int = MAXIMO_DIFERENCIAS) -> str:
    """Texto del fallo: cuántas diferencias hay y las primeras `limite`."""
    lineas = [f"{nombre}: {len(lista)} diferencia(s) con lo esperado (esperado → obtenido):"]
    lineas += [f"  {d}" for d in lista[:limite]]
    lineas.append("Si el cambio es intencional: make actualizar-esperados y revise el diff.")
    return "\n".join(lineas)


def guardar(datos: dict, ruta: Path) -> None:
    """Escribe la instantánea como JSON legible (UTF-8, una celda por línea: diffs cortos)."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    hojas = [_texto_hoja(nombre, hoja) for nombre, hoja in datos["contenido"].items()]
    texto = (
        f'{{\n "hojas": {_json(datos["hojas"])},\n "contenido": {{\n'
        + ",\n".join(hojas)
        + "\n }\n}\n"
    )
    ruta.write_text(texto, encoding="utf-8")


def _texto_hoja(nombre: str, hoja: dict) -> str:
    lineas = [
        f"   {_json(clave)}: {_json(valor)}" for clave, valor in hoja.items() if clave != "celdas"
    ]
    celdas = [f"    {_json(c)}: {_json(v)}" for c, v in hoja["celdas"].items()]
    lineas.append('   "celdas": {\n' + ",\n".join(celdas) + "\n   }")
    return f"  {_json(nombre)}: {{\n" + ",\n".join(lineas) + "\n  }"


def _json(valor: object) -> str:
    return json.dumps(valor, ensure_ascii=False)


def cargar(ruta: Path) -> dict:
    """Lee una instantánea guardada."""
    return json.loads(ruta.read_text(encoding="utf-8"))
