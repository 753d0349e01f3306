"""El resumen de la terminal (§7.2): plurales, direcciones que reenvían y datos incompletos."""

from __future__ import annotations

from click.testing import CliRunner
from test_devolucion_ciclo import _entradas

from pipeline.archivos import Estado
from pipeline.cli import main
from pipeline.escritura import cantidad, numero_es
from pipeline.problemas import problema
from pipeline.resumen_direcciones import lineas_resumen
from pipeline.validacion.resultado import ResultadoArchivo, ResultadoValidacion


def _resultado(estados: list[Estado], errores: int = 0) -> ResultadoValidacion:
    archivos = [
        ResultadoArchivo(f"2025/DGT/a{i}.xlsx", "Plan de asistencia técnica", "1.0", "DGT", e)
        for i, e in enumerate(estados)
    ]
    problemas = [
        problema("REQUERIDO", archivo="2025/DGT/a0.xlsx", hoja="Plan", celda=f"B{10 + i}",
                 fila=10 + i, campo="Tema", direccion="DGT")
        for i in range(errores)
    ]  # fmt: skip
    return ResultadoValidacion("2025", archivos, problemas, {})


def test_numeros_y_plurales_al_estilo_colombiano():
    assert numero_es(1234) == "1.234" and numero_es(20.94, 1) == "20,9"
    assert cantidad(1, "archivo", "archivos") == "1 archivo"
    assert cantidad(1234, "fila", "filas") == "1.234 filas"
    assert cantidad(0, "error", "errores") == "0 errores"


def test_resumen_con_singular_y_plural():
    uno = lineas_resumen(_resultado([Estado.ACEPTADO]))
    assert uno[:2] == [
        "Vigencia 2025: 1 archivo (1 aceptado).",
        "Problemas: 0 errores, 0 advertencias.",
    ]
    varios = lineas_resumen(
        _resultado(
            [Estado.RECHAZADO] + [Estado.ACEPTADO] * 83 + [Estado.ACEPTADO_CON_ADVERTENCIAS], 1
        )
    )
    assert varios[0] == (
        "Vigencia 2025: 85 archivos (1 rechazado, 83 aceptados, 1 aceptado con advertencias)."
    )
    assert varios[1] == "Problemas: 1 error, 0 advertencias."
    assert varios[2].startswith("Deben corregir y reenviar archivos: DGT (1 archivo).")


def test_terminal_nombra_a_quien_reenvia_y_avisa_datos_incompletos(tmp_path):
    entradas = _entradas(tmp_path)
    salida = CliRunner().invoke(
        main,
        ["consolidar", "--entradas", str(entradas), "--salidas", str(tmp_path / "s"),
         "--vigencia", "2025"],
    )  # fmt: skip
    assert salida.exit_code == 1, salida.output
    texto = salida.output
    assert "Deben corregir y reenviar archivos: DGT (1 archivo)." in texto
    assert "Atención: los informes se escribieron con datos incompletos (" in texto
    assert "3 archivos rechazados" in texto
    assert "Devoluciones: 1 copia anotada en" in texto
    # La validación sola no escribe informes: no hay aviso de datos incompletos.
    solo = CliRunner().invoke(
        main,
        ["validar", "--entradas", str(entradas), "--salidas", str(tmp_path / "v"),
         "--vigencia", "2025"],
    )  # fmt: skip
    assert "Deben corregir y reenviar archivos: DGT (1 archivo)." in solo.output
    assert "datos incompletos" not in solo.output
