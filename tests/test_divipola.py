"""DIVIPOLA: departamentos y municipios por nombre o código (§4.6, X14)."""

from pipeline.divipola import FalloMunicipio, cargar_divipola


def test_divipola_completo():
    d = cargar_divipola()
    assert len(d.departamentos) == 33
    assert len(d.municipios) == 1122


def test_departamento_por_nombre_o_codigo():
    d = cargar_divipola()
    assert d.departamento("Nariño") == "52"
    assert d.departamento("NARINO") == "52"
    assert d.departamento("5") == "05"
    assert d.departamento(5.0) == "05"
    assert d.departamento("Bogotá") == "11"
    assert d.departamento("Atlantis") is None


def test_municipio_dentro_del_departamento_y_la_union():
    d = cargar_divipola()
    uniones = d._mpios_por_nombre["la union"]
    assert len(uniones) == 4
    assert d.municipio("La Unión", "52") == ("52399", None)
    assert d.municipio("la union", None) == (None, FalloMunicipio.AMBIGUO)
    assert d.municipio("Pasto", None) == ("52001", None)
    assert d.municipio("Pasto", "05") == (None, FalloMunicipio.OTRO_DEPARTAMENTO)
    assert d.municipio("52001", "05") == (None, FalloMunicipio.OTRO_DEPARTAMENTO)
    assert d.municipio("5001", "05") == ("05001", None)
    assert d.municipio("Ciudad Gótica", "05") == (None, FalloMunicipio.NO_EXISTE)
    assert d.municipio("99999", None) == (None, FalloMunicipio.NO_EXISTE)
    assert d.municipio(None, "05") == (None, None)
