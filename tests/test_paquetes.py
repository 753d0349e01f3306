"""Paquetes por dirección (§11): ida y vuelta con una vigencia pequeña y los pendientes de --desde.

En la ida y vuelta el cronograma diligenciado se deja junto al anterior, como lo haría el enlace: con
una Fecha de corte posterior es la versión nueva (§10.1) y el anterior queda Reemplazado (X16).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from libros import escribir_entradas, escribir_libro, ficha_valida, fila_valida, sesion_valida

from esquemas import PLANTILLAS
from pipeline.cli import main
from pipeline.configuracion import cargar_configuracion
from pipeline.consolidacion import consolidar
from pipeline.ejecucion import ErrorUso
from pipeline.informes.textos_equipo import ROTULO_CONCLUSIONES
from pipeline.paquetes import fecha_de_la_sesion, generar_paquetes, nombre_carpeta, nuevo_id
from pipeline.validacion import Contexto, validar

RAIZ = Path(__file__).resolve().parents[1]
CONFIG = cargar_configuracion(RAIZ / "esquemas" / "entidad.toml")
D = dt.date


def _vigencia_pequena(tmp_path: Path) -> Path:
    """DGT 2025: un ítem de 3 sesiones; 001-01 realizada con lista y evaluación, 001-02 programada."""
    programada = fila_valida(
        "cronograma",
        id_actividad="DGT-2025-001-02",
        actividad="Mesa de seguimiento",
        fecha_programada=D(2025, 3, 20),
        estado="Programada",
        fecha_realizacion=None,
        fecha_entrega_informe=None,
    )
    return escribir_entradas(
        tmp_path,
        {
            "DGT/plan.xlsx": (
                "plan",
                ficha_valida("plan"),
                [fila_valida("plan", sesiones_programadas=3)],
            ),
            "DGT/cronograma.xlsx": (
                "cronograma",
                ficha_valida("cronograma", fecha_corte=D(2025, 3, 15)),
                [fila_valida("cronograma"), programada],
            ),
            **sesion_valida(),
        },
    )


def _filas(hoja, primera: int) -> dict[str, int]:
    """ID actividad (columna A) → fila, desde la primera fila de datos."""
    return {
        hoja.cell(f, 1).value: f for f in range(primera, hoja.max_row + 1) if hoja.cell(f, 1).value
    }


def _poner(hoja, fila: int, tipo: str, **valores) -> None:
    for nombre, valor in valores.items():
        hoja.cell(fila, PLANTILLAS[tipo].indice_columna(nombre) + 1, valor)


def _ficha(hoja, tipo: str, **valores) -> None:
    for nombre, valor in valores.items():
        hoja.cell(PLANTILLAS[tipo].fila_ficha(nombre), 2, valor)


def _diligenciar_sesion(kit: Path, destino: Path, personas: int) -> None:
    """Lo que hace el equipo con el paquete de una sesión: responsable, asistentes y evaluaciones."""
    destino.mkdir(parents=True, exist_ok=True)
    for tipo, filas in (("asistencia", personas), ("evaluacion", 1)):
        plantilla = PLANTILLAS[tipo]
        libro = openpyxl.load_workbook(kit / plantilla.archivo)
        hoja = libro[plantilla.hoja]
        _ficha(hoja, tipo, responsable="Ana Pérez")
        for i in range(filas):
            fila = plantilla.primera_fila_datos + i
            if tipo == "asistencia":
                documento = f"10851234{i:02d}"
                _poner(hoja, fila, tipo, **fila_valida(tipo, numero_documento=documento))
            else:
                _poner(hoja, fila, tipo, **fila_valida(tipo))
        libro.save(destino / plantilla.archivo)


def test_ida_y_vuelta_de_los_paquetes(tmp_path):
    entradas = _vigencia_pequena(tmp_path)
    salidas = tmp_path / "salidas"
    resultado = generar_paquetes(CONFIG, entradas, salidas, "2025")
    kit = salidas / "2025" / "paquetes" / "DGT"
    assert sorted(p.relative_to(kit).as_posix() for p in kit.rglob("*.xlsx")) == [
        "cronograma_DGT_2025.xlsx",
        "plan_asistencia_DGT_2025.xlsx",
        "sesiones/DGT-2025-001-02/evaluacion.xlsx",
        "sesiones/DGT-2025-001-02/lista_asistencia.xlsx",
    ]
    otras = [p.name for p in (salidas / "2025" / "paquetes" / "DPV").rglob("*.xlsx")]
    assert otras == ["plan_asistencia_DPV_2025.xlsx"]
    assert any(a.startswith("DPV:") for a in resultado.avisos)
    assert not list(entradas.rglob("*paquetes*"))

    # El cronograma del paquete: las dos filas aceptadas y una fila nueva para la tercera sesión.
    cronograma = PLANTILLAS["cronograma"]
    libro = openpyxl.load_workbook(kit / "cronograma_DGT_2025.xlsx")
    hoja = libro[cronograma.hoja]
    filas = _filas(hoja, cronograma.primera_fila_datos)
    assert list(filas) == ["DGT-2025-001-01", "DGT-2025-001-02", "DGT-2025-001-03"]
    nueva = filas["DGT-2025-001-03"]
    assert [hoja.cell(nueva, j).value for j in (2, 3, 4, 5)] == [
        "DGT-2025-001",
        None,
        None,
        "Programada",
    ]
    _ficha(hoja, "cronograma", responsable="Ana Pérez", fecha_corte=dt.datetime(2025, 7, 31))
    _poner(hoja, filas["DGT-2025-001-02"], "cronograma", estado="Realizada")
    _poner(hoja, filas["DGT-2025-001-02"], "cronograma", fecha_realizacion=dt.datetime(2025, 3, 20))
    _poner(
        hoja,
        nueva,
        "cronograma",
        actividad="Taller de cierre",
        fecha_programada=dt.datetime(2025, 4, 10),
        estado="Realizada",
        fecha_realizacion=dt.datetime(2025, 4, 10),
    )
    libro.save(entradas / "2025" / "DGT" / "cronograma_DGT_2025.xlsx")

    # La sesión ya programada trae su ficha llena; la nueva sale al generar otra vez.
    sesion = kit / "sesiones" / "DGT-2025-001-02"
    ficha = openpyxl.load_workbook(sesion / "lista_asistencia.xlsx")["Asistencia"]
    asistencia = PLANTILLAS["asistencia"]
    assert ficha.cell(asistencia.fila_ficha("id_actividad"), 2).value == "DGT-2025-001-02"
    assert ficha.cell(asistencia.fila_ficha("fecha_actividad"), 2).value == dt.datetime(2025, 3, 20)
    _diligenciar_sesion(sesion, entradas / "2025" / "DGT" / "s2", personas=2)
    generar_paquetes(CONFIG, entradas, salidas, "2025")
    nueva_sesion = kit / "sesiones" / "DGT-2025-001-03"
    assert sorted(p.name for p in (kit / "sesiones").iterdir()) == ["DGT-2025-001-03"]
    _diligenciar_sesion(nueva_sesion, entradas / "2025" / "DGT" / "s3", personas=3)

    validacion = validar(entradas, Contexto.crear(CONFIG, "2025"))
    codigos = {p.codigo for p in validacion.problemas}
    assert not codigos & {"X2", "X3", "X4", "X13", "SIN_MARCA_PLANTILLA", "COLUMNA_DESCONOCIDA"}
    assert validacion.errores == 0
    estados = {a.ruta: a.estado for a in validacion.archivos}
    assert estados["2025/DGT/cronograma.xlsx"] == "Reemplazado"
    assert estados["2025/DGT/cronograma_DGT_2025.xlsx"] != "Reemplazado"
    assert [p.archivo for p in validacion.problemas if p.codigo == "X16"] == [
        "2025/DGT/cronograma.xlsx"
    ]
    consolidado = consolidar(validacion.tablas, CONFIG, 2025, D(2025, 7, 31))
    act = consolidado.actividades.set_index("id_actividad")
    assert (act["estado"] == "Realizada").sum() == 3
    assert act.loc["DGT-2025-001-02", "asistentes"] == 2
    assert act.loc["DGT-2025-001-03", "asistentes"] == 3
    assert act.loc["DGT-2025-001-03", "evaluaciones"] == 1


def test_los_ids_nuevos_nunca_repiten_uno_usado_en_la_vigencia(tmp_path):
    # Una fila con error usa DGT-2025-001-02: no se acepta, pero su ID ya está tomado.
    entradas = escribir_entradas(
        tmp_path,
        {
            "DGT/plan.xlsx": ("plan", ficha_valida("plan"), [fila_valida("plan")]),
            "DGT/cronograma.xlsx": (
                "cronograma",
                ficha_valida("cronograma"),
                [fila_valida("cronograma", id_actividad="DGT-2025-001-02", actividad=None)],
            ),
        },
    )
    generar_paquetes(CONFIG, entradas, tmp_path / "salidas", "2025")
    cronograma = PLANTILLAS["cronograma"]
    ruta = tmp_path / "salidas" / "2025" / "paquetes" / "DGT" / "cronograma_DGT_2025.xlsx"
    hoja = openpyxl.load_workbook(ruta)[cronograma.hoja]
    assert list(_filas(hoja, cronograma.primera_fila_datos)) == [
        "DGT-2025-001-01",
        "DGT-2025-001-03",
    ]


def test_nuevo_id_y_nombre_de_carpeta():
    usados = {"p-01", "p-03"}
    assert [nuevo_id("P", usados), nuevo_id("P", usados)] == ["P-02", "P-04"]
    assert nombre_carpeta('A/B:C*"') == "A_B_C__"


def _en_2024(fila: dict) -> dict:
    return {k: v.replace(year=2024) if isinstance(v, dt.date) else v for k, v in fila.items()} | {
        k: v.replace("2025", "2024") for k, v in fila.items() if isinstance(v, str)
    }


def _vigencia_anterior(tmp_path: Path) -> Path:
    """2024 a mano: DGT-2024-001 completo, 002 y 003 sin terminar, y compromisos en cada estado."""
    plan = [
        fila_valida("plan", id_asistencia=f"DGT-2024-00{n}", sesiones_programadas=s)
        for n, s in ((1, 1), (2, 2), (3, 1))
    ]
    cronograma = [
        fila_valida("cronograma", id_actividad="DGT-2024-001-01", id_asistencia="DGT-2024-001"),
        fila_valida("cronograma", id_actividad="DGT-2024-002-01", id_asistencia="DGT-2024-002"),
        fila_valida(
            "cronograma",
            id_actividad="DGT-2024-003-01",
            id_asistencia="DGT-2024-003",
            estado="Cancelada",
            fecha_realizacion=None,
            fecha_entrega_informe=None,
            motivo="Sin quórum",
        ),
    ]
    compromisos = [
        fila_valida("compromisos", compromiso=f"Compromiso {estado}", estado=estado)
        for estado in ("Cumplido", "Pendiente", "Cancelado", "En curso")
    ]
    for fila in compromisos[1:]:
        fila["fecha_cumplimiento"] = None
    dpv = fila_valida(
        "plan",
        id_asistencia="DPV-2024-001",
        tema="Prevención de violencias contra la mujer",
    )
    archivos = {
        "DGT/plan.xlsx": ("plan", ficha_valida("plan", vigencia=2024), plan),
        "DGT/cronograma.xlsx": (
            "cronograma",
            ficha_valida("cronograma", vigencia=2024),
            cronograma,
        ),
        "DGT/compromisos.xlsx": (
            "compromisos",
            ficha_valida("compromisos", vigencia=2024),
            compromisos,
        ),
        "DPV/plan.xlsx": ("plan", ficha_valida("plan", "DPV", vigencia=2024), [dpv]),
    }
    for ruta, (tipo, ficha, filas) in archivos.items():
        escribir_libro(
            tmp_path / "entradas" / "2024" / ruta,
            tipo,
            _en_2024(ficha),
            [_en_2024(f) for f in filas],
        )
    return tmp_path / "entradas"


def test_desde_lista_exactamente_lo_pendiente_de_la_vigencia_anterior(tmp_path):
    entradas = _vigencia_anterior(tmp_path)
    salidas = tmp_path / "salidas"
    informe = salidas / "2024" / "informes" / "informe_anual_2024.xlsx"
    informe.parent.mkdir(parents=True)
    anual = openpyxl.Workbook()
    conclusiones = anual.active
    conclusiones.title = "Conclusiones"
    conclusiones["A1"] = "Conclusiones de la vigencia 2024"
    conclusiones["A6"] = ROTULO_CONCLUSIONES
    conclusiones["A7"] = "Faltó cubrir el sur del país."
    anual.save(informe)

    resultado = generar_paquetes(CONFIG, entradas, salidas, "2025", desde="2024")

    ruta = salidas / "2025" / "paquetes" / "DGT" / "plan_asistencia_DGT_2025.xlsx"
    assert ruta in resultado.escritos
    libro = openpyxl.load_workbook(ruta)
    assert "Pendientes de 2024" in libro.sheetnames
    valores = [
        v for fila in libro["Pendientes de 2024"].iter_rows(values_only=True) for v in fila if v
    ]
    ids = [v for v in valores if isinstance(v, str) and v.startswith(("DGT-", "DPV-"))]
    assert ids == ["DGT-2024-002", "DGT-2024-003", "DGT-2024-001-01", "DGT-2024-001-01"]
    compromisos = [v for v in valores if isinstance(v, str) and v.startswith("Compromiso ")]
    assert compromisos == ["Compromiso Pendiente", "Compromiso En curso"]
    assert "Faltó cubrir el sur del país." in valores
    plan = PLANTILLAS["plan"]
    hoja = libro[plan.hoja]
    assert hoja.cell(plan.fila_ficha("vigencia"), 2).value == 2025
    assert hoja.cell(plan.fila_ficha("direccion"), 2).value.startswith("DGT - ")
    # Sin carpeta entradas/2025, solo se escriben los planes.
    assert {p.name for p in resultado.escritos} == {
        f"plan_asistencia_{d.codigo}_2025.xlsx" for d in CONFIG.direcciones
    }


def test_desde_sin_carpeta_sale_con_2_y_dice_por_que(tmp_path):
    (tmp_path / "entradas").mkdir()
    with pytest.raises(ErrorUso, match="2023"):
        generar_paquetes(CONFIG, tmp_path / "entradas", tmp_path / "s", "2024", desde="2023")
    resultado = CliRunner().invoke(
        main,
        [
            "paquetes",
            "--entradas",
            str(tmp_path / "entradas"),
            "--salidas",
            str(tmp_path / "s"),
            "--vigencia",
            "2024",
            "--desde",
            "2023",
        ],
    )
    assert resultado.exit_code == 2
    assert "No existe la carpeta" in resultado.output and "2023" in resultado.output
    assert not (tmp_path / "s").exists()


def test_paquetes_reproducibles_byte_a_byte(tmp_path):
    entradas = _vigencia_pequena(tmp_path)
    primera = generar_paquetes(CONFIG, entradas, tmp_path / "a", "2025").escritos
    segunda = generar_paquetes(CONFIG, entradas, tmp_path / "b", "2025").escritos
    assert len(primera) == 7  # 4 planes, el cronograma de DGT y la lista y evaluación de 001-02
    assert [p.read_bytes() for p in primera] == [p.read_bytes() for p in segunda]


@pytest.mark.parametrize(
    "estado, esperada",
    [("Realizada", D(2025, 3, 12)), ("Reprogramada", D(2025, 5, 2)), ("Programada", D(2025, 3, 1))],
)
def test_fecha_de_la_sesion_realizada_o_vigente(estado, esperada):
    actividad = pd.Series(
        {
            "estado": estado,
            "fecha_programada": pd.Timestamp(2025, 3, 1),
            "nueva_fecha": pd.Timestamp(2025, 5, 2),
            "fecha_realizacion": pd.Timestamp(2025, 3, 12) if estado == "Realizada" else pd.NaT,
        }
    )
    assert fecha_de_la_sesion(actividad).date() == esperada
