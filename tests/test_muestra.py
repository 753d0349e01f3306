"""Generador de la muestra: determinista, llena las plantillas reales y valida sin errores."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from collections import Counter
from pathlib import Path

import pytest

from esquemas import PLANTILLAS
from herramientas.muestra import (
    ESCALAS,
    LibroMuestra,
    PlantillaFaltante,
    generar_libros,
    generar_muestra,
    main,
)
from pipeline.archivos import descubrir
from pipeline.configuracion import cargar_configuracion
from pipeline.lectura import leer
from pipeline.normalizacion import correo_valido, documento
from pipeline.plantillas import generar_plantillas

RAIZ = Path(__file__).resolve().parents[1]
CONFIG = cargar_configuracion(RAIZ / "esquemas" / "entidad.toml")
VIGENCIA = 2025


@pytest.fixture(scope="module")
def plantillas(tmp_path_factory) -> Path:
    carpeta = tmp_path_factory.mktemp("plantillas")
    generar_plantillas(CONFIG, carpeta)
    return carpeta


@pytest.fixture(scope="module")
def mini(plantillas, tmp_path_factory) -> tuple[Path, list[Path]]:
    salida = tmp_path_factory.mktemp("entradas")
    return salida, generar_muestra(salida, CONFIG, VIGENCIA, plantillas, escala="mini")


@pytest.fixture(scope="module")
def muestra() -> list[LibroMuestra]:
    return generar_libros(CONFIG, VIGENCIA, escala="muestra")


def _por_tipo(libros: list[LibroMuestra], tipo: str) -> list[LibroMuestra]:
    return [lb for lb in libros if lb.tipo == tipo]


def _registros(libro: LibroMuestra) -> list[dict]:
    nombres = [c.nombre for c in PLANTILLAS[libro.tipo].columnas]
    return [dict(zip(nombres, fila, strict=True)) for fila in libro.filas]


# --- Determinismo y escritura sobre las plantillas --------------------------------------------


def test_dos_generaciones_dan_los_mismos_bytes(mini, plantillas, tmp_path):
    salida, rutas = mini
    otras = generar_muestra(tmp_path, CONFIG, VIGENCIA, plantillas, escala="mini")
    relativas = [p.relative_to(salida) for p in rutas]
    assert relativas == [p.relative_to(tmp_path) for p in otras]
    for relativa in relativas:
        assert (salida / relativa).read_bytes() == (tmp_path / relativa).read_bytes(), relativa


def test_otra_semilla_da_otros_datos():
    una = generar_libros(CONFIG, VIGENCIA, semilla=1, escala="mini")
    otra = generar_libros(CONFIG, VIGENCIA, semilla=2, escala="mini")
    assert [lb.filas for lb in una] != [lb.filas for lb in otra]


def test_cada_libro_se_reconoce_con_su_tipo_y_sus_filas(mini):
    salida, rutas = mini
    esperados = {lb.ruta: lb for lb in generar_libros(CONFIG, VIGENCIA, escala="mini")}
    entradas = descubrir(salida, str(VIGENCIA))
    assert sorted(e.relativa for e in entradas) == sorted(esperados)
    for entrada in entradas:
        libro = leer(entrada)
        esperado = esperados[entrada.relativa]
        assert libro.tipo == esperado.tipo
        assert libro.desde_plantilla, entrada.relativa
        assert libro.problemas == []
        assert len(libro.datos) == len(esperado.filas)
        primera = PLANTILLAS[esperado.tipo].primera_fila_datos
        assert list(libro.datos.index) == list(range(primera, primera + len(esperado.filas)))


def test_la_ficha_queda_en_la_columna_b(mini):
    salida, _ = mini
    plan = next(e for e in descubrir(salida, str(VIGENCIA)) if "plan_asistencia" in e.relativa)
    libro = leer(plan)
    plantilla = PLANTILLAS["plan"]
    assert libro.celdas_ficha["vigencia"] == f"B{plantilla.fila_ficha('vigencia')}"
    assert libro.ficha["vigencia"] == VIGENCIA
    assert CONFIG.direccion(libro.ficha["direccion"]) == CONFIG.direcciones[0]


def test_sin_plantillas_el_comando_termina_con_codigo_2(tmp_path, capsys):
    codigo = main(["--salida", str(tmp_path), "--vigencia", "2025", "--plantillas", str(tmp_path)])
    assert codigo == 2
    assert "plantilla" in capsys.readouterr().err
    with pytest.raises(PlantillaFaltante):
        generar_muestra(tmp_path, CONFIG, VIGENCIA, tmp_path, escala="mini")


def test_escala_desconocida():
    with pytest.raises(ValueError):
        generar_libros(CONFIG, VIGENCIA, escala="gigante")


@pytest.mark.skipif(
    importlib.util.find_spec("pipeline.validacion.campos") is None
    or importlib.util.find_spec("pipeline.validacion.entre_archivos") is None,
    reason="la validación todavía no está completa",
)
def test_la_muestra_mini_valida_sin_errores(mini):
    from pipeline.validacion import validar
    from pipeline.validacion.contexto import Contexto

    salida, _ = mini
    resultado = validar(salida, Contexto.crear(CONFIG, str(VIGENCIA)))
    errores = [(p.codigo, p.archivo, p.celda) for p in resultado.problemas if p.es_error]
    assert errores == []


@pytest.mark.lento
@pytest.mark.skipif(not (RAIZ / "entradas" / "2025").is_dir(), reason="no hay muestra incluida")
def test_la_muestra_incluida_valida_sin_errores():
    from pipeline.validacion import validar
    from pipeline.validacion.contexto import Contexto

    resultado = validar(RAIZ / "entradas", Contexto.crear(CONFIG, str(VIGENCIA)))
    assert [(p.codigo, p.archivo, p.celda) for p in resultado.problemas if p.es_error] == []
    assert set(resultado.por_codigo()) <= {"X8", "X10", "X11"}


# --- Contenido de la muestra incluida (sin escribir archivos) ---------------------------------


def test_disposicion_de_carpetas_y_nombres(muestra):
    codigos = {d.codigo for d in CONFIG.direcciones}
    for codigo in codigos:
        for nombre in ("plan_asistencia", "cronograma", "compromisos"):
            assert f"{VIGENCIA}/{codigo}/{nombre}_{codigo}_{VIGENCIA}.xlsx" in {
                lb.ruta for lb in muestra
            }
    for libro in _por_tipo(muestra, "asistencia") + _por_tipo(muestra, "evaluacion"):
        actividad = libro.ficha["id_actividad"]
        codigo = actividad.split("-")[0]
        archivo = "lista_asistencia.xlsx" if libro.tipo == "asistencia" else "evaluacion.xlsx"
        assert libro.ruta == f"{VIGENCIA}/{codigo}/sesiones/{actividad}/{archivo}"


def test_cada_sesion_realizada_tiene_lista_y_evaluacion_con_su_fecha(muestra):
    realizadas = {
        r["id_actividad"]: r["fecha_realizacion"]
        for lb in _por_tipo(muestra, "cronograma")
        for r in _registros(lb)
        if r["estado"] == "Realizada"
    }
    assert 35 <= len(realizadas) <= 70
    for tipo in ("asistencia", "evaluacion"):
        fichas = {
            lb.ficha["id_actividad"]: lb.ficha["fecha_actividad"] for lb in _por_tipo(muestra, tipo)
        }
        assert fichas == realizadas
    trimestres = Counter((f.month - 1) // 3 + 1 for f in realizadas.values())
    assert set(trimestres) == {1, 2, 3, 4}


def test_cronograma_coherente_con_el_corte(muestra):
    corte = dt.date(VIGENCIA, 12, 31)
    estados = Counter()
    for libro in _por_tipo(muestra, "cronograma"):
        assert libro.ficha["fecha_corte"] == corte
        for r in _registros(libro):
            estados[r["estado"]] += 1
            assert r["fecha_programada"].year == VIGENCIA
            assert (r["fecha_realizacion"] is not None) == (r["estado"] == "Realizada")
            if r["estado"] == "Realizada":
                assert r["fecha_realizacion"] <= corte
                assert r["fecha_entrega_informe"] >= r["fecha_realizacion"]
            if r["estado"] in ("Reprogramada", "Cancelada"):
                assert r["motivo"]
            if r["estado"] == "Reprogramada":
                assert r["nueva_fecha"] > corte
    assert estados["Programada"] == 0  # con corte al 31/12 nada queda en el futuro
    assert estados["Reprogramada"] >= 1 and estados["Cancelada"] >= 1


def test_algunos_informes_tarde_pero_pocos(muestra):
    from pipeline.dias_habiles import dias_habiles_despues

    dias = [
        dias_habiles_despues(r["fecha_realizacion"], r["fecha_entrega_informe"])
        for lb in _por_tipo(muestra, "cronograma")
        for r in _registros(lb)
        if r["estado"] == "Realizada"
    ]
    tarde = sum(d > CONFIG.parametros.dias_habiles_informe for d in dias)
    assert 1 <= tarde <= len(dias) * 0.25


def test_ids_unicos_y_enlazados(muestra):
    plan = [r["id_asistencia"] for lb in _por_tipo(muestra, "plan") for r in _registros(lb)]
    crono = [r for lb in _por_tipo(muestra, "cronograma") for r in _registros(lb)]
    assert len(plan) == len(set(plan))
    assert len({r["id_actividad"] for r in crono}) == len(crono)
    assert {r["id_asistencia"] for r in crono} <= set(plan)
    actividades = {r["id_actividad"] for r in crono}
    for libro in _por_tipo(muestra, "compromisos"):
        assert {r["id_actividad"] for r in _registros(libro)} <= actividades
    for libro in _por_tipo(muestra, "plan"):
        assert 4 <= len(libro.filas) <= 6


def test_asistentes_sinteticos_y_realistas(muestra):
    filas = [r for lb in _por_tipo(muestra, "asistencia") for r in _registros(lb)]
    sexo = Counter(r["sexo"] for r in filas)
    assert 0.5 < sexo["Mujer"] / len(filas) < 0.7
    tipos = Counter(r["tipo_documento"] for r in filas)
    assert tipos["CC"] / len(filas) > 0.85 and len(tipos) >= 3
    for r in filas:
        assert r["correo"] is None or (
            correo_valido(r["correo"])
            and r["correo"].split("@")[1].split(".")[0].endswith("ejemplo")
        )
    assert Counter(r["autoriza_datos"] for r in filas).most_common(1)[0][0] == "Sí"
    for libro in _por_tipo(muestra, "asistencia"):
        assert 10 <= len(libro.filas) <= 41


def test_un_solo_documento_repetido_y_una_sesion_con_pocas_evaluaciones(muestra):
    repetidos = 0
    asistentes = {}
    for libro in _por_tipo(muestra, "asistencia"):
        documentos = Counter(
            (r["tipo_documento"], documento(r["numero_documento"])) for r in _registros(libro)
        )
        repetidos += sum(n - 1 for n in documentos.values())
        asistentes[libro.ficha["id_actividad"]] = len(documentos)
    assert repetidos == 1
    cobertura = CONFIG.parametros.cobertura_minima_evaluacion
    pocas = 0
    for libro in _por_tipo(muestra, "evaluacion"):
        total = asistentes[libro.ficha["id_actividad"]]
        assert 1 <= len(libro.filas) <= total
        pocas += len(libro.filas) < math.ceil(cobertura * total / 100)
        for r in _registros(libro):
            assert r["satisfaccion_general"] in range(1, 6)
    assert pocas == 1


def test_compromisos_con_estados_mezclados(muestra):
    filas = [r for lb in _por_tipo(muestra, "compromisos") for r in _registros(lb)]
    assert {"Cumplido", "Pendiente", "En curso"} <= {r["estado"] for r in filas}
    for r in filas:
        assert (r["fecha_cumplimiento"] is not None) == (r["estado"] == "Cumplido")
        if r["fecha_cumplimiento"]:
            assert r["fecha_cumplimiento"] <= dt.date(VIGENCIA, 12, 31)


def test_escalas_declaradas():
    assert {"mini", "muestra", "rapido", "nacional"} <= set(ESCALAS)
    assert ESCALAS["mini"].direcciones == 1


def test_la_configuracion_nacional_del_benchmark_es_valida():
    import tomllib

    from bench.nacional import configuracion_toml
    from pipeline.configuracion import desde_dict

    config = desde_dict(tomllib.loads(configuracion_toml(20)))
    assert len(config.direcciones) == 20
    assert len({d.codigo for d in config.direcciones}) == 20
