"""De punta a punta por la línea de comandos: salidas de §7, códigos de salida, privacidad y seguridad."""

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from libros import escribir_entradas, ficha_valida, fila_valida
from openpyxl import load_workbook

from esquemas import PLANTILLAS
from pipeline.cli import main

INYECCIONES = ['=HYPERLINK("http://x.co","clic")', "+57 300 765 4321", "@SUMA(A1)", "-2+3"]
PERSONALES = [
    "María Gómez",
    "1085123456",
    "1.085.123.456",
    "maria.gomez@pasto.gov.co",
    "3001234567",
    "300 123 4567",
    "Pedro Ruiz",
    "79555444",
    "pedro@ejemplo.co",
]


def _entradas(raiz: Path, lista_extra: list[dict] | None = None) -> Path:
    asistentes = [
        fila_valida("asistencia", cargo=INYECCIONES[0], entidad_organizacion=INYECCIONES[1]),
        fila_valida(
            "asistencia",
            nombres="Pedro Ruiz",
            numero_documento="79555444",
            sexo="Hombre",
            correo="pedro@ejemplo.co",
            telefono=None,
            cargo=INYECCIONES[2],
            autoriza_datos="No",
        ),
        *(lista_extra or []),
    ]
    return escribir_entradas(
        raiz,
        {
            "DGT/plan.xlsx": (
                "plan",
                ficha_valida("plan"),
                [fila_valida("plan", observaciones=INYECCIONES[3])],
            ),
            "DGT/cronograma.xlsx": (
                "cronograma",
                ficha_valida("cronograma"),
                [
                    fila_valida("cronograma", observaciones=INYECCIONES[0]),
                    fila_valida(
                        "cronograma",
                        id_actividad="DGT-2025-001-02",
                        fecha_programada=dt.date(2025, 5, 5),
                        estado="Programada",
                        fecha_realizacion=None,
                        fecha_entrega_informe=None,
                    ),
                ],
            ),
            "DGT/sesion1/lista.xlsx": ("asistencia", ficha_valida("asistencia"), asistentes),
            "DGT/sesion1/evaluacion.xlsx": (
                "evaluacion",
                ficha_valida("evaluacion"),
                [fila_valida("evaluacion")],
            ),
            "DGT/compromisos.xlsx": (
                "compromisos",
                ficha_valida("compromisos"),
                [fila_valida("compromisos")],
            ),
        },
    )


def _correr(orden: str, entradas: Path, salidas: Path, *extra: str):
    resultado = CliRunner().invoke(
        main,
        [
            orden,
            "--entradas",
            str(entradas),
            "--salidas",
            str(salidas),
            "--vigencia",
            "2025",
            *extra,
        ],
    )
    return resultado


def _huellas(carpeta: Path) -> dict[str, str]:
    return {
        str(p.relative_to(carpeta)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.rglob("*"))
        if p.is_file()
    }


def _texto_de_libro(ruta: Path) -> str:
    with zipfile.ZipFile(ruta) as z:
        return "\n".join(
            z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
        )


@pytest.fixture(scope="module")
def corrida(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("extremo")
    entradas = _entradas(raiz)
    antes = _huellas(entradas)
    resultado = _correr("consolidar", entradas, raiz / "salidas", "--corte", "2025-06-30")
    return raiz, entradas, antes, resultado


def test_consolidar_sin_errores_sale_con_0_y_escribe_todo(corrida):
    raiz, _, _, resultado = corrida
    assert resultado.exit_code == 0, resultado.output
    base = raiz / "salidas" / "2025"
    esperados = [
        "validacion/reporte_validacion.xlsx",
        "consolidado/base_consolidada_2025.xlsx",
        "indicadores_2025.csv",
        "informes/informe_trimestral_2025_T1.xlsx",
        "informes/informe_trimestral_2025_T2.xlsx",
        "informes/matriz_semestral_2025_S1.xlsx",
        "informes/informe_anual_2025.xlsx",
    ]
    for relativa in esperados:
        assert (base / relativa).is_file(), relativa
    # Con corte al 30/06 no ha empezado el tercer trimestre ni el segundo semestre.
    assert not (base / "informes/informe_trimestral_2025_T3.xlsx").exists()
    assert not (base / "informes/matriz_semestral_2025_S2.xlsx").exists()
    csv = (base / "indicadores_2025.csv").read_bytes()
    assert csv.startswith(
        b"\xef\xbb\xbfperiodo,nivel,direccion,tema,indicador,numerador,denominador,valor"
    )
    assert b"Cumplimiento del cronograma (%)" in csv


def test_las_entradas_no_se_modifican(corrida):
    _, entradas, antes, _ = corrida
    assert _huellas(entradas) == antes


def test_misma_entrada_mismos_bytes(corrida, tmp_path):
    raiz, entradas, _, _ = corrida
    segunda = _correr("consolidar", entradas, tmp_path / "salidas", "--corte", "2025-06-30")
    assert segunda.exit_code == 0
    assert _huellas(tmp_path / "salidas") == _huellas(raiz / "salidas")


def test_informes_sin_datos_personales(corrida):
    raiz, _, _, resultado = corrida
    informes = sorted((raiz / "salidas" / "2025" / "informes").glob("*.xlsx"))
    assert len(informes) == 5
    for ruta in informes:
        texto = _texto_de_libro(ruta)
        for dato in PERSONALES:
            assert dato not in texto, f"{dato} aparece en {ruta.name}"
    for dato in PERSONALES:
        assert dato not in resultado.output


def test_texto_de_entrada_nunca_es_formula(corrida):
    raiz, _, _, _ = corrida
    salidas = sorted((raiz / "salidas").rglob("*.xlsx"))
    for ruta in salidas:
        with zipfile.ZipFile(ruta) as z:
            for nombre in z.namelist():
                if nombre.startswith("xl/worksheets/") and nombre.endswith(".xml"):
                    assert "<f>" not in z.read(nombre).decode("utf-8"), (
                        f"fórmula en {ruta.name}:{nombre}"
                    )
    base = load_workbook(raiz / "salidas/2025/consolidado/base_consolidada_2025.xlsx")
    encontrados = {}
    for hoja in base.worksheets:
        for fila in hoja.iter_rows():
            for celda in fila:
                if celda.value in INYECCIONES:
                    encontrados[celda.value] = celda.data_type
    assert set(encontrados) == set(INYECCIONES)
    assert set(encontrados.values()) == {"s"}


def test_con_errores_sale_con_1_y_escribe_con_los_datos_validos(tmp_path):
    malo = fila_valida(
        "asistencia", nombres="Luz Díaz", numero_documento="12AB", correo="luz@ejemplo"
    )
    entradas = _entradas(tmp_path, lista_extra=[malo])
    resultado = _correr("consolidar", entradas, tmp_path / "salidas", "--corte", "2025-06-30")
    assert resultado.exit_code == 1
    base = tmp_path / "salidas" / "2025"
    assert (base / "informes/informe_anual_2025.xlsx").is_file()
    errores = load_workbook(base / "validacion/reporte_validacion.xlsx")["Errores"]
    codigos = {fila[6] for fila in errores.iter_rows(min_row=2, values_only=True)}
    assert {"DOCUMENTO_INVALIDO", "CORREO_INVALIDO"} <= codigos
    assert (base / "devoluciones/DGT/sesion1/lista.xlsx").is_file()
    excluidas = load_workbook(base / "validacion/reporte_validacion.xlsx")["Filas excluidas"]
    listadas = [fila[:3] for fila in excluidas.iter_rows(min_row=2, values_only=True)]
    assert listadas == [
        (
            "2025/DGT/sesion1/lista.xlsx",
            "Lista de asistencia",
            PLANTILLAS["asistencia"].primera_fila_datos + 2,
        )
    ]
    assert "12AB" not in _texto_de_libro(base / "validacion/reporte_validacion.xlsx")


def test_estricto_con_errores_solo_escribe_la_validacion(tmp_path):
    malo = fila_valida("asistencia", numero_documento="12AB")
    entradas = _entradas(tmp_path, lista_extra=[malo])
    resultado = _correr("consolidar", entradas, tmp_path / "salidas", "--estricto")
    assert resultado.exit_code == 1
    base = tmp_path / "salidas" / "2025"
    assert (base / "validacion/reporte_validacion.xlsx").is_file()
    assert not (base / "informes").exists()
    assert not (base / "indicadores_2025.csv").exists()


def test_validar_sale_con_0_o_1(tmp_path):
    entradas = _entradas(tmp_path)
    assert _correr("validar", entradas, tmp_path / "s1").exit_code == 0
    assert not (tmp_path / "s1" / "2025" / "informes").exists()
    malo = _entradas(tmp_path / "b", lista_extra=[fila_valida("asistencia", tipo_documento="XX")])
    assert _correr("validar", malo, tmp_path / "s2").exit_code == 1


def test_archivos_raros_no_detienen_a_los_demas(tmp_path):
    entradas = _entradas(tmp_path)
    carpeta = entradas / "2025" / "DGT"
    (carpeta / "dañado.xlsx").write_bytes(b"PK\x03\x04 esto no es un libro")
    (carpeta / "~$plan.xlsx").write_bytes(b"bloqueo")
    (carpeta / "notas.docx").write_bytes(b"no es hoja")
    (carpeta / "copia_plan.xlsx").write_bytes((carpeta / "plan.xlsx").read_bytes())
    resultado = _correr("consolidar", entradas, tmp_path / "salidas", "--corte", "2025-06-30")
    assert resultado.exit_code == 1  # el archivo dañado es un error
    assert "Traceback" not in resultado.output
    archivos = load_workbook(tmp_path / "salidas/2025/validacion/reporte_validacion.xlsx")[
        "Archivos"
    ]
    estados = {
        fila[0]: fila[4] for fila in archivos.iter_rows(min_row=2, values_only=True) if fila[0]
    }
    assert estados["2025/DGT/dañado.xlsx"] == "Rechazado"
    assert estados["2025/DGT/~$plan.xlsx"] == "Ignorado"
    assert estados["2025/DGT/notas.docx"] == "Ignorado"
    duplicado = {"2025/DGT/copia_plan.xlsx", "2025/DGT/plan.xlsx"}
    assert sorted(estados[r] for r in duplicado) == ["Aceptado", "Ignorado"]
    assert estados["2025/DGT/sesion1/lista.xlsx"] == "Aceptado"
    assert (tmp_path / "salidas/2025/informes/informe_anual_2025.xlsx").is_file()
