"""El ciclo de la vigencia de punta a punta (§10.2, §10.3): cerrar, cambiar, reabrir; el texto del equipo."""

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from libros import escribir_entradas, escribir_libro, ficha_valida, fila_valida
from openpyxl import load_workbook

from pipeline.cierres import (
    ErrorCierre,
    cambios,
    comprobar_terminado,
    congelar,
    interpretar,
)
from pipeline.cli import main
from pipeline.indicadores import COLUMNAS
from pipeline.informes.textos_equipo import ROTULO_CONCLUSIONES, leer_conclusiones

ITEM_1, ITEM_2 = "DGT-2025-001", "DGT-2025-002"


def _plan(*items: str) -> tuple:
    filas = [fila_valida("plan", id_asistencia=i) for i in items]
    return ("plan", ficha_valida("plan"), filas)


def _cronograma(*items: str) -> tuple:
    filas = [fila_valida("cronograma")]
    if ITEM_2 in items:
        filas.append(
            fila_valida(
                "cronograma",
                id_actividad=f"{ITEM_2}-01",
                id_asistencia=ITEM_2,
                fecha_programada=dt.date(2025, 5, 5),
                estado="Programada",
                fecha_realizacion=None,
                fecha_entrega_informe=None,
            )
        )
    return ("cronograma", ficha_valida("cronograma"), filas)


def _lista(*documentos: str) -> tuple:
    filas = [
        fila_valida("asistencia", numero_documento=d, nombres=f"Persona {d}") for d in documentos
    ]
    return ("asistencia", ficha_valida("asistencia"), filas)


def _entradas(raiz: Path, items=(ITEM_1, ITEM_2)) -> Path:
    return escribir_entradas(
        raiz,
        {
            "DGT/plan.xlsx": _plan(*items),
            "DGT/cronograma.xlsx": _cronograma(*items),
            "DGT/s1/lista.xlsx": _lista("1085123456"),
            "DGT/s1/evaluacion.xlsx": (
                "evaluacion",
                ficha_valida("evaluacion"),
                [fila_valida("evaluacion")],
            ),
        },
    )


def _correr(orden: str, raiz: Path, *extra: str):
    argumentos = [orden, "--entradas", str(raiz / "entradas"), "--salidas", str(raiz / "salidas")]
    return CliRunner().invoke(main, [*argumentos, *extra])


def _sha(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


def _hoja(ruta: Path, nombre: str) -> list[tuple]:
    libro = load_workbook(ruta, read_only=True)
    try:
        return [tuple(f) for f in libro[nombre].iter_rows(values_only=True)]
    finally:
        libro.close()


def _tabla(filas: list[tuple], primera: str) -> list[dict]:
    """Las filas bajo el encabezado cuya primera celda es `primera`, como diccionarios."""
    inicio = next(i for i, f in enumerate(filas) if f and f[0] == primera)
    encabezado = filas[inicio]
    return [dict(zip(encabezado, f, strict=False)) for f in filas[inicio + 1 :] if f and f[0]]


INFORMES = Path("salidas/2025/informes")
T1 = INFORMES / "informe_trimestral_2025_T1.xlsx"
T2 = INFORMES / "informe_trimestral_2025_T2.xlsx"
S1 = INFORMES / "matriz_semestral_2025_S1.xlsx"
ANUAL = INFORMES / "informe_anual_2025.xlsx"
CIERRE = Path("salidas/2025/cierres/2025T1")


# --- Cierre de periodos (§10.2) -------------------------------------------------------------------


def test_cerrar_cambiar_y_reabrir_un_trimestre(tmp_path):
    _entradas(tmp_path)
    assert _correr("consolidar", tmp_path).exit_code == 0

    # Después del comité: cerrar consolida otra vez y congela el informe que queda en informes/.
    r = _correr("cerrar", tmp_path, "--periodo", "2025T1")
    assert r.exit_code == 0, r.output
    assert "Periodo cerrado" in r.output
    cierre = tmp_path / CIERRE
    emitido = _sha(tmp_path / T1)
    assert _sha(cierre / T1.name) == emitido
    assert (cierre / "indicadores_2025T1.csv").read_text(encoding="utf-8-sig").count("2025T2") == 0
    lista = tmp_path / "entradas/2025/DGT/s1/lista.xlsx"
    entradas_csv = (cierre / "entradas_2025T1.csv").read_text(encoding="utf-8-sig")
    assert f"2025/DGT/s1/lista.xlsx,Lista de asistencia,Aceptado,{_sha(lista)}" in entradas_csv

    # Una dirección corrige la lista de la sesión de marzo: llega un asistente más.
    escribir_libro(lista, *_lista("1085123456", "79555444"))
    r = _correr("consolidar", tmp_path)
    assert r.exit_code == 0, r.output
    assert _sha(tmp_path / T1) == emitido  # el informe emitido no se reescribe
    assert "de periodos cerrados cambiaron" in r.output
    for informe in (T2, S1, ANUAL):
        cambios = _tabla(_hoja(tmp_path / informe, "Cambios después del cierre"), "Periodo")
        asistentes = [
            c for c in cambios if c["Indicador"] == "Asistentes" and c["Nivel"] == "Entidad"
        ]
        assert asistentes == [
            {
                "Periodo": "2025T1",
                "Nivel": "Entidad",
                "Dirección": None,
                "Tema": None,
                "Indicador": "Asistentes",
                "Valor al cierre": 1,
                "Valor actual": 2,
            }
        ]

    r = _correr("cerrar", tmp_path, "--periodo", "2025T1", "--reabrir")
    assert r.exit_code == 0, r.output
    assert not cierre.exists()
    assert _correr("consolidar", tmp_path).exit_code == 0
    assert _sha(tmp_path / T1) != emitido  # reabierto: vuelve a reflejar los datos actuales
    assert "Cambios después del cierre" not in load_workbook(tmp_path / T2).sheetnames


def test_un_informe_cerrado_que_falta_en_informes_se_restaura(tmp_path):
    _entradas(tmp_path)
    assert _correr("cerrar", tmp_path, "--periodo", "2025T1").exit_code == 0
    emitido = _sha(tmp_path / T1)
    r = _correr("cerrar", tmp_path, "--periodo", "2025T1")
    assert r.exit_code == 2 and "ya está cerrado" in r.output and "--reabrir" in r.output
    (tmp_path / T1).unlink()
    assert _correr("consolidar", tmp_path).exit_code == 0
    assert _sha(tmp_path / T1) == emitido


@pytest.mark.parametrize(
    ("periodo", "motivo"),
    [
        ("2025T3", "aún no ha empezado a la fecha de corte 30/06/2025"),
        ("2025", "termina el 31/12/2025 y la fecha de corte es 30/06/2025"),
        ("2025T5", "no es un periodo"),
    ],
)
def test_cerrar_un_periodo_sin_terminar_sale_con_2_y_dice_por_que(tmp_path, periodo, motivo):
    _entradas(tmp_path)
    r = _correr("cerrar", tmp_path, "--periodo", periodo)
    assert r.exit_code == 2
    assert motivo in r.output
    assert not (tmp_path / "salidas/2025/cierres" / periodo).exists()


def test_reabrir_un_periodo_que_no_esta_cerrado_sale_con_2(tmp_path):
    _entradas(tmp_path)
    r = _correr("cerrar", tmp_path, "--periodo", "2025T1", "--reabrir")
    assert r.exit_code == 2
    assert "no está cerrado" in r.output


def test_interpretar_periodos_y_meses():
    marzo = interpretar("2025M03")
    assert (marzo.codigo, marzo.inicio, marzo.fin_natural) == (
        "2025M03",
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 31),
    )
    assert interpretar("2025s1").fin_natural == dt.date(2025, 6, 30)
    comprobar_terminado(marzo, dt.date(2025, 3, 31))
    with pytest.raises(ErrorCierre, match="termina el 31/03/2025"):
        comprobar_terminado(marzo, dt.date(2025, 3, 30))
    for malo in ("2025M3", "2025M13", "2025S3", "2025T5", "T1", ""):
        with pytest.raises(ErrorCierre):
            interpretar(malo)


def test_cerrar_un_mes_congela_sus_indicadores(tmp_path):
    _entradas(tmp_path)
    r = _correr("cerrar", tmp_path, "--periodo", "2025M03")
    assert r.exit_code == 0, r.output
    csv = (tmp_path / "salidas/2025/cierres/2025M03/indicadores_2025M03.csv").read_text(
        encoding="utf-8-sig"
    )
    assert "2025M03,entidad,,,Actividades realizadas,,,1" in csv
    assert {linea.split(",")[0] for linea in csv.splitlines()[1:]} == {"2025M03"}


def _indicadores(*filas: tuple) -> pd.DataFrame:
    registros = [
        {c: None for c in COLUMNAS}
        | {"periodo": p, "nivel": n, "direccion": d, "tema": "", "indicador": i, "valor": v}
        for p, n, d, i, v in filas
    ]
    return pd.DataFrame(registros, columns=COLUMNAS)


def test_cambios_lista_diferencias_filas_nuevas_y_desaparecidas(tmp_path):
    al_cierre = _indicadores(
        ("2025T1", "entidad", "", "Asistentes", 10),
        ("2025T1", "dirección", "DGT", "Asistentes", 10),
        ("2025T1", "entidad", "", "Satisfacción (%)", 80.0),
        ("2025T2", "entidad", "", "Asistentes", 3),
    )
    congelar(tmp_path, "2025T1", [], al_cierre, pd.DataFrame({"ruta": []}))
    actuales = _indicadores(
        ("2025T1", "entidad", "", "Asistentes", 10),
        ("2025T1", "entidad", "", "Satisfacción (%)", 75.5),
        ("2025T1", "dirección", "DPV", "Asistentes", 4),
        ("2025T2", "entidad", "", "Asistentes", 99),
    )
    resultado = cambios(tmp_path, actuales)
    assert resultado.astype(object).where(resultado.notna(), None).values.tolist() == [
        ["2025T1", "dirección", "DGT", None, "Asistentes", 10.0, None],
        ["2025T1", "entidad", None, None, "Satisfacción (%)", 80.0, 75.5],
        ["2025T1", "dirección", "DPV", None, "Asistentes", None, 4.0],
    ]
    # Una corrida con un corte anterior al periodo cerrado no lo calcula: nada que comparar.
    assert cambios(tmp_path, actuales[actuales["periodo"] == "2025T2"]).empty


# --- El texto del equipo sobrevive (§10.3) --------------------------------------------------------


def _escribir_en_matriz(ruta: Path, textos: dict[str, tuple[str, str]]) -> None:
    """Como lo haría una persona: abre la matriz, escribe en las dos columnas del equipo y guarda."""
    libro = load_workbook(ruta)
    hoja = libro["Matriz"]
    fila_enc = next(f for f in hoja.iter_rows() if f[0].value == "ID asistencia")
    col = {c.value: c.column for c in fila_enc}
    for fila in hoja.iter_rows(min_row=fila_enc[0].row + 1):
        if fila[0].value in textos:
            analisis, acciones = textos[fila[0].value]
            hoja.cell(fila[0].row, col["Análisis"], analisis)
            hoja.cell(fila[0].row, col["Acciones correctivas"], acciones)
    libro.save(ruta)


def _escribir_conclusiones(ruta: Path, texto: str) -> None:
    libro = load_workbook(ruta)
    hoja = libro["Conclusiones"]
    rotulo = next(c for f in hoja.iter_rows() for c in f if c.value == ROTULO_CONCLUSIONES)
    hoja.cell(rotulo.row + 1, rotulo.column, texto)
    libro.save(ruta)


def test_el_texto_del_equipo_sobrevive_y_el_huerfano_va_a_textos_sin_fila(tmp_path):
    _entradas(tmp_path)
    assert _correr("consolidar", tmp_path).exit_code == 0
    _escribir_en_matriz(
        tmp_path / S1,
        {
            ITEM_1: ("Buen avance en Pasto", "Ninguna"),
            ITEM_2: ("Sin sesiones aún", "Programar en julio"),
        },
    )
    _escribir_conclusiones(tmp_path / ANUAL, "Priorizar municipios PDET en 2026.")

    assert _correr("consolidar", tmp_path).exit_code == 0
    matriz = {
        f["ID asistencia"]: f for f in _tabla(_hoja(tmp_path / S1, "Matriz"), "ID asistencia")
    }
    assert (matriz[ITEM_1]["Análisis"], matriz[ITEM_1]["Acciones correctivas"]) == (
        "Buen avance en Pasto",
        "Ninguna",
    )
    assert matriz[ITEM_2]["Acciones correctivas"] == "Programar en julio"
    assert "Textos sin fila" not in load_workbook(tmp_path / S1, read_only=True).sheetnames
    assert leer_conclusiones(tmp_path / ANUAL) == "Priorizar municipios PDET en 2026."

    # La dirección retira el ítem 2 de su plan (y su sesión del cronograma).
    _entradas(tmp_path, items=(ITEM_1,))
    assert _correr("consolidar", tmp_path).exit_code == 0
    matriz = {
        f["ID asistencia"]: f for f in _tabla(_hoja(tmp_path / S1, "Matriz"), "ID asistencia")
    }
    assert ITEM_2 not in matriz and matriz[ITEM_1]["Análisis"] == "Buen avance en Pasto"
    huerfanos = _tabla(_hoja(tmp_path / S1, "Textos sin fila"), "ID asistencia")
    assert huerfanos == [
        {
            "ID asistencia": ITEM_2,
            "Análisis": "Sin sesiones aún",
            "Acciones correctivas": "Programar en julio",
        }
    ]
    # Y sigue allí en la corrida siguiente.
    assert _correr("consolidar", tmp_path).exit_code == 0
    assert _tabla(_hoja(tmp_path / S1, "Textos sin fila"), "ID asistencia") == huerfanos
    assert leer_conclusiones(tmp_path / ANUAL) == "Priorizar municipios PDET en 2026."


@pytest.mark.parametrize("falla", ["dañado", "abierto"])
def test_un_informe_con_texto_que_no_se_puede_leer_detiene_la_corrida(tmp_path, falla):
    _entradas(tmp_path)
    assert _correr("consolidar", tmp_path).exit_code == 0
    _escribir_en_matriz(tmp_path / S1, {ITEM_1: ("Texto valioso", "")})
    if falla == "dañado":
        contenido = (tmp_path / S1).read_bytes()
        (tmp_path / S1).write_bytes(contenido[: len(contenido) // 2])
        mensaje = "está dañado"
    else:
        (tmp_path / INFORMES / f".~lock.{S1.name}#").write_text("usuario", encoding="utf-8")
        mensaje = "está abierto en Excel o LibreOffice"
    antes = _sha(tmp_path / S1)
    reporte = tmp_path / "salidas/2025/validacion/reporte_validacion.xlsx"
    reporte_antes = _sha(reporte)
    shutil.copy(tmp_path / "entradas/2025/DGT/s1/lista.xlsx", tmp_path / "lista.bak")
    escribir_libro(tmp_path / "entradas/2025/DGT/s1/lista.xlsx", *_lista("1085123456", "79555444"))

    r = _correr("consolidar", tmp_path)
    assert r.exit_code == 2
    assert str(tmp_path / S1) in r.output and mensaje in r.output
    assert "Traceback" not in r.output
    assert _sha(tmp_path / S1) == antes  # el texto sigue en disco
    assert _sha(reporte) == reporte_antes  # no se escribió nada
    if falla == "abierto":
        filas = _tabla(_hoja(tmp_path / S1, "Matriz"), "ID asistencia")
        assert filas[0]["Análisis"] == "Texto valioso"
