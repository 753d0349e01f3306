"""Benchmark de la especificación §9: lectura con calamine, con openpyxl y la consolidación completa.

Uso: `python -m bench.medir [--corpus bench/corpus] [--regenerar] [--muestra-openpyxl 200] [--rapido]`.
Es una medición, no una prueba: termina con código 0 aunque no se cumpla una meta.

Dice además dónde se va el tiempo de la orden (arranque, lectura, validación, reporte de validación y
copias anotadas, consolidación e informes), tomado de los avisos de progreso que la orden escribe en
stderr, y la memoria máxima de todos sus procesos juntos (muestreada en /proc en una segunda corrida
de la orden: el muestreo la frena, así que no se cronometra la misma corrida).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from random import Random

import pandas as pd
from python_calamine import CalamineWorkbook

from bench.nacional import VIGENCIA, Corpus, preparar_corpus
from herramientas.muestra import analizador
from pipeline.escritura import numero_es

RESULTADOS = Path(__file__).resolve().parent / "resultados"
META_CALAMINE = 1.5  # consolidar ≤ 1,5 × lectura con calamine (§9 v2)
META_OPENPYXL = 10.0  # openpyxl ≥ 10 × consolidar (§9 v2)
META_MEMORIA_MIB = 1024.0
# Avisos de progreso de la orden que abren cada etapa (pipeline/ejecucion.py y validacion/).
ETAPAS = (
    ("Leyendo ", "lectura"),
    ("Validando campos", "validación"),
    ("Escribiendo el reporte de validación", "reporte de validación y copias anotadas"),
    ("Consolidando con fecha de corte", "consolidación e informes"),
)


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
    con_problemas: int = 0
    copias: int = 0
    etapas: dict[str, float] | None = None
    memoria_mayor_proceso_mib: float = 0.0

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


def _memoria_proceso(pid: int) -> int:
    """KiB de memoria de un proceso: su parte proporcional (PSS), que no cuenta dos veces las páginas
    que los procesos hijos comparten con el padre tras `fork`; si no se puede leer, su RSS."""
    for ruta, campo in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(ruta, encoding="ascii", errors="replace") as f:
                for linea in f:
                    if linea.startswith(campo):
                        return int(linea.split()[1])
        except OSError:
            continue
    return 0


def _rss_arbol(raiz: int) -> int:
    """KiB de memoria de `raiz` y todos sus descendientes (Linux: /proc)."""
    total, pendientes = 0, [raiz]
    while pendientes:
        pid = pendientes.pop()
        total += _memoria_proceso(pid)
        try:
            for tarea in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tarea}/children", encoding="ascii") as f:
                    pendientes += [int(h) for h in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


# Cada lectura de /proc/<pid>/smaps_rollup recorre las páginas del proceso medido (y lo frena
# mientras tanto), y el hilo que muestrea compite por los 2 núcleos. Por eso el tiempo y la memoria
# se miden en dos corridas de la orden: una sin muestreo, cronometrada, y otra solo para la memoria.
INTERVALO_MEMORIA = 0.05


class _Muestreo(threading.Thread):
    """Suma la memoria (PSS) de la orden y sus procesos cada `intervalo` s; guarda el máximo."""

    def __init__(self, pid: int, intervalo: float = INTERVALO_MEMORIA) -> None:
        super().__init__(daemon=True)
        self.pid, self.maximo_kib, self.fin = pid, 0, threading.Event()
        self.intervalo = intervalo

    def run(self) -> None:
        while not self.fin.wait(self.intervalo):
            self.maximo_kib = max(self.maximo_kib, _rss_arbol(self.pid))


def _etapas(avisos: list[tuple[float, str]], total: float) -> dict[str, float]:
    """Segundos de cada etapa según la hora de los avisos de progreso (el resto es el arranque)."""
    inicios: list[tuple[float, str]] = [(0.0, "arranque")]
    for instante, texto in avisos:
        for prefijo, etapa in ETAPAS:
            if texto.startswith(prefijo) and etapa not in {e for _, e in inicios}:
                inicios.append((instante, etapa))
    fines = [t for t, _ in inicios[1:]] + [total]
    return {etapa: fin - inicio for (inicio, etapa), fin in zip(inicios, fines, strict=True)}


@dataclass
class _Corrida:
    segundos: float
    codigo: int
    memoria_mib: float
    mayor_proceso_mib: float
    etapas: dict[str, float]
    copias: int


def medir_pipeline(corpus: Corpus, orden: str, memoria: bool = False) -> _Corrida:
    """Tiempo, código, memoria y etapas de `asistencia <orden>` en un subproceso.

    Con `memoria`, muestrea la memoria (suma de PSS de todos los procesos), lo que alarga la
    corrida: su tiempo no sirve como medición. Sin `memoria`, solo la del mayor proceso.
    """
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
        muestreo = _Muestreo(proceso.pid)
        if memoria:
            muestreo.start()
        avisos: list[tuple[float, str]] = []
        assert proceso.stderr is not None
        for linea in proceso.stderr:
            avisos.append((time.perf_counter() - inicio, linea.decode("utf-8", "replace").strip()))
        # wait4 da el uso de recursos de ESTE hijo (y sus descendientes), no el de los procesos
        # que generaron el corpus, que RUSAGE_CHILDREN mezclaría.
        _, estado, uso = os.wait4(proceso.pid, 0)
        segundos = time.perf_counter() - inicio
        muestreo.fin.set()
        if memoria:
            muestreo.join()
        proceso.returncode = os.waitstatus_to_exitcode(estado)
        copias = sum(1 for _ in Path(salidas).glob(f"{VIGENCIA}/devoluciones/**/*.xls*"))
    if proceso.returncode >= 2:
        cola = [texto for _, texto in avisos[-5:]]
        print("La orden terminó con código", proceso.returncode, *cola, sep="\n  ", file=sys.stderr)
    return _Corrida(
        segundos,
        proceso.returncode,
        max(muestreo.maximo_kib, uso.ru_maxrss) / 1024,  # Linux: KiB
        uso.ru_maxrss / 1024,
        _etapas(avisos, segundos),
        copias,
    )


def medir(corpus: Corpus, muestra_openpyxl: int) -> Medicion:
    """Las tres mediciones sobre los mismos archivos."""
    rutas = libros_del_corpus(corpus)
    print(f"Leyendo {len(rutas)} libros con python-calamine…", file=sys.stderr)
    calamine = medir_calamine(rutas)
    print(f"Leyendo {min(muestra_openpyxl, len(rutas))} libros con openpyxl…", file=sys.stderr)
    n, openpyxl = medir_openpyxl(rutas, muestra_openpyxl)
    orden = orden_disponible()
    print(f"Ejecutando «asistencia {orden}»…", file=sys.stderr)
    corrida = medir_pipeline(corpus, orden)
    print(f"Ejecutando «asistencia {orden}» otra vez, para medir la memoria…", file=sys.stderr)
    con_memoria = medir_pipeline(corpus, orden, memoria=True)
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
        pipeline_s=corrida.segundos,
        pipeline_codigo=corrida.codigo,
        memoria_mib=con_memoria.memoria_mib,
        con_problemas=corpus.con_problemas,
        copias=corrida.copias,
        etapas=corrida.etapas,
        memoria_mayor_proceso_mib=con_memoria.mayor_proceso_mib,
    )


def _marca(cumple: bool) -> str:
    return "✔" if cumple else "✘"


def tabla(m: Medicion) -> str:
    """La tabla en español que se imprime al final."""
    miles = numero_es(m.filas_asistencia)
    proporcion = numero_es(100 * m.con_problemas / m.libros, 1) if m.libros else "0"
    lineas = [
        f"Corpus: {m.corpus} — {m.libros} libros, {miles} filas de asistencia, "
        f"{m.con_problemas} libros con problemas ({proporcion} %)",
        "",
        f"{'Medición':<52}{'segundos':>10}",
        f"{'python-calamine, lectura de todas las hojas':<52}{m.calamine_s:>10.1f}",
        f"{f'pandas + openpyxl (extrapolado de {m.openpyxl_muestra} libros)':<52}"
        f"{m.openpyxl_extrapolado_s:>10.1f}",
        f"{f'asistencia {m.orden} (código de salida {m.pipeline_codigo})':<52}{m.pipeline_s:>10.1f}",
    ]
    for etapa, segundos in (m.etapas or {}).items():
        lineas.append(f"{f'  {etapa}':<52}{segundos:>10.1f}")
    lineas += [
        f"{f'  copias anotadas escritas: {m.copias}':<52}",
        "",
        f"{'Meta':<44}{'valor':>10}{'objetivo':>12}",
        f"{f'{m.orden} / calamine':<44}{m.razon_calamine:>10.2f}{'≤ 1,5':>12}  "
        f"{_marca(m.razon_calamine <= META_CALAMINE)}",
        f"{f'openpyxl / {m.orden}':<44}{m.razon_openpyxl:>10.1f}{'≥ 10':>12}  "
        f"{_marca(m.razon_openpyxl >= META_OPENPYXL)}",
        f"{'Memoria máxima, todos los procesos (PSS, MiB)':<44}{m.memoria_mib:>10.0f}{'< 1024':>12}  "
        f"{_marca(m.memoria_mib < META_MEMORIA_MIB)}",
        f"{'  el mayor proceso solo (MiB)':<44}{m.memoria_mayor_proceso_mib:>10.0f}",
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
