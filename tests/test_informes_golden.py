"""Pruebas golden de los libros para directivos (§7): cada libro contra tests/esperados/<libro>.json.

Una corrida completa de `consolidar_vigencia` sobre una vigencia pequeña y fija escribe los libros;
cada uno se lee (valores, formatos, rellenos, negrita, gráficas, imágenes) y se compara con lo
guardado. Con ACTUALIZAR_ESPERADOS=1 (`make actualizar-esperados`) se reescriben los JSON y las
pruebas se saltan: revise el diff antes de confirmar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from golden import Normalizar, cargar, diferencias, guardar, instantanea, mensaje
from libros import escribir_entradas, ficha_valida, fila_valida

from pipeline.configuracion import cargar_configuracion
from pipeline.ejecucion import consolidar_vigencia

ESPERADOS = Path(__file__).parent / "esperados"
ACTUALIZAR = os.environ.get("ACTUALIZAR_ESPERADOS") == "1"
CORTE = dt.date(2025, 6, 30)
LIBROS = [
    "consolidado/base_consolidada_2025",
    "informes/informe_trimestral_2025_T1",
    "informes/informe_trimestral_2025_T2",
    "informes/matriz_semestral_2025_S1",
    "informes/informe_anual_2025",
    "informes/seguimiento_mensual_2025",
]

D = dt.date
PISCC = "Planes Integrales de Seguridad y Convivencia Ciudadana (PISCC)"
FONSET = "Fondos Territoriales de Seguridad y Convivencia Ciudadana (FONSET)"
RUTAS = "Rutas de atención a víctimas de violencia basada en género"
SIN_LUGAR = {"departamento": None, "municipio": None}
NO_REALIZADA = {"fecha_realizacion": None, "fecha_entrega_informe": None}


def _plan_dgt() -> list[dict]:
    fonset = {"id_asistencia": "DGT-2025-002", "tema": FONSET, "tipo_servicio": "Capacitación"}
    fonset |= {"mecanismo": "Mesa de trabajo", "modalidad": "Virtual", "orden": "Nacional"}
    fonset |= {"entidad_beneficiaria": "Gobernaciones del país", "fecha_inicio": D(2025, 4, 1)}
    fonset |= {"fecha_fin": CORTE, "sesiones_programadas": 3, "presupuesto": None}
    fonset |= {"profesional_responsable": "Luis Torres", **SIN_LUGAR}
    return [fila_valida("plan", fecha_fin=CORTE), fila_valida("plan", **fonset)]


def _cronograma_dgt() -> list[dict]:
    fonset = {"id_asistencia": "DGT-2025-002", "modalidad": "Virtual", **SIN_LUGAR}
    return [
        # T1, realizada e informada a tiempo (2 días hábiles).
        fila_valida("cronograma"),
        # T1, reprogramada para el tercer trimestre.
        fila_valida(
            "cronograma",
            id_actividad="DGT-2025-001-02",
            actividad="Mesa de seguimiento del PISCC",
            fecha_programada=D(2025, 3, 25),
            estado="Reprogramada",
            nueva_fecha=D(2025, 7, 15),
            motivo="Cambio de agenda de la alcaldía",
            **NO_REALIZADA,
        ),
        # T2, realizada un día después; informe 7 días hábiles tarde (X11).
        fila_valida(
            "cronograma",
            id_actividad="DGT-2025-002-01",
            actividad="Mesa técnica FONSET",
            fecha_programada=D(2025, 5, 20),
            fecha_realizacion=D(2025, 5, 21),
            fecha_entrega_informe=D(2025, 5, 30),
            **fonset,
        ),
        # T2, cancelada.
        fila_valida(
            "cronograma",
            id_actividad="DGT-2025-002-02",
            actividad="Segunda mesa FONSET",
            fecha_programada=D(2025, 6, 10),
            estado="Cancelada",
            motivo="Sin quórum",
            **fonset,
            **NO_REALIZADA,
        ),
    ]


def _listas_dgt() -> dict[str, tuple[str, dict, list[dict]]]:
    sin_contacto = {"correo": None, "telefono": None}
    carlos = {"nombres": "Carlos Rodríguez", "numero_documento": "12.345.678", "sexo": "Hombre"}
    laura = {"nombres": "Laura Martínez", "tipo_documento": "CE", "numero_documento": "987654"}
    pedro = {"nombres": "Pedro Díaz", "sexo": "Hombre", "departamento": "Cauca"}
    pedro |= {"municipio": "Popayán", "entidad_organizacion": "Gobernación del Cauca"}
    ficha_2 = {"id_actividad": "DGT-2025-002-01", "fecha_actividad": D(2025, 5, 21)}
    return {
        "DGT/listas/lista_001_01.xlsx": (
            "asistencia",
            ficha_valida("asistencia"),
            [
                fila_valida("asistencia"),
                fila_valida("asistencia", **carlos, **sin_contacto, autoriza_datos="No"),
                fila_valida("asistencia", **laura, correo="laura@example.org", telefono=None),
            ],
        ),
        # María repite (personas únicas < asistentes); Pedro dos veces (X8, se cuenta una).
        "DGT/listas/lista_002_01.xlsx": (
            "asistencia",
            ficha_valida("asistencia", **ficha_2, lugar="Virtual"),
            [
                fila_valida("asistencia"),
                fila_valida("asistencia", **pedro, **sin_contacto, numero_documento="55.666.777"),
                fila_valida("asistencia", **pedro, **sin_contacto, numero_documento="55666777"),
            ],
        ),
    }


def _evaluaciones_dgt() -> dict[str, tuple[str, dict, list[dict]]]:
    regular = {"pertinencia": 4, "claridad": 3, "metodologia": None, "dominio": 4}
    regular |= {"utilidad": 3, "satisfaccion_general": 3, "observaciones": "Faltó tiempo"}
    ficha_2 = {"id_actividad": "DGT-2025-002-01", "fecha_actividad": D(2025, 5, 21)}
    return {
        "DGT/evaluaciones/eval_001_01.xlsx": (
            "evaluacion",
            ficha_valida("evaluacion"),
            [fila_valida("evaluacion"), fila_valida("evaluacion", **regular)],
        ),
        "DGT/evaluaciones/eval_002_01.xlsx": (
            "evaluacion",
            ficha_valida("evaluacion", **ficha_2),
            [fila_valida("evaluacion", satisfaccion_general=4), fila_valida("evaluacion")],
        ),
    }


def _compromisos_dgt() -> list[dict]:
    vencido = {"id_actividad": "DGT-2025-002-01", "compromiso": "Remitir el instructivo FONSET"}
    vencido |= {"responsable": "Dirección de Gobernabilidad Territorial", "estado": "Pendiente"}
    vencido |= {"fecha_limite": D(2025, 6, 13), "fecha_cumplimiento": None}
    return [fila_valida("compromisos"), fila_valida("compromisos", **vencido)]


def _dpv() -> dict[str, tuple[str, dict, list[dict]]]:
    lugar = {"departamento": "Antioquia", "municipio": "Medellín"}
    item = {"id_asistencia": "DPV-2025-001", "tema": RUTAS, "tipo_servicio": "Asistencia técnica"}
    item |= {"entidad_beneficiaria": "Alcaldía de Medellín", "fecha_inicio": D(2025, 2, 1)}
    item |= {"fecha_fin": CORTE, "sesiones_programadas": 1, "participantes_esperados": 20}
    item |= {"presupuesto": 800000, "profesional_responsable": "Marta Ríos", **lugar}
    fecha = D(2025, 2, 20)
    actividad = {"id_actividad": "DPV-2025-001-01", "id_asistencia": "DPV-2025-001"}
    actividad |= {"actividad": "Taller de rutas de atención", "fecha_programada": fecha}
    actividad |= {"fecha_realizacion": fecha, "fecha_entrega_informe": D(2025, 2, 21), **lugar}
    return {
        # La segunda fila tiene 0 sesiones: error de campo, fila excluida (Calidad de datos).
        "DPV/plan.xlsx": (
            "plan",
            ficha_valida("plan", direccion="DPV"),
            [
                fila_valida("plan", **item),
                fila_valida(
                    "plan", **item | {"id_asistencia": "DPV-2025-002", "sesiones_programadas": 0}
                ),
            ],
        ),
        # Realizada sin lista de asistencia (X9).
        "DPV/cronograma.xlsx": (
            "cronograma",
            ficha_valida("cronograma", direccion="DPV"),
            [fila_valida("cronograma", **actividad)],
        ),
    }


def _entradas(raiz: Path) -> Path:
    archivos = {
        "DGT/plan.xlsx": ("plan", ficha_valida("plan"), _plan_dgt()),
        "DGT/cronograma.xlsx": ("cronograma", ficha_valida("cronograma"), _cronograma_dgt()),
        "DGT/compromisos.xlsx": ("compromisos", ficha_valida("compromisos"), _compromisos_dgt()),
        **_listas_dgt(),
        **_evaluaciones_dgt(),
        **_dpv(),
    }
    entradas = escribir_entradas(raiz, archivos)
    (entradas / "2025" / "DGT" / "léame.txt").write_text("Notas del equipo.\n", encoding="utf-8")
    return entradas


def _normalizador(raiz: Path, entradas: Path) -> Normalizar:
    """Quita de los textos lo que cambia entre corridas: la carpeta temporal y las huellas.

    Los libros de entrada llevan la hora de creación, así que su SHA-256 cambia en cada corrida;
    se sustituye por «sha256(<ruta>)» solo si coincide con la huella real del archivo, de modo que
    una huella mal calculada sigue apareciendo como diferencia.
    """
    huellas = {
        hashlib.sha256(p.read_bytes()).hexdigest(): f"sha256({p.relative_to(entradas).as_posix()})"
        for p in sorted(entradas.rglob("*"))
        if p.is_file()
    }
    carpeta = str(raiz)

    def normalizar(texto: str) -> str:
        return huellas.get(texto, texto.replace(carpeta, "<tmp>"))

    return normalizar


@pytest.fixture(scope="module")
def corrida(tmp_path_factory) -> tuple[Path, Normalizar]:
    """Escribe la vigencia de prueba, la consolida y da la carpeta salidas/2025 y el normalizador."""
    raiz = tmp_path_factory.mktemp("golden")
    entradas = _entradas(raiz)
    salidas = raiz / "salidas"
    comando = f"asistencia consolidar --entradas {entradas} --salidas {salidas} --corte 2025-06-30"
    config = cargar_configuracion()
    consolidar_vigencia(config, entradas, salidas, "2025", corte=CORTE, comando=comando)
    return salidas / "2025", _normalizador(raiz, entradas)


@pytest.mark.parametrize("libro", LIBROS, ids=[Path(n).name for n in LIBROS])
def test_golden_libro(corrida, libro: str) -> None:
    """Cada libro coincide con su JSON esperado (hojas, rangos, celdas, formatos, dibujos)."""
    carpeta, normalizar = corrida
    obtenido = instantanea(carpeta / f"{libro}.xlsx", normalizar)
    esperado_ruta = ESPERADOS / f"{Path(libro).name}.json"
    if ACTUALIZAR:
        guardar(obtenido, esperado_ruta)
        pytest.skip(f"Se reescribió {esperado_ruta.name}: revise el diff antes de confirmar.")
    assert esperado_ruta.exists(), f"Falta {esperado_ruta}: ejecute make actualizar-esperados."
    lista = diferencias(cargar(esperado_ruta), obtenido)
    if lista:
        pytest.fail(mensaje(f"{libro}.xlsx", lista), pytrace=False)


def test_golden_cubre_todos_los_libros(corrida) -> None:
    """Todo libro de informes/ y consolidado/ tiene su prueba golden, y no sobra ningún JSON."""
    carpeta, _ = corrida
    producidos = {
        p.relative_to(carpeta).with_suffix("").as_posix()
        for sub in ("informes", "consolidado")
        for p in (carpeta / sub).glob("*.xlsx")
    }
    assert producidos == set(LIBROS), "Añada o quite el libro en LIBROS de esta prueba."
    guardados = {p.stem for p in ESPERADOS.glob("*.json")}
    sobrantes = guardados - {Path(n).name for n in LIBROS}
    if ACTUALIZAR and sobrantes:
        for nombre in sobrantes:
            (ESPERADOS / f"{nombre}.json").unlink()
        pytest.skip(f"Se borraron los JSON sin libro: {sorted(sobrantes)}; revise el diff.")
    assert not sobrantes, f"JSON esperados sin libro: {sorted(sobrantes)}"


def test_golden_diferencias_muestra_las_primeras_celdas(tmp_path) -> None:
    """El mensaje de fallo da hoja!celda, atributo, esperado → obtenido, en orden y con tope."""
    hoja = {"rango": "A1:B12", "combinadas": [], "graficas": [], "imagenes": 0}
    celdas = {f"B{i}": {"v": i, "fmt": "0.0%"} for i in range(1, 13)}
    esperado = {"hojas": ["Resumen"], "contenido": {"Resumen": {**hoja, "celdas": celdas}}}
    guardar(esperado, tmp_path / "e.json")
    assert cargar(tmp_path / "e.json") == esperado
    cambiadas = {c: {**v, "v": v["v"] + 100} for c, v in celdas.items()}
    cambiadas["B2"] = {"v": 2, "fmt": "0.0%", "fill": "#FFC7CE"}
    obtenido = {"hojas": ["Resumen"], "contenido": {"Resumen": {**hoja, "celdas": cambiadas}}}
    lista = diferencias(esperado, obtenido)
    assert lista[:3] == [
        "Resumen!B1 v: 1 → 101",
        'Resumen!B2 fill: (nada) → "#FFC7CE"',
        "Resumen!B3 v: 3 → 103",
    ]
    texto = mensaje("x.xlsx", lista)
    assert "12 diferencia(s)" in texto and "Resumen!B10 v" in texto and "Resumen!B11" not in texto
    otro = {"hojas": ["Resumen", "Extra"], "contenido": {}}
    assert diferencias(esperado, otro) == ["hojas: ['Resumen'] → ['Resumen', 'Extra']"]
