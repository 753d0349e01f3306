"""La configuración de la entidad (§2): valores por defecto y errores que nombran la clave."""

import re

import pytest

from pipeline.configuracion import ErrorConfiguracion, Parametros, cargar_configuracion, desde_dict

BASE = {
    "entidad": "Entidad de prueba",
    "direcciones": [{"codigo": "DGT", "nombre": "Dirección de Gobernabilidad", "temas": ["PISCC"]}],
}


def test_la_configuracion_de_muestra_carga():
    config = cargar_configuracion("esquemas/entidad.toml")
    assert len(config.direcciones) == 4
    assert config.parametros == Parametros(10, 3, 90, 70)
    assert all(d.temas for d in config.direcciones)


def test_parametros_omitidos_toman_los_valores_por_defecto():
    config = desde_dict(BASE)
    assert config.parametros == Parametros()
    assert config.parametros.dias_habiles_informe == 3


@pytest.mark.parametrize(
    "cambio, clave",
    [
        ({"entidad": ""}, "entidad"),
        ({"otra": 1}, "otra"),
        ({"parametros": {"umbral_verde": "alto"}}, "parametros.umbral_verde"),
        ({"parametros": {"dias_habiles_informe": 2.5}}, "parametros.dias_habiles_informe"),
        (
            {"parametros": {"cobertura_minima_evaluacion": 150}},
            "parametros.cobertura_minima_evaluacion",
        ),
        ({"parametros": {"umbral_verde": 60, "umbral_amarillo": 80}}, "parametros.umbral_amarillo"),
        ({"parametros": {"desconocido": 1}}, "parametros.desconocido"),
        ({"direcciones": []}, "direcciones"),
        ({"direcciones": [{"codigo": "A", "nombre": "B"}]}, "direcciones[1].temas"),
        ({"direcciones": [{"codigo": "", "nombre": "B", "temas": ["x"]}]}, "direcciones[1].codigo"),
        (
            {"direcciones": [{"codigo": "A/B", "nombre": "B", "temas": ["x"]}]},
            "direcciones[1].codigo",
        ),
        (
            {"direcciones": [{"codigo": "A", "nombre": "B", "temas": ["x"], "color": 1}]},
            "direcciones[1].color",
        ),
        (
            {
                "direcciones": [
                    {"codigo": "A", "nombre": "B", "temas": ["x"]},
                    {"codigo": "a", "nombre": "C", "temas": ["y"]},
                ]
            },
            "direcciones[2].codigo",
        ),
    ],
)
def test_configuracion_invalida_nombra_la_clave(cambio, clave):
    with pytest.raises(ErrorConfiguracion, match="«" + re.escape(clave) + "»"):
        desde_dict({**BASE, **cambio})


def test_archivo_inexistente_o_toml_roto(tmp_path):
    with pytest.raises(ErrorConfiguracion, match="No existe"):
        cargar_configuracion(tmp_path / "no.toml")
    roto = tmp_path / "roto.toml"
    roto.write_text("entidad = \n", encoding="utf-8")
    with pytest.raises(ErrorConfiguracion, match="no es un TOML válido"):
        cargar_configuracion(roto)


def test_direccion_por_codigo_nombre_o_etiqueta():
    config = desde_dict(BASE)
    d = config.direcciones[0]
    for texto in (
        "DGT",
        "dgt",
        " Dirección de Gobernabilidad ",
        "DGT - Dirección de Gobernabilidad",
        "DGT - otro",
    ):
        assert config.direccion(texto) == d
    assert config.direccion("XYZ") is None
    assert config.direccion(None) is None
