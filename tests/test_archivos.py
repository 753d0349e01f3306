"""Descubrimiento de entradas y controles de seguridad antes de leer (§3, §9)."""

import io
import zipfile

import pytest

from pipeline.archivos import descubrir, revisar_contenedor
from pipeline.errores import ArchivoRechazado


def _xlsx_minimo(extra: dict[str, bytes] | None = None, workbook_pr: str = "") -> bytes:
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{workbook_pr}</workbook>',
        )
        for nombre, contenido in (extra or {}).items():
            z.writestr(nombre, contenido)
    return memoria.getvalue()


def test_descubrir_clasifica_y_ordena(tmp_path):
    raiz = tmp_path / "entradas"
    (raiz / "2025" / "DGT" / "sesiones" / "A1").mkdir(parents=True)
    (raiz / "2024" / "DGT").mkdir(parents=True)
    for nombre in ("plan.xlsx", "~$plan.xlsx", ".~lock.plan.xlsx#", "notas.txt", "viejo.xls"):
        (raiz / "2025" / "DGT" / nombre).write_bytes(b"x")
    (raiz / "2025" / "DGT" / "sesiones" / "A1" / "lista.xlsx").write_bytes(b"x")
    (raiz / "2024" / "DGT" / "plan.xlsx").write_bytes(b"x")
    (raiz / "LEAME.md").write_text("x")
    encontrados = {e.relativa: e for e in descubrir(raiz, "2025")}
    assert sorted(encontrados) == sorted(
        [
            "2025/DGT/plan.xlsx",
            "2025/DGT/~$plan.xlsx",
            "2025/DGT/.~lock.plan.xlsx#",
            "2025/DGT/notas.txt",
            "2025/DGT/viejo.xls",
            "2025/DGT/sesiones/A1/lista.xlsx",
        ]
    )
    assert encontrados["2025/DGT/~$plan.xlsx"].ignorado
    assert encontrados["2025/DGT/.~lock.plan.xlsx#"].ignorado
    assert encontrados["2025/DGT/notas.txt"].ignorado
    assert not encontrados["2025/DGT/viejo.xls"].ignorado  # se rechaza al leer, con mensaje
    assert encontrados["2025/DGT/sesiones/A1/lista.xlsx"].direccion_carpeta == "DGT"
    assert encontrados["2025/DGT/plan.xlsx"].vigencia_carpeta == "2025"


def test_libro_valido_y_sistema_1904(tmp_path):
    ruta = tmp_path / "a.xlsx"
    assert revisar_contenedor(ruta, _xlsx_minimo()).sistema_1904 is False
    con_1904 = _xlsx_minimo(workbook_pr='<workbookPr date1904="1"/>')
    assert revisar_contenedor(ruta, con_1904).sistema_1904 is True


@pytest.mark.parametrize(
    "nombre, contenido, codigo",
    [
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "FORMATO_NO_ADMITIDO"),
        ("a.ods", b"PK", "FORMATO_NO_ADMITIDO"),
        (
            "a.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "ARCHIVO_CIFRADO",
        ),
        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "FORMATO_NO_ADMITIDO"),
        ("a.xlsx", b"esto no es un zip", "ARCHIVO_ILEGIBLE"),
        ("a.xlsx", b"", "ARCHIVO_ILEGIBLE"),
    ],
)
def test_archivos_rechazados(tmp_path, nombre, contenido, codigo):
    with pytest.raises(ArchivoRechazado) as info:
        revisar_contenedor(tmp_path / nombre, contenido)
    assert info.value.codigo == codigo


def test_zip_sin_libro(tmp_path):
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w") as z:
        z.writestr("hola.txt", "x")
    with pytest.raises(ArchivoRechazado) as info:
        revisar_contenedor(tmp_path / "a.xlsx", memoria.getvalue())
    assert info.value.codigo == "ARCHIVO_ILEGIBLE"


def test_bomba_zip_se_rechaza_antes_de_leer(tmp_path):
    bomba = _xlsx_minimo({"xl/worksheets/sheet1.xml": b"<a>" + b" " * (60 * 2**20) + b"</a>"})
    assert len(bomba) < 1_000_000
    with pytest.raises(ArchivoRechazado) as info:
        revisar_contenedor(tmp_path / "a.xlsx", bomba)
    assert info.value.codigo == "ARCHIVO_DEMASIADO_GRANDE"


def test_entidades_xml_se_rechazan(tmp_path):
    mil_risas = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    )
    with pytest.raises(ArchivoRechazado) as info:
        revisar_contenedor(tmp_path / "a.xlsx", _xlsx_minimo({"xl/sharedStrings.xml": mil_risas}))
    assert info.value.codigo == "XML_PELIGROSO"


def test_descubrir_omite_ocultos_y_no_sigue_carpetas_enlazadas(tmp_path):
    raiz = tmp_path / "entradas"
    dgt = raiz / "2025" / "DGT"
    for carpeta in (".git", "a-b", "a/b", "libro.xlsx/dentro"):
        (dgt / carpeta).mkdir(parents=True)
    for nombre in (
        ".git/x.xlsx",
        ".DS_Store",
        "a-b/1.xlsx",
        "a/b/2.xlsx",
        "libro.xlsx/dentro/3.xlsx",
    ):
        (dgt / nombre).write_bytes(b"x")
    (dgt / "enlazada").symlink_to(dgt / "a")
    encontrados = descubrir(raiz, "2025")
    # Orden por partes de la ruta (no por texto: «a/b» va antes que «a-b»), sin ocultos ni lo que
    # hay dentro de una carpeta enlazada; lo de dentro de una carpeta «libro.xlsx» sí se recorre.
    assert [e.relativa for e in encontrados] == [
        "2025/DGT/a/b/2.xlsx",
        "2025/DGT/a-b/1.xlsx",
        "2025/DGT/enlazada",
        "2025/DGT/libro.xlsx",
        "2025/DGT/libro.xlsx/dentro/3.xlsx",
    ]
    assert encontrados[0].ruta == (dgt / "a" / "b" / "2.xlsx").resolve()
    assert encontrados[2].ignorado == "No es una hoja de cálculo"
    assert encontrados[3].ignorado.startswith("Es una carpeta")
