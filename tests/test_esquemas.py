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
