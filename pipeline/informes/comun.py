"""Piezas compartidas de los libros de informes: formatos, títulos, tablas, semáforo y metadatos."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from esquemas import PLANTILLAS
from pipeline import indicadores as ind
from pipeline.escritura import (
    ALTO_LINEA,
    AZUL_CLARO,
    AZUL_OSCURO,
    CARTA,
    ESTILOS,
    GRIS_CUADRICULA,
    GRIS_TEXTO,
    SEMAFORO,
    Formatos,
    cerrar_libro,
    escritura_atomica,
    libro_xlsx,
    lineas_texto,
)
from pipeline.informes.datos import DatosInforme
from pipeline.normalizacion import texto
from pipeline.tabla_excel import SIN_DATOS, Columna, anchos, es_vacio, escribir_tabla

if TYPE_CHECKING:
    from pipeline.consolidacion import Consolidado
    from pipeline.periodos import Periodo
    from pipeline.validacion.resultado import ResultadoValidacion

# Lo que los informes toman de aquí aunque viva en otro módulo.
__all__ = ["SIN_DATOS", "Columna", "DatosInforme", "anchos", "es_vacio", "escribir_tabla"]

ANCHO_PAGINA = 220  # ancho total de columnas que aún se lee impreso en una hoja carta apaisada
FILA_ENCABEZADO = 5  # fila (base 0) de los encabezados de la tabla principal de cada hoja


def _ajustado(estilo: dict) -> dict:
    return {**estilo, "text_wrap": True, "valign": "top"}


_ROJO_RELLENO, _ROJO_LETRA = SEMAFORO["Rojo"]
_DETALLE = {"italic": True, "font_color": GRIS_TEXTO}
_SECCION = {"bold": True, "font_size": 11, "font_color": AZUL_OSCURO}
ESTILOS_INFORME: dict[str, dict] = {
    # «titulo» y «subtitulo» son los compartidos de pipeline.escritura (ESTILOS).
    "detalle": _DETALLE,
    "seccion": _SECCION,
    "etiqueta_fondo": {"bold": True, "valign": "top", "bg_color": AZUL_CLARO, "border": 1},
    "aviso": {
        "bold": True,
        "text_wrap": True,
        "valign": "top",
        "font_color": _ROJO_LETRA,
        "bg_color": _ROJO_RELLENO,
        "border": 1,
        "border_color": _ROJO_LETRA,
    },
    "frase": {"text_wrap": True, "valign": "top"},
    "nota_detalle": {**_DETALLE, "text_wrap": True, "valign": "bottom"},
    "titulo_ajustado": _ajustado(ESTILOS["titulo"]),
    "subtitulo_ajustado": _ajustado(ESTILOS["subtitulo"]),
    "detalle_ajustado": _ajustado(_DETALLE),
    "seccion_ajustado": _ajustado(_SECCION),
}
"""Los estilos propios de los informes, además de los compartidos (`ESTILOS`)."""


class Estilos(Formatos):
    """Los formatos de un libro de informe: la caché compartida con los estilos de los informes."""

    def __init__(self, libro: Workbook) -> None:
        super().__init__(libro, ESTILOS_INFORME)


@dataclass(frozen=True)
class Encabezado:
    """Las tres líneas de título de cada hoja de un informe."""

    entidad: str
    informe: str
    periodo: str
    corte: date


@dataclass(frozen=True)
class Cabecera:
    """Lo que abre la primera hoja de un informe: el aviso de datos incompletos y el resumen."""

    aviso: str  # "" si los datos del periodo están completos (§7.1)
    frases: Sequence[str]  # Resumen ejecutivo


@contextmanager
def libro_informe(ruta: Path, fecha_documento: datetime) -> Iterator[tuple[Workbook, Estilos]]:
    """Abre un libro seguro en un archivo temporal y lo publica completo al salir sin errores."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    with escritura_atomica(ruta) as temporal:
        libro = libro_xlsx(temporal, fecha_documento)
        estilos = Estilos(libro)
        try:
            yield libro, estilos
        except BaseException:
            libro.close()
            raise
        cerrar_libro(libro, estilos, temporal)


def titulo_periodo(periodo: Periodo) -> str:
    """Título del periodo, con «Parcial» si el periodo no había terminado en la fecha de corte."""
    titulo = periodo.titulo
    if periodo.parcial and "parcial" not in titulo.lower():
        titulo = f"{titulo} (Parcial)"
    return titulo


def encabezado(datos: DatosInforme, informe: str, periodo: Periodo) -> Encabezado:
    """Encabezado de las hojas de un informe para un periodo."""
    return Encabezado(
        entidad=datos.consolidado.config.entidad,
        informe=informe,
        periodo=titulo_periodo(periodo),
        corte=datos.consolidado.corte,
    )


def nueva_hoja(
    libro: Workbook,
    estilos: Estilos,
    nombre: str,
    enc: Encabezado,
    subtitulo: str,
    anchos_tabla: Sequence[float] = (),
) -> Worksheet:
    """Hoja con el título del informe, para imprimir en carta apaisada a una página de ancho.

    Con `anchos_tabla`, el título se ajusta al ancho de la tabla para que no se corte al imprimir.
    """
    hoja = libro.add_worksheet(nombre)
    _titulos(hoja, estilos, enc, subtitulo, 0, anchos_tabla)
    _pagina(hoja, enc)
    return hoja


def _titulos(
    hoja: Worksheet,
    estilos: Estilos,
    enc: Encabezado,
    subtitulo: str,
    fila: int,
    anchos_tabla: Sequence[float],
) -> None:
    titulo = f"{enc.informe} — {enc.periodo}"
    # La fecha fija del documento es la de corte: se dice así, nunca como fecha de generación.
    corte = f"Fecha de corte de los datos: {enc.corte:%d/%m/%Y}."
    lineas = (
        (enc.entidad, "titulo", 1.4),
        (titulo, "subtitulo", 1.25),
        (corte, "detalle", 1.0),
        (subtitulo, "seccion", 1.0),
    )
    for i, (texto_linea, formato, escala) in enumerate(lineas):
        if len(anchos_tabla) > 1:
            # Combinado sobre el ancho de la tabla y ajustado: no se corta al imprimir.
            _texto_ajustado(
                hoja, estilos, fila + i, texto_linea, f"{formato}_ajustado", anchos_tabla, escala
            )
        else:
            hoja.write_string(fila + i, 0, texto_linea, estilos[formato])
    if len(anchos_tabla) <= 1:
        hoja.set_row(fila, ALTO_LINEA * lineas[0][2])


def _texto_ajustado(
    hoja: Worksheet,
    estilos: Estilos,
    fila: int,
    valor: str,
    formato: str,
    anchos_tabla: Sequence[float],
    escala: float = 1.0,
) -> None:
    """Un texto largo combinado sobre el ancho de la tabla, con la altura de sus líneas.

    En tablas que se imprimen en varias páginas de ancho, solo sobre las primeras columnas: el
    texto no se parte entre páginas.
    """
    anchos_tabla = _primeras_columnas(anchos_tabla)
    columnas = max(len(anchos_tabla), 1)
    ancho = max(sum(anchos_tabla) if anchos_tabla else 60, 20)
    lineas = lineas_texto(valor, max(ancho / escala - 2, 10))
    if columnas > 1:
        hoja.merge_range(fila, 0, fila, columnas - 1, "", estilos[formato])
    hoja.write_string(fila, 0, valor, estilos[formato])
    hoja.set_row(fila, ALTO_LINEA * escala * lineas + 3)


ANCHO_TEXTO = 150  # ancho máximo (en caracteres) de los textos combinados de la cabecera


def _primeras_columnas(anchos_tabla: Sequence[float]) -> list[float]:
    primeras: list[float] = []
    for ancho in anchos_tabla:
        if primeras and sum(primeras) + ancho > ANCHO_TEXTO:
            break
        primeras.append(ancho)
    return primeras


def _pagina(hoja: Worksheet, enc: Encabezado) -> None:
    hoja.set_landscape()
    hoja.set_paper(CARTA)
    hoja.fit_to_pages(1, 0)
    hoja.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    # El título va también en el encabezado de página: se lee en cada hoja impresa, aun en las
    # páginas de continuación de una tabla ancha.
    hoja.set_header("&L&8" + _escapar_pie(f"{enc.entidad} — {enc.informe}"))
    hoja.set_footer("&L&8" + _escapar_pie(enc.periodo) + "&R&8Página &P de &N")
    hoja.hide_gridlines(2)


def primera_hoja(
    libro: Workbook,
    estilos: Estilos,
    nombre: str,
    enc: Encabezado,
    subtitulo: str,
    cabecera: Cabecera,
    anchos_tabla: Sequence[float],
) -> tuple[Worksheet, int]:
    """Primera hoja de un informe: aviso de datos incompletos (si lo hay) encima de todo, título,
    Resumen ejecutivo y subtítulo de la tabla. Devuelve la hoja y la fila de los encabezados."""
    hoja = libro.add_worksheet(nombre)
    fila = 0
    if cabecera.aviso:
        # En negrita el texto es más ancho: se calcula con un 15 % más.
        _texto_ajustado(hoja, estilos, fila, cabecera.aviso, "aviso", anchos_tabla, 1.15)
        fila += 2
    _titulos(hoja, estilos, enc, "Resumen ejecutivo", fila, anchos_tabla)
    fila += 4
    for frase in cabecera.frases:
        _texto_ajustado(hoja, estilos, fila, frase, "frase", anchos_tabla)
        fila += 1
    hoja.write_string(fila + 1, 0, subtitulo, estilos["seccion"])
    _pagina(hoja, enc)
    return hoja, fila + 3


def _escapar_pie(valor: str) -> str:
    return valor.replace("&", "&&")


@dataclass(frozen=True)
class Adicional:
    """Una tabla más debajo de la principal de una hoja (con la última fila en negrita: total)."""

    titulo: str
    columnas: Sequence[Columna]
    datos: pd.DataFrame


def tabla_adicional(
    hoja: Worksheet,
    estilos: Estilos,
    fila: int,
    titulo: str,
    columnas: Sequence[Columna],
    datos: pd.DataFrame,
    *,
    negrita_ultima: bool = False,
) -> int:
    """Una segunda tabla en la hoja, con su título de sección; devuelve la fila libre siguiente."""
    hoja.write_string(fila, 0, titulo, estilos["seccion"])
    return escribir_tabla(
        hoja, estilos, fila + 1, columnas, datos, filtro=False, negrita_ultima=negrita_ultima
    )


def preparar_tabla(
    hoja: Worksheet, fila_encabezado: int = FILA_ENCABEZADO, columnas=1, primera: bool = False
) -> None:
    """Inmoviliza título y encabezados y los repite al imprimir.

    En la primera hoja (con el Resumen ejecutivo encima) solo se inmovilizan las columnas y se
    repite la fila de encabezados: inmovilizar el resumen dejaría poco espacio para la tabla.
    """
    if primera:
        hoja.freeze_panes(0, columnas)
        hoja.repeat_rows(fila_encabezado)
        return
    hoja.freeze_panes(fila_encabezado + 1, columnas)
    hoja.repeat_rows(0, fila_encabezado)


def hoja_tabla(
    libro: Workbook,
    estilos: Estilos,
    nombre: str,
    enc: Encabezado,
    subtitulo: str,
    columnas: Sequence[Columna],
    datos: pd.DataFrame,
    *,
    fijas: int = 1,
    negrita_ultima: bool = False,
    cabecera: Cabecera | None = None,
    adicionales: Sequence[Adicional] = (),
    nota: str = "",
) -> Worksheet:
    """Una hoja con título y una tabla principal, lista para leer e imprimir.

    Con `cabecera` es la primera hoja del informe: aviso y Resumen ejecutivo encima de la tabla.
    Las tablas `adicionales` van debajo de la principal, cada una con su título; `nota` va en la
    fila justo encima de los encabezados.
    """
    anchos_tabla = [c.ancho for c in columnas]
    ancha = sum(anchos_tabla) > ANCHO_PAGINA
    # En una tabla ancha los títulos van sobre las columnas que se repiten en cada página.
    repetidas = _columnas_repetidas(anchos_tabla, fijas) if ancha else len(anchos_tabla)
    if cabecera is None:
        hoja = nueva_hoja(libro, estilos, nombre, enc, subtitulo, anchos_tabla[:repetidas])
        fila = FILA_ENCABEZADO
    else:
        hoja, fila = primera_hoja(libro, estilos, nombre, enc, subtitulo, cabecera, anchos_tabla)
    anchos(hoja, columnas, formatos=estilos)
    if nota:
        ancho_nota = anchos_tabla if cabecera else anchos_tabla[:repetidas]
        _texto_ajustado(hoja, estilos, fila - 1, nota, "nota_detalle", ancho_nota)
    siguiente = escribir_tabla(hoja, estilos, fila, columnas, datos, negrita_ultima=negrita_ultima)
    for extra in adicionales:
        siguiente = tabla_adicional(
            hoja, estilos, siguiente, extra.titulo, extra.columnas, extra.datos, negrita_ultima=True
        )
    preparar_tabla(hoja, fila, fijas if not datos.empty else 0, primera=cabecera is not None)
    if ancha:
        # Tablas muy anchas: dos páginas de ancho, repitiendo las columnas que identifican la fila.
        hoja.fit_to_pages(2, 0)
        hoja.repeat_columns(0, repetidas - 1)
    return hoja


def _columnas_repetidas(anchos_tabla: Sequence[float], fijas: int, minimo: float = 38) -> int:
    """Las columnas fijas y, si son muy angostas para el título, las siguientes."""
    n = max(fijas, 1)
    while n < len(anchos_tabla) and sum(anchos_tabla[:n]) < minimo:
        n += 1
    return n


# Metadatos


def versiones_vistas(validacion: ResultadoValidacion) -> str:
    """Versiones de plantilla de los archivos leídos, por tipo («Plan de asistencia técnica 1.0»)."""
    vistas = sorted(
        {(a.tipo, a.version) for a in validacion.archivos if a.tipo and a.version},
        key=lambda par: (_orden_tipo(par[0]), par[1]),
    )
    return "; ".join(f"{tipo} {version}" for tipo, version in vistas) or "Ninguna"


def _orden_tipo(titulo: str) -> int:
    titulos = [p.titulo for p in PLANTILLAS.values()]
    return titulos.index(titulo) if titulo in titulos else len(titulos)


COLUMNAS_ARCHIVOS = (
    Columna("Archivo", "ruta", ancho=48),
    Columna("Dirección", "direccion", ancho=10),
    Columna("Tipo", "tipo", ancho=28),
    Columna("Versión", "version", ancho=9),
    Columna("Estado", "estado", ancho=24),
    Columna("SHA-256", "sha256", ancho=68),
)


def hoja_metadatos(
    libro: Workbook, estilos: Estilos, datos: DatosInforme, enc: Encabezado, periodo: str
) -> Worksheet:
    """Hoja `Metadatos`: de dónde salió el informe, con la huella SHA-256 de cada archivo."""
    consolidado = datos.consolidado
    pares = [
        ("Entidad", consolidado.config.entidad),
        ("Vigencia", str(consolidado.vigencia)),
        ("Periodo", periodo),
        ("Fecha de corte", f"{consolidado.corte:%d/%m/%Y}"),
        (
            "Fecha del documento",
            "La fecha interna del libro es la fecha de corte (no la de generación), para que "
            "los mismos datos produzcan exactamente el mismo archivo.",
        ),
        ("Comando", datos.comando),
        ("Versiones de plantilla", versiones_vistas(datos.validacion)),
        ("Archivos de entrada", str(len(datos.validacion.archivos))),
    ]
    hoja = nueva_hoja(
        libro,
        estilos,
        "Metadatos",
        enc,
        "Origen de este informe",
        [c.ancho for c in COLUMNAS_ARCHIVOS],
    )
    for j, c in enumerate(COLUMNAS_ARCHIVOS):
        hoja.set_column(j, j, c.ancho)
    for i, (etiqueta, valor) in enumerate(pares):
        hoja.write_string(FILA_ENCABEZADO + i, 0, etiqueta, estilos["etiqueta_fondo"])
        hoja.merge_range(
            FILA_ENCABEZADO + i, 1, FILA_ENCABEZADO + i, 5, "", estilos.formato("texto")
        )
        hoja.write_string(FILA_ENCABEZADO + i, 1, valor, estilos.formato("texto"))
    fila = FILA_ENCABEZADO + len(pares) + 1
    hoja.write_string(fila, 0, "Archivos de entrada", estilos["seccion"])
    archivos = pd.DataFrame(
        [
            {
                "ruta": a.ruta,
                "direccion": a.direccion,
                "tipo": a.tipo,
                "version": a.version,
                "estado": str(a.estado),
                "sha256": a.sha256,
            }
            for a in datos.validacion.archivos
        ],
        columns=[c.clave for c in COLUMNAS_ARCHIVOS],
    )
    escribir_tabla(hoja, estilos, fila + 1, COLUMNAS_ARCHIVOS, archivos, filtro=False)
    hoja.repeat_rows(0, 3)
    return hoja


def nombre_direccion(consolidado: Consolidado, codigo: object) -> str:
    """Nombre de la dirección de código `codigo` (el código si no está configurada)."""
    c = texto(codigo) or ""
    d = consolidado.config.por_codigo(c) if c else None
    return d.nombre if d else c


# Indicadores


_TIPO_CELDA = {
    ind.Clase.PORCENTAJE: "porcentaje",
    ind.Clase.PROMEDIO: "decimal",
    ind.Clase.CONTEO: "entero",
}
clave_semaforo = ind.clave_semaforo


def tipo_indicador(nombre: str) -> str:
    """Tipo de celda de un indicador según la clase de su ficha: porcentaje, decimal o entero."""
    return _TIPO_CELDA[ind.ficha(nombre).clase]


def columnas_indicadores(nombres: Sequence[str] = ()) -> list[Columna]:
    """Una columna por indicador, con el nombre exacto de §6 y su semáforo si su ficha lo tiene."""
    return [
        Columna(
            n,
            n,
            tipo_indicador(n),
            ancho=15,
            semaforo=clave_semaforo(n) if ind.ficha(n).tiene_semaforo else "",
        )
        for n in (nombres or ind.INDICADORES)
    ]


def seleccion(indicadores: pd.DataFrame, codigo: str, nivel: str) -> pd.DataFrame:
    """Filas de la tabla larga de un periodo y un nivel."""
    return indicadores[(indicadores["periodo"] == codigo) & (indicadores["nivel"] == nivel)]


def indicadores_ancho(indicadores: pd.DataFrame, codigo: str, nivel: str) -> pd.DataFrame:
    """Un grupo por fila (direccion, tema) y un indicador por columna, con sus semáforos."""
    filas = seleccion(indicadores, codigo, nivel).fillna({"direccion": "", "tema": ""})
    claves = ["direccion", "tema"]
    # unstack y no pivot_table: este cruzaría cada dirección con los temas de todas.
    largo = filas.drop_duplicates([*claves, "indicador"]).set_index([*claves, "indicador"])
    valores = largo["valor"].unstack("indicador").reindex(columns=list(ind.INDICADORES))
    colores = largo["semaforo"].unstack("indicador")
    colores = colores.reindex(index=valores.index, columns=list(ind.CON_SEMAFORO)).fillna("")
    colores.columns = [clave_semaforo(c) for c in colores.columns]
    return pd.concat([valores, colores], axis=1).reset_index()


def acumulacion(nombre: str) -> str:
    """«Del periodo» o «Acumulado en la vigencia», según la ficha del indicador."""
    return ind.ficha(nombre).acumulacion.value.capitalize()


def resumen_entidad(indicadores: pd.DataFrame, codigo: str) -> pd.DataFrame:
    """Indicadores de la entidad en un periodo, uno por fila, en el orden de §6."""
    filas = seleccion(indicadores, codigo, "entidad").set_index("indicador")
    filas = filas.reindex(list(ind.INDICADORES))
    return pd.DataFrame(
        {
            "indicador": list(ind.INDICADORES),
            "tipo": [tipo_indicador(n) for n in ind.INDICADORES],
            "acumulacion": [acumulacion(n) for n in ind.INDICADORES],
            "valor": filas["valor"].to_numpy(),
            "numerador": filas["numerador"].to_numpy(),
            "denominador": filas["denominador"].to_numpy(),
            "semaforo": filas["semaforo"].fillna("").to_numpy(),
        }
    )


def por_direccion(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """Indicadores por dirección (todas las configuradas), con su marca de datos incompletos, y
    una última fila con el total."""
    from pipeline.informes import incompletos  # diferida: incompletos usa estas piezas

    consolidado = datos.consolidado
    codigo = periodo.codigo
    ancho = indicadores_ancho(datos.indicadores, codigo, "dirección")
    codigos = [d.codigo for d in consolidado.config.direcciones]
    codigos += [c for c in ancho["direccion"] if c not in codigos]
    tabla = ancho.set_index("direccion").drop(columns="tema").reindex(codigos).reset_index()
    tabla.insert(1, "nombre", [nombre_direccion(consolidado, c) for c in tabla["direccion"]])
    total = indicadores_ancho(datos.indicadores, codigo, "entidad").drop(columns="tema")
    total = total.assign(direccion="", nombre="Total entidad")
    motivos = incompletos.motivos_por_direccion(datos, periodo)
    tabla = pd.concat([incompletos.marcar(tabla, motivos), total], ignore_index=True)
    return tabla.fillna({c: "" for c in tabla.columns if c.endswith("semáforo")})


def por_tema(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """Indicadores por dirección y tema (los configurados y los que aparezcan en los datos)."""
    from pipeline.informes import incompletos  # diferida: incompletos usa estas piezas

    consolidado = datos.consolidado
    codigo = periodo.codigo
    ancho = indicadores_ancho(datos.indicadores, codigo, "tema").set_index(["direccion", "tema"])
    pares = [(d.codigo, t) for d in consolidado.config.direcciones for t in d.temas]
    pares += [p for p in ancho.index if p not in pares]
    tabla = ancho.reindex(pd.MultiIndex.from_tuples(pares, names=["direccion", "tema"]))
    tabla = tabla.reset_index()
    tabla.insert(1, "nombre", [nombre_direccion(consolidado, c) for c in tabla["direccion"]])
    tabla = incompletos.marcar(tabla, incompletos.motivos_por_direccion(datos, periodo))
    return tabla.fillna({c: "" for c in tabla.columns if c.endswith("semáforo")})


COLUMNAS_DIRECCION = [
    Columna("Código", "direccion", ancho=8),
    Columna("Dirección", "nombre", ancho=30),
]


def columnas_direccion() -> list[Columna]:
    """Código, nombre y marca de datos incompletos: las primeras columnas de una tabla por dirección."""
    from pipeline.informes.incompletos import COLUMNA

    return [*COLUMNAS_DIRECCION, COLUMNA]


def texto_acumulacion(nombres: Sequence[str] = ()) -> str:
    """Qué indicadores de una tabla son acumulados en la vigencia ("" si ninguno)."""
    acumulados = [
        n
        for n in (nombres or ind.INDICADORES)
        if ind.ficha(n).acumulacion is ind.Acumulacion.VIGENCIA
    ]
    if not acumulados:
        return ""
    return (
        "Acumulados en la vigencia (del 1 de enero al fin del periodo): "
        + ", ".join(acumulados)
        + ". Los demás indicadores son del periodo."
    )


def hojas_por_direccion_y_tema(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hojas `Por dirección` y `Por tema` de un periodo."""
    indicadores = columnas_indicadores()
    hoja_tabla(
        libro,
        estilos,
        "Por dirección",
        enc,
        "Indicadores por dirección",
        columnas_direccion() + indicadores,
        por_direccion(datos, periodo),
        fijas=2,
        negrita_ultima=True,
        nota=texto_acumulacion(),
    )
    hoja_tabla(
        libro,
        estilos,
        "Por tema",
        enc,
        "Indicadores por dirección y tema",
        [*columnas_direccion(), Columna("Tema", "tema", ancho=36), *indicadores],
        por_tema(datos, periodo),
        fijas=3,
        nota=texto_acumulacion(),
    )


def eje_conteos(maximo: float) -> dict:
    """Eje vertical de una gráfica de conteos: desde 0, con marcas enteras."""
    paso = max(1, math.ceil(maximo / 6))
    return {
        "min": 0,
        "max": paso * (math.ceil(maximo / paso) + 1),
        "major_unit": paso,
        "num_format": "0",
        "major_gridlines": {"visible": True, "line": {"color": GRIS_CUADRICULA}},
    }
