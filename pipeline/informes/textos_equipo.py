"""El texto que el equipo escribe en los informes sobrevive a cada nueva corrida (§10.3).

Antes de reescribir una matriz semestral se leen sus columnas `Análisis` y `Acciones correctivas` (por
`ID asistencia`) y, del informe anual, el bloque de `Conclusiones`; el libro nuevo los lleva de vuelta.
El texto cuya fila ya no existe va a la hoja `Textos sin fila`. Si el libro existente no se puede leer
(abierto y bloqueado, o dañado) se lanza `InformeIlegible`: la corrida se detiene antes de perder texto.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook

from pipeline.archivos import es_bloqueo
from pipeline.errores import ErrorAsistencia
from pipeline.escritura import AZUL_OSCURO
from pipeline.informes.comun import Columna, Encabezado, Estilos, hoja_tabla, nueva_hoja
from pipeline.normalizacion import clave, texto

HOJA_MATRIZ = "Matriz"
HOJA_SIN_FILA = "Textos sin fila"
HOJA_CONCLUSIONES = "Conclusiones"
ROTULO_CONCLUSIONES = "Conclusiones y recomendaciones para la próxima vigencia"
ENCABEZADO_ID = "ID asistencia"
COLUMNAS_EQUIPO = {"analisis": "Análisis", "acciones": "Acciones correctivas"}
FILA_ROTULO, FILAS_BLOQUE, COLUMNAS_BLOQUE = (
    5,
    24,
    10,
)  # dónde va el bloque de Conclusiones (base 0)


class InformeIlegible(ErrorAsistencia):
    """Un informe existente con texto del equipo no se puede leer: no se reescribe."""

    def __init__(self, motivo: str, accion: str = "") -> None:
        super().__init__(motivo)
        self.accion = accion or (
            "Recupere una copia sana del libro (o retírelo de la carpeta si su texto ya no se "
            "necesita) y vuelva a ejecutar la orden."
        )


@dataclass
class TextosEquipo:
    """El texto del equipo leído de un informe existente."""

    por_item: dict[str, dict[str, str]] = field(default_factory=dict)  # clave del ID → textos
    conclusiones: str | None = None


def leer_textos(ruta: Path) -> TextosEquipo | None:
    """Texto del equipo de un informe existente; None si el archivo no existe."""
    ruta = Path(ruta)
    if not ruta.exists():
        return None
    _comprobar_cerrado(ruta)
    hojas = _filas_de_hojas(ruta, (HOJA_MATRIZ, HOJA_SIN_FILA, HOJA_CONCLUSIONES))
    textos = TextosEquipo()
    for nombre in (HOJA_MATRIZ, HOJA_SIN_FILA):
        for id_, valores in _textos_de_tabla(hojas.get(nombre, [])):
            textos.por_item.setdefault(clave(id_), {"id": id_, **valores})
    if HOJA_CONCLUSIONES in hojas:
        textos.conclusiones = _conclusiones(hojas[HOJA_CONCLUSIONES])
    return textos


def _filas_de_hojas(ruta: Path, nombres: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Las filas (valores) de las hojas `nombres` que existan; InformeIlegible si no se leen.

    Solo aquí trabaja openpyxl: un libro dañado lo hace fallar de muchas formas (zip, XML, zlib,
    partes que faltan), así que cualquier fallo suyo es un libro ilegible. Lo que se hace después con
    las filas queda fuera de esa barrera.
    """
    from openpyxl import load_workbook

    try:
        libro = load_workbook(ruta, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — ver arriba: el conjunto de fallos de openpyxl no está acotado
        raise InformeIlegible("el archivo está dañado o no es un libro de Excel") from None
    try:
        return {
            nombre: list(libro[nombre].iter_rows(values_only=True))
            for nombre in nombres
            if nombre in libro.sheetnames
        }
    except Exception:  # noqa: BLE001 — las hojas se leen al recorrerlas: mismos fallos
        raise InformeIlegible("el archivo está dañado") from None
    finally:
        libro.close()


def leer_textos_vigencia(
    carpeta_vigencia: Path, vigencia: int, cerrados: frozenset[str] = frozenset()
) -> dict[str, TextosEquipo]:
    """Texto del equipo de las matrices semestrales y el informe anual que se van a reescribir.

    Se omiten los periodos cerrados (su informe no se reescribe). Clave: código del periodo.
    """
    from pipeline.informes.anual import ruta_anual
    from pipeline.informes.semestral import ruta_semestral
    from pipeline.periodos import periodos

    carpeta = Path(carpeta_vigencia)
    rutas = {
        p.codigo: ruta_semestral(carpeta, p, vigencia)
        for p in periodos(vigencia, dt.date(vigencia, 12, 31))
        if p.clase == "semestre"
    }
    rutas[str(vigencia)] = ruta_anual(carpeta, vigencia)
    resultado: dict[str, TextosEquipo] = {}
    for codigo, ruta in rutas.items():
        if codigo in cerrados:
            continue
        try:
            textos = leer_textos(ruta)
        except InformeIlegible as exc:
            raise InformeIlegible(
                f"No se puede leer «{ruta}»: {exc}. Ese libro puede tener texto del equipo "
                "(Análisis, Acciones correctivas o Conclusiones) que se perdería al reescribirlo, así "
                f"que no se escribió nada. {exc.accion}",
                exc.accion,
            ) from None
        if textos is not None:
            resultado[codigo] = textos
    return resultado


def leer_conclusiones(ruta: Path) -> str | None:
    """El texto de `Conclusiones` de un informe anual; None si no hay informe o está vacío.

    Lanza InformeIlegible si el informe existe pero no se puede leer.
    """
    textos = leer_textos(ruta)
    return textos.conclusiones if textos else None


def _comprobar_cerrado(ruta: Path) -> None:
    """Excel y LibreOffice dejan un archivo de bloqueo junto al libro abierto."""
    for candidato in (f"~${ruta.name}", f".~lock.{ruta.name}#"):
        if es_bloqueo(candidato) and (ruta.parent / candidato).exists():
            raise InformeIlegible(
                f"está abierto en Excel o LibreOffice (existe el archivo de bloqueo «{candidato}»)",
                "Guarde y cierre el libro (si nadie lo tiene abierto, borre el archivo de bloqueo) y "
                "vuelva a ejecutar la orden.",
            )


def _textos_de_tabla(filas) -> list[tuple[str, dict[str, str]]]:
    """(ID asistencia, textos no vacíos) de cada fila bajo el encabezado de la tabla."""
    columnas: dict[str, int] | None = None
    resultado = []
    for fila in filas:
        celdas = [texto(v) for v in fila]
        if columnas is None:
            if ENCABEZADO_ID in celdas and COLUMNAS_EQUIPO["analisis"] in celdas:
                columnas = {"id": celdas.index(ENCABEZADO_ID)}
                for nombre, titulo in COLUMNAS_EQUIPO.items():
                    if titulo in celdas:
                        columnas[nombre] = celdas.index(titulo)
            continue
        id_ = celdas[columnas["id"]] if columnas["id"] < len(celdas) else None
        valores = {
            nombre: valor
            for nombre, j in columnas.items()
            if nombre != "id" and j < len(celdas) and (valor := celdas[j])
        }
        if id_ and valores:
            resultado.append((id_, valores))
    return resultado


def _conclusiones(filas) -> str | None:
    """La celda bajo el rótulo del bloque de conclusiones."""
    encontrado: int | None = None
    for fila in filas:
        if encontrado is not None:
            return texto(fila[encontrado]) if encontrado < len(fila) else None
        celdas = [texto(v) for v in fila]
        if ROTULO_CONCLUSIONES in celdas:
            encontrado = celdas.index(ROTULO_CONCLUSIONES)
    return None


def llenar(tabla: pd.DataFrame, textos: TextosEquipo | None) -> pd.DataFrame:
    """Pone en `analisis` y `acciones` el texto del equipo de cada ID asistencia de la tabla."""
    por_item = textos.por_item if textos else {}
    claves = tabla["id_asistencia"].map(clave)
    for nombre in COLUMNAS_EQUIPO:
        tabla[nombre] = [por_item.get(k, {}).get(nombre) for k in claves]
    return tabla


def sin_fila(textos: TextosEquipo | None, ids: pd.Series | None) -> pd.DataFrame:
    """El texto del equipo cuyo ID asistencia ya no está entre `ids`."""
    presentes = set(ids.map(clave)) if ids is not None else set()
    filas = [
        {"id_asistencia": v["id"], **{n: v.get(n) for n in COLUMNAS_EQUIPO}}
        for k, v in sorted((textos.por_item if textos else {}).items())
        if k not in presentes
    ]
    return pd.DataFrame(filas, columns=["id_asistencia", *COLUMNAS_EQUIPO])


def hoja_textos_sin_fila(
    libro: Workbook,
    estilos: Estilos,
    enc: Encabezado,
    textos: TextosEquipo | None,
    ids: pd.Series | None,
) -> None:
    """Hoja `Textos sin fila`, solo si hay texto del equipo cuyo ítem ya no está en el plan."""
    tabla = sin_fila(textos, ids)
    if tabla.empty:
        return
    columnas = [
        Columna(ENCABEZADO_ID, "id_asistencia", ancho=16),
        Columna(COLUMNAS_EQUIPO["analisis"], "analisis", "nota", ancho=60),
        Columna(COLUMNAS_EQUIPO["acciones"], "acciones", "nota", ancho=60),
    ]
    hoja_tabla(
        libro,
        estilos,
        HOJA_SIN_FILA,
        enc,
        "Texto del equipo de ítems que ya no están en el plan: se conserva aquí para no perderlo",
        columnas,
        tabla,
    )


def hoja_conclusiones(
    libro: Workbook, estilos: Estilos, enc: Encabezado, textos: TextosEquipo | None
) -> None:
    """Hoja `Conclusiones`: un bloque desbloqueado para el equipo, conservado en cada reescritura."""
    hoja = nueva_hoja(
        libro,
        estilos,
        HOJA_CONCLUSIONES,
        enc,
        "Texto del equipo: escriba en el recuadro; se conserva cada vez que se genera el informe.",
        [12] * COLUMNAS_BLOQUE,  # el título se ajusta al ancho del recuadro
    )
    hoja.repeat_rows(0, 3)
    hoja.set_column(0, COLUMNAS_BLOQUE - 1, 12)
    hoja.merge_range(
        FILA_ROTULO,
        0,
        FILA_ROTULO,
        COLUMNAS_BLOQUE - 1,
        ROTULO_CONCLUSIONES,
        estilos["etiqueta_fondo"],
    )
    bloque = estilos.de(
        {
            "text_wrap": True,
            "valign": "top",
            "locked": False,
            "border": 2,
            "border_color": AZUL_OSCURO,
        }
    )
    inicio, fin = FILA_ROTULO + 1, FILA_ROTULO + FILAS_BLOQUE
    hoja.merge_range(inicio, 0, fin, COLUMNAS_BLOQUE - 1, "", bloque)
    conclusiones = textos.conclusiones if textos else None
    if conclusiones:
        hoja.write_string(inicio, 0, conclusiones, bloque)
    # Sin contraseña: protege el rótulo de un borrado accidental; el recuadro queda editable.
    hoja.protect("", {"format_rows": True, "format_columns": True})
