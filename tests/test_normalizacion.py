"""Cómo se leen los valores tal como los escribe el personal (§4.6)."""

import datetime as dt

import pytest

from pipeline import normalizacion as n


def test_clave_ignora_mayusculas_tildes_y_espacios():
    assert n.clave("  Reunión\u00a0 de   TRABAJO ") == n.clave("reunion de trabajo")
    assert n.clave("Nariño") == n.clave("NARINO")
    assert n.clave(3.0) == "3"
    assert n.clave_etiqueta("Vigencia:") == "vigencia"
    assert n.clave_etiqueta("Vigencia :") == "vigencia"


@pytest.mark.parametrize(
    "valor, esperado",
    [
        (dt.datetime(2025, 3, 15, 0, 0), dt.date(2025, 3, 15)),
        (dt.date(2025, 3, 15), dt.date(2025, 3, 15)),
        ("15/03/2025", dt.date(2025, 3, 15)),
        ("5/3/2025", dt.date(2025, 3, 5)),
        ("2025-03-15", dt.date(2025, 3, 15)),
        (45731, dt.date(2025, 3, 15)),
        (45731.0, dt.date(2025, 3, 15)),
        ("45731", dt.date(2025, 3, 15)),
        (None, None),
        ("", None),
    ],
)
def test_fechas_aceptadas(valor, esperado):
    assert n.fecha(valor) == esperado


def test_sistema_de_fechas_1904():
    assert n.fecha(44269, sistema_1904=True) == dt.date(2025, 3, 15)


@pytest.mark.parametrize(
    "valor", ["31/02/2025", "15-03-2025", "marzo 15", "2025/03/15", 45731.5, True, -3, "03/15/25"]
)
def test_fechas_que_no_se_adivinan(valor):
    assert n.fecha(valor) is n.INVALIDO


def test_enteros_y_numeros():
    assert n.entero("3") == 3
    assert n.entero(3.0) == 3
    assert n.entero(" 12 ") == 12
    assert n.entero(2.5) is n.INVALIDO
    assert n.entero("tres") is n.INVALIDO
    assert n.entero(None) is None
    assert n.numero("1500,5") == 1500.5
    assert n.numero("1.500.000") == 1500000
    assert n.numero("$ 2000") == 2000
    assert n.numero("abc") is n.INVALIDO


def test_documento_telefono_y_correo():
    assert n.documento("1.023.456-78 ") == "102345678"
    assert n.documento(12345678.0) == "12345678"
    assert n.telefono("+57 300 123-4567") == "3001234567"
    assert n.correo_valido("ana.perez@alcaldia.gov.co")
    assert not n.correo_valido("ana perez@alcaldia")
    assert not n.correo_valido("ana@@x.co")


def test_enmascarar_deja_ver_solo_el_final():
    assert n.enmascarar("1023456789") == "******6789"
    assert n.enmascarar("3001234567") == "******4567"
    assert n.enmascarar("ana.perez@alcaldia.gov.co") == "a***@alcaldia.gov.co"
    assert "1023456" not in n.enmascarar("1023456789")
    assert n.enmascarar("987654") == "****54"
    assert n.enmascarar("79555444") == "*****444"  # un documento corto no queda casi a la vista
    assert n.enmascarar("12") == "**"


def test_texto_de_celda():
    assert n.texto(1234.0) == "1234"
    assert n.texto("  hola\u00a0") == "hola"
    assert n.texto(dt.date(2025, 1, 2)) == "02/01/2025"
    assert n.texto("   ") is None
