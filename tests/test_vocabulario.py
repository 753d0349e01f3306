"""El vocabulario del dominio se nombra una vez y los errores que detienen una operación son una familia."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from esquemas.vocabulario import EstadoActividad, EstadoCompromiso, Orden
from herramientas.muestra import PlantillaFaltante
from pipeline.ejecucion import ErrorUso
from pipeline.errores import ErrorAsistencia
from pipeline.escritura import ErrorDestino
from pipeline.informes.textos_equipo import InformeIlegible

RAIZ = Path(__file__).resolve().parents[1]
ESTADOS = {str(e) for e in (*EstadoActividad, *EstadoCompromiso, *Orden)}
# Módulos que todavía escriben un estado (o un orden) con su texto: pertenecen a un área que se está reescribiendo.
# Al pasarlos a `esquemas.vocabulario`, se quitan de aquí.
ESTADOS_ESCRITOS_PENDIENTES: set[str] = set()


def _textos_de_codigo(archivo: Path) -> set[str]:
    """Las constantes de texto del módulo que no son docstrings ni comentarios sueltos."""
    arbol = ast.parse(archivo.read_text(encoding="utf-8"))
    sueltos = {
        id(nodo.value)
        for nodo in ast.walk(arbol)
        if isinstance(nodo, ast.Expr) and isinstance(nodo.value, ast.Constant)
    }
    return {
        nodo.value
        for nodo in ast.walk(arbol)
        if isinstance(nodo, ast.Constant)
        and isinstance(nodo.value, str)
        and id(nodo) not in sueltos
    }


def _modulos() -> list[str]:
    return sorted(
        str(p.relative_to(RAIZ))
        for carpeta in ("pipeline", "esquemas")
        for p in (RAIZ / carpeta).rglob("*.py")
        if p.name != "vocabulario.py"
        and str(p.relative_to(RAIZ)) not in ESTADOS_ESCRITOS_PENDIENTES
    )


@pytest.mark.parametrize("ruta", _modulos())
def test_los_estados_se_nombran_solo_en_el_vocabulario(ruta):
    escritos = _textos_de_codigo(RAIZ / ruta) & ESTADOS
    assert not escritos, f"{ruta} escribe {sorted(escritos)}: use esquemas.vocabulario"


def test_la_lista_de_pendientes_no_guarda_modulos_ya_limpios():
    for ruta in ESTADOS_ESCRITOS_PENDIENTES:
        assert _textos_de_codigo(RAIZ / ruta) & ESTADOS, f"{ruta} ya no escribe estados: quítelo"


def test_el_detector_ve_un_estado_escrito(tmp_path):
    modulo = tmp_path / "m.py"
    modulo.write_text('"""Doc con "Realizada"."""\nX = "Realizada"\n', encoding="utf-8")
    assert _textos_de_codigo(modulo) & ESTADOS == {"Realizada"}


def _importa(ruta: str, modulo: str, nombre: str) -> bool:
    arbol = ast.parse((RAIZ / ruta).read_text(encoding="utf-8"))
    return any(
        isinstance(n, ast.ImportFrom) and n.module == modulo and nombre in {a.name for a in n.names}
        for n in ast.walk(arbol)
    )


@pytest.mark.parametrize("ruta", ["pipeline/consolidacion.py", "pipeline/validacion/plazos.py"])
@pytest.mark.parametrize("funcion", ["dias_habiles_entre", "informe_oportuno"])
def test_x11_y_la_consolidacion_comparten_el_informe_oportuno(ruta, funcion):
    assert _importa(ruta, "pipeline.dias_habiles", funcion)


@pytest.mark.parametrize(
    "error", [ErrorUso, ErrorDestino, InformeIlegible, PlantillaFaltante], ids=lambda e: e.__name__
)
def test_los_errores_que_detienen_la_corrida_son_errores_del_producto(error):
    assert issubclass(error, ErrorAsistencia)
