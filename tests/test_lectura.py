"""Lectura de libros: reconocimiento por contenido, ficha, encabezados y filas de Excel (§3, §4.6)."""

import datetime as dt
from pathlib import Path

import xlsxwriter

from esquemas import PLANTILLAS
from pipeline.archivos import Entrada
from pipeline.lectura import HOJA_MARCA, leer

CRONOGRAMA = PLANTILLAS["cronograma"]


def _libro(
    ruta: Path,
    hoja: str = "Cronograma",
    ficha: list[tuple[str, object]] | None = None,
    encabezados: list[str] | None = None,
    filas: list[list] | None = None,
    fila_encabezado: int = 9,
    marca: tuple[str, str] | None = ("cronograma", "1.0"),
    fecha1904: bool = False,
) -> Path:
    """Libro al estilo de la plantilla (fila_encabezado es base 1)."""
    wb = xlsxwriter.Workbook(ruta, {"strings_to_numbers": False, "date_1904": fecha1904})
    ws = wb.add_worksheet(hoja)
    ws.write(0, 0, "Cronograma de actividades")
    for i, (etiqueta, valor) in enumerate(ficha or []):
        ws.write(2 + i, 0, etiqueta)
        if isinstance(valor, dt.date):
            ws.write_datetime(
                2 + i,
                1,
                dt.datetime.combine(valor, dt.time()),
                wb.add_format({"num_format": "dd/mm/yyyy"}),
            )
        elif valor is not None:
            ws.write(2 + i, 1, valor)
    ws.write_row(fila_encabezado - 1, 0, encabezados or [c.etiqueta for c in CRONOGRAMA.columnas])
    for i, fila in enumerate(filas or []):
        for j, v in enumerate(fila):
            if v is not None:
                ws.write(fila_encabezado + i, j, v)
    if marca:
        m = wb.add_worksheet(HOJA_MARCA)
        m.write_column(0, 0, ["producto", "tipo", "versión"])
        m.write_column(0, 1, ["asistencia", *marca])
        m.hide()
    wb.close()
    return ruta


FICHA = [
    ("Entidad", "Ministerio"),
    ("Dirección:", "DGT"),
    ("VIGENCIA", 2025),
    ("Responsable del diligenciamiento", "Ana"),
    ("Fecha de corte", dt.date(2025, 6, 30)),
]


def _entrada(ruta: Path) -> Entrada:
    return Entrada(
        ruta=ruta,
        relativa=f"2025/DGT/{ruta.name}",
        vigencia_carpeta="2025",
        direccion_carpeta="DGT",
    )


def test_reconoce_por_la_marca_y_lee_ficha_y_filas(tmp_path):
    fila = ["A-1", "P-1", "Taller", "15/03/2025", "Realizada", None, 45735, "Presencial"]
    ruta = _libro(tmp_path / "cualquier_nombre.xlsx", ficha=FICHA, filas=[fila, [], fila])
    libro = leer(_entrada(ruta))
    assert libro.tipo == "cronograma"
    assert libro.version == "1.0"
    assert libro.desde_plantilla
    assert libro.problemas == []
    assert libro.ficha["direccion"] == "DGT"
    assert libro.ficha["vigencia"] == 2025
    assert libro.ficha["fecha_corte"] == dt.date(2025, 6, 30)
    assert libro.celdas_ficha["fecha_corte"] == "B7"
    assert list(libro.datos.index) == [10, 12]  # la fila en blanco (11) se ignora
    assert libro.datos.loc[10, "id_actividad"] == "A-1"
    assert (
        libro.datos.loc[10, "fecha_programada"] == "15/03/2025"
    )  # texto: lo interpreta la validación
    assert libro.datos.loc[10, "fecha_realizacion"] == dt.date(2025, 3, 19)  # serial → fecha
    assert libro.celda("estado", 12) == "E12"
    assert len(libro.sha256) == 64


def test_serial_con_sistema_1904(tmp_path):
    fila = ["A-1", "P-1", "Taller", 44269]
    ruta = _libro(tmp_path / "c.xlsx", ficha=FICHA, filas=[fila], fecha1904=True)
    assert leer(_entrada(ruta)).datos.loc[10, "fecha_programada"] == dt.date(2025, 3, 15)


def test_etiquetas_tolerantes_y_encabezado_desplazado(tmp_path):
    encabezados = [f"  {c.etiqueta.upper()} " for c in CRONOGRAMA.columnas]
    encabezados[4] = "estado"
    ruta = _libro(
        tmp_path / "c.xlsx",
        ficha=FICHA,
        encabezados=encabezados,
        fila_encabezado=15,
        filas=[["A-1"]],
    )
    libro = leer(_entrada(ruta))
    assert libro.problemas == []
    assert list(libro.datos.index) == [16]


def test_sin_marca_se_acepta_con_advertencia(tmp_path):
    ruta = _libro(tmp_path / "c.xlsx", ficha=FICHA, filas=[["A-1"]], marca=None)
    libro = leer(_entrada(ruta))
    assert libro.tipo == "cronograma"
    assert [p.codigo for p in libro.problemas] == ["SIN_MARCA_PLANTILLA"]
    assert not libro.rechazado


def test_version_desconocida_advierte(tmp_path):
    ruta = _libro(tmp_path / "c.xlsx", ficha=FICHA, filas=[["A-1"]], marca=("cronograma", "0.9"))
    libro = leer(_entrada(ruta))
    assert [p.codigo for p in libro.problemas] == ["VERSION_DESCONOCIDA"]


def test_libro_ajeno_no_se_reconoce(tmp_path):
    ruta = _libro(tmp_path / "c.xlsx", hoja="Hoja1", encabezados=["a", "b"], marca=None)
    libro = leer(_entrada(ruta))
    assert libro.rechazado
    assert [p.codigo for p in libro.problemas] == ["LIBRO_NO_RECONOCIDO"]
    assert "Cronograma" in libro.problemas[0].mensaje


def test_columnas_faltantes_y_desconocidas(tmp_path):
    encabezados = [c.etiqueta for c in CRONOGRAMA.columnas]
    encabezados[2] = "Actividades realizadas"  # obligatoria renombrada
    encabezados[-1] = "Observacion"  # opcional con error de escritura
    ruta = _libro(tmp_path / "c.xlsx", ficha=FICHA, encabezados=encabezados, filas=[["A-1"]])
    libro = leer(_entrada(ruta))
    codigos = sorted(p.codigo for p in libro.problemas)
    assert codigos == [
        "COLUMNA_DESCONOCIDA",
        "COLUMNA_DESCONOCIDA",
        "COLUMNA_FALTANTE",
        "COLUMNA_OPCIONAL_FALTANTE",
    ]
    assert libro.rechazado  # falta una columna obligatoria: se excluye el archivo
    sugerencia = next(p for p in libro.problemas if p.valor == "Observacion")
    assert "¿Quiso decir «Observaciones»?" in sugerencia.mensaje
    assert sugerencia.celda == "M9"


def test_ficha_sin_etiqueta_obligatoria(tmp_path):
    ruta = _libro(tmp_path / "c.xlsx", ficha=FICHA[:2], filas=[["A-1"]])
    libro = leer(_entrada(ruta))
    faltantes = sorted(p.campo for p in libro.problemas if p.codigo == "FICHA_FALTANTE")
    assert faltantes == ["Fecha de corte", "Responsable del diligenciamiento", "Vigencia"]
    assert libro.rechazado


def test_archivo_danado_no_lanza(tmp_path):
    ruta = tmp_path / "dañado.xlsx"
    ruta.write_bytes(b"PK\x03\x04 basura")
    libro = leer(_entrada(ruta))
    assert libro.rechazado
    assert libro.problemas[0].codigo == "ARCHIVO_ILEGIBLE"
    assert "guárdelo como libro de Excel" in libro.problemas[0].mensaje


def test_la_entrada_no_se_modifica(tmp_path):
    ruta = _libro(tmp_path / "c.xlsx", ficha=FICHA, filas=[["A-1"]])
    antes = (ruta.read_bytes(), ruta.stat().st_mtime_ns)
    leer(_entrada(ruta))
    assert (ruta.read_bytes(), ruta.stat().st_mtime_ns) == antes
