"""La configuración de la entidad (§2): valores por defecto y errores que nombran la clave."""

import re

import pytest
from libros import PNG_MINIMO

from pipeline.configuracion import Parametros, cargar_configuracion, desde_dict
from pipeline.errores import ErrorConfiguracion

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


# --- [formatos] (§4.7) ----------------------------------------------------------------------------


def test_formatos_de_la_muestra_tienen_codigo_version_y_fecha():
    config = cargar_configuracion("esquemas/entidad.toml")
    control = config.formatos.control("lista_asistencia")
    assert (control.codigo, control.version) == ("GPD-F-07", "4")
    assert control.fecha.isoformat() == "2025-01-15"


def test_formatos_omitidos_dejan_casillas_vacias():
    control = desde_dict(BASE).formatos.control("plan_asistencia")
    assert (control.codigo, control.version, control.fecha) == ("", "", None)


def test_formatos_aceptan_fecha_en_texto_y_version_numerica():
    formatos = {"evaluacion": {"codigo": "F-1", "version": 3, "fecha": "2025-02-01"}}
    control = desde_dict({**BASE, "formatos": formatos}).formatos.control("evaluacion")
    assert (control.version, control.fecha.isoformat()) == ("3", "2025-02-01")


def test_logo_relativo_a_la_carpeta_del_archivo(tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG_MINIMO)
    toml = tmp_path / "entidad.toml"
    toml.write_text(
        'entidad = "E"\n[formatos]\nlogo = "logo.png"\n[[direcciones]]\ncodigo = "A"\n'
        'nombre = "B"\ntemas = ["x"]\n',
        encoding="utf-8",
    )
    assert cargar_configuracion(toml).formatos.logo == tmp_path / "logo.png"


@pytest.mark.parametrize(
    "formatos, clave",
    [
        ({"lista": {}}, "formatos.lista"),
        ({"lista_asistencia": {"codgo": "X"}}, "formatos.lista_asistencia.codgo"),
        ({"lista_asistencia": {"fecha": "15/01/2025"}}, "formatos.lista_asistencia.fecha"),
        ({"cronograma": {"codigo": ["X"]}}, "formatos.cronograma.codigo"),
        ({"cronograma": "GPD-F-05"}, "formatos.cronograma"),
        ({"logo": "no_existe.png"}, "formatos.logo"),
    ],
)
def test_formatos_invalidos_nombran_la_clave(formatos, clave):
    with pytest.raises(ErrorConfiguracion, match="«" + re.escape(clave) + "»"):
        desde_dict({**BASE, "formatos": formatos})


def test_logo_que_no_es_imagen_se_rechaza(tmp_path):
    falso = tmp_path / "logo.png"
    falso.write_text("no soy una imagen", encoding="utf-8")
    with pytest.raises(ErrorConfiguracion, match="no es una imagen PNG o JPEG"):
        desde_dict({**BASE, "formatos": {"logo": str(falso)}})


def test_los_errores_fatales_comparten_una_base():
    from pipeline.errores import ArchivoRechazado, ErrorAsistencia

    assert issubclass(ErrorConfiguracion, ErrorAsistencia)
    assert issubclass(ArchivoRechazado, ErrorAsistencia)
