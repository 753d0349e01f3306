"""El catálogo de códigos: un Enum con una definición por código y mensajes formateados."""

import pytest

from pipeline.problemas import CATALOGO, Codigo, Severidad, problema


def test_cada_codigo_tiene_una_definicion_con_titulo():
    assert list(CATALOGO) == list(Codigo)
    assert all(CATALOGO[c].titulo and CATALOGO[c].codigo is c for c in Codigo)


def test_un_codigo_mal_escrito_falla_al_crear_el_problema():
    with pytest.raises(ValueError):
        problema("REQUERDO", archivo="a.xlsx")


def test_el_codigo_se_compara_como_texto():
    p = problema("X12", archivo="a.xlsx", otro="b.xlsx")
    assert p.codigo is Codigo.X12 and p.codigo == "X12"
    assert p.severidad is Codigo.X12.severidad is Severidad.ADVERTENCIA


def test_formatear_deja_vacias_sugerencia_y_opciones():
    mensaje = Codigo.FUERA_DE_CATALOGO.formatear(campo="Estado", valor="«X»")
    assert "{" not in mensaje and "«X»" in mensaje
    assert problema("FUERA_DE_CATALOGO", archivo="a", campo="Estado", valor="X").mensaje == mensaje
