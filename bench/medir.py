"""Benchmark de la especificación §9: lectura con calamine, con openpyxl y la consolidación completa.

Uso: `python -m bench.medir [--corpus bench/corpus] [--regenerar] [--muestra-openpyxl 200] [--rapido]`.
Es una medición, no una prueba: termina con código 0 aunque no se cumpla una meta.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from random import Random

import pandas as pd
from python_calamine import CalamineWorkbook

from bench.nacional import VIGENCIA, Corpus, preparar_corpus
from pipeline.muestra import analizador

RESULTADOS = Path(__file__).resolve().parent / "resultados"
META_CALAMINE = 2.5  # consolidar ≤ 2,5 × lectura con calamine
META_OPENPYXL = 8.0  # openpyxl ≥ 8 × consolidar
META_MEMORIA_MIB = 1024.0


@dataclass
class Medicion:
    """Los resultados de una corrida del benchmark."""

    fecha: str
    corpus: str
    libros: int
    filas_asistencia: int
    calamine_s: float
    openpyxl_muestra: int
    openpyxl_muestra_s: float
    openpyxl_extrapolado_s: float
    orden: str
    pipeline_s: float
    pipeline_codigo: int
    memoria_mib: float

    @property
    def razon_calamine(self) -> float:
        """Consolidar / calamine (meta ≤ 2,5)."""
        return self.pipeline_s / self.calamine_s if self.calamine_s else float("inf")

    @property
    def razon_openpyxl(self) -> float:
        """openpyxl / consolidar (meta ≥ 8)."""
        return self.openpyxl_extrapolado_s / self.pipeline_s if self.pipeline_s else float("inf")


def libros_del_corpus(corpus: Corpus) -> list[Path]:
    """Todos los libros del corpus, en orden estable."""
    return sorted(corpus.entradas.rglob("*.xlsx"))


def medir_calamine(rutas: list[Path]) -> float:
    """Segundos de python-calamine leyendo todas las hojas de todos los libros."""
    inicio = time.perf_counter()
    for ruta in rutas:
        libro = CalamineWorkbook.from_path(str(ruta))
        for nombre in libro.sheet_names:
            libro.get_sheet_by_name(nombre).to_python()
    return time.perf_counter() - inicio


def medir_openpyxl(rutas: list[Path], cantidad: int, semilla: int = 2025) -> tuple[int, float]:
    """Segundos de pandas + openpyxl leyendo una muestra al azar de `cantidad` libros."""
    elegidas = Random(semilla).sample(rutas, min(cantidad, len(rutas)))
    inicio = time.perf_counter()
    for ruta in elegidas:
        pd.read_excel(ruta, sheet_name=None, header=None, engine="openpyxl")
    return len(elegidas), time.perf_counter() - inicio


def orden_disponible() -> str:
    """`consolidar` si la línea de comandos ya la tiene; si no, `validar`."""
    prueba = subprocess.run(
        [sys.executable, "-m", "pipeline", "consolidar", "--help"],
        capture_output=True,
        check=False,
    )
    return "consolidar" if prueba.returncode == 0 else "validar"


def medir_pipeline(corpus: Corpus, orden: str) -> tuple[float, int, float]:
    """Segundos, código de salida y memoria máxima (MiB) de `asistencia <orden>` en un subproceso."""
    with tempfile.TemporaryDirectory(prefix="bench-salidas-") as salidas:
        comando = [
            sys.executable, "-m", "pipeline", orden,
            "--config", str(corpus.config),
            "--entradas", str(corpus.entradas),
            "--salidas", salidas,
            "--vigencia", str(VIGENCIA),
        ]  # fmt: skip
        inicio = time.perf_counter()
        proceso = subprocess.Popen(comando, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # wait4 da el uso de recursos de ESTE hijo (y sus descendientes), no el de los procesos
        # que generaron el corpus, que RUSAGE_CHILDREN mezclaría.
        errores = proceso.stderr.read() if proceso.stderr else b""
        _, estado, uso = os.wait4(proceso.pid, 0)
        segundos = time.perf_counter() - inicio
        proceso.returncode = os.waitstatus_to_exitcode(estado)
    if proceso.returncode >= 2:
        cola = errores.decode("utf-8", "replace").strip().splitlines()[-5:]
        print("La orden terminó con código", proceso.returncode, *cola, sep="\n  ", file=sys.stderr)
    return segundos, proceso.returncode, uso.ru_maxrss / 1024  # Linux: ru_maxrss en KiB


def medir(corpus: Corpus, muestra_openpyxl: int) -> Medicion:
    """Las tres mediciones sobre los mismos archivos."""
    rutas = libros_del_corpus(corpus)
    print(f"Leyendo {len(rutas)} libros con python-calamine…", file=sys.stderr)
    calamine = medir_calamine(rutas)
    print(f"Leyendo {min(muestra_openpyxl, len(rutas))} libros con openpyxl…", file=sys.stderr)
    n, openpyxl = medir_openpyxl(rutas, muestra_openpyxl)
    orden = orden_disponible()
    print(f"Ejecutando «asistencia {orden}»…", file=sys.stderr)
    segundos, codigo, memoria = medir_pipeline(corpus, orden)
    return Medicion(
        fecha=dt.datetime.now().isoformat(timespec="seconds"),
        corpus=str(corpus.carpeta),
        libros=len(rutas),
        filas_asistencia=corpus.filas.get("asistencia", 0),
        calamine_s=calamine,
        openpyxl_muestra=n,
        openpyxl_muestra_s=openpyxl,
        openpyxl_extrapolado_s=openpyxl * len(rutas) / n if n else 0.0,
        orden=orden,
        pipeline_s=segundos,
        pipeline_codigo=codigo,
        memoria_mib=memoria,
    )


def _marca(cumple: bool) -> str:
    return "✔" if cumple else "✘"


def tabla(m: Medicion) -> str:
    """La tabla en español que se imprime al final."""
    miles = f"{m.filas_asistencia:,}".replace(",", ".")
    lineas = [
        f"Corpus: {m.corpus} — {m.libros} libros, {miles} filas de asistencia",
        "",
        f"{'Medición':<46}{'segundos':>10}",
        f"{'python-calamine, lectura de todas las hojas':<46}{m.calamine_s:>10.1f}",
        f"{f'pandas + openpyxl (extrapolado de {m.openpyxl_muestra} libros)':<46}"
        f"{m.openpyxl_extrapolado_s:>10.1f}",
        f"{f'asistencia {m.orden} (código de salida {m.pipeline_codigo})':<46}{m.pipeline_s:>10.1f}",
        "",
        f"{'Meta':<34}{'valor':>10}{'objetivo':>12}",
        f"{f'{m.orden} / calamine':<34}{m.razon_calamine:>10.2f}{'≤ 2,5':>12}  "
        f"{_marca(m.razon_calamine <= META_CALAMINE)}",
        f"{f'openpyxl / {m.orden}':<34}{m.razon_openpyxl:>10.1f}{'≥ 8':>12}  "
        f"{_marca(m.razon_openpyxl >= META_OPENPYXL)}",
        f"{'Memoria máxima (MiB)':<34}{m.memoria_mib:>10.0f}{'< 1024':>12}  "
        f"{_marca(m.memoria_mib < META_MEMORIA_MIB)}",
        "",
        f"openpyxl se midió en {m.openpyxl_muestra} libros al azar ({m.openpyxl_muestra_s:.1f} s) y "
        f"se extrapoló linealmente a los {m.libros}.",
    ]
    if m.orden != "consolidar":
        lineas.append("La orden «consolidar» no está disponible: se midió «validar».")
    return "\n".join(lineas)


def guardar(m: Medicion, carpeta: Path = RESULTADOS) -> Path:
    """Escribe la medición en `bench/resultados/<fecha>.json`."""
    carpeta.mkdir(parents=True, exist_ok=True)
    ruta = carpeta / f"{m.fecha.replace(':', '-')}.json"
    datos = asdict(m) | {"razon_calamine": m.razon_calamine, "razon_openpyxl": m.razon_openpyxl}
    ruta.write_text(json.dumps(datos, indent=2, ensure_ascii=False), encoding="utf-8")
    return ruta


def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    parser = analizador(
        "python -m bench.medir",
        "Mide la lectura con python-calamine y con openpyxl y la consolidación completa "
        "sobre un corpus de escala nacional (20 direcciones, ~4.000 libros, ~100.000 filas de "
        "asistencia). Ejemplo: python -m bench.medir --rapido",
    )
    parser.add_argument(
        "--corpus", type=Path, default=Path("bench/corpus"), help="carpeta del corpus (%(default)s)"
    )
    parser.add_argument(
        "--regenerar", action="store_true", help="vuelve a generar el corpus aunque exista"
    )
    parser.add_argument(
        "--muestra-openpyxl",
        type=int,
        default=200,
        help="libros leídos con openpyxl para extrapolar (%(default)s)",
    )
    parser.add_argument(
        "--rapido",
        action="store_true",
        help="corpus pequeño (2 direcciones, ~200 libros) para probar el benchmark",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Punto de entrada de `python -m bench.medir`."""
    args = _argumentos(argv)
    if args.rapido:
        corpus = preparar_corpus(args.corpus / "rapido", "rapido", 2, args.regenerar, _avisar)
    else:
        corpus = preparar_corpus(args.corpus / "nacional", "nacional", 20, args.regenerar, _avisar)
    medicion = medir(corpus, args.muestra_openpyxl)
    print(tabla(medicion))
    print(f"\nResultados en {guardar(medicion)}")
    return 0


def _avisar(mensaje: str) -> None:
    print(mensaje, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
