"""Reglas de campo y de ficha (§4, §4.6, §5, X13, X14), validadas en bloque con pandera."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from libros import escribir_entradas, ficha_valida, fila_valida, leer_libros

from esquemas import PLANTILLAS
from pipeline import tablas
from pipeline.configuracion import cargar_configuracion
from pipeline.divipola import FalloMunicipio
from pipeline.normalizacion import INVALIDO, enmascarar
from pipeline.problemas import Codigo, Severidad, celda
from pipeline.validacion import esquema
from pipeline.validacion.campos import validar_campos, validar_fichas
from pipeline.validacion.contexto import Contexto
from pipeline.validacion.esquema import construir, reglas_campos

RAIZ = Path(__file__).resolve().parents[1]
E = Severidad.ERROR


@pytest.fixture(scope="module")
def contexto() -> Contexto:
    return Contexto.crear(cargar_configuracion(RAIZ / "esquemas" / "entidad.toml"), "2025")


def validar(tmp_path, contexto, tipo, filas, ficha=None, ruta="DGT/libro.xlsx"):
    """Escribe un libro en entradas/2025/<ruta>, lo lee y lo valida; da (fichas, campos, libro)."""
    ficha = ficha_valida(tipo) if ficha is None else ficha
    libros = leer_libros(escribir_entradas(tmp_path, {ruta: (tipo, ficha, filas)}))
    plantilla = PLANTILLAS[tipo]
    fichas = validar_fichas(plantilla, libros, contexto)
    return fichas, validar_campos(plantilla, libros, fichas, contexto), fichas.libros[0]


def celda_de(tipo: str, nombre: str, registro: int = 0) -> str:
    """Celda esperada según la disposición de la plantilla (registro base 0)."""
    plantilla = PLANTILLAS[tipo]
    return celda(plantilla.indice_columna(nombre), plantilla.primera_fila_datos + registro)


def unico(problemas, codigo: str):
    encontrados = [p for p in problemas if p.codigo == codigo]
    assert len(encontrados) == 1, [(p.codigo, p.celda) for p in problemas]
    return encontrados[0]


def afirmar(problemas, codigo: str, tipo: str, nombre: str, registro: int = 0):
    """Un único problema `codigo`, de severidad error, en la celda de `nombre`."""
    p = unico(problemas, codigo)
    assert p.severidad is E
    assert p.celda == celda_de(tipo, nombre, registro)
    assert p.campo == PLANTILLAS[tipo].columna(nombre).etiqueta
    assert p.fila == PLANTILLAS[tipo].primera_fila_datos + registro
    return p


# Filas válidas y tabla tipada ---------------------------------------------------------------------


@pytest.mark.parametrize("tipo", list(PLANTILLAS))
def test_filas_validas_sin_problemas_y_tipos_del_contrato(tmp_path, contexto, tipo):
    fichas, campos, _ = validar(tmp_path, contexto, tipo, [fila_valida(tipo), fila_valida(tipo)])
    assert fichas.problemas == [] and campos.problemas == []
    assert campos.excluidas.empty
    assert list(campos.excluidas.columns) == ["archivo", "fila", "tipo", "codigos"]
    assert {c: str(d) for c, d in campos.tabla.dtypes.items()} == tablas.columnas(tipo)
    assert len(campos.tabla) == 2
    fila = campos.tabla.iloc[0]
    assert (fila["direccion"], fila["vigencia"], fila["archivo"]) == (
        "DGT",
        2025,
        "2025/DGT/libro.xlsx",
    )
    assert fila["fila"] == PLANTILLAS[tipo].primera_fila_datos


def test_valores_canonicos_en_la_tabla_tipada(tmp_path, contexto):
    _, campos, _ = validar(tmp_path, contexto, "asistencia", [fila_valida("asistencia")])
    fila = campos.tabla.iloc[0]
    assert fila["departamento"] == "52" and fila["municipio"] == "52001"
    assert fila["numero_documento"] == "1085123456"
    assert fila["telefono"] == "3001234567"
    assert fila["autoriza_datos"] == "Sí"
    assert not fila["repetido"]
    assert fila["fecha_actividad"] == dt.datetime(2025, 3, 10)


def test_lectura_tolerante_de_catalogos_numeros_y_fechas(tmp_path, contexto):
    serie = (dt.date(2025, 3, 10) - dt.date(1899, 12, 30)).days
    fila = fila_valida(
        "plan",
        tema="planes integrales de seguridad y convivencia ciudadana (piscc)",
        tipo_servicio="ASESORIA",
        mecanismo="mesa\u00a0de   trabajo",
        modalidad=" telefonica ",
        orden="territorial",
        departamento="narino",
        municipio="PASTO",
        fecha_inicio="2025-02-01",
        fecha_fin=serie,
        sesiones_programadas="3",
        presupuesto="1500000,5",
    )
    _, campos, _ = validar(tmp_path, contexto, "plan", [fila])
    assert campos.problemas == []
    t = campos.tabla.iloc[0]
    assert t["tema"] == "Planes Integrales de Seguridad y Convivencia Ciudadana (PISCC)"
    assert (t["tipo_servicio"], t["mecanismo"], t["modalidad"]) == (
        "Asesoría",
        "Mesa de trabajo",
        "Telefónica",
    )
    assert (t["orden"], t["departamento"], t["municipio"]) == ("Territorial", "52", "52001")
    assert t["fecha_inicio"] == dt.datetime(2025, 2, 1)
    assert t["fecha_fin"] == dt.datetime(2025, 3, 10)
    assert t["sesiones_programadas"] == 3
    assert t["presupuesto"] == 1500000.5


def test_fecha_dd_mm_aaaa_como_texto_y_si_no_tolerante(tmp_path, contexto):
    filas = [fila_valida("asistencia", autoriza_datos="si", sexo="MUJER")]
    ficha = ficha_valida("asistencia", fecha_actividad="10/03/2025")
    fichas, campos, _ = validar(tmp_path, contexto, "asistencia", filas, ficha=ficha)
    assert fichas.problemas == [] and campos.problemas == []
    assert campos.tabla.iloc[0]["autoriza_datos"] == "Sí"
    assert campos.tabla.iloc[0]["fecha_actividad"] == dt.datetime(2025, 3, 10)


def test_respuestas_de_evaluacion_son_int64(tmp_path, contexto):
    filas = [fila_valida("evaluacion", pertinencia="4", claridad=None)]
    _, campos, _ = validar(tmp_path, contexto, "evaluacion", filas)
    assert campos.problemas == []
    assert str(campos.tabla["pertinencia"].dtype) == "Int64"
    assert campos.tabla.iloc[0]["pertinencia"] == 4
    assert campos.tabla["claridad"].isna().all()


# Obligatorios -------------------------------------------------------------------------------------


@pytest.mark.parametrize("tipo", list(PLANTILLAS))
def test_columnas_obligatorias_vacias(tmp_path, contexto, tipo):
    # Una fila válida y, después, una fila por columna obligatoria con solo esa columna vacía.
    requeridas = [c for c in PLANTILLAS[tipo].columnas if c.requerido]
    filas = [fila_valida(tipo)] + [fila_valida(tipo, **{c.nombre: None}) for c in requeridas]
    _, campos, _ = validar(tmp_path, contexto, tipo, filas)
    assert len(campos.problemas) == len(requeridas)
    for registro, (campo, p) in enumerate(zip(requeridas, campos.problemas, strict=True), 1):
        assert (p.codigo, p.severidad) == ("REQUERIDO", E)
        assert p.celda == celda_de(tipo, campo.nombre, registro)
        assert p.mensaje == Codigo.REQUERIDO.formatear(campo=campo.etiqueta)
    assert len(campos.tabla) == 1 and len(campos.excluidas) == len(requeridas)


CONDICIONALES = [
    ("plan", {"orden": "Territorial", "departamento": None, "municipio": None}, "departamento"),
    ("cronograma", {"estado": "Reprogramada", "fecha_realizacion": None, "motivo": "Lluvia"}, "nueva_fecha"),
    ("cronograma", {"estado": "Realizada", "fecha_realizacion": None, "fecha_entrega_informe": None}, "fecha_realizacion"),
    ("cronograma", {"estado": "Reprogramada", "fecha_realizacion": None, "nueva_fecha": dt.date(2025, 5, 1)}, "motivo"),
    ("cronograma", {"estado": "Cancelada", "fecha_realizacion": None}, "motivo"),
    ("compromisos", {"estado": "Cumplido", "fecha_cumplimiento": None}, "fecha_cumplimiento"),
]  # fmt: skip


@pytest.mark.parametrize(("tipo", "cambios", "nombre"), CONDICIONALES)
def test_obligatorio_condicional(tmp_path, contexto, tipo, cambios, nombre):
    _, campos, _ = validar(tmp_path, contexto, tipo, [fila_valida(tipo, **cambios)])
    p = afirmar(campos.problemas, "REQUERIDO_CONDICIONAL", tipo, nombre)
    campo = PLANTILLAS[tipo].columna(nombre)
    esperado = Codigo.REQUERIDO_CONDICIONAL.formatear(
        campo=campo.etiqueta, condicion=PLANTILLAS[tipo].condicion(campo)
    )
    assert p.mensaje == esperado
    assert campos.tabla.empty


@pytest.mark.parametrize(
    ("tipo", "cambios"),
    [
        ("plan", {"orden": "Nacional", "departamento": None, "municipio": None}),
        ("cronograma", {"estado": "Programada", "fecha_realizacion": None, "fecha_entrega_informe": None}),
        ("cronograma", {"estado": "Cancelada", "fecha_realizacion": None, "motivo": "Orden público"}),
        ("compromisos", {"estado": "Pendiente", "fecha_cumplimiento": None}),
    ],
)  # fmt: skip
def test_condicional_no_exigido(tmp_path, contexto, tipo, cambios):
    _, campos, _ = validar(tmp_path, contexto, tipo, [fila_valida(tipo, **cambios)])
    assert campos.problemas == []


def test_fecha_de_realizacion_sin_estado_realizada_no_corresponde(tmp_path, contexto):
    fila = fila_valida("cronograma", estado="programada", fecha_entrega_informe=None)
    _, campos, _ = validar(tmp_path, contexto, "cronograma", [fila])
    p = afirmar(campos.problemas, "NO_CORRESPONDE", "cronograma", "fecha_realizacion")
    assert "«Programada»" in p.mensaje and "«10/03/2025»" in p.mensaje


# Tipos y rangos -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tipo", "nombre", "valor"),
    [
        ("plan", "fecha_inicio", "31/02/2025"),
        ("plan", "fecha_fin", "mañana"),
        ("cronograma", "fecha_programada", "2025/03/10"),
        ("cronograma", "fecha_entrega_informe", "12-03-2025"),
        ("compromisos", "fecha_limite", "01/01/0025"),
    ],
)
def test_fecha_invalida(tmp_path, contexto, tipo, nombre, valor):
    _, campos, _ = validar(tmp_path, contexto, tipo, [fila_valida(tipo, **{nombre: valor})])
    p = afirmar(campos.problemas, "FECHA_INVALIDA", tipo, nombre)
    etiqueta = PLANTILLAS[tipo].columna(nombre).etiqueta
    assert p.mensaje == Codigo.FECHA_INVALIDA.formatear(
        valor=f"«{valor}»", campo=etiqueta, ejemplo_anio=2025
    )


@pytest.mark.parametrize(
    ("tipo", "nombre", "valor", "codigo"),
    [
        ("plan", "sesiones_programadas", "2,5", "ENTERO_INVALIDO"),
        ("plan", "participantes_esperados", "muchos", "ENTERO_INVALIDO"),
        ("evaluacion", "satisfaccion_general", "excelente", "ENTERO_INVALIDO"),
        ("plan", "presupuesto", "$ un millón", "NUMERO_INVALIDO"),
    ],
)
def test_numero_invalido(tmp_path, contexto, tipo, nombre, valor, codigo):
    _, campos, _ = validar(tmp_path, contexto, tipo, [fila_valida(tipo, **{nombre: valor})])
    afirmar(campos.problemas, codigo, tipo, nombre)


@pytest.mark.parametrize(
    ("tipo", "nombre", "valor", "rango"),
    [
        ("plan", "sesiones_programadas", 0, "un número entero mayor o igual a 1"),
        ("plan", "participantes_esperados", -1, "un número entero mayor o igual a 0"),
        ("plan", "presupuesto", -5.5, "un número mayor o igual a 0"),
        ("evaluacion", "satisfaccion_general", 6, "un número entero entre 1 y 5"),
        ("evaluacion", "pertinencia", "0", "un número entero entre 1 y 5"),
    ],
)
def test_fuera_de_rango(tmp_path, contexto, tipo, nombre, valor, rango):
    _, campos, _ = validar(tmp_path, contexto, tipo, [fila_valida(tipo, **{nombre: valor})])
    p = afirmar(campos.problemas, "FUERA_DE_RANGO", tipo, nombre)
    etiqueta = PLANTILLAS[tipo].columna(nombre).etiqueta
    assert p.mensaje == Codigo.FUERA_DE_RANGO.formatear(
        campo=etiqueta, valor=f"«{p.valor}»", rango=rango
    )


# Catálogos ----------------------------------------------------------------------------------------


def test_fuera_de_catalogo_con_opciones_y_sugerencia(tmp_path, contexto):
    fila = fila_valida("plan", tipo_servicio="Asesorias")
    _, campos, _ = validar(tmp_path, contexto, "plan", [fila])
    p = afirmar(campos.problemas, "FUERA_DE_CATALOGO", "plan", "tipo_servicio")
    opciones = PLANTILLAS["plan"].columna("tipo_servicio").opciones
    assert p.mensaje == Codigo.FUERA_DE_CATALOGO.formatear(
        valor="«Asesorias»",
        campo="Tipo de servicio",
        sugerencia=" ¿Quiso decir «Asesoría»?",
        opciones=", ".join(opciones),
    )


def test_sigla_sugiere_la_unica_opcion_que_la_contiene(tmp_path, contexto):
    _, campos, _ = validar(tmp_path, contexto, "plan", [fila_valida("plan", tema="piscc")])
    p = afirmar(campos.problemas, "FUERA_DE_CATALOGO", "plan", "tema")
    assert (
        "¿Quiso decir «Planes Integrales de Seguridad y Convivencia Ciudadana (PISCC)»?"
        in p.mensaje
    )


def test_estado_fuera_de_catalogo(tmp_path, contexto):
    fila = fila_valida("compromisos", estado="Terminado", fecha_cumplimiento=None)
    _, campos, _ = validar(tmp_path, contexto, "compromisos", [fila])
    afirmar(campos.problemas, "FUERA_DE_CATALOGO", "compromisos", "estado")


def test_departamento_por_codigo_y_desconocido(tmp_path, contexto):
    filas = [fila_valida("plan", departamento="52"), fila_valida("plan", departamento="Narnia")]
    _, campos, _ = validar(tmp_path, contexto, "plan", filas)
    afirmar(campos.problemas, "FUERA_DE_CATALOGO", "plan", "departamento", registro=1)
    assert campos.tabla["departamento"].tolist() == ["52"]


def test_tema_de_otra_direccion(tmp_path, contexto):
    tema = "Planes parciales"  # tema de DOT
    _, campos, _ = validar(tmp_path, contexto, "plan", [fila_valida("plan", tema=tema)])
    p = afirmar(campos.problemas, "TEMA_DE_OTRA_DIRECCION", "plan", "tema")
    dgt = contexto.config.por_codigo("DGT")
    assert p.mensaje == Codigo.TEMA_DE_OTRA_DIRECCION.formatear(
        valor=f"«{tema}»", direccion="DGT", opciones="; ".join(dgt.temas)
    )


def test_tema_de_ninguna_direccion(tmp_path, contexto):
    fila = fila_valida("plan", tema="Planes Integrales de Seguridad")
    _, campos, _ = validar(tmp_path, contexto, "plan", [fila])
    p = afirmar(campos.problemas, "FUERA_DE_CATALOGO", "plan", "tema")
    assert (
        "¿Quiso decir «Planes Integrales de Seguridad y Convivencia Ciudadana (PISCC)»?"
        in p.mensaje
    )
    assert "TEMA_DE_OTRA_DIRECCION" not in {x.codigo for x in campos.problemas}


@pytest.mark.parametrize(
    ("departamento", "municipio", "fallo"),
    [
        (None, "La Unión", FalloMunicipio.AMBIGUO),
        ("Antioquia", "Pasto", FalloMunicipio.OTRO_DEPARTAMENTO),
        ("Nariño", "Gótica", FalloMunicipio.NO_EXISTE),
        (None, "99999", FalloMunicipio.NO_EXISTE),
    ],
)
def test_municipio_no_valido_x14(tmp_path, contexto, departamento, municipio, fallo):
    fila = fila_valida("cronograma", departamento=departamento, municipio=municipio)
    _, campos, _ = validar(tmp_path, contexto, "cronograma", [fila])
    p = afirmar(campos.problemas, "X14", "cronograma", "municipio")
    assert p.mensaje == Codigo.X14.formatear(valor=f"«{municipio}»", motivo=fallo)


def test_municipio_por_nombre_en_departamento_o_por_codigo(tmp_path, contexto):
    filas = [
        fila_valida("asistencia", departamento="Nariño", municipio="la union"),
        fila_valida("asistencia", departamento=None, municipio="05001"),
        fila_valida("asistencia", departamento="05", municipio=None),
    ]
    _, campos, _ = validar(tmp_path, contexto, "asistencia", filas)
    assert campos.problemas == []
    assert campos.tabla["municipio"].tolist() == ["52399", "05001", None]
    assert campos.tabla["departamento"].tolist() == ["52", "05", "05"]


# Fechas entre columnas, vigencia y corte ----------------------------------------------------------


@pytest.mark.parametrize(
    ("tipo", "nombre", "valor"),
    [
        ("plan", "fecha_inicio", dt.date(2024, 12, 31)),
        ("plan", "fecha_fin", dt.date(2026, 1, 1)),
        ("cronograma", "fecha_programada", dt.date(2024, 6, 1)),
    ],
)
def test_fecha_fuera_de_vigencia(tmp_path, contexto, tipo, nombre, valor):
    _, campos, _ = validar(tmp_path, contexto, tipo, [fila_valida(tipo, **{nombre: valor})])
    p = afirmar(campos.problemas, "FECHA_FUERA_DE_VIGENCIA", tipo, nombre)
    etiqueta = PLANTILLAS[tipo].columna(nombre).etiqueta
    assert p.mensaje == Codigo.FECHA_FUERA_DE_VIGENCIA.formatear(
        campo=etiqueta, valor=f"«{valor:%d/%m/%Y}»", vigencia=2025
    )


def test_fecha_de_realizacion_fuera_de_vigencia(tmp_path, contexto):
    ficha = ficha_valida("cronograma", fecha_corte=dt.date(2026, 2, 1))
    fila = fila_valida(
        "cronograma", fecha_realizacion=dt.date(2026, 1, 5), fecha_entrega_informe=None
    )
    _, campos, _ = validar(tmp_path, contexto, "cronograma", [fila], ficha=ficha)
    afirmar(campos.problemas, "FECHA_FUERA_DE_VIGENCIA", "cronograma", "fecha_realizacion")


def test_fecha_de_fin_anterior_al_inicio(tmp_path, contexto):
    fila = fila_valida("plan", fecha_inicio=dt.date(2025, 5, 1), fecha_fin=dt.date(2025, 4, 30))
    _, campos, _ = validar(tmp_path, contexto, "plan", [fila])
    p = afirmar(campos.problemas, "FECHA_FIN_ANTERIOR", "plan", "fecha_fin")
    assert p.mensaje == Codigo.FECHA_FIN_ANTERIOR.formatear(
        valor="«30/04/2025»", otra="«01/05/2025»"
    )


def test_fecha_de_realizacion_posterior_al_corte(tmp_path, contexto):
    ficha = ficha_valida("cronograma", fecha_corte=dt.date(2025, 3, 1))
    _, campos, _ = validar(tmp_path, contexto, "cronograma", [fila_valida("cronograma")], ficha)
    p = afirmar(campos.problemas, "FECHA_POSTERIOR_AL_CORTE", "cronograma", "fecha_realizacion")
    assert p.mensaje == Codigo.FECHA_POSTERIOR_AL_CORTE.formatear(
        campo="Fecha de realización", valor="«10/03/2025»", corte="«01/03/2025»"
    )


def test_fecha_de_entrega_anterior_a_la_realizacion(tmp_path, contexto):
    fila = fila_valida("cronograma", fecha_entrega_informe=dt.date(2025, 3, 9))
    _, campos, _ = validar(tmp_path, contexto, "cronograma", [fila])
    afirmar(campos.problemas, "FECHA_ENTREGA_ANTERIOR", "cronograma", "fecha_entrega_informe")


def test_cumplimiento_posterior_al_corte(tmp_path, contexto):
    fila = fila_valida("compromisos", fecha_cumplimiento=dt.date(2025, 7, 1))
    _, campos, _ = validar(tmp_path, contexto, "compromisos", [fila])
    afirmar(campos.problemas, "FECHA_POSTERIOR_AL_CORTE", "compromisos", "fecha_cumplimiento")


# Datos personales ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tipo_documento", "numero", "motivo"),
    [
        ("CC", "12AB34", "tiene caracteres que no son dígitos"),
        ("CC", "12", "tiene 2 caracteres"),
        ("TI", "1234567890123456", "tiene 16 caracteres"),
        ("PA", "AB#12345", "tiene signos que no son letras ni dígitos"),
    ],
)
def test_documento_invalido_enmascarado(tmp_path, contexto, tipo_documento, numero, motivo):
    fila = fila_valida("asistencia", tipo_documento=tipo_documento, numero_documento=numero)
    _, campos, _ = validar(tmp_path, contexto, "asistencia", [fila])
    p = afirmar(campos.problemas, "DOCUMENTO_INVALIDO", "asistencia", "numero_documento")
    esperado = Codigo.DOCUMENTO_INVALIDO.formatear(valor=f"«{numero}»", motivo=motivo)
    assert p.mensaje_propio == esperado
    assert numero not in p.mensaje and numero not in p.valor
    assert p.valor == enmascarar(numero)


@pytest.mark.parametrize("numero", ["AB-123 456", "ab.123456"])
def test_pasaporte_admite_letras(tmp_path, contexto, numero):
    fila = fila_valida("asistencia", tipo_documento="PA", numero_documento=numero)
    _, campos, _ = validar(tmp_path, contexto, "asistencia", [fila])
    assert campos.problemas == []
    assert campos.tabla.iloc[0]["numero_documento"] == "AB123456"


def test_correo_invalido_enmascarado(tmp_path, contexto):
    correo = "maria.gomez@pasto"
    fila = fila_valida("asistencia", correo=correo)
    _, campos, _ = validar(tmp_path, contexto, "asistencia", [fila])
    p = afirmar(campos.problemas, "CORREO_INVALIDO", "asistencia", "correo")
    assert correo not in p.mensaje and correo in p.mensaje_propio


@pytest.mark.parametrize("telefono", ["12345", "300 123 45678", "3OO1234567"])
def test_telefono_invalido_enmascarado(tmp_path, contexto, telefono):
    fila = fila_valida("asistencia", telefono=telefono)
    _, campos, _ = validar(tmp_path, contexto, "asistencia", [fila])
    p = afirmar(campos.problemas, "TELEFONO_INVALIDO", "asistencia", "telefono")
    assert telefono not in p.mensaje and telefono in p.mensaje_propio


def test_telefono_con_prefijo_y_numerico(tmp_path, contexto):
    filas = [
        fila_valida("asistencia", telefono="+57 300-123-4567"),
        fila_valida("asistencia", telefono=6027234567),
    ]
    _, campos, _ = validar(tmp_path, contexto, "asistencia", filas)
    assert campos.problemas == []
    assert campos.tabla["telefono"].tolist() == ["3001234567", "6027234567"]


def test_nombres_vacio_es_requerido_y_personal(tmp_path, contexto):
    fila = fila_valida("asistencia", nombres=None, numero_documento="1")
    _, campos, _ = validar(tmp_path, contexto, "asistencia", [fila])
    afirmar(campos.problemas, "REQUERIDO", "asistencia", "nombres")
    assert all("1" not in p.valor for p in campos.problemas if p.codigo == "DOCUMENTO_INVALIDO")


# Filas excluidas ----------------------------------------------------------------------------------


def test_filas_con_error_se_excluyen_y_se_listan(tmp_path, contexto):
    filas = [
        fila_valida("plan", id_asistencia="A-1"),
        fila_valida("plan", id_asistencia="A-2", sesiones_programadas=0, modalidad="Remota"),
        fila_valida("plan", id_asistencia="A-3"),
    ]
    _, campos, _ = validar(tmp_path, contexto, "plan", filas)
    assert campos.tabla["id_asistencia"].tolist() == ["A-1", "A-3"]
    excluida = campos.excluidas.iloc[0]
    assert len(campos.excluidas) == 1
    assert excluida["archivo"] == "2025/DGT/libro.xlsx"
    assert excluida["fila"] == PLANTILLAS["plan"].primera_fila_datos + 1
    assert excluida["tipo"] == "plan"
    assert set(excluida["codigos"].split(",")) == {"FUERA_DE_CATALOGO", "FUERA_DE_RANGO"}


# Ficha --------------------------------------------------------------------------------------------


def celda_ficha(tipo: str, nombre: str) -> str:
    return f"B{PLANTILLAS[tipo].fila_ficha(nombre)}"


def afirmar_ficha(fichas, libro, codigo, tipo, nombre):
    p = unico(fichas.problemas, codigo)
    assert p.severidad is E
    assert p.celda == celda_ficha(tipo, nombre)
    assert libro.rechazado
    return p


def test_ficha_valida_tipada(tmp_path, contexto):
    ficha = ficha_valida(
        "cronograma",
        direccion="dgt - direccion de gobernabilidad territorial",
        vigencia="2025",
        responsable="  Pedro Ruiz ",
        fecha_corte="2025-06-30",
    )
    fichas, _, libro = validar(tmp_path, contexto, "cronograma", [], ficha=ficha)
    assert fichas.problemas == [] and not libro.rechazado
    tipada = fichas.fichas["2025/DGT/libro.xlsx"]
    assert tipada["direccion"] == "DGT" and tipada["vigencia"] == 2025
    assert tipada["responsable"] == "Pedro Ruiz"
    assert tipada["fecha_corte"] == dt.date(2025, 6, 30)


def test_ficha_obligatoria_vacia_rechaza_el_archivo(tmp_path, contexto):
    ficha = ficha_valida("plan", responsable=None)
    fichas, campos, libro = validar(tmp_path, contexto, "plan", [fila_valida("plan")], ficha)
    afirmar_ficha(fichas, libro, "REQUERIDO", "plan", "responsable")
    assert campos.tabla.empty and campos.problemas == []


def test_la_validacion_no_escribe_sobre_el_libro_leido(tmp_path, contexto):
    ficha = ficha_valida("plan", responsable=None)
    libros = leer_libros(escribir_entradas(tmp_path, {"DGT/a.xlsx": ("plan", ficha, [])}))
    fichas = validar_fichas(PLANTILLAS["plan"], libros, contexto)
    assert fichas.libros[0].rechazado and not libros[0].rechazado
    assert fichas.rechazados == {"2025/DGT/a.xlsx"}


def test_direccion_desconocida_lista_las_opciones(tmp_path, contexto):
    ficha = ficha_valida("plan", direccion="Dirección de Asuntos Varios")
    fichas, _, libro = validar(tmp_path, contexto, "plan", [fila_valida("plan")], ficha)
    p = afirmar_ficha(fichas, libro, "DIRECCION_DESCONOCIDA", "plan", "direccion")
    opciones = ", ".join(d.etiqueta for d in contexto.config.direcciones)
    assert p.mensaje == Codigo.DIRECCION_DESCONOCIDA.formatear(
        valor="«Dirección de Asuntos Varios»", opciones=opciones
    )


@pytest.mark.parametrize("vigencia", ["dos mil", "25", 2025.5])
def test_vigencia_no_es_un_anio(tmp_path, contexto, vigencia):
    ficha = ficha_valida("plan", vigencia=vigencia)
    fichas, _, libro = validar(tmp_path, contexto, "plan", [fila_valida("plan")], ficha)
    afirmar_ficha(fichas, libro, "ANIO_INVALIDO", "plan", "vigencia")


@pytest.mark.parametrize(
    ("tipo", "nombre"),
    [
        ("cronograma", "fecha_corte"),
        ("asistencia", "fecha_actividad"),
        ("plan", "fecha_aprobacion"),
    ],
)
def test_fecha_de_ficha_invalida(tmp_path, contexto, tipo, nombre):
    ficha = ficha_valida(tipo, **{nombre: "el lunes"})
    fichas, _, libro = validar(tmp_path, contexto, tipo, [fila_valida(tipo)], ficha)
    afirmar_ficha(fichas, libro, "FECHA_INVALIDA", tipo, nombre)


def test_direccion_de_la_ficha_distinta_de_la_carpeta_x13(tmp_path, contexto):
    ficha = ficha_valida("plan", direccion="DPV")
    fichas, _, libro = validar(tmp_path, contexto, "plan", [fila_valida("plan")], ficha)
    p = afirmar_ficha(fichas, libro, "X13", "plan", "direccion")
    assert p.mensaje == Codigo.X13.formatear(
        campo="Dirección", valor="«DPV»", esperado="la dirección DGT"
    )


def test_vigencia_de_la_ficha_distinta_de_la_carpeta_x13(tmp_path, contexto):
    ficha = ficha_valida("plan", vigencia=2024)
    fichas, _, libro = validar(tmp_path, contexto, "plan", [fila_valida("plan")], ficha)
    p = afirmar_ficha(fichas, libro, "X13", "plan", "vigencia")
    assert p.mensaje == Codigo.X13.formatear(
        campo="Vigencia", valor="«2024»", esperado="la vigencia 2025"
    )


def test_carpeta_que_no_es_una_direccion(tmp_path, contexto):
    fichas, _, libro = validar(
        tmp_path, contexto, "plan", [fila_valida("plan")], ruta="Varios/plan.xlsx"
    )
    p = afirmar_ficha(fichas, libro, "CARPETA_DESCONOCIDA", "plan", "direccion")
    assert "«2025/Varios»" in p.mensaje and "DGT, DPV, DOT, DGI" in p.mensaje
    assert "X13" not in {x.codigo for x in fichas.problemas}


# En bloque y derivado de la plantilla -------------------------------------------------------------


def test_una_validacion_de_pandera_por_tipo(tmp_path, contexto, monkeypatch):
    archivos = {
        f"DGT/sesion_{i}.xlsx": (
            "asistencia",
            ficha_valida("asistencia"),
            [fila_valida("asistencia")],
        )
        for i in range(4)
    }
    libros = leer_libros(escribir_entradas(tmp_path, archivos))
    llamadas = []
    original = pa.DataFrameSchema.validate

    def espia(self, *args, **kwargs):
        llamadas.append(len(args[0]))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pa.DataFrameSchema, "validate", espia)
    plantilla = PLANTILLAS["asistencia"]
    fichas = validar_fichas(plantilla, libros, contexto)
    assert llamadas == [4]  # una fila por archivo
    campos = validar_campos(plantilla, libros, fichas, contexto)
    assert llamadas == [4, 4]  # una fila por registro, todos los archivos juntos
    assert len(campos.tabla) == 4


def test_el_esquema_sale_de_la_plantilla(contexto):
    plantilla = PLANTILLAS["cronograma"]
    esquema = construir(plantilla.columnas, reglas_campos(plantilla, contexto)).schema
    assert list(esquema.columns) == [c.nombre for c in plantilla.columnas]
    for campo in plantilla.columnas:
        columna = esquema.columns[campo.nombre]
        assert (columna.title, columna.description) == (campo.etiqueta, campo.ayuda)
        assert columna.metadata == {"campo": campo}
        assert columna.dtype is None  # sin conversión de tipos en pandera
    nombres = [c.name for col in esquema.columns.values() for c in col.checks] + [
        c.name for c in esquema.checks
    ]
    assert nombres and set(nombres) <= set(Codigo)


def test_cada_valor_distinto_se_convierte_una_vez_por_corrida(tmp_path, contexto, monkeypatch):
    # Reglas (obligatorio, tipo) y tabla tipada comparten la conversión de cada valor distinto.
    convertidos: list[object] = []
    original = esquema._telefono

    def contar(valor):
        convertidos.append(valor)
        return original(valor)

    monkeypatch.setattr(esquema, "_telefono", contar)
    telefonos = ["3001234567", "3001234567", "12345", "6027234567"]
    archivos = {
        f"DGT/s{i}/lista.xlsx": (
            "asistencia",
            ficha_valida("asistencia"),
            [
                fila_valida("asistencia", telefono=telefono, numero_documento=f"1000{i}"),
                fila_valida("asistencia", telefono=telefonos[0], numero_documento=f"2000{i}"),
            ],
        )
        for i, telefono in enumerate(telefonos)
    }
    libros = leer_libros(escribir_entradas(tmp_path, archivos))
    plantilla = PLANTILLAS["asistencia"]
    campos = validar_campos(
        plantilla, libros, validar_fichas(plantilla, libros, contexto), contexto
    )
    assert sorted(convertidos, key=str) == sorted(set(telefonos), key=str)
    assert [p.codigo for p in campos.problemas] == ["TELEFONO_INVALIDO"]
    assert sorted(campos.tabla["telefono"]) == ["3001234567"] * 6 + ["6027234567"]


def test_conversiones_no_confunden_columnas(contexto):
    memo = esquema.Conversiones(contexto)
    marco = pd.DataFrame({"a": ["x", "y", None], "b": ["x", "y", "x"]}, dtype=object)
    llamadas: list[object] = []

    def mayuscula(valor):
        llamadas.append(valor)
        return str(valor).upper()

    assert esquema.mapear(marco["a"], mayuscula, memo).tolist() == ["X", "Y", None]
    assert esquema.mapear(marco["a"], mayuscula, memo).tolist() == ["X", "Y", None]
    assert llamadas == ["x", "y"]  # la segunda vez, de lo guardado
    assert esquema.mapear(marco["b"], str.upper, memo).tolist() == ["X", "Y", "X"]
    derivada = marco["a"].map(lambda v: v and v * 2)  # otra memoria, aunque se llame «a»
    assert esquema.mapear(derivada, mayuscula, memo).tolist() == ["XX", "YY", None]
    assert esquema.validos(marco["b"], lambda v: 1 if v == "x" else INVALIDO, memo).tolist() == [
        1,
        None,
        1,
    ]
