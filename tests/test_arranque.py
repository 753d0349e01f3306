"""El arranque de una corrida no carga lo que solo usa un informe (§9: la lectura empieza antes)."""

from __future__ import annotations

import subprocess
import sys


def test_el_arranque_no_importa_matplotlib():
    # consolidar importa el informe anual antes de leer (texto del equipo, §10.3); matplotlib
    # (medio segundo) solo se carga al dibujar el mapa, en el proceso que escribe ese informe.
    codigo = (
        "import sys, pipeline.cli, pipeline.ejecucion, pipeline.informes.anual, "
        "pipeline.informes.textos_equipo; print('matplotlib' in sys.modules)"
    )
    salida = subprocess.run(
        [sys.executable, "-c", codigo], capture_output=True, text=True, check=True
    )
    assert salida.stdout.strip() == "False"
