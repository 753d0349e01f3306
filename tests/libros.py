"""Libros de prueba con la forma de las plantillas, escritos desde tablas pequeñas (xlsxwriter).

Uso típico::

    from libros import escribir_entradas, ficha_valida, fila_valida, leer_libros

    entradas = escribir_entradas(tmp_path, {"DGT/plan.xlsx": ("plan", ficha_valida("plan"),
                                                              [fila_valida("plan")])})
    libros = leer_libros(entradas)

Las claves de `ficha` y de cada fila son los `nombre` de los campos de la plantilla
(esquemas/*.py). Un valor str se escribe como texto, int/float como número, date/datetime como
fecha dd/mm/aaaa y bool como booleano; None deja la celda vacía.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from esquemas import PLANTILLAS
from pipeline.archivos import descubrir
from pipeline.lectura import HOJA_MARCA, PRODUCTO, LibroLeido, leer

VIGENCIA = 2025
PNG_MINIMO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2f5b1a40000000049454e44ae426082"
)
"""Una imagen PNG de 1 × 1 píxel (para probar el logo de [formatos])."""


def escribir_libro(
    ruta: Path,
    tipo: str,
    ficha: dict[str, object],
    filas: list[dict[str, object]],
    marca: bool = True,
    version: str | None = None,
    columnas: list[str] | None = None,
    opciones: dict | None = None,
) -> Path:
    """Escribe un libro con la disposición de la plantilla `tipo` (ficha, encabezados, registros).

    `columnas` (nombres) permite omitir, reordenar o repetir columnas; por defecto van todas, en
    orden. `opciones` van a xlsxwriter.Workbook (por ejemplo {"date_1904": True}).
    """
    plantilla = PLANTILLAS[tipo]
    ruta = Path(ruta)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    libro = xlsxwriter.Workbook(str(ruta), opciones or {})
    formato_fecha = libro.add_format({"num_format": "dd/mm/yyyy"})
    hoja = libro.add_worksheet(plantilla.hoja)
    hoja.write_string(plantilla.FILA_TITULO - 1, 0, plantilla.titulo)
    for campo in plantilla.ficha:
        fila = plantilla.fila_ficha(campo.nombre) - 1
        hoja.write_string(fila, 0, campo.etiqueta)
        _escribir(hoja, fila, 1, ficha.get(campo.nombre), formato_fecha)
    nombres = columnas or [c.nombre for c in plantilla.columnas]
    encabezado = plantilla.fila_encabezado - 1
    for j, nombre in enumerate(nombres):
        hoja.write_string(encabezado, j, plantilla.columna(nombre).etiqueta)
    for i, registro in enumerate(filas, start=encabezado + 1):
        for j, nombre in enumerate(nombres):
            _escribir(hoja, i, j, registro.get(nombre), formato_fecha)
    if marca:
        oculta = libro.add_worksheet(HOJA_MARCA)
        for i, (k, v) in enumerate(
            [("producto", PRODUCTO), ("tipo", tipo), ("versión", version or plantilla.version)]
        ):
            oculta.write_string(i, 0, k)
            oculta.write_string(i, 1, v)
        oculta.hide()
    libro.close()
    return ruta


def _escribir(hoja, fila: int, columna: int, valor: object, formato_fecha) -> None:
    if valor is None:
        return
    if isinstance(valor, bool):
        hoja.write_boolean(fila, columna, valor)
    elif isinstance(valor, dt.date):
        if not isinstance(valor, dt.datetime):
            valor = dt.datetime(valor.year, valor.month, valor.day)
        hoja.write_datetime(fila, columna, valor, formato_fecha)
    elif isinstance(valor, int | float):
        hoja.write_number(fila, columna, valor)
    else:
        hoja.write_string(fila, columna, str(valor))


def escribir_entradas(
    raiz: Path,
    archivos: dict[str, tuple[str, dict, list[dict]]],
    vigencia: int | str = VIGENCIA,
) -> Path:
    """Escribe `raiz/entradas/<vigencia>/<ruta>` para cada ruta → (tipo, ficha, filas); da entradas/."""
    entradas = Path(raiz) / "entradas"
    for relativa, (tipo, ficha, filas) in archivos.items():
        escribir_libro(entradas / str(vigencia) / relativa, tipo, ficha, filas)
    return entradas


def leer_libros(entradas: Path, vigencia: int | str | None = None) -> list[LibroLeido]:
    """Descubre y lee los libros bajo entradas/ (los ignorados no se leen)."""
    encontrados = descubrir(Path(entradas), None if vigencia is None else str(vigencia))
    return [leer(e) for e in encontrados if not e.ignorado]


_FECHA = dt.date(VIGENCIA, 3, 10)
_TEMA_DGT = "Planes Integrales de Seguridad y Convivencia Ciudadana (PISCC)"


def ficha_valida(tipo: str, direccion: str = "DGT", vigencia: object = VIGENCIA, **cambios) -> dict:
    """Una ficha correcta de la plantilla `tipo` (con `cambios` encima)."""
    anio = vigencia if isinstance(vigencia, int) else VIGENCIA
    ficha: dict[str, object] = {
        "entidad": "Entidad de prueba",
        "direccion": direccion,
        "vigencia": vigencia,
        "responsable": "Responsable de prueba",
    }
    propios = {
        "plan": {"aprobado_por": "Jefe de planeación", "fecha_aprobacion": dt.date(anio, 1, 15)},
        "cronograma": {"fecha_corte": dt.date(anio, 6, 30)},
        "asistencia": {
            "id_actividad": "DGT-2025-001-01",
            "fecha_actividad": _FECHA,
            "lugar": "Pasto",
        },
        "evaluacion": {"id_actividad": "DGT-2025-001-01", "fecha_actividad": _FECHA},
        "compromisos": {"fecha_corte": dt.date(anio, 6, 30)},
    }
    return {**ficha, **propios[tipo], **cambios}


_FILAS = {
    "plan": {
        "id_asistencia": "DGT-2025-001",
        "tema": _TEMA_DGT,
        "tipo_servicio": "Asesoría",
        "mecanismo": "Taller",
        "modalidad": "Presencial",
        "origen": "Oferta",
        "entidad_beneficiaria": "Alcaldía de Pasto",
        "orden": "Territorial",
        "departamento": "Nariño",
        "municipio": "Pasto",
        "fecha_inicio": dt.date(VIGENCIA, 2, 1),
        "fecha_fin": dt.date(VIGENCIA, 3, 31),
        "sesiones_programadas": 2,
        "participantes_esperados": 30,
        "presupuesto": 1500000,
        "profesional_responsable": "Ana Pérez",
    },
    "cronograma": {
        "id_actividad": "DGT-2025-001-01",
        "id_asistencia": "DGT-2025-001",
        "actividad": "Taller de formulación del PISCC",
        "fecha_programada": _FECHA,
        "estado": "Realizada",
        "fecha_realizacion": _FECHA,
        "modalidad": "Presencial",
        "departamento": "Nariño",
        "municipio": "Pasto",
        "fecha_entrega_informe": dt.date(VIGENCIA, 3, 12),
    },
    "asistencia": {
        "nombres": "María Gómez",
        "tipo_documento": "CC",
        "numero_documento": "1.085.123.456",
        "entidad_organizacion": "Alcaldía de Pasto",
        "cargo": "Secretaria de Gobierno",
        "departamento": "Nariño",
        "municipio": "Pasto",
        "sexo": "Mujer",
        "correo": "maria.gomez@pasto.gov.co",
        "telefono": "300 123 4567",
        "autoriza_datos": "Sí",
    },
    "evaluacion": {
        "pertinencia": 5,
        "claridad": 4,
        "metodologia": 5,
        "dominio": 5,
        "utilidad": 4,
        "satisfaccion_general": 5,
    },
    "compromisos": {
        "id_actividad": "DGT-2025-001-01",
        "compromiso": "Enviar el borrador del PISCC",
        "responsable": "Secretaría de Gobierno",
        "fecha_limite": dt.date(VIGENCIA, 4, 30),
        "estado": "Cumplido",
        "fecha_cumplimiento": dt.date(VIGENCIA, 4, 20),
    },
}


def fila_valida(tipo: str, **cambios) -> dict:
    """Un registro correcto de la plantilla `tipo` (dirección DGT), con `cambios` encima."""
    return {**_FILAS[tipo], **cambios}


def sesion_valida(carpeta: str = "DGT/s1") -> dict[str, tuple]:
    """La lista de asistencia y la evaluación válidas de una sesión, para `escribir_entradas`."""
    return {
        f"{carpeta}/lista.xlsx": (
            "asistencia",
            ficha_valida("asistencia"),
            [fila_valida("asistencia")],
        ),
        f"{carpeta}/evaluacion.xlsx": (
            "evaluacion",
            ficha_valida("evaluacion"),
            [fila_valida("evaluacion")],
        ),
    }
