"""Mide una corrida de `consolidar` sobre la muestra incluida más todos los archivos hostiles.

Copia `entradas/<vigencia>/` a una carpeta temporal, le agrega el corpus hostil de las pruebas
(tests/test_hostiles.py) y tres casos a escala real (un texto de 1 MB repetido en 5.000 celdas, una
bomba zip de 200 MB y una hoja que pide gigabytes a calamine), corre `asistencia consolidar` y mide el
tiempo y la memoria de todo el árbol de procesos (la suma de RSS y de PSS de padre e hijos, muestreada
en /proc, además del máximo de cada proceso según getrusage). Solo Linux.

Uso: python -m bench.hostiles [--vigencia 2025]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
MIB = 2**20


def _corpus_de_pruebas() -> dict:
    sys.path.insert(0, str(RAIZ / "tests"))
    from test_hostiles import (  # noqa: PLC0415 — herramienta, no producto
        CORPUS,
        HOJA,
        _amplificar,
        _reescribir,
    )

    return {"CORPUS": CORPUS, "HOJA": HOJA, "reescribir": _reescribir, "amplificar": _amplificar}


def escribir_entradas(destino: Path, vigencia: str, hostiles: bool = True) -> Path:
    """La muestra incluida más el corpus hostil, en `destino/entradas/<vigencia>/`."""
    entradas = destino / "entradas"
    shutil.copytree(RAIZ / "entradas" / vigencia, entradas / vigencia)
    if not hostiles:
        return entradas
    pruebas = _corpus_de_pruebas()
    carpeta = entradas / vigencia / "DGT" / "hostiles"
    for nombre, (construir, _estado, _codigo) in pruebas["CORPUS"].items():
        construir(carpeta / nombre)
    (carpeta / "carpeta.xlsx").mkdir()
    (carpeta / "enlace.xlsx").symlink_to(carpeta / "en_linea.xlsx")
    _a_escala_real(carpeta, pruebas)
    return entradas


def _a_escala_real(carpeta: Path, pruebas: dict) -> None:
    from esquemas import PLANTILLAS  # noqa: PLC0415

    hoja, reescribir = pruebas["HOJA"], pruebas["reescribir"]
    base = carpeta / "fechas_1904.xlsx"  # xlsxwriter: con sharedStrings.xml enlazado
    fila = PLANTILLAS["asistencia"].fila_encabezado + 1

    amplificada = carpeta / "amplificacion_real.xlsx"
    shutil.copy(base, amplificada)
    texto = "".join(random.Random(0).choices(string.ascii_letters, k=MIB)).encode()  # no comprime
    pruebas["amplificar"](amplificada, texto, filas=5000)

    bomba = carpeta / "bomba_real.xlsx"
    shutil.copy(base, bomba)
    reescribir(bomba, extra={"xl/media/relleno.xml": b"\0" * (200 * MIB)})

    def ensanchar(nombre: str, datos: bytes) -> bytes:
        if nombre != hoja:
            return datos
        fin = datos.index(b"</row>", datos.index(b'<row r="%d"' % fila))
        datos = datos[:fin] + b'<c r="XFD%d"><v>1</v></c>' % fila + datos[fin:]
        ultima = b'<row r="5000"><c r="A5000"><v>1</v></c></row></sheetData>'
        return datos.replace(b"</sheetData>", ultima)

    ancha = carpeta / "memoria_real.xlsx"
    shutil.copy(base, ancha)
    reescribir(ancha, ensanchar)
    with zipfile.ZipFile(ancha) as z:
        assert b"XFD%d" % fila in z.read(hoja)


def _arbol(raiz: int) -> list[int]:
    hijos: dict[int, list[int]] = {}
    for entrada in os.listdir("/proc"):
        if not entrada.isdigit():
            continue
        try:
            with open(f"/proc/{entrada}/stat") as f:
                padre = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        hijos.setdefault(padre, []).append(int(entrada))
    pendientes, todos = [raiz], []
    while pendientes:
        pid = pendientes.pop()
        todos.append(pid)
        pendientes.extend(hijos.get(pid, []))
    return todos


def _memoria(pid: int) -> tuple[int, int]:
    """(RSS, PSS) en KiB de un proceso; (0, 0) si ya terminó."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            campos = dict(
                (linea.split(":")[0], int(linea.split()[1])) for linea in f if "kB" in linea
            )
        return campos.get("Rss", 0), campos.get("Pss", 0)
    except (OSError, ValueError):
        return 0, 0


def medir(entradas: Path, salidas: Path, vigencia: str) -> dict:
    """Corre consolidar y devuelve segundos, código de salida y picos de memoria del árbol."""
    orden = [sys.executable, "-m", "pipeline", "consolidar", "--entradas", str(entradas)]
    orden += ["--salidas", str(salidas), "--vigencia", vigencia]
    inicio = time.perf_counter()
    proceso = subprocess.Popen(orden, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rss_max = pss_max = procesos_max = 0
    while proceso.poll() is None:
        pids = _arbol(proceso.pid)
        memorias = [_memoria(p) for p in pids]
        rss_max = max(rss_max, sum(r for r, _ in memorias))
        pss_max = max(pss_max, sum(p for _, p in memorias))
        procesos_max = max(procesos_max, len(pids))
        time.sleep(0.05)
    segundos = time.perf_counter() - inicio
    errores = proceso.stderr.read().decode("utf-8", "replace")
    uso = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "segundos": segundos,
        "codigo": proceso.returncode,
        "rss_suma_mib": rss_max / 1024,
        "pss_suma_mib": pss_max / 1024,
        "maximo_un_proceso_mib": uso.ru_maxrss / 1024,
        "procesos": procesos_max,
        "traceback": "Traceback" in errores,
    }


def main(argv: list[str] | None = None) -> int:
    """Arma la carpeta, mide y muestra el resultado."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigencia", default="2025")
    parser.add_argument(
        "--sin-hostiles", action="store_true", help="solo la muestra, para comparar"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hostiles-") as temporal:
        entradas = escribir_entradas(Path(temporal), args.vigencia, not args.sin_hostiles)
        archivos = sum(1 for _ in entradas.rglob("*.xls*"))
        resultado = medir(entradas, Path(temporal) / "salidas", args.vigencia)
        escritos = sorted(p.name for p in (Path(temporal) / "salidas").rglob("*") if p.is_file())
        estados = _estados(Path(temporal) / "salidas" / args.vigencia / "validacion")
    print(
        f"{archivos} archivos; consolidar terminó con código {resultado['codigo']} en "
        f"{resultado['segundos']:.1f} s"
    )
    print(
        f"memoria máxima del árbol: RSS sumado {resultado['rss_suma_mib']:.0f} MiB, PSS sumado "
        f"{resultado['pss_suma_mib']:.0f} MiB (hasta {resultado['procesos']} procesos); el proceso "
        f"más grande llegó a {resultado['maximo_un_proceso_mib']:.0f} MiB"
    )
    print(
        f"{len(escritos)} archivos escritos; traceback: {'sí' if resultado['traceback'] else 'no'}"
    )
    for ruta, (estado, mensaje) in estados.items():
        print(f"  {ruta}: {estado}. {mensaje}")
    return 0


def _estados(carpeta: Path) -> dict[str, tuple[str, str]]:
    """Estado y primer mensaje de cada archivo hostil, del reporte de validación."""
    from openpyxl import load_workbook  # noqa: PLC0415

    libro = load_workbook(carpeta / "reporte_validacion.xlsx", read_only=True)
    estados = {
        f[0]: (f[4], "")
        for f in libro["Archivos"].iter_rows(min_row=2, values_only=True)
        if f[0] and "hostiles/" in str(f[0])
    }
    for fila in libro["Errores"].iter_rows(min_row=2, values_only=True):
        if fila[0] in estados and not estados[fila[0]][1]:
            estados[fila[0]] = (estados[fila[0]][0], str(fila[-1] or ""))
    return estados


if __name__ == "__main__":
    raise SystemExit(main())
