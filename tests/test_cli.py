"""La línea de comandos: ayuda en español con ejemplo y códigos de salida (§8)."""

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ORDENES = ["plantillas", "validar", "consolidar", "paquetes"]


@pytest.fixture
def runner():
    return CliRunner()


def test_ayuda_general_en_espanol(runner):
    resultado = runner.invoke(main, ["--ayuda"])
    assert resultado.exit_code == 0
    assert (
        "Uso:" in resultado.output
        and "Opciones:" in resultado.output
        and "Órdenes:" in resultado.output
    )
    for orden in ORDENES:
        assert orden in resultado.output
    assert "Usage" not in resultado.output and "Show this message" not in resultado.output


@pytest.mark.parametrize("orden", [*ORDENES, "cerrar"])
def test_cada_orden_tiene_ayuda_con_ejemplo(runner, orden):
    resultado = runner.invoke(main, [orden, "--help"])
    assert resultado.exit_code == 0
    assert "Ejemplo:" in resultado.output
    assert f"asistencia {orden}" in resultado.output.split("Ejemplo:")[1]
    assert "--config" in resultado.output
    assert "Options" not in resultado.output


def test_opcion_desconocida_sale_con_2_en_espanol(runner):
    resultado = runner.invoke(main, ["validar", "--no-existe"])
    assert resultado.exit_code == 2
    assert "No existe la opción" in resultado.output


@pytest.mark.parametrize("orden", ORDENES)
def test_configuracion_invalida_sale_con_2_y_nombra_la_clave(runner, tmp_path, orden):
    config = tmp_path / "entidad.toml"
    config.write_text('entidad = "X"\n[parametros]\numbral_verde = "alto"\n', encoding="utf-8")
    vigencia = ["--vigencia", "2026"] if orden == "paquetes" else []
    resultado = runner.invoke(main, [orden, "--config", str(config), *vigencia])
    assert resultado.exit_code == 2
    assert "«parametros.umbral_verde»" in resultado.output


@pytest.mark.parametrize("orden", ["validar", "consolidar"])
def test_carpeta_de_entradas_inexistente_sale_con_2(runner, tmp_path, orden):
    resultado = runner.invoke(
        main, [orden, "--entradas", str(tmp_path / "no"), "--salidas", str(tmp_path / "s")]
    )
    assert resultado.exit_code == 2
    assert "No existe la carpeta de entradas" in resultado.output


def test_vigencia_sin_carpeta_sale_con_2(runner, tmp_path):
    (tmp_path / "entradas" / "2025").mkdir(parents=True)
    resultado = runner.invoke(
        main,
        [
            "validar",
            "--entradas",
            str(tmp_path / "entradas"),
            "--salidas",
            str(tmp_path / "s"),
            "--vigencia",
            "2024",
        ],
    )
    assert resultado.exit_code == 2
    assert "2024" in resultado.output


def test_corte_mal_escrito_sale_con_2(runner):
    resultado = runner.invoke(main, ["consolidar", "--corte", "30/06/2025"])
    assert resultado.exit_code == 2
    assert "AAAA-MM-DD" in resultado.output


def test_salidas_dentro_de_entradas_sale_con_2(runner, tmp_path):
    (tmp_path / "entradas" / "2025").mkdir(parents=True)
    resultado = runner.invoke(
        main,
        [
            "validar",
            "--entradas",
            str(tmp_path / "entradas"),
            "--salidas",
            str(tmp_path / "entradas" / "s"),
        ],
    )
    assert resultado.exit_code == 2
