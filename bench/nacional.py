"""Corpus del benchmark: una entidad de escala nacional (20 direcciones) generada y guardada en caché.

Estructura de `<corpus>/<nombre>/`: `entidad.toml`, `plantillas/` (generadas para esa configuración),
`entradas/<vigencia>/<DIR>/…` y `corpus.json`, que se escribe al final: sin él (o si cambió la
inyección de problemas de bench/inyeccion.py), el corpus se regenera. Alrededor del 4 % de los libros
lleva advertencias o errores realistas, como un año real (§9 v2).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.inyeccion import VERSION, inyectar
from herramientas.muestra import ESCALAS, escribir_libros, generar_libros
from pipeline.configuracion import cargar_configuracion

VIGENCIA = 2025

DIRECCIONES = (
    ("DGT", "Dirección de Gobernabilidad Territorial", ("Planes Integrales de Seguridad y Convivencia Ciudadana (PISCC)", "Código Nacional de Seguridad y Convivencia Ciudadana", "Fondos Territoriales de Seguridad y Convivencia Ciudadana (FONSET)")),
    ("DPV", "Dirección de Prevención de Violencias", ("Prevención de violencias contra la mujer", "Rutas de atención a víctimas de violencia basada en género", "Consejos de seguridad y comités de orden público")),
    ("DOT", "Dirección de Ordenamiento Territorial", ("Planes de Ordenamiento Territorial (POT)", "Planes parciales", "Legalización urbanística de asentamientos", "Mejoramiento integral de barrios")),
    ("DGI", "Dirección de Gestión Institucional", ("Modelo Integrado de Planeación y Gestión (MIPG)", "Formulario Único de Reporte de Avances de la Gestión (FURAG)")),
    ("DDH", "Dirección de Derechos Humanos", ("Planes territoriales de derechos humanos", "Prevención de reclutamiento de niños, niñas y adolescentes")),
    ("DPC", "Dirección de Participación Ciudadana", ("Consejos territoriales de planeación", "Rendición de cuentas", "Control social a la gestión pública")),
    ("DAC", "Dirección de Asuntos Comunales", ("Juntas de acción comunal", "Organismos comunales de segundo grado")),
    ("DAI", "Dirección de Asuntos Indígenas", ("Consulta previa", "Planes de vida de los pueblos indígenas", "Sistemas propios de gobierno")),
    ("DCN", "Dirección de Comunidades Negras, Afrocolombianas, Raizales y Palenqueras", ("Consejos comunitarios", "Planes de etnodesarrollo")),
    ("DRL", "Dirección de Asuntos Religiosos", ("Política pública de libertad religiosa", "Comités territoriales de libertad religiosa")),
    ("DFT", "Dirección de Finanzas Territoriales", ("Saneamiento fiscal territorial", "Sistema General de Participaciones (SGP)", "Estatutos tributarios municipales")),
    ("DPL", "Dirección de Planeación Territorial", ("Planes de desarrollo territorial", "Kit de planeación territorial", "Banco de proyectos de inversión")),
    ("DCD", "Dirección de Convivencia y Diálogo Social", ("Mesas de diálogo social", "Protesta pacífica y garantías")),
    ("DGR", "Dirección de Gestión del Riesgo Territorial", ("Planes municipales de gestión del riesgo", "Consejos municipales de gestión del riesgo")),
    ("DVI", "Dirección de Víctimas y Paz", ("Planes de acción territorial para víctimas", "Programas de Desarrollo con Enfoque Territorial (PDET)")),
    ("DCM", "Dirección de Cárceles y Política Criminal Territorial", ("Centros de detención transitoria", "Responsabilidad penal para adolescentes")),
    ("DMI", "Dirección de Migración y Frontera", ("Integración de población migrante", "Planes de desarrollo fronterizo")),
    ("DJV", "Dirección de Juventud", ("Consejos municipales de juventud", "Plataformas de juventudes")),
    ("DTD", "Dirección de Transformación Digital Territorial", ("Gobierno digital en entidades territoriales", "Seguridad digital", "Datos abiertos")),
    ("DEG", "Dirección de Equidad de Género", ("Políticas públicas de equidad de género", "Mecanismos de género en alcaldías y gobernaciones")),
)  # fmt: skip


@dataclass(frozen=True)
class Corpus:
    """Un corpus listo para medir."""

    carpeta: Path
    config: Path
    entradas: Path
    libros: int
    filas: dict[str, int]  # tipo de plantilla → registros
    con_problemas: int = 0  # libros a los que se les inyectó un problema


def configuracion_toml(direcciones: int = 20) -> str:
    """El TOML de una entidad de escala nacional con las primeras `direcciones` direcciones."""
    lineas = [
        "# Configuración generada para el benchmark (bench/nacional.py); no es la de la entidad.",
        'entidad = "Ministerio de Gobierno y Territorio (escala nacional sintética)"',
        "",
    ]
    for codigo, nombre, temas in DIRECCIONES[:direcciones]:
        lista = ", ".join(f'"{t}"' for t in temas)
        lineas += ["[[direcciones]]", f'codigo = "{codigo}"', f'nombre = "{nombre}"']
        lineas += [f"temas = [{lista}]", ""]
    return "\n".join(lineas)


def preparar_corpus(
    carpeta: Path, escala: str, direcciones: int, regenerar: bool = False, avisar=print
) -> Corpus:
    """El corpus de `carpeta`, generándolo si falta, está incompleto o se pide `regenerar`."""
    marca = carpeta / "corpus.json"
    datos = json.loads(marca.read_text(encoding="utf-8")) if marca.is_file() else {}
    if regenerar or datos.get("inyeccion") != VERSION:
        _generar(carpeta, escala, direcciones, avisar)
        datos = json.loads(marca.read_text(encoding="utf-8"))
    return Corpus(
        carpeta=carpeta,
        config=carpeta / "entidad.toml",
        entradas=carpeta / "entradas",
        libros=datos["libros"],
        filas=datos["filas"],
        con_problemas=datos.get("con_problemas", 0),
    )


def _generar(carpeta: Path, escala: str, direcciones: int, avisar) -> None:
    from pipeline.plantillas import generar_plantillas

    if carpeta.exists():
        shutil.rmtree(carpeta)
    carpeta.mkdir(parents=True)
    ruta_config = carpeta / "entidad.toml"
    ruta_config.write_text(configuracion_toml(direcciones), encoding="utf-8")
    config = cargar_configuracion(ruta_config)
    generar_plantillas(config, carpeta / "plantillas")
    libros, con_problemas = inyectar(generar_libros(config, VIGENCIA, escala=escala))
    avisar(
        f"Generando el corpus «{carpeta}»: {len(libros)} libros, {con_problemas} con problemas "
        "(se guarda en caché)…"
    )
    escribir_libros(libros, carpeta / "entradas", carpeta / "plantillas", ESCALAS[escala].procesos)
    filas = Counter()
    for libro in libros:
        filas[libro.tipo] += len(libro.filas)
    resumen = {
        "escala": escala,
        "direcciones": direcciones,
        "libros": len(libros),
        "filas": filas,
        "con_problemas": con_problemas,
        "inyeccion": VERSION,
    }
    (carpeta / "corpus.json").write_text(json.dumps(resumen, indent=2), encoding="utf-8")
