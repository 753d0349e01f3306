"""Las reglas declaradas en cada columna (§4) apuntan a campos y valores que existen."""

import pytest

from esquemas import PLANTILLAS
from esquemas.modelo import CORTE, Tipo
from pipeline.problemas import Codigo

TIPOS = list(PLANTILLAS)


@pytest.mark.parametrize("tipo", TIPOS)
def test_requisitos_condicionales_con_control_y_valores_validos(tipo):
    plantilla = PLANTILLAS[tipo]
    for campo in plantilla.columnas:
        if campo.requerido_si is None:
            assert not campo.solo_si
            continue
        control = plantilla.columna(campo.requerido_si.control)
        assert set(campo.requerido_si.valores) <= set(control.opciones), campo.nombre
        assert plantilla.condicion(campo).endswith(" o ".join(campo.requerido_si.valores) + ".")


@pytest.mark.parametrize("tipo", TIPOS)
def test_comparaciones_y_vigencia_solo_en_fechas(tipo):
    plantilla = PLANTILLAS[tipo]
    for campo in plantilla.columnas:
        if campo.en_vigencia or campo.comparaciones:
            assert campo.tipo is Tipo.FECHA, campo.nombre
        for comparacion in campo.comparaciones:
            Codigo(comparacion.codigo)
            assert comparacion.comparador in ("≥", "≤")
            if comparacion.otro == CORTE:
                assert plantilla.campo("fecha_corte").tipo is Tipo.FECHA
            else:
                assert plantilla.columna(comparacion.otro).tipo is Tipo.FECHA


def test_condiciones_en_palabras():
    plan, cronograma = PLANTILLAS["plan"], PLANTILLAS["cronograma"]
    assert plan.condicion(plan.columna("departamento")) == (
        "Obligatorio si el Orden es Territorial."
    )
    assert cronograma.condicion(cronograma.columna("motivo")) == (
        "Obligatorio si el Estado es Reprogramada o Cancelada."
    )
    assert cronograma.condicion(cronograma.columna("nueva_fecha")) == (
        "Obligatoria si el Estado es Reprogramada."
    )
    assert cronograma.condicion(cronograma.columna("estado")) == ""


def test_la_validacion_sale_de_la_declaracion_de_la_columna():
    """Una plantilla cualquiera recibe las reglas que declaran sus columnas, sin tablas aparte."""
    import datetime as dt
    from pathlib import Path

    import pandas as pd

    from esquemas.modelo import Campo, Comparacion, Plantilla, Si
    from pipeline.configuracion import cargar_configuracion
    from pipeline.validacion.contexto import Contexto
    from pipeline.validacion.esquema import construir, reglas_campos

    raiz = Path(__file__).resolve().parents[1]
    contexto = Contexto.crear(cargar_configuracion(raiz / "esquemas" / "entidad.toml"), "2025")
    estado = Campo("estado", "Estado", Tipo.CATALOGO, "", opciones=("Hecha", "Abierta"))
    fecha = Campo(
        "cuando",
        "Fecha de cierre",
        Tipo.FECHA,
        "",
        requerido_si=Si("estado", "Hecha"),
        solo_si=True,
        en_vigencia=True,
        comparaciones=(Comparacion("FECHA_POSTERIOR_AL_CORTE", "≤", CORTE),),
    )
    plantilla = Plantilla("prueba", "Prueba", "Prueba", "p.xlsx", "1.0", "", (), (estado, fecha))
    reglas = reglas_campos(plantilla, contexto)
    marco = pd.DataFrame(
        {
            "estado": ["Hecha", "Abierta", "Hecha", "Hecha"],
            "cuando": [None, "01/03/2025", "01/03/2024", "30/12/2025"],
            "_vigencia": [2025] * 4,
            "_fecha_corte": [dt.date(2025, 6, 30)] * 4,
        },
        dtype=object,
    )
    fallos = construir(plantilla.columnas, reglas).fallos(marco)
    assert sorted((f.posicion, f.regla.codigo) for f in fallos) == [
        (0, "REQUERIDO_CONDICIONAL"),
        (1, "NO_CORRESPONDE"),
        (2, "FECHA_FUERA_DE_VIGENCIA"),
        (3, "FECHA_POSTERIOR_AL_CORTE"),
    ]
    assert plantilla.condicion(fecha) == "Obligatoria si y solo si el Estado es Hecha."


def test_una_plantilla_del_indice_viaja_entre_procesos_como_su_tipo():
    """Los procesos de lectura devuelven miles de libros: la plantilla no se copia en cada uno."""
    import dataclasses
    import pickle

    from esquemas import PLANTILLAS

    plantilla = PLANTILLAS["asistencia"]
    enviada = pickle.dumps(plantilla)
    assert pickle.loads(enviada) is plantilla
    assert len(enviada) < 200  # el tipo, no sus campos
    otra = dataclasses.replace(plantilla, filas=3)  # una que no es la del índice viaja entera
    copia = pickle.loads(pickle.dumps(otra))
    assert copia == otra and copia is not plantilla
