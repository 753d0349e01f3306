"""Libros de informes (§7): hojas, encabezados, semáforo, gráficas, mapa, privacidad y bytes fijos."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import tablas
from pipeline.archivos import Estado
from pipeline.configuracion import desde_dict
from pipeline.consolidacion import consolidar
from pipeline.escritura import SEMAFORO
from pipeline.indicadores import INDICADORES, calcular_indicadores
from pipeline.informes.base_consolidada import escribir_base_consolidada
from pipeline.informes.calidad import calidad_por_direccion
from pipeline.informes.comun import FILA_ENCABEZADO, SIN_DATOS, DatosInforme
from pipeline.informes.libros import escribir_informes
from pipeline.informes.mapa import dibujar_mapa
from pipeline.informes.semestral import escribir_matriz_semestral
from pipeline.informes.trimestral import escribir_informe_trimestral
from pipeline.normalizacion import enmascarar
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
        "informes/seguimiento_mensual_2025.xlsx",
    ]


def _abrir(ruta: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(ruta)


def _encabezados(hoja, fila: int = FILA_ENCABEZADO + 1) -> list:
    return [c.value for c in hoja[fila] if c.value is not None]


def _fila_de(hoja, texto: str, columna: int = 1):
    for fila in hoja.iter_rows(min_col=columna, max_col=columna):
        if fila[0].value == texto:
            return fila[0].row
    raise AssertionError(f"{texto!r} no está en la hoja {hoja.title}")


def _informes(carpeta: Path) -> list[Path]:
    return sorted((carpeta / "informes").glob("*.xlsx"))


HOJAS_TRIMESTRAL = [
    "Resumen",
    "Por dirección",
    "Por tema",
    "Actividades",
    "Alertas",
    "Compromisos",
    "Calidad de datos",
    "Metadatos",
    "Notas metodológicas",
]
HOJAS_SEMESTRAL = [
    "Matriz",
    "Resumen por dirección",
    "Calidad de datos",
    "Metadatos",
    "Notas metodológicas",
]
HOJAS_ANUAL = [
    "Resumen de la vigencia",
    "Por dirección",
    "Por tema",
    "Por trimestre",
    "Cobertura territorial",
    "Participación",
    "Satisfacción",
    "Por tipo de servicio",
    "Cumplimiento del plan",
    "Alertas",
    "Compromisos",
    "Calidad de datos",
    "Conclusiones",
    "Metadatos",
    "Notas metodológicas",
]


@pytest.mark.parametrize(
    ("nombre", "hojas"),
    [
        ("informes/informe_trimestral_2025_T1.xlsx", HOJAS_TRIMESTRAL),
        ("informes/matriz_semestral_2025_S1.xlsx", HOJAS_SEMESTRAL),
        ("informes/informe_anual_2025.xlsx", HOJAS_ANUAL),
        (
            "consolidado/base_consolidada_2025.xlsx",
            ["Plan", "Cronograma", "Asistencia", "Evaluación", "Compromisos", "Metadatos"],
        ),
    ],
)
def test_hojas_en_orden(carpeta, nombre, hojas):
    assert _abrir(carpeta / nombre).sheetnames == hojas


def test_encabezados_de_indicadores_con_los_nombres_de_la_especificacion(carpeta):
    libro = _abrir(carpeta / "informes/informe_trimestral_2025_T1.xlsx")
    direccion = ["Código", "Dirección", "Datos incompletos"]
    assert _encabezados(libro["Por dirección"]) == [*direccion, *INDICADORES]
    assert _encabezados(libro["Por tema"]) == [*direccion, "Tema", *INDICADORES]
    resumen = libro["Resumen"]
    fila = _fila_de(resumen, "Indicador")
    indicadores = [resumen.cell(fila + 1 + i, 1).value for i in range(len(INDICADORES))]
    assert indicadores == list(INDICADORES)


def test_encabezados_de_la_matriz_y_columnas_para_el_equipo(carpeta):
    hoja = _abrir(carpeta / "informes/matriz_semestral_2025_S1.xlsx")["Matriz"]
    fila = _fila_de(hoja, "ID asistencia")
    encabezados = _encabezados(hoja, fila)
    assert encabezados[:10] == [
        "ID asistencia",
        "Dirección",
        "Tema",
        "Tipo de servicio",
        "Mecanismo",
        "Modalidad",
        "Entidad beneficiaria",
        "Departamento",
        "Municipio",
        "Sesiones programadas",
    ]
    # Las metas del propio plan, junto a sus sesiones (§7.1).
    assert encabezados[10:12] == ["Participantes esperados", "Presupuesto (COP)"]
    assert encabezados[12 : 12 + len(INDICADORES)] == list(INDICADORES)
    assert encabezados[-6:] == [
        "Avance acumulado (%)",
        "Compromisos pendientes",
        "Semáforo del avance",
        "Profesional responsable",
        "Análisis",
        "Acciones correctivas",
    ]
    assert hoja.protection.sheet
    for columna in (len(encabezados) - 1, len(encabezados)):
        celda = hoja.cell(fila + 1, columna)
        assert celda.value is None
        assert celda.protection.locked is False
        assert celda.alignment.wrap_text
        anchos = [d.width for d in hoja.column_dimensions.values() if d.min <= columna <= d.max]
        assert anchos and anchos[0] >= 40
    assert hoja.cell(fila + 1, 1).value == "DGT-001"


def test_titulo_con_parcial_solo_si_el_periodo_no_termino(carpeta):
    t1 = _abrir(carpeta / "informes/informe_trimestral_2025_T1.xlsx")
    t2 = _abrir(carpeta / "informes/informe_trimestral_2025_T2.xlsx")
    for hoja in t2.worksheets[1:]:
        assert "Segundo trimestre 2025 (Parcial)" in hoja["A2"].value
        assert hoja["A1"].value == "Ministerio de Prueba"
    # La primera hoja lleva encima el aviso de datos incompletos (DPV tiene un archivo rechazado).
    primera = t2.worksheets[0]
    assert primera["A1"].value.startswith("Datos incompletos:")
    assert "Segundo trimestre 2025 (Parcial)" in primera["A4"].value
    assert "Parcial" not in t1["Resumen"]["A4"].value
    assert (
        "Parcial" in _abrir(carpeta / "informes/informe_anual_2025.xlsx")["Metadatos"]["A2"].value
    )


def test_porcentaje_como_numero_con_formato_y_semaforo(carpeta):
    hoja = _abrir(carpeta / "informes/informe_trimestral_2025_T2.xlsx")["Resumen"]
    # T2: A3 programada y realizada en el trimestre → 100 % (Verde). Avance del plan 3/9 (A1 A3 A4)
    # frente a lo esperado al 15/05, 4/9 (A1, A2 reprogramada al 20/04, A3, A4): 75 % → Amarillo.
    cumplimiento = hoja.cell(_fila_de(hoja, "Cumplimiento del cronograma (%)"), 2)
    assert cumplimiento.data_type == "n"
    assert cumplimiento.value == pytest.approx(1.0)
    assert cumplimiento.number_format == "0.0%"
    assert cumplimiento.fill.fgColor.rgb[-6:] == SEMAFORO["Verde"][0][1:]
    fila = _fila_de(hoja, "Avance del plan (%)")
    assert hoja.cell(fila, 2).value == pytest.approx(3 / 9)
    assert hoja.cell(fila, 3).value == "Amarillo"
    assert hoja.cell(fila, 3).fill.fgColor.rgb[-6:] == SEMAFORO["Amarillo"][0][1:]
    # Acumulado al corte: 2 de 5 programadas desde enero están realizadas (40 %).
    assert hoja.cell(_fila_de(hoja, "Cumplimiento del cronograma (%)"), 4).value == pytest.approx(
        0.6
    )


def test_graficas_y_mapa_presentes(carpeta):
    with zipfile.ZipFile(carpeta / "informes/informe_trimestral_2025_T1.xlsx") as z:
        assert "xl/charts/chart1.xml" in z.namelist()
    with zipfile.ZipFile(carpeta / "informes/informe_anual_2025.xlsx") as z:
        nombres = z.namelist()
        imagenes = [n for n in nombres if n.startswith("xl/media/")]
        assert len(imagenes) == 1
        assert z.read(imagenes[0]).startswith(b"\x89PNG")
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= set(nombres)
    libro = _abrir(carpeta / "informes/informe_anual_2025.xlsx")
    assert libro["Por trimestre"]._charts and libro["Satisfacción"]._charts
    assert libro["Cobertura territorial"]._images


def _textos(ruta: Path) -> list[str]:
    libro = openpyxl.load_workbook(ruta, read_only=True)
    return [
        str(v)
        for hoja in libro.worksheets
        for fila in hoja.iter_rows(values_only=True)
        for v in fila
        if v is not None
    ]


def test_informes_sin_datos_personales(carpeta):
    prohibidos = [valor for persona in PERSONAS for valor in persona[:4]]
    for ruta in _informes(carpeta):
        contenido = "\n".join(_textos(ruta))
        for valor in prohibidos:
            assert valor not in contenido, f"{valor} aparece en {ruta.name}"


def test_texto_de_entrada_siempre_como_texto(carpeta):
    base = _abrir(carpeta / "consolidado/base_consolidada_2025.xlsx")
    cronograma = base["Cronograma"]
    encabezados = [c.value for c in cronograma[1]]
    fila = next(
        r
        for r in cronograma.iter_rows(min_row=2)
        if r[encabezados.index("ID actividad")].value == "A6"
    )
    for etiqueta, esperado in (("Actividad", FORMULA), ("Motivo", TELEFONO_TEXTO)):
        celda = fila[encabezados.index(etiqueta)]
        assert (celda.value, celda.data_type) == (esperado, "s")
    plan = _abrir(carpeta / "informes/informe_anual_2025.xlsx")["Cumplimiento del plan"]
    celda = plan.cell(_fila_de(plan, "DGT-002"), 4)
    assert (celda.value, celda.data_type) == (FORMULA, "s")
    for ruta in [*_informes(carpeta), carpeta / "consolidado/base_consolidada_2025.xlsx"]:
        with zipfile.ZipFile(ruta) as z:
            hojas = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
            assert not any(b"<f>" in z.read(n) for n in hojas), ruta.name
            assert not any(
                n.startswith("xl/worksheets/_rels") and b"hyperlink" in z.read(n)
                for n in z.namelist()
            )


def test_bytes_identicos_con_las_mismas_entradas(datos, carpeta, tmp_path):
    otra = tmp_path / "2025"
    escribir_informes(datos, otra)
    for ruta in carpeta.rglob("*.xlsx"):
        assert (otra / ruta.relative_to(carpeta)).read_bytes() == ruta.read_bytes(), ruta.name


def test_base_consolidada_enmascara_y_respeta_la_autorizacion(carpeta):
    hoja = _abrir(carpeta / "consolidado/base_consolidada_2025.xlsx")["Asistencia"]
    encabezados = [c.value for c in hoja[1]]
    assert encabezados[:3] == ["Dirección", "Archivo", "Fila"]
    assert "Autoriza tratamiento de datos" in encabezados
    assert "Asistencia" in hoja.tables
    columna = {e: encabezados.index(e) for e in encabezados}
    filas = list(hoja.iter_rows(min_row=2, values_only=True))
    assert len(filas) == len(PERSONAS)
    por_documento = {f[columna["Número de documento"]]: f for f in filas}
    for nombre, documento, correo, telefono, _sexo, autoriza, _act in PERSONAS:
        fila = por_documento[enmascarar(documento)]
        personales = (
            fila[columna["Nombres y apellidos"]],
            fila[columna["Correo electrónico"]],
            fila[columna["Teléfono"]],
        )
        assert personales == (
            (nombre, correo, telefono) if autoriza == "Sí" else (None, None, None)
        )
    assert all(documento not in str(f) for f in filas for _n, documento, *_ in PERSONAS)


def test_calidad_de_datos_por_direccion(datos):
    tabla = calidad_por_direccion(datos.validacion, CONFIG).set_index("codigo")
    dgt, dpv = tabla.loc["DGT"], tabla.loc["DPV"]
    assert (dgt["plan"], dgt["cronograma"], dgt["asistencia"], dgt["rechazados"]) == (1, 1, 1, 0)
    assert (dgt["filas_leidas"], dgt["filas_rechazadas"], dgt["errores"], dgt["advertencias"]) == (
        9,
        1,
        1,
        3,
    )
    assert (dpv["plan"], dpv["cronograma"], dpv["rechazados"], dpv["errores"]) == (1, 0, 1, 1)
    assert (
        bool(dgt["falta_cronograma"]),
        bool(dpv["falta_cronograma"]),
        bool(dpv["falta_plan"]),
    ) == (False, True, False)
    assert tabla.iloc[-1]["direccion"] == "Total entidad"


def _alertas(carpeta: Path, n: int) -> list[tuple]:
    hoja = _abrir(carpeta / f"informes/informe_trimestral_2025_T{n}.xlsx")["Alertas"]
    return list(hoja.iter_rows(min_row=FILA_ENCABEZADO + 2, values_only=True))


def test_alertas_del_trimestre_para_un_director(carpeta):
    t1, t2 = _alertas(carpeta, 1), _alertas(carpeta, 2)
    encabezados = _encabezados(
        _abrir(carpeta / "informes/informe_trimestral_2025_T1.xlsx")["Alertas"]
    )
    assert encabezados == [
        "Tipo de alerta",
        "Dirección",
        "ID",
        "Descripción",
        "Fecha",
        "Días de atraso",
        "Responsable",
    ]
    # T1: el compromiso de A1 venció el 01/03; el informe de A4 (20/02) llegó el 10/03.
    assert [(f[0], f[2]) for f in t1 if f[0] != "Dirección en rojo"] == [
        ("Compromiso vencido", "A1"),
        ("Informe tardío", "A4"),
    ]
    # T2: A2 reprogramada al 20/04 y sin realizar; A3 (11/04) sin informe ni evaluaciones.
    assert [(f[0], f[2]) for f in t2 if f[0] != "Dirección en rojo"] == [
        ("Actividad vencida", "A2"),
        ("Informe pendiente", "A3"),
        ("Evidencia incompleta", "A3"),
    ]
    vencida = t2[0]
    assert (
        vencida[4] == dt.datetime(2025, 4, 20) and vencida[5] == (CORTE - dt.date(2025, 4, 20)).days
    )
    assert vencida[6] == "Ana Planeación"
    compromiso = t1[0]
    assert compromiso[6] == "Secretaría de Gobierno" and compromiso[5] == 75
    for fila in t1 + t2:
        assert all(v is not None and v != "" for v in fila), fila


def test_hoja_sin_filas_dice_sin_datos(datos, tmp_path):
    tabla = dict(datos.consolidado.tablas, compromisos=tablas.vacia("compromisos"))
    consolidado = consolidar(tabla, CONFIG, VIGENCIA, CORTE)
    otros = DatosInforme(
        consolidado,
        calcular_indicadores(consolidado, datos.periodos),
        datos.validacion,
        datos.periodos,
        datos.comando,
        datos.fecha_documento,
    )
    ruta = escribir_informe_trimestral(otros, _periodo(datos, "2025T1"), tmp_path / "t1.xlsx")
    hoja = _abrir(ruta)["Compromisos"]
    assert hoja.cell(FILA_ENCABEZADO + 2, 1).value == SIN_DATOS
    assert all(h.max_row > FILA_ENCABEZADO for h in _abrir(ruta).worksheets)


def test_cobertura_territorial_por_departamento(carpeta):
    hoja = _abrir(carpeta / "informes/informe_anual_2025.xlsx")["Cobertura territorial"]
    assert _encabezados(hoja)[:7] == [
        "Código DANE",
        "Departamento",
        "Municipios atendidos",
        "Municipios con asistentes",
        "Municipios del departamento",
        "Cobertura municipal (%)",
        "Cobertura con asistentes (%)",
    ]
    narino = [c.value for c in hoja[_fila_de(hoja, "52")]]
    # Ningún asistente de la muestra indica su municipio: 0 con asistentes.
    assert narino[2:7] == [1, 0, 64, pytest.approx(1 / 64), 0]
    assert hoja.cell(_fila_de(hoja, "52"), 6).number_format == "0.0%"


def test_metadatos_con_huellas_de_los_archivos(datos, carpeta):
    hoja = _abrir(carpeta / "informes/matriz_semestral_2025_S1.xlsx")["Metadatos"]
    valores = _textos(carpeta / "informes/matriz_semestral_2025_S1.xlsx")
    for archivo in datos.validacion.archivos:
        assert archivo.ruta in valores
        if archivo.sha256:
            assert archivo.sha256 in valores
    assert hoja.cell(_fila_de(hoja, "Comando"), 2).value == datos.comando
    assert (
        "Plan de asistencia técnica 1.0"
        in hoja.cell(_fila_de(hoja, "Versiones de plantilla"), 2).value
    )


def test_mapa_reproducible():
    imagen = dibujar_mapa({"52": 10.0, "05": 0.0}, "Cobertura")
    assert imagen.startswith(b"\x89PNG") and imagen == dibujar_mapa(
        {"52": 10.0, "05": 0.0}, "Cobertura"
    )
    assert b"Software" not in imagen


def test_matriz_semestral_por_item(datos, tmp_path):
    ruta = escribir_matriz_semestral(datos, _periodo(datos, "2025S1"), tmp_path / "m.xlsx")
    hoja = _abrir(ruta)["Matriz"]
    fila = _fila_de(hoja, "ID asistencia")
    encabezados = _encabezados(hoja, fila)
    ids = [hoja.cell(fila + 1 + i, 1).value for i in range(3)]
    assert ids == ["DGT-001", "DGT-002", "DPV-001"]
    semaforo = hoja.cell(fila + 1, encabezados.index("Semáforo del avance") + 1)
    assert semaforo.value == "Rojo" and semaforo.fill.fgColor.rgb[-6:] == SEMAFORO["Rojo"][0][1:]


def test_base_consolidada_sola(datos, tmp_path):
    ruta = escribir_base_consolidada(datos, tmp_path / "base.xlsx")
    libro = _abrir(ruta)
    assert sorted(t for h in libro.worksheets for t in h.tables) == [
        "Asistencia",
        "Compromisos",
        "Cronograma",
        "Evaluacion",
        "Plan",
    ]
    plan = libro["Plan"]
    ultima = plan.cell(1, len([c for c in plan[1] if c.value])).column_letter
    assert plan.tables["Plan"].ref == f"A1:{ultima}4"  # encabezado y las tres filas del plan
    cronograma = libro["Cronograma"]
    fecha = cronograma.cell(2, [c.value for c in cronograma[1]].index("Fecha programada") + 1)
    assert fecha.is_date and fecha.number_format == "dd/mm/yyyy"


# --- Notas metodológicas y acumulación ------------------------------------------------------------


def test_notas_metodologicas_en_cada_informe(carpeta):
    """Cada libro de informes trae la ficha técnica de cada indicador que muestra."""
    # El seguimiento mensual solo muestra algunos indicadores (test_informes_director).
    informes = [r for r in _informes(carpeta) if "mensual" not in r.name]
    assert len(informes) == 4  # T1, T2, S1 y anual
    for ruta in informes:
        hoja = _abrir(ruta)["Notas metodológicas"]
        assert _encabezados(hoja) == [
            "Indicador",
            "Definición",
            "Clase",
            "Acumulación",
            "Semáforo",
        ], ruta.name
        fila = FILA_ENCABEZADO + 2
        nombres = [hoja.cell(fila + i, 1).value for i in range(len(INDICADORES))]
        assert nombres == list(INDICADORES), ruta.name
        avance = _fila_de(hoja, "Avance del plan (%)")
        assert hoja.cell(avance, 3).value == "Porcentaje"
        assert hoja.cell(avance, 4).value == "Acumulado en la vigencia"
        assert "Avance esperado (%)" in hoja.cell(avance, 5).value
        # Los umbrales que se muestran son los configurados (por defecto 90, 70 y mínimo 10).
        assert "Verde desde 90 %, Amarillo desde 70 %" in hoja.cell(avance, 5).value
        cobertura = _fila_de(hoja, "Cobertura de evaluación (%)")
        assert hoja.cell(cobertura, 5).value.startswith("Verde desde 10 %")
        assert hoja.cell(_fila_de(hoja, "Asistentes"), 4).value == "Del periodo"
        assert hoja.cell(_fila_de(hoja, "Asistentes"), 5).value == "Sin semáforo."


def test_notas_usan_los_umbrales_de_la_configuracion():
    from pipeline.informes.notas import fichas, parametros_usados

    config = desde_dict(
        {
            "entidad": "E",
            "parametros": {
                "umbral_verde": 85.5,
                "umbral_amarillo": 60,
                "cobertura_minima_evaluacion": 25,
            },
            "direcciones": [{"codigo": "DGT", "nombre": "G", "temas": ["T"]}],
        }
    )
    tabla = fichas(["Satisfacción (%)", "Cobertura de evaluación (%)"], config.parametros)
    assert tabla["semaforo"].tolist() == [
        "Verde desde 85,5 %, Amarillo desde 60 %, Rojo por debajo.",
        "Verde desde 25 % (mínimo de los procedimientos), Rojo por debajo.",
    ]
    assert "Cobertura mínima de evaluación: 25 % de los asistentes." in parametros_usados(
        config.parametros
    )


def test_tablas_que_mezclan_acumulaciones_lo_dicen(carpeta):
    anual = _abrir(carpeta / "informes/informe_anual_2025.xlsx")
    hoja = anual["Por trimestre"]
    columna = _encabezados(hoja).index("Acumulación") + 1
    assert hoja.cell(_fila_de(hoja, "Avance del plan (%)"), columna).value == (
        "Acumulado en la vigencia"
    )
    assert hoja.cell(_fila_de(hoja, "Actividades realizadas"), columna).value == "Del periodo"
    resumen = _abrir(carpeta / "informes/informe_trimestral_2025_T1.xlsx")["Resumen"]
    columna = _encabezados(resumen, _fila_de(resumen, "Indicador")).index("Acumulación") + 1
    assert resumen.cell(_fila_de(resumen, "Avance esperado (%)"), columna).value == (
        "Acumulado en la vigencia"
    )
    for hoja in (anual["Por dirección"], anual["Por tema"]):
        nota = hoja.cell(FILA_ENCABEZADO, 1).value
        assert nota.startswith("Acumulados en la vigencia") and "Avance del plan (%)" in nota
        assert "Asistentes" not in nota
