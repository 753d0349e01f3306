"""Archivos hostiles y raros: cada uno con su estado y su mensaje, y ninguno detiene a los demás (§3, §9).

Casi todos se construyen aquí mismo a partir de un libro con la forma de la plantilla, que luego se
rompe parte por parte dentro del zip (bombas, XML peligroso, fórmulas sin valor, celdas con error…).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from libros import escribir_entradas, escribir_libro, ficha_valida, fila_valida, sesion_valida

from esquemas import PLANTILLAS
from pipeline import archivos, lectura, paralelo
from pipeline.archivos import MIB, Limites, descubrir
from pipeline.configuracion import cargar_configuracion
from pipeline.devoluciones import CODIGOS_SIN_ABRIR
from pipeline.ejecucion import consolidar_vigencia
from pipeline.hoja_xml import revisar_hoja
from pipeline.lectura import LibroLeido, leer, leer_aislados
from pipeline.problemas import Codigo, letra_columna

VIGENCIA = "2025"
HOJA = "xl/worksheets/sheet1.xml"  # la hoja de datos: xlsxwriter la escribe primero
TECNICISMOS = ("Error", "Exception", "Traceback", "BadZip", "Calamine", "Permission", "errno")
FUENTES_DE_PRUEBA = Path(__file__).parent / "hostiles"


# --- Construcción de los casos ---------------------------------------------------------------


def _lista(carpeta: Path, nombre: str = "lista.xlsx", filas: int = 2, **opciones) -> Path:
    """Una lista de asistencia válida (DGT) en entradas/2025/DGT/`nombre`."""
    return _lista_en(carpeta / "entradas" / VIGENCIA / "DGT" / nombre, filas, **opciones)


def _reescribir(
    ruta: Path,
    cambiar: Callable[[str, bytes], bytes | None] = lambda _n, datos: datos,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Reescribe el zip parte por parte (None quita la parte) y le agrega `extra`."""
    original = zipfile.ZipFile(io.BytesIO(ruta.read_bytes()))
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as nuevo:
        for info in original.infolist():
            datos = cambiar(info.filename, original.read(info))
            if datos is not None:
                nuevo.writestr(info.filename, datos)
        for nombre, datos in (extra or {}).items():
            nuevo.writestr(nombre, datos)
    return ruta


def _en_hoja(ruta: Path, cambiar: Callable[[bytes], bytes]) -> Path:
    return _reescribir(ruta, lambda n, d: cambiar(d) if n == HOJA else d)


def _celda(columna: str, fila: int | None = None) -> str:
    """Celda A1 de la columna `columna` (nombre del campo) en la fila de datos `fila` (0 = primera)."""
    plantilla = PLANTILLAS["asistencia"]
    return f"{letra_columna(plantilla.indice_columna(columna))}{plantilla.fila_encabezado + 1 + (fila or 0)}"


def _poner_celda(xml: bytes, referencia: str, nueva: bytes) -> bytes:
    patron = rb'<c r="' + referencia.encode() + rb'"[^>]*?(?:/>|>.*?</c>)'
    reemplazado, n = re.subn(patron, nueva, xml, count=1, flags=re.DOTALL)
    assert n == 1, referencia
    return reemplazado


def _leer(ruta: Path, limites: Limites | None = None) -> LibroLeido:
    entradas = ruta.parents[2]
    (entrada,) = [e for e in descubrir(entradas, VIGENCIA) if e.ruta.name == ruta.name]
    return leer(entrada, limites=limites)


def _codigos(libro: LibroLeido) -> list[str]:
    return [p.codigo for p in libro.problemas]


def _unico(libro: LibroLeido, codigo: str):
    (encontrado,) = [p for p in libro.problemas if p.codigo == codigo]
    return encontrado


def _rechazado_con(libro: LibroLeido, codigo: str, frase: str) -> str:
    assert libro.rechazado, _codigos(libro)
    mensaje = _unico(libro, codigo).mensaje
    assert frase in mensaje
    assert not any(t in mensaje for t in TECNICISMOS), mensaje
    return mensaje


# --- El corpus: cada caso escribe una lista válida en `ruta` y la rompe ----------------------

LARGO_AMPLIFICADO = 30_000
BOMBA_DE_ENTIDADES = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><sst>&lol2;</sst>'
)
ENTIDAD_EXTERNA = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&e;</workbook>'
)
DTD_TRAS_COMENTARIO = (
    b'<?xml version="1.0"?><!--' + b"x" * 2000 + b'--><!DOCTYPE a [<!ENTITY b "c">]><a/>'
)
MACRO_EXCEL4 = b'<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/>'


def _amplificar(ruta: Path, texto: bytes, filas: int) -> Path:
    """Agrega a `ruta` el texto compartido `texto`, citado en la columna L de `filas` filas desde
    la 20, y deja una `<dimension>` que miente (A1). También lo usa bench/hostiles.py."""
    with zipfile.ZipFile(ruta) as z:
        indice = z.read("xl/sharedStrings.xml").count(b"<si>")

    def cambiar(nombre: str, datos: bytes) -> bytes:
        if nombre == "xl/sharedStrings.xml":
            return datos.replace(b"</sst>", b"<si><t>" + texto + b"</t></si></sst>")
        if nombre == HOJA:
            celdas = b"".join(
                b'<row r="%d"><c r="L%d" t="s"><v>%d</v></c></row>' % (f, f, indice)
                for f in range(20, 20 + filas)
            )
            datos = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', datos)
            return datos.replace(b"</sheetData>", celdas + b"</sheetData>")
        return datos

    return _reescribir(ruta, cambiar)


def amplificada(ruta: Path) -> Path:
    """Un texto compartido de 30.000 caracteres en 700 celdas, con una `<dimension>` que miente."""
    _lista_en(ruta, filas=1)
    return _amplificar(ruta, b"x" * LARGO_AMPLIFICADO, filas=700)


def bomba_zip(ruta: Path) -> Path:
    return _reescribir(_lista_en(ruta), extra={"xl/media/relleno.xml": b" " * (3 * MIB)})


def xml_peligroso(parte: str, contenido: bytes) -> Callable[[Path], Path]:
    def construir(ruta: Path) -> Path:
        return _reescribir(_lista_en(ruta), lambda n, d: contenido if n == parte else d)

    return construir


def celda_lejana(ruta: Path) -> Path:
    lejana = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    return _en_hoja(_lista_en(ruta), lambda x: x.replace(b"</sheetData>", lejana))


def strict(ruta: Path) -> Path:
    principal = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    estricto = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    return _reescribir(
        _lista_en(ruta),
        lambda n, d: d.replace(principal, estricto) if n.startswith("xl/") else d,
    )


def cifrada(ruta: Path) -> Path:
    """Un .xlsx cifrado es un contenedor OLE con el flujo EncryptionInfo (MS-OFFCRYPTO)."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_bytes(archivos._FIRMA_OLE + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le"))
    return ruta


def con_macros(parte: str) -> Callable[[Path], Path]:
    def construir(ruta: Path) -> Path:
        return _reescribir(_lista_en(ruta), extra={parte: MACRO_EXCEL4})

    return construir


def danada(ruta: Path) -> Path:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_bytes(b"PK\x03\x04 truncado")
    return ruta


def formula_sin_valor(ruta: Path) -> Path:
    referencia = _celda("entidad_organizacion", 1)
    sin_valor = b'<c r="%s"><f>CONCATENATE("Alcald","ia")</f><v/></c>' % referencia.encode()
    return _en_hoja(_lista_en(ruta, filas=3), lambda x: _poner_celda(x, referencia, sin_valor))


def con_error(error: str) -> Callable[[Path], Path]:
    def construir(ruta: Path) -> Path:
        referencia = _celda("municipio", 0)
        celda = b'<c r="%s" t="e"><f>A1/0</f><v>%s</v></c>' % (referencia.encode(), error.encode())
        return _en_hoja(_lista_en(ruta, filas=2), lambda x: _poner_celda(x, referencia, celda))

    return construir


def encabezado_repetido(ruta: Path) -> Path:
    """`Correo electrónico` dos veces; en la segunda fila, las dos columnas dicen cosas distintas."""
    columnas = [c.nombre for c in PLANTILLAS["asistencia"].columnas] + ["correo"]
    _lista_en(ruta, filas=2, columnas=columnas)
    repetida = letra_columna(len(columnas) - 1)
    fila = PLANTILLAS["asistencia"].fila_encabezado + 2
    distinta = b'<c r="%s%d" t="inlineStr"><is><t>otra@correo.co</t></is></c>' % (
        repetida.encode(),
        fila,
    )
    return _en_hoja(ruta, lambda x: _poner_celda(x, f"{repetida}{fila}", distinta))


def texto_largo(ruta: Path) -> Path:
    referencia = _celda("cargo", 0)
    largo = b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (referencia.encode(), b"a" * 40_000)
    return _en_hoja(_lista_en(ruta), lambda x: _poner_celda(x, referencia, largo))


def caracteres_de_control(ruta: Path) -> Path:
    referencia = _celda("cargo", 0)
    con_control = (
        b'<c r="%s" t="inlineStr"><is><t>Secre_x0007_taria_x001B_ de Gobierno</t></is></c>'
        % referencia.encode()
    )
    return _en_hoja(_lista_en(ruta, filas=1), lambda x: _poner_celda(x, referencia, con_control))


def combinadas(ruta: Path) -> Path:
    fila = PLANTILLAS["asistencia"].fila_encabezado + 1
    combinar = f'<mergeCells count="1"><mergeCell ref="E{fila}:E{fila + 1}"/></mergeCells>'
    return _en_hoja(
        _lista_en(ruta, filas=2),
        lambda x: x.replace(b"</sheetData>", b"</sheetData>" + combinar.encode()),
    )


def filas_ocultas(ruta: Path) -> Path:
    primera = PLANTILLAS["asistencia"].fila_encabezado + 2

    def ocultar(xml: bytes) -> bytes:
        for fila in (primera, primera + 1):
            xml = xml.replace(b'<row r="%d"' % fila, b'<row r="%d" hidden="1"' % fila)
        return xml

    return _en_hoja(_lista_en(ruta, filas=4), ocultar)


def hoja_oculta(ruta: Path) -> Path:
    return _reescribir(
        _lista_en(ruta),
        lambda n, d: (
            d.replace(b'<sheet name="Asistencia"', b'<sheet name="Asistencia" state="hidden"')
            if n == "xl/workbook.xml"
            else d
        ),
    )


def fechas_1904(ruta: Path) -> Path:
    return _lista_en(ruta, opciones={"date_1904": True})


def textos_en_linea(ruta: Path) -> Path:
    """openpyxl guarda los textos en línea (inlineStr), sin sharedStrings."""
    _lista_en(ruta, filas=3)
    libro = openpyxl.load_workbook(ruta)
    libro.save(ruta)
    return ruta


def copia_real(nombre: str) -> Callable[[Path], Path]:
    """Un archivo real de otra suite de pruebas (tests/hostiles/FUENTES.md), copiado tal cual."""

    def construir(ruta: Path) -> Path:
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_bytes((FUENTES_DE_PRUEBA / nombre).read_bytes())
        return ruta

    return construir


# nombre → (construir, estado esperado en el reporte, código esperado o "")
CORPUS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "amplificada.xlsx": (amplificada, "Rechazado", "ARCHIVO_DEMASIADO_GRANDE"),
    "bomba_zip.xlsx": (bomba_zip, "Rechazado", "ARCHIVO_DEMASIADO_GRANDE"),
    "entidades.xlsx": (
        xml_peligroso("xl/sharedStrings.xml", BOMBA_DE_ENTIDADES),
        "Rechazado",
        "XML_PELIGROSO",
    ),
    "entidad_externa.xlsx": (
        xml_peligroso("xl/workbook.xml", ENTIDAD_EXTERNA),
        "Rechazado",
        "XML_PELIGROSO",
    ),
    "celda_lejana.xlsx": (celda_lejana, "Rechazado", "ARCHIVO_DEMASIADO_GRANDE"),
    "strict.xlsx": (strict, "Rechazado", "ARCHIVO_STRICT"),
    "cifrada.xlsx": (cifrada, "Rechazado", "ARCHIVO_CIFRADO"),
    "macro_excel4.xlsm": (
        con_macros("xl/macrosheets/sheet1.xml"),
        "Rechazado",
        "ARCHIVO_CON_MACROS",
    ),
    "danada.xlsx": (danada, "Rechazado", "ARCHIVO_ILEGIBLE"),
    "formula.xlsx": (formula_sin_valor, "Aceptado con advertencias", "FORMULA_SIN_VALOR"),
    "error_ref.xlsx": (con_error("#REF!"), "Aceptado con advertencias", "CELDA_CON_ERROR"),
    "encabezado.xlsx": (
        encabezado_repetido,
        "Aceptado con advertencias",
        "COLUMNA_DUPLICADA_DISTINTA",
    ),
    "texto_largo.xlsx": (texto_largo, "Aceptado con advertencias", "TEXTO_DEMASIADO_LARGO"),
    "control.xlsx": (caracteres_de_control, "Aceptado con advertencias", "CARACTERES_DE_CONTROL"),
    "combinadas.xlsx": (combinadas, "Aceptado con advertencias", "CELDAS_COMBINADAS"),
    "ocultas.xlsx": (filas_ocultas, "Aceptado con advertencias", "FILAS_OCULTAS"),
    "hoja_oculta.xlsx": (hoja_oculta, "Aceptado con advertencias", "HOJA_OCULTA"),
    "fechas_1904.xlsx": (fechas_1904, "Aceptado", ""),
    "en_linea.xlsx": (textos_en_linea, "Aceptado", ""),
    "real_cifrado.xlsx": (copia_real("pass_protected.xlsx"), "Rechazado", "ARCHIVO_CIFRADO"),
    "real_errores.xlsx": (copia_real("errors.xlsx"), "Rechazado", "LIBRO_NO_RECONOCIDO"),
    "real_prefijos.xlsx": (
        copia_real("richtext-namespaced.xlsx"),
        "Rechazado",
        "LIBRO_NO_RECONOCIDO",
    ),
}


def _lista_en(ruta: Path, filas: int = 2, **opciones) -> Path:
    """Una lista de asistencia válida (DGT) con `filas` asistentes en `ruta`."""
    base = 10_000_000 + 100 * (zlib.crc32(ruta.name.encode()) % 10_000)  # sin X8 entre casos
    asistentes = [
        fila_valida("asistencia", nombres=f"Persona {i}", numero_documento=str(base + i))
        for i in range(filas)
    ]
    return escribir_libro(ruta, "asistencia", ficha_valida("asistencia"), asistentes, **opciones)


def _caso(tmp_path: Path, nombre: str) -> Path:
    construir = CORPUS[nombre][0]
    return construir(tmp_path / "entradas" / VIGENCIA / "DGT" / nombre)


# --- Tamaño, bombas y XML peligroso --------------------------------------------------------


def test_amplificacion_de_texto_compartido_con_dimension_mentirosa(tmp_path):
    ruta = _caso(tmp_path, "amplificada.xlsx")
    assert ruta.stat().st_size < 50_000
    libro = _leer(ruta)
    mensaje = _rechazado_con(libro, "ARCHIVO_DEMASIADO_GRANDE", "repite textos largos")
    assert "unos 21 millones de caracteres al leerla; el máximo es 20 millones" in mensaje


def test_bomba_zip(tmp_path):
    ruta = _caso(tmp_path, "bomba_zip.xlsx")
    assert ruta.stat().st_size < 100_000
    mensaje = _rechazado_con(_leer(ruta), "ARCHIVO_DEMASIADO_GRANDE", "posible bomba zip")
    assert "se rechazó para no detener la revisión de los demás" in mensaje


def test_archivo_demasiado_pesado_se_rechaza_sin_cargarlo(tmp_path):
    ruta = _lista(tmp_path)
    libro = _leer(ruta, Limites(tamano=1000))
    _rechazado_con(libro, "ARCHIVO_DEMASIADO_GRANDE", "pesa 0 MB (el máximo es 0 MB)")
    assert libro.sha256 == archivos.sha256(ruta.read_bytes())


@pytest.mark.parametrize(
    "parte, contenido",
    [
        ("xl/sharedStrings.xml", BOMBA_DE_ENTIDADES),
        ("xl/workbook.xml", ENTIDAD_EXTERNA),
        ("docProps/app.xml", DTD_TRAS_COMENTARIO),
        ("xl/styles.xml", BOMBA_DE_ENTIDADES.decode().encode("utf-16")),
    ],
    ids=["bomba-de-entidades", "entidad-externa", "dtd-tras-comentario", "utf-16"],
)
def test_xml_peligroso(tmp_path, parte, contenido):
    ruta = xml_peligroso(parte, contenido)(_lista(tmp_path))
    libro = _leer(ruta)
    mensaje = _rechazado_con(
        libro, "XML_PELIGROSO", "contiene XML no permitido (posible archivo malicioso)"
    )
    assert mensaje == Codigo.XML_PELIGROSO.formatear()
    assert parte in libro.detalle  # el detalle técnico va al registro, no al mensaje


def test_fila_lejana_se_rechaza_antes_de_leer(tmp_path):
    lejana = b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
    ruta = _en_hoja(_lista(tmp_path), lambda x: x.replace(b"</sheetData>", lejana))
    _rechazado_con(
        _leer(ruta),
        "ARCHIVO_DEMASIADO_GRANDE",
        "tiene datos hasta la fila 1.048.576 y la columna 11 de la hoja «Asistencia»",
    )


def test_celda_lejana_se_rechaza_antes_de_leer(tmp_path):
    _rechazado_con(
        _leer(_caso(tmp_path, "celda_lejana.xlsx")),
        "ARCHIVO_DEMASIADO_GRANDE",
        "tiene datos hasta la fila 1.048.576 y la columna 16.384 de la hoja «Asistencia»",
    )


def test_dimension_mentirosa_no_pierde_filas(tmp_path):
    ruta = _en_hoja(
        _lista(tmp_path, filas=5),
        lambda x: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', x),
    )
    libro = _leer(ruta)
    assert not libro.rechazado
    assert len(libro.datos) == 5


# --- Formatos que no se leen -------------------------------------------------------------


def test_strict_open_xml(tmp_path):
    _rechazado_con(
        _leer(_caso(tmp_path, "strict.xlsx")),
        "ARCHIVO_STRICT",
        "está en formato Strict Open XML: guárdelo como Libro de Excel",
    )


def test_cifrado_con_contrasena(tmp_path):
    _rechazado_con(
        _leer(_caso(tmp_path, "cifrada.xlsx")),
        "ARCHIVO_CIFRADO",
        "protegido con contraseña: entregue una copia sin contraseña",
    )


def test_xls_antiguo_con_extension_cambiada(tmp_path):
    ruta = _lista(tmp_path)
    ruta.write_bytes(archivos._FIRMA_OLE + b"\x00" * 512 + "Workbook".encode("utf-16-le"))
    _rechazado_con(_leer(ruta), "FORMATO_NO_ADMITIDO", "Excel 97-2003 (.xls)")


@pytest.mark.parametrize(
    "parte", ["xl/macrosheets/sheet1.xml", "xl/vbaProject.bin"], ids=["excel4", "vba"]
)
def test_libro_con_macros(tmp_path, parte):
    ruta = con_macros(parte)(_lista(tmp_path, nombre="lista.xlsm"))
    _rechazado_con(
        _leer(ruta),
        "ARCHIVO_CON_MACROS",
        "contiene macros y no se procesa por seguridad: guárdelo como Libro de Excel (.xlsx)",
    )


@pytest.mark.parametrize(
    "contenido",
    [b"", b"PK\x03\x04 truncado", b"esto no es un zip"],
    ids=["vacio", "truncado", "texto"],
)
def test_danado(tmp_path, contenido):
    ruta = _lista(tmp_path)
    ruta.write_bytes(contenido)
    mensaje = _rechazado_con(_leer(ruta), "ARCHIVO_ILEGIBLE", "el archivo está dañado o incompleto")
    assert "(" not in mensaje.split(":")[1].split(".")[0]  # nada técnico entre paréntesis


def test_sin_permiso_de_lectura_simulado(tmp_path, monkeypatch):
    ruta = _lista(tmp_path)
    original = Path.read_bytes

    def negar(self):
        if self.name == ruta.name:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", negar)
    _rechazado_con(
        _leer(ruta),
        "ARCHIVO_SIN_PERMISO",
        "No se pudo leer por permisos del sistema: revise que el archivo no esté abierto o bloqueado",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="como root, chmod 000 no impide leer")
def test_sin_permiso_de_lectura_real(tmp_path):
    ruta = _lista(tmp_path)
    ruta.chmod(0)
    try:
        _rechazado_con(_leer(ruta), "ARCHIVO_SIN_PERMISO", "permisos del sistema")
    finally:
        ruta.chmod(0o644)


def test_carpeta_y_enlace_con_nombre_de_libro(tmp_path):
    valida = _lista(tmp_path)
    carpeta = valida.parent
    (carpeta / "carpeta.xlsx").mkdir()
    (carpeta / "enlace.xlsx").symlink_to(valida)
    (carpeta / "roto.xlsx").symlink_to(carpeta / "no-existe.xlsx")
    encontrados = {e.ruta.name: e for e in descubrir(tmp_path / "entradas", VIGENCIA)}
    assert encontrados["carpeta.xlsx"].ignorado.startswith("Es una carpeta")
    assert encontrados["enlace.xlsx"].ignorado.startswith("Enlace simbólico")
    assert encontrados["roto.xlsx"].ignorado.startswith("Enlace simbólico")
    assert not encontrados["lista.xlsx"].ignorado


# --- Nada se pierde en silencio ----------------------------------------------------------


def test_formula_sin_valor_guardado_excluye_la_fila(tmp_path):
    libro = _leer(_caso(tmp_path, "formula.xlsx"))
    assert not libro.rechazado
    problema = _unico(libro, "FORMULA_SIN_VALOR")
    referencia = _celda("entidad_organizacion", 1)
    assert (problema.celda, problema.severidad) == (referencia, "error")
    assert "no se puede saber su valor" in problema.mensaje
    fila = int(referencia[1:])
    assert list(libro.ilegibles) == [fila]
    assert fila not in libro.legible().datos.index
    assert len(libro.legible().datos) == 2


def test_formula_con_valor_guardado_se_lee(tmp_path):
    referencia = _celda("cargo", 0)
    con_valor = (
        b'<c r="%s" t="str"><f>"Sec"&amp;"retaria"</f><v>Secretaria</v></c>' % referencia.encode()
    )
    ruta = _en_hoja(_lista(tmp_path), lambda x: _poner_celda(x, referencia, con_valor))
    libro = _leer(ruta)
    assert _codigos(libro) == []
    assert libro.datos.iloc[0]["cargo"] == "Secretaria"


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#DIV/0!"])
def test_celda_con_error(tmp_path, error):
    referencia = _celda("municipio", 0)
    libro = _leer(con_error(error)(_lista(tmp_path)))
    problema = _unico(libro, "CELDA_CON_ERROR")
    assert problema.celda == referencia and problema.es_error
    assert f"muestra el error «{error}» de Excel" in problema.mensaje
    assert list(libro.ilegibles) == [int(referencia[1:])]


def test_fila_con_solo_un_error_no_se_pierde(tmp_path):
    """Una fila cuya única celda es un error llega vacía de calamine: igual se reporta."""
    fila = PLANTILLAS["asistencia"].fila_encabezado + 5
    nueva = b'<row r="%d"><c r="A%d" t="e"><v>#N/A</v></c></row></sheetData>' % (fila, fila)
    ruta = _en_hoja(_lista(tmp_path), lambda x: x.replace(b"</sheetData>", nueva))
    libro = _leer(ruta)
    assert _unico(libro, "CELDA_CON_ERROR").celda == f"A{fila}"
    assert fila in libro.datos.index


def test_encabezado_repetido(tmp_path):
    ruta = _caso(tmp_path, "encabezado.xlsx")
    repetida = letra_columna(len(PLANTILLAS["asistencia"].columnas))
    fila = PLANTILLAS["asistencia"].fila_encabezado + 2
    libro = _leer(ruta)
    aviso = _unico(libro, "COLUMNA_DUPLICADA")
    assert aviso.severidad == "advertencia"
    assert aviso.celda == f"{repetida}{fila - 2}"
    assert "«Correo electrónico» está dos veces" in aviso.mensaje
    error = _unico(libro, "COLUMNA_DUPLICADA_DISTINTA")
    assert (error.celda, error.es_error, error.fila) == (f"{repetida}{fila}", True, fila)
    assert "otra@correo.co" not in error.mensaje
    assert list(libro.ilegibles) == [fila]
    assert "COLUMNA_DESCONOCIDA" not in _codigos(libro)


def test_encabezado_repetido_completa_la_primera_columna(tmp_path):
    columnas = [c.nombre for c in PLANTILLAS["asistencia"].columnas if c.nombre != "cargo"]
    columnas += ["cargo", "cargo"]
    ruta = _lista(tmp_path, filas=1, columnas=columnas)
    primera = letra_columna(len(columnas) - 2)
    fila = PLANTILLAS["asistencia"].fila_encabezado + 1
    _en_hoja(ruta, lambda x: _poner_celda(x, f"{primera}{fila}", b""))
    libro = _leer(ruta)
    assert libro.datos.iloc[0]["cargo"] == fila_valida("asistencia")["cargo"]
    assert _codigos(libro) == ["COLUMNA_DUPLICADA"]


def test_texto_de_mas_de_32767_caracteres(tmp_path):
    libro = _leer(_caso(tmp_path, "texto_largo.xlsx"))
    aviso = _unico(libro, "TEXTO_DEMASIADO_LARGO")
    assert aviso.severidad == "advertencia" and aviso.celda == _celda("cargo", 0)
    assert aviso.mensaje == Codigo.TEXTO_DEMASIADO_LARGO.formatear(
        campo="Cargo", largo="40.000", maximo="32.767"
    )
    assert len(libro.datos.iloc[0]["cargo"]) == 40_000  # se leyó completo
    assert not libro.rechazado


def test_caracteres_de_control_se_quitan(tmp_path):
    libro = _leer(_caso(tmp_path, "control.xlsx"))
    aviso = _unico(libro, "CARACTERES_DE_CONTROL")
    assert aviso.celda == _celda("cargo", 0) and aviso.severidad == "advertencia"
    assert libro.datos.iloc[0]["cargo"] == "Secretaria de Gobierno"


def test_celdas_combinadas_sobre_datos(tmp_path):
    fila = PLANTILLAS["asistencia"].fila_encabezado + 1
    aviso = _unico(_leer(_caso(tmp_path, "combinadas.xlsx")), "CELDAS_COMBINADAS")
    assert aviso.celda == f"E{fila}" and aviso.severidad == "advertencia"
    assert f"Las celdas E{fila}:E{fila + 1} están combinadas" in aviso.mensaje


def test_filas_ocultas_con_datos(tmp_path):
    primera = PLANTILLAS["asistencia"].fila_encabezado + 2
    libro = _leer(_caso(tmp_path, "ocultas.xlsx"))
    aviso = _unico(libro, "FILAS_OCULTAS")
    assert aviso.celda == f"A{primera}"
    assert f"(filas {primera} a {primera + 1})" in aviso.mensaje
    assert len(libro.datos) == 4  # se leyeron igual


def test_hoja_de_datos_oculta(tmp_path):
    libro = _leer(_caso(tmp_path, "hoja_oculta.xlsx"))
    aviso = _unico(libro, "HOJA_OCULTA")
    assert aviso.celda == "A1" and "«Asistencia» está oculta" in aviso.mensaje
    assert len(libro.datos) == 2


# --- Rarezas que sí se leen bien -------------------------------------------------------------


def test_fechas_en_sistema_1904(tmp_path):
    ruta = _caso(tmp_path, "fechas_1904.xlsx")
    assert b'date1904="1"' in zipfile.ZipFile(ruta).read("xl/workbook.xml")
    libro = _leer(ruta)
    assert _codigos(libro) == []
    assert libro.ficha["fecha_actividad"] == ficha_valida("asistencia")["fecha_actividad"]


def test_textos_en_linea_de_otro_generador(tmp_path):
    ruta = _caso(tmp_path, "en_linea.xlsx")
    assert b"inlineStr" in zipfile.ZipFile(ruta).read(HOJA)
    libro = _leer(ruta)
    assert _codigos(libro) == []
    assert list(libro.datos["nombres"]) == ["Persona 0", "Persona 1", "Persona 2"]


# --- Aislamiento: memoria y tiempo por archivo ---------------------------------------------

requiere_fork = pytest.mark.skipif(not paralelo.hay_fork(), reason="sin «fork» no hay aislamiento")


@requiere_fork
def test_archivo_que_agota_la_memoria_del_proceso_se_rechaza_y_los_demas_siguen(tmp_path):
    """Una columna lejana en una fila intermedia: el rango denso no cabe en el tope de memoria."""
    fila = PLANTILLAS["asistencia"].fila_encabezado + 1

    def ensanchar(xml: bytes) -> bytes:
        inicio = xml.index(b'<row r="%d"' % fila)
        fin = xml.index(b"</row>", inicio)
        xml = xml[:fin] + b'<c r="XFD%d"><v>1</v></c>' % fila + xml[fin:]
        ultima = b'<row r="3000"><c r="A3000"><v>1</v></c></row></sheetData>'
        return xml.replace(b"</sheetData>", ultima)

    _en_hoja(_lista(tmp_path, nombre="ancha.xlsx"), ensanchar)
    _lista(tmp_path, nombre="buena.xlsx")
    entradas = descubrir(tmp_path / "entradas", VIGENCIA)
    limites = Limites(memoria=128 * MIB)
    libros = {lb.entrada.ruta.name: lb for lb in leer_aislados(entradas, limites, 2)}
    _rechazado_con(
        libros["ancha.xlsx"], "ARCHIVO_DEMASIADO_GRANDE", "necesita más memoria de la permitida"
    )
    assert libros["ancha.xlsx"].detalle
    assert not libros["buena.xlsx"].rechazado


def _lento_o_roto(original):
    def leer_libro(libro, contenido, contenedor):
        if libro.entrada.ruta.name == "lenta.xlsx":
            import time

            time.sleep(30)
        if libro.entrada.ruta.name == "rompe.xlsx":
            os._exit(3)
        return original(libro, contenido, contenedor)

    return leer_libro


@requiere_fork
def test_archivo_lento_o_que_tumba_el_lector_se_rechaza_y_los_demas_siguen(tmp_path, monkeypatch):
    monkeypatch.setattr(lectura, "_leer_libro", _lento_o_roto(lectura._leer_libro))
    for nombre in ("a.xlsx", "lenta.xlsx", "b.xlsx", "rompe.xlsx", "c.xlsx"):
        _lista(tmp_path, nombre=nombre)
    entradas = descubrir(tmp_path / "entradas", VIGENCIA)
    libros = list(leer_aislados(entradas, Limites(segundos=0.5), 2))
    assert [lb.entrada.ruta.name for lb in libros] == [e.ruta.name for e in entradas]
    por_nombre = {lb.entrada.ruta.name: lb for lb in libros}
    _rechazado_con(
        por_nombre["lenta.xlsx"], "ARCHIVO_DEMASIADO_GRANDE", "tardó más de 0,5 segundos en leerse"
    )
    _rechazado_con(por_nombre["rompe.xlsx"], "ARCHIVO_ILEGIBLE", "hizo fallar el lector de Excel")
    assert all(not por_nombre[n].rechazado for n in ("a.xlsx", "b.xlsx", "c.xlsx"))


# --- Todos juntos en una vigencia, con archivos válidos ---------------------------------------

VALIDOS = {
    "DGT/plan.xlsx": ("plan", ficha_valida("plan"), [fila_valida("plan")]),
    "DGT/cronograma.xlsx": ("cronograma", ficha_valida("cronograma"), [fila_valida("cronograma")]),
    **sesion_valida("DGT/sesion1"),
    "DGT/compromisos.xlsx": (
        "compromisos",
        ficha_valida("compromisos"),
        [fila_valida("compromisos")],
    ),
}


def test_todos_los_hostiles_juntos_no_detienen_a_los_validos(tmp_path):
    entradas = escribir_entradas(tmp_path, VALIDOS)
    for nombre, (construir, _estado, _codigo) in CORPUS.items():
        construir(entradas / VIGENCIA / "DGT" / "hostiles" / nombre)
    carpeta = entradas / VIGENCIA / "DGT" / "hostiles"
    (carpeta / "carpeta.xlsx").mkdir()
    (carpeta / "enlace.xlsx").symlink_to(carpeta / "en_linea.xlsx")
    antes = {p: p.read_bytes() for p in entradas.rglob("*") if p.is_file() and not p.is_symlink()}

    corrida = consolidar_vigencia(
        cargar_configuracion(), entradas, tmp_path / "salidas", VIGENCIA, corte=dt.date(2025, 6, 30)
    )

    archivos_ = {a.ruta: a for a in corrida.validacion.archivos}
    for relativa in VALIDOS:
        archivo = archivos_[f"{VIGENCIA}/{relativa}"]
        assert archivo.estado in ("Aceptado", "Aceptado con advertencias"), relativa
        assert archivo.filas_aceptadas == archivo.filas_leidas == 1, relativa
    codigos = {}
    for p in corrida.validacion.problemas:
        codigos.setdefault(p.archivo, set()).add(p.codigo)
        assert not any(t in p.mensaje for t in TECNICISMOS), p.mensaje
    for nombre, (_construir, estado, codigo) in CORPUS.items():
        relativa = f"{VIGENCIA}/DGT/hostiles/{nombre}"
        assert archivos_[relativa].estado == estado, nombre
        if codigo:
            assert codigo in codigos[relativa], nombre
    assert archivos_[f"{VIGENCIA}/DGT/hostiles/carpeta.xlsx"].estado == "Ignorado"
    assert archivos_[f"{VIGENCIA}/DGT/hostiles/enlace.xlsx"].estado == "Ignorado"

    salidas = tmp_path / "salidas" / VIGENCIA
    nombres = {p.name for p in corrida.escritos}
    for esperado in (
        "reporte_validacion.xlsx",
        "registro.log",
        "indicadores_2025.csv",
        "informe_trimestral_2025_T1.xlsx",
        "informe_trimestral_2025_T2.xlsx",
        "matriz_semestral_2025_S1.xlsx",
        "informe_anual_2025.xlsx",
    ):
        assert esperado in nombres
    assert all(p.is_file() for p in corrida.escritos)
    registro = (salidas / "validacion" / "registro.log").read_text(encoding="utf-8")
    assert (
        "hostiles/entidades.xlsx\tXML_PELIGROSO\tDTD o entidades en xl/sharedStrings.xml"
        in registro
    )
    assert "Persona" not in registro and "María" not in registro
    excluidas = corrida.validacion.excluidas
    assert set(excluidas[excluidas["archivo"].str.contains("hostiles")]["codigos"]) >= {
        "FORMULA_SIN_VALOR",
        "CELDA_CON_ERROR",
        "COLUMNA_DUPLICADA_DISTINTA",
    }
    # Un archivo rechazado antes de abrirlo (macros, Strict, XML peligroso, cifrado, bomba…) no
    # vuelve como copia anotada: no hay celda que marcar y no se reempaqueta lo que no se abrió.
    devueltos = {p.name for p in (salidas / "devoluciones").rglob("*") if p.is_file()}
    assert {"ARCHIVO_STRICT", "ARCHIVO_CON_MACROS", "XML_PELIGROSO"} <= CODIGOS_SIN_ABRIR
    assert "strict.xlsx" not in devueltos and "macro_excel4.xlsm" not in devueltos
    for nombre in CORPUS:
        relativa = f"{VIGENCIA}/DGT/hostiles/{nombre}"
        if codigos.get(relativa, set()) & CODIGOS_SIN_ABRIR:
            assert nombre not in devueltos, nombre
    despues = {p: p.read_bytes() for p in entradas.rglob("*") if p.is_file() and not p.is_symlink()}
    assert despues == antes  # las entradas no se tocan


# --- Archivos reales de la suite de pruebas de calamine (tests/hostiles/FUENTES.md) -----------


def _real(tmp_path: Path, nombre: str) -> LibroLeido:
    ruta = tmp_path / "entradas" / VIGENCIA / "DGT" / nombre
    ruta.parent.mkdir(parents=True)
    ruta.write_bytes((FUENTES_DE_PRUEBA / nombre).read_bytes())
    return _leer(ruta)


def test_real_cifrado_con_contrasena(tmp_path):
    _rechazado_con(
        _real(tmp_path, "pass_protected.xlsx"),
        "ARCHIVO_CIFRADO",
        "protegido con contraseña: entregue una copia sin contraseña",
    )


@pytest.mark.parametrize(
    "nombre", ["errors.xlsx", "richtext-namespaced.xlsx", "nonstandard-xml-ns-prefix.xlsx"]
)
def test_reales_que_no_son_plantillas_se_rechazan_con_un_mensaje_claro(tmp_path, nombre):
    libro = _real(tmp_path, nombre)
    _rechazado_con(libro, "LIBRO_NO_RECONOCIDO", "no corresponde a ninguna plantilla")
    assert libro.detalle == ""  # no hubo falla técnica: simplemente no es una plantilla


def test_real_errores_de_excel_que_calamine_entrega_vacios(tmp_path):
    ruta = FUENTES_DE_PRUEBA / "errors.xlsx"
    contenedor = archivos.revisar_contenedor(ruta, ruta.read_bytes())
    hoja = revisar_hoja(contenedor, "Feuil1", detalle=True)
    assert hoja.errores == {
        "A1": "#DIV/0!",
        "A2": "#NAME?",
        "A3": "#VALUE!",
        "A4": "#NULL!",
        "A5": "#REF!",
        "A6": "#NUM!",
        "A7": "#N/A",
    }
    assert hoja.filas_ocultas == [20]


def test_real_atributos_hidden_false_no_ocultan_filas(tmp_path):
    ruta = FUENTES_DE_PRUEBA / "nonstandard-xml-ns-prefix.xlsx"
    contenedor = archivos.revisar_contenedor(ruta, ruta.read_bytes())
    assert revisar_hoja(contenedor, "Sheet1", detalle=True).filas_ocultas == []


def test_los_procesos_de_lectura_caben_en_el_presupuesto_de_memoria():
    limites = Limites(memoria=512 * MIB)
    assert limites.procesos(8) == 4  # 4 × 128 MiB
    assert limites.procesos(2) == 2
    assert limites.memoria_por_proceso(2) == 256 * MIB
    assert limites.procesos(2) * limites.memoria_por_proceso(2) <= limites.memoria
    assert Limites(memoria=64 * MIB).procesos(8) == 1
