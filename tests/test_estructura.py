"""Los bordes del proyecto: qué se instala, qué guardan los `__init__` y el mapa de carpetas del README."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[1]
PRODUCTO = ("pipeline", "esquemas")

# `__init__` que todavía guardan lógica y deben quedar solo con su docstring e importaciones: cada
# uno pertenece a un área que se está reorganizando. Al moverla, se quita de aquí.
INIT_CON_LOGICA_PENDIENTE: set[str] = set()


def _paquetes_del_producto() -> list[str]:
    return sorted(
        ".".join(init.parent.relative_to(RAIZ).parts)
        for carpeta in PRODUCTO
        for init in (RAIZ / carpeta).rglob("__init__.py")
    )


def _importados(archivo: Path) -> set[str]:
    nombres: set[str] = set()
    for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
        if isinstance(nodo, ast.Import):
            nombres |= {a.name for a in nodo.names}
        elif isinstance(nodo, ast.ImportFrom) and nodo.module:
            nombres.add(nodo.module)
    return nombres


def test_pyproject_instala_todos_los_paquetes_del_producto_y_nada_mas():
    configuracion = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))
    instalados = configuracion["tool"]["setuptools"]["packages"]
    assert sorted(instalados) == _paquetes_del_producto()


@pytest.mark.parametrize("carpeta", PRODUCTO)
def test_el_producto_no_importa_herramientas_ni_bench(carpeta):
    for archivo in sorted((RAIZ / carpeta).rglob("*.py")):
        ajenos = {
            n for n in _importados(archivo) if n.split(".")[0] in {"herramientas", "bench", "tests"}
        }
        assert not ajenos, f"{archivo.relative_to(RAIZ)} importa {sorted(ajenos)}"


def _es_declaracion(nodo: ast.stmt) -> bool:
    """Docstring, importación, `__all__` o `from __future__`: lo único que cabe en un `__init__`."""
    if isinstance(nodo, ast.Import | ast.ImportFrom):
        return True
    if isinstance(nodo, ast.Expr) and isinstance(nodo.value, ast.Constant):
        return isinstance(nodo.value.value, str)
    if isinstance(nodo, ast.Assign | ast.AnnAssign):
        objetivos = nodo.targets if isinstance(nodo, ast.Assign) else [nodo.target]
        return all(isinstance(t, ast.Name) and t.id == "__all__" for t in objetivos)
    return False


def _inits() -> list[str]:
    return sorted(
        str(init.relative_to(RAIZ))
        for carpeta in (*PRODUCTO, "herramientas")
        for init in (RAIZ / carpeta).rglob("__init__.py")
    )


@pytest.mark.parametrize("ruta", _inits())
def test_los_init_no_guardan_logica(ruta):
    cuerpo = ast.parse((RAIZ / ruta).read_text(encoding="utf-8")).body
    con_logica = [n.lineno for n in cuerpo if not _es_declaracion(n)]
    if ruta in INIT_CON_LOGICA_PENDIENTE:
        assert con_logica, f"{ruta} ya no guarda lógica: quítelo de INIT_CON_LOGICA_PENDIENTE"
    else:
        assert not con_logica, f"{ruta} guarda lógica en las líneas {con_logica}"


def _mapa_de_carpetas() -> str:
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    seccion = readme.split("## Carpetas", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```\n(.*?)```", seccion, re.S).group(1)


def test_el_readme_nombra_cada_modulo_y_subpaquete_de_pipeline():
    nombrados = set(re.findall(r"^ +(\w+(?:\.py|/)) ", _mapa_de_carpetas(), re.M))
    pipeline = RAIZ / "pipeline"
    esperados = {p.name for p in pipeline.glob("*.py") if p.name != "__init__.py"}
    esperados |= {p.parent.name + "/" for p in pipeline.glob("*/__init__.py")}
    assert not esperados - nombrados, f"faltan en el README: {sorted(esperados - nombrados)}"
    assert not nombrados - esperados - {"catalogos/", "muestra.py"}, (
        f"el README nombra lo que no existe: {sorted(nombrados - esperados)}"
    )


def test_el_readme_nombra_las_carpetas_de_primer_nivel():
    nombradas = set(re.findall(r"^([\w]+)/", _mapa_de_carpetas(), re.M))
    propias = {"pipeline", "esquemas", "herramientas", "tests", "bench"}
    assert propias <= nombradas


def _modulos_del_producto() -> list[str]:
    return sorted(
        str(ruta.relative_to(RAIZ))
        for carpeta in PRODUCTO
        for ruta in (RAIZ / carpeta).rglob("*.py")
    )


@pytest.mark.parametrize("ruta", _modulos_del_producto())
def test_los_colores_salen_de_la_paleta_de_escritura(ruta):
    if ruta == "pipeline/escritura.py":
        return
    colores = re.findall(r"[\"']#[0-9A-Fa-f]{6}[\"']", (RAIZ / ruta).read_text(encoding="utf-8"))
    assert not colores, (
        f"{ruta} define colores propios {colores}: use la paleta de pipeline.escritura"
    )
