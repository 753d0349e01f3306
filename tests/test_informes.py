"""Libros de informes (§7): hojas, encabezados, semáforo, gráficas, mapa, privacidad y bytes fijos."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pipeline import tablas
from pipeline.archivos import Estado
from pipeline.configuracion import desde_dict
from pipeline.consolidacion import consolidar
from pipeline.indicadores import calcular_indicadores
from pipeline.informes import escribir_informes
from pipeline.informes.comun import DatosInforme
from pipeline.periodos import periodos
from pipeline.problemas import problema
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion

VIGENCIA = 2025
CORTE = dt.date(2025, 5, 15)
FORMULA = '=HYPERLINK("http://malo.example","clic")'
TELEFONO_TEXTO = "+57 300 123 4567"

# Datos personales de la muestra: ninguno puede aparecer en informes/.
PERSONAS = [
    # nombre, documento, correo, teléfono, sexo, autoriza, actividad
    (
        "María Secreta Pérez",
        "1234567890",
        "maria.secreta@correo.co",
        "3001234567",
        "Mujer",
        "Sí",
        "A1",
    ),
    ("Juan Oculto Gómez", "987654321", "juan.oculto@correo.co", "3109876543", "Hombre", "No", "A1"),
    (
        "Lucía Reservada Ruiz",
        "55566677",
        "lucia.reservada@correo.co",
        "3205556667",
        "Mujer",
        "Sí",
        "A3",
    ),
    (
        "Pedro Confidencial Díaz",
        "11223344",
        "pedro.conf@correo.co",
        "3151122334",
        "Hombre",
        "No",
        "A4",
    ),
]

CONFIG = desde_dict(
    {
        "entidad": "Ministerio de Prueba",
        "direcciones": [
            {
                "codigo": "DGT",
                "nombre": "Dirección de Gobernabilidad",
                "temas": ["PISCC", "FONSET"],
            },
            {"codigo": "DPV", "nombre": "Dirección de Prevención", "temas": ["Rutas de atención"]},
        ],
    }
)


def _d(texto: str | None) -> pd.Timestamp | None:
    return pd.Timestamp(texto) if texto else None


def _plan() -> pd.DataFrame:
    comun = {"vigencia": VIGENCIA, "tipo_servicio": "Asesoría", "mecanismo": "Taller"}
    comun |= {"modalidad": "Presencial", "origen": "Oferta", "fecha_inicio": _d("2025-01-01")}
    comun |= {"fecha_fin": _d("2025-12-31"), "profesional_responsable": "Ana Planeación"}
    filas = [
        ("DGT-001", "DGT", "PISCC", "Alcaldía de Pasto", "Territorial", "52", "52001", 4),
        ("DGT-002", "DGT", "FONSET", FORMULA, "Nacional", None, None, 2),
        (
            "DPV-001",
            "DPV",
            "Rutas de atención",
            "Gobernación de Antioquia",
            "Territorial",
            "05",
            None,
            3,
        ),
    ]
    registros = [
        comun
        | {"id_asistencia": i, "direccion": d, "tema": t, "entidad_beneficiaria": e, "orden": o}
        | {"departamento": dp, "municipio": m, "sesiones_programadas": s}
        | {"archivo": f"2025/{d}/plan.xlsx", "fila": 10 + n}
        for n, (i, d, t, e, o, dp, m, s) in enumerate(filas)
    ]
    return tablas.desde_registros("plan", registros)


def _cronograma() -> pd.DataFrame:
    filas = [
        (
            "A1",
            "DGT-001",
            "DGT",
            "Taller PISCC",
            "2025-02-10",
            "Realizada",
            None,
            "2025-02-10",
            "2025-02-12",
            None,
        ),
        (
            "A2",
            "DGT-001",
            "DGT",
            "Mesa PISCC",
            "2025-03-15",
            "Reprogramada",
            "2025-04-20",
            None,
            None,
            "Lluvias",
        ),
        (
            "A3",
            "DGT-002",
            "DGT",
            "Taller FONSET",
            "2025-04-10",
            "Realizada",
            None,
            "2025-04-11",
            None,
            None,
        ),
        (
            "A4",
            "DPV-001",
            "DPV",
            "Ruta de atención",
            "2025-02-20",
            "Realizada",
            None,
            "2025-02-20",
            "2025-03-10",
            None,
        ),
        ("A5", "DPV-001", "DPV", "Seguimiento", "2025-05-30", "Programada", None, None, None, None),
        (
            "A6",
            "DGT-002",
            "DGT",
            FORMULA,
            "2025-01-20",
            "Cancelada",
            None,
            None,
            None,
            TELEFONO_TEXTO,
        ),
    ]
    registros = [
        {"id_actividad": a, "id_asistencia": i, "direccion": d, "actividad": t}
        | {"fecha_programada": _d(fp), "estado": e, "nueva_fecha": _d(nf)}
        | {"fecha_realizacion": _d(fr), "fecha_entrega_informe": _d(fe), "motivo": mo}
        | {"modalidad": "Presencial", "vigencia": VIGENCIA, "fecha_corte": _d("2025-05-15")}
        | {"archivo": f"2025/{d}/cronograma.xlsx", "fila": 12 + n}
        for n, (a, i, d, t, fp, e, nf, fr, fe, mo) in enumerate(filas)
    ]
    return tablas.desde_registros("cronograma", registros)


def _asistencia() -> pd.DataFrame:
    direccion = {"A1": "DGT", "A3": "DGT", "A4": "DPV"}
    registros = [
        {"nombres": n, "tipo_documento": "CC", "numero_documento": doc, "correo": c}
        | {"telefono": tel, "sexo": s, "autoriza_datos": a, "id_actividad": act}
        | {"entidad_organizacion": "Alcaldía", "cargo": FORMULA if n.startswith("Juan") else None}
        | {"direccion": direccion[act], "vigencia": VIGENCIA, "fecha_actividad": _d("2025-02-10")}
        | {"archivo": f"2025/{direccion[act]}/lista_{act}.xlsx", "fila": 12 + k}
        for k, (n, doc, c, tel, s, a, act) in enumerate(PERSONAS)
    ]
    return tablas.desde_registros("asistencia", registros)


def _evaluacion() -> pd.DataFrame:
    filas = [("A1", "DGT", 5, 5), ("A1", "DGT", 4, 3), ("A4", "DPV", 3, 4)]
    registros = [
        {"id_actividad": a, "direccion": d, "satisfaccion_general": s, "pertinencia": p}
        | {"vigencia": VIGENCIA, "archivo": f"2025/{d}/eval_{a}.xlsx", "fila": 12 + k}
        for k, (a, d, s, p) in enumerate(filas)
    ]
    return tablas.desde_registros("evaluacion", registros)


def _compromisos() -> pd.DataFrame:
    filas = [
        (
            "A1",
            "DGT",
            "Enviar borrador del PISCC",
            "Secretaría de Gobierno",
            "2025-03-01",
            "Pendiente",
            None,
        ),
        ("A3", "DGT", "Remitir acta", "Tesorería", "2025-04-20", "Cumplido", "2025-04-18"),
        ("A4", "DPV", "Convocar comité", "Comisaría de Familia", "2025-06-30", "En curso", None),
    ]
    registros = [
        {"id_actividad": a, "direccion": d, "compromiso": c, "responsable": r}
        | {"fecha_limite": _d(fl), "estado": e, "fecha_cumplimiento": _d(fc)}
        | {"vigencia": VIGENCIA, "fecha_corte": _d("2025-05-15")}
        | {"archivo": f"2025/{d}/compromisos.xlsx", "fila": 12 + k}
        for k, (a, d, c, r, fl, e, fc) in enumerate(filas)
    ]
    return tablas.desde_registros("compromisos", registros)


def _validacion(tabla: dict[str, pd.DataFrame]) -> ResultadoValidacion:
    archivos = [
        ResultadoArchivo(
            "2025/DGT/plan.xlsx",
            "Plan de asistencia técnica",
            "1.0",
            "DGT",
            Estado.ACEPTADO,
            2,
            2,
            sha256="a" * 64,
        ),
        ResultadoArchivo(
            "2025/DGT/cronograma.xlsx",
            "Cronograma de actividades",
            "1.0",
            "DGT",
            Estado.ACEPTADO_CON_ADVERTENCIAS,
            4,
            4,
            0,
            2,
            sha256="b" * 64,
        ),
        ResultadoArchivo(
            "2025/DGT/lista_A1.xlsx",
            "Lista de asistencia",
            "1.0",
            "DGT",
            Estado.ACEPTADO_CON_ADVERTENCIAS,
            3,
            2,
            1,
            1,
            sha256="c" * 64,
        ),
        ResultadoArchivo(
            "2025/DPV/plan.xlsx",
            "Plan de asistencia técnica",
            "1.0",
            "DPV",
            Estado.ACEPTADO,
            1,
            1,
            sha256="d" * 64,
        ),
        ResultadoArchivo(
            "2025/DPV/roto.xlsx", "", "", "DPV", Estado.RECHAZADO, errores=1, sha256="e" * 64
        ),
        ResultadoArchivo("2025/DPV/~$plan.xlsx", "", "", "DPV", Estado.IGNORADO, motivo="bloqueo"),
    ]
    problemas = [
        # X8 en A1 (trimestre 1) con un documento: el mensaje general va enmascarado.
        problema(
            "X8",
            archivo="2025/DGT/lista_A1.xlsx",
            hoja="Asistencia",
            celda="C13",
            campo="Número de documento",
            valor=PERSONAS[1][1],
            personal=True,
            actividad="A1",
            otros="fila 12",
            direccion="DGT",
            fila=13,
        ),
        # X11 en el cronograma, fila de A3 (trimestre 2).
        problema(
            "X11",
            archivo="2025/DGT/cronograma.xlsx",
            hoja="Cronograma",
            celda="K14",
            valor="A3",
            situacion="no se ha entregado",
            dias=3,
            accion="Registre la Fecha de entrega del informe.",
            direccion="DGT",
            fila=14,
        ),
        problema(
            "SIN_MARCA_PLANTILLA",
            archivo="2025/DGT/plan.xlsx",
            hoja="Plan",
            hoja_esperada="Plan",
            direccion="DGT",
        ),
        problema(
            "DOCUMENTO_INVALIDO",
            archivo="2025/DGT/lista_A1.xlsx",
            hoja="Asistencia",
            celda="C14",
            valor="12ab",
            personal=True,
            motivo="tiene letras",
            direccion="DGT",
            fila=14,
        ),
    ]
    return ResultadoValidacion(str(VIGENCIA), archivos, problemas, tabla)


@pytest.fixture(scope="module")
def datos() -> DatosInforme:
    tabla = {
        "plan": _plan(),
        "cronograma": _cronograma(),
        "asistencia": _asistencia(),
        "evaluacion": _evaluacion(),
        "compromisos": _compromisos(),
    }
    consolidado = consolidar(tabla, CONFIG, VIGENCIA, CORTE)
    lista = periodos(VIGENCIA, CORTE)
    return DatosInforme(
        consolidado=consolidado,
        indicadores=calcular_indicadores(consolidado, lista),
        validacion=_validacion(tabla),
        periodos=lista,
        comando="asistencia consolidar --vigencia 2025",
        fecha_documento=dt.datetime(2025, 5, 15),
    )


@pytest.fixture(scope="module")
def carpeta(datos, tmp_path_factory) -> Path:
    destino = tmp_path_factory.mktemp("salidas") / "2025"
    escribir_informes(datos, destino)
    return destino


def _periodo(datos: DatosInforme, codigo: str):
    return next(p for p in datos.periodos if p.codigo == codigo)


def test_escribe_todos_los_libros_con_sus_nombres(carpeta):
    nombres = sorted(str(p.relative_to(carpeta)) for p in carpeta.rglob("*.xlsx"))
    assert nombres == [
        "consolidado/base_consolidada_2025.xlsx",
        "informes/informe_anual_2025.xlsx",
        "informes/informe_trimestral_2025_T1.xlsx",
        "informes/informe_trimestral_2025_T2.xlsx",
        "informes/matriz_semestral_2025_S1.xlsx",
    ]
