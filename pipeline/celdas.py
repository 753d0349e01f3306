"""Celdas que no se leen tal cual: sin valor conocido, repetidas, raras, combinadas u ocultas (§5).

Nada se pierde en silencio: una celda con error de Excel, una fórmula sin resultado guardado o dos
columnas repetidas que dicen cosas distintas son un error en su celda (la fila se excluye); un texto
más largo de lo que cabe en Excel, caracteres de control, celdas combinadas sobre los datos y filas
ocultas son advertencias (el dato se lee). Cada función recibe el libro que se está leyendo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from esquemas import Campo
from pipeline.escritura import numero_es
from pipeline.hoja_xml import HojaXml
from pipeline.problemas import Codigo, celda, posicion_celda

if TYPE_CHECKING:
    from pipeline.lectura import LibroLeido

LARGO_MAXIMO_EXCEL = 32767  # caracteres que caben en una celda de Excel
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # invisibles (no tab ni saltos)

Duplicada = tuple[Campo, int, int]  # campo, columna de la primera, columna repetida (base 0)
Rango = tuple[tuple[int, int], tuple[int, int]]  # (fila, columna) de inicio y fin, base 0


def unir_duplicadas(
    libro: LibroLeido, valores: list, otros: list, duplicadas: list[Duplicada], numero: int
) -> None:
    """Una columna repetida (`otros`: sus valores) completa a la primera; si difieren, no se sabe."""
    assert libro.plantilla is not None  # solo hay columnas duplicadas en un libro reconocido
    posicion = {c.nombre: k for k, c in enumerate(libro.plantilla.columnas)}
    for (campo, primera, repetida), otro in zip(duplicadas, otros, strict=True):
        k = posicion[campo.nombre]
        if otro is None or otro == valores[k]:
            continue
        if valores[k] is None:
            valores[k] = otro
            continue
        valores[k] = None
        libro.ilegibles.setdefault(numero, []).append(Codigo.COLUMNA_DUPLICADA_DISTINTA)
        libro.agregar(
            Codigo.COLUMNA_DUPLICADA_DISTINTA,
            celda=celda(repetida, numero),
            campo=campo.etiqueta,
            fila=numero,
            primera=celda(primera, numero),
        )


Ilegible = tuple[int, Codigo, str, str | None]  # columna base 0, código, celda, texto del error


def ilegibles_por_fila(xml: HojaXml) -> dict[int, list[Ilegible]]:
    """Fila de Excel → las celdas de esa fila sin valor conocido."""
    por_fila: dict[int, list[Ilegible]] = {}
    for referencia in [*xml.errores, *sorted(xml.formulas_sin_valor)]:
        fila, columna = posicion_celda(referencia)
        codigo = xml.celda_ilegible(referencia)
        if codigo is None:  # no ocurre: la referencia viene de una de las dos listas
            continue
        por_fila.setdefault(fila, []).append(
            (columna - 1, codigo, referencia, xml.errores.get(referencia))
        )
    return por_fila


def marcar_ilegibles(
    libro: LibroLeido,
    celdas: list[Ilegible],
    ubicacion: list[tuple[Campo, int | None]],
    duplicadas: list[Duplicada],
    numero: int,
) -> None:
    """Las celdas de datos con error o fórmula sin resultado: se reportan y la fila se excluye."""
    campos = {j: c for c, j in ubicacion if j is not None} | {j: c for c, _, j in duplicadas}
    errores = libro.ilegibles.get(numero, [])
    for columna, codigo, referencia, error in celdas:
        campo = campos.get(columna)
        if campo is None:
            continue  # columna que no es de la plantilla: ya se avisó y no se lee
        errores.append(codigo)
        libro.agregar(codigo, celda=referencia, campo=campo.etiqueta, fila=numero, valor=error)
    if errores:
        libro.ilegibles[numero] = errores


def hay_texto_raro(valores: list) -> bool:
    """Búsqueda rápida: algún texto demasiado largo o con caracteres no imprimibles."""
    return any(
        v.__class__ is str and (len(v) > LARGO_MAXIMO_EXCEL or not v.isprintable()) for v in valores
    )


def revisar_textos(
    libro: LibroLeido, valores: list, ubicacion: list[tuple[Campo, int | None]], numero: int
) -> None:
    """Textos más largos de lo que cabe en Excel, o con caracteres de control (que se quitan)."""
    for k, (campo, j) in enumerate(ubicacion):
        v = valores[k]
        if v.__class__ is not str:
            continue
        referencia = celda(j, numero) if j is not None else ""
        if _CONTROL.search(v):
            valores[k] = v = _CONTROL.sub("", v).strip() or None
            libro.agregar(
                Codigo.CARACTERES_DE_CONTROL,
                celda=referencia,
                campo=campo.etiqueta,
                fila=numero,
                valor=v,
                personal=campo.personal,
            )
        if v is not None and len(v) > LARGO_MAXIMO_EXCEL:
            libro.agregar(
                Codigo.TEXTO_DEMASIADO_LARGO,
                celda=referencia,
                campo=campo.etiqueta,
                fila=numero,
                largo=numero_es(len(v)),
                maximo=numero_es(LARGO_MAXIMO_EXCEL),
            )


def avisar_combinadas_y_ocultas(
    libro: LibroLeido, combinadas: list[Rango], xml: HojaXml, fila_encabezado: int
) -> None:
    """Celdas combinadas sobre filas de datos y filas de datos ocultas: se leen, pero se avisa."""
    for (f0, c0), (f1, c1) in combinadas:
        if f1 > fila_encabezado:
            primera = celda(c0, f0 + 1)
            libro.agregar(
                Codigo.CELDAS_COMBINADAS,
                celda=primera,
                rango=f"{primera}:{celda(c1, f1 + 1)}",
                fila=f0 + 1 if f0 > fila_encabezado else None,
            )
    con_datos = set(libro.datos.index) if libro.datos is not None else set()
    ocultas = sorted(f for f in xml.filas_ocultas if f in con_datos)
    for desde, hasta in tramos(ocultas):
        filas = f"fila {desde}" if desde == hasta else f"filas {desde} a {hasta}"
        libro.agregar(Codigo.FILAS_OCULTAS, celda=f"A{desde}", filas=filas, fila=desde)


def tramos(numeros: list[int]) -> Iterator[tuple[int, int]]:
    """Números ordenados → tramos consecutivos (primero, último)."""
    if not numeros:
        return
    inicio = anterior = numeros[0]
    for n in numeros[1:]:
        if n == anterior + 1:
            anterior = n
            continue
        yield inicio, anterior
        inicio = anterior = n
    yield inicio, anterior
