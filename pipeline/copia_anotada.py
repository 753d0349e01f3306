"""La copia anotada de un libro, escrita parchando su paquete OOXML (sin cargarlo con openpyxl).

Cada parte del libro de la dirección se copia byte a byte, salvo las que hay que tocar:
- `styles.xml`: se añaden los rellenos de las marcas como estilos nuevos (copia del estilo de la
  celda con otro relleno: conserva formato de fecha, bordes y desbloqueo) y los de la hoja `Errores`;
- las hojas con marcas: se recorren en flujo, fila por fila, cambiando `s=` en las celdas marcadas
  (y creando las que no existen); memoria acotada sea cual sea el tamaño de la hoja;
- comentarios: una parte de comentarios y su dibujo VML por hoja marcada, con sus relaciones;
- la hoja `Errores` al principio (libro, relaciones, tipos de contenido).

Una copia reenviada se reconoce por lo que deja el producto: su hoja `Errores`, los comentarios de
su autor y sus dos rellenos. Todo eso se quita antes de marcar de nuevo (§7.2).
"""

from __future__ import annotations

import re
import zipfile
from typing import BinaryIO

from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from pipeline.ooxml.comentarios import (
    AUTOR,
    SEPARADOR_ANTERIOR,
    Comentario,
    comentarios_previos,
    es_propio,
    leer_comentarios,
    xml_comentarios,
    xml_vml,
)
from pipeline.ooxml.estilos import COLOR_ADVERTENCIA, COLOR_ERROR, Estilos
from pipeline.ooxml.hoja_en_flujo import (
    FRAGMENTO,
    Marca,
    MarcasHoja,
    combinadas,
    copiar_hoja,
    superior_izquierda,
)
from pipeline.ooxml.hoja_nueva import CeldaNueva, HojaNueva, xml_hoja
from pipeline.ooxml.partes import (
    CT_COMENTARIOS,
    CT_HOJA,
    HOJA_ERRORES,
    T_COMENTARIOS,
    T_HOJA,
    T_VML,
    LibroNoAnotable,
    agregar_relaciones,
    ajustar_libro,
    destino_rel,
    hoja_de,
    hojas_del_libro,
    leer_parte,
    nombre_libre,
    nuevo_id,
    quitar_relaciones,
    relaciones,
    rels_vacias,
    ruta_de_rels,
    tipos_de_contenido,
)

__all__ = [
    "AUTOR",
    "COLOR_ADVERTENCIA",
    "COLOR_ERROR",
    "HOJA_ERRORES",
    "SEPARADOR_ANTERIOR",
    "CeldaNueva",
    "HojaNueva",
    "LibroNoAnotable",
    "Marca",
    "anotar",
]

_NIVEL_ZIP = 1


def anotar(
    origen: BinaryIO,
    destino: zipfile.ZipFile,
    marcas: dict[str, dict[str, Marca]],
    hoja: HojaNueva,
    fecha_zip: tuple[int, int, int, int, int, int],
) -> set[tuple[str, str]]:
    """Escribe en `destino` la copia anotada del libro `origen`; devuelve las celdas marcadas.

    `marcas`: nombre de hoja → referencia A1 → marca. Las hojas o celdas que no existen se
    omiten (el problema sigue en la hoja `Errores`). Lanza LibroNoAnotable si el paquete no
    tiene la forma de un libro.
    """
    with zipfile.ZipFile(origen) as zf:
        return _Anotador(zf, destino, fecha_zip).anotar(marcas, hoja)


class _Anotador:
    def __init__(self, zf: zipfile.ZipFile, destino: zipfile.ZipFile, fecha_zip) -> None:
        self.zf, self.destino, self.fecha = zf, destino, fecha_zip
        self.originales = frozenset(zf.namelist())

    def anotar(self, marcas: dict[str, dict[str, Marca]], hoja: HojaNueva) -> set[tuple[str, str]]:
        zf = self.zf
        originales = self.originales
        nombres = set(originales)  # también las partes nuevas, para no repetir nombres
        if "xl/workbook.xml" not in nombres or "[Content_Types].xml" not in nombres:
            raise LibroNoAnotable("no es un libro de Excel")
        libro = leer_parte(zf, "xl/workbook.xml")
        rels_libro = relaciones(zf, "xl/workbook.xml")
        hojas = hojas_del_libro(libro, rels_libro)
        estilos_parte = next(
            (destino_rel("xl/workbook.xml", r["Target"]) for r in rels_libro
             if r.get("Type", "").endswith("/styles")), None,
        )  # fmt: skip
        if estilos_parte is None or estilos_parte not in originales:
            raise LibroNoAnotable("el libro no tiene estilos")
        estilos = Estilos(leer_parte(zf, estilos_parte))
        quitar: set[str] = set()
        texto_rels_libro = leer_parte(zf, ruta_de_rels("xl/workbook.xml"))

        # La hoja Errores de una copia anterior sale del libro.
        previa = next((i for i, h in enumerate(hojas) if h.nombre == HOJA_ERRORES), None)
        if previa is not None:
            h = hojas.pop(previa)
            texto_rels_libro = quitar_relaciones(texto_rels_libro, {h.rid})
            if h.parte:
                quitar |= {h.parte, ruta_de_rels(h.parte)}

        por_parte: dict[str, MarcasHoja] = {}
        marcadas: set[tuple[str, str]] = set()
        for nombre_hoja, celdas in marcas.items():
            marcada = hoja_de(hojas, nombre_hoja)
            if marcada is None or marcada.parte not in originales:
                continue
            destino = por_parte.setdefault(marcada.parte, MarcasHoja({}))
            rangos = combinadas(zf, marcada.parte)
            for ref, marca in celdas.items():
                fila, columna = superior_izquierda(xl_cell_to_rowcol(ref), rangos)
                en_fila = destino.celdas.setdefault(fila + 1, {})
                previa_marca = en_fila.get(columna + 1)
                if previa_marca is not None:  # dos celdas de un mismo rango combinado
                    marca = Marca(
                        marca.error or previa_marca.error,
                        f"{previa_marca.comentario}\n\n{marca.comentario}",
                    )
                en_fila[columna + 1] = marca
                marcadas.add((nombre_hoja, ref))

        # Una hoja sin marcas nuevas pero con comentarios del producto también se limpia.
        for h in hojas:
            if h.parte in originales and h.parte not in por_parte and self._tiene_propios(h.parte):
                por_parte[h.parte] = MarcasHoja({})

        agregar_tipos: list[tuple[str, str]] = []
        nuevas_partes: dict[str, bytes] = {}
        for bloque, (parte, m) in enumerate(sorted(por_parte.items()), start=1):
            agregar_tipos += self._comentarios(parte, m, nombres, nuevas_partes, quitar, bloque)

        # La hoja Errores nueva.
        parte_errores = nombre_libre(nombres, "xl/worksheets/sheet{}.xml")
        ids = {r.get("Id", "") for r in rels_libro}
        rid = nuevo_id(ids)
        objetivo = "/" + parte_errores
        texto_rels_libro = agregar_relaciones(texto_rels_libro, [(rid, T_HOJA, objetivo)])
        sheet_ids = [int(x) for x in re.findall(r'sheetId="(\d+)"', libro)]
        libro = ajustar_libro(libro, previa, rid, max(sheet_ids, default=0) + 1)
        nuevas_partes[parte_errores] = xml_hoja(hoja, estilos.estilos_hoja())
        agregar_tipos.append((parte_errores, CT_HOJA))
        tipos = tipos_de_contenido(
            leer_parte(zf, "[Content_Types].xml"), agregar_tipos, quitar, bool(por_parte)
        )

        reemplazos = {
            "[Content_Types].xml": tipos.encode("utf-8"),
            "xl/workbook.xml": libro.encode("utf-8"),
            ruta_de_rels("xl/workbook.xml"): texto_rels_libro.encode("utf-8"),
            **nuevas_partes,
        }
        partes_hojas = {h.parte for h in hojas}
        for info in zf.infolist():
            nombre = info.filename
            if nombre in quitar or nombre == estilos_parte:
                continue
            if nombre in reemplazos:
                self._escribir(nombre, reemplazos.pop(nombre))
                continue
            with zf.open(info) as entrada, self._abrir(nombre) as salida:
                if nombre in partes_hojas:
                    copiar_hoja(entrada, salida, estilos, por_parte.get(nombre))
                else:
                    while trozo := entrada.read(FRAGMENTO):
                        salida.write(trozo)
        for nombre, contenido in reemplazos.items():  # las partes nuevas
            self._escribir(nombre, contenido)
        self._escribir(estilos_parte, estilos.xml())
        return marcadas

    def _tiene_propios(self, parte: str) -> bool:
        """Si la hoja tiene comentarios escritos por el producto (una copia reenviada)."""
        for r in relaciones(self.zf, parte):
            destino = destino_rel(parte, r.get("Target", ""))
            es_comentario = r.get("Type") == T_COMENTARIOS and destino in self.originales
            if es_comentario and any(
                map(es_propio, leer_comentarios(leer_parte(self.zf, destino)))
            ):
                return True
        return False

    def _comentarios(
        self,
        parte: str,
        marcas: MarcasHoja,
        nombres: set[str],
        nuevas: dict[str, bytes],
        quitar: set[str],
        bloque: int,
    ) -> list[tuple[str, str]]:
        """Comentarios y VML de una hoja marcada: los de la dirección más los del producto."""
        rels = relaciones(self.zf, parte)
        ruta_rels = ruta_de_rels(parte)
        existe = ruta_rels in self.originales
        texto_rels = leer_parte(self.zf, ruta_rels) if existe else rels_vacias()
        previos: list[Comentario] = []
        viejos = {r.get("Id", "") for r in rels if r.get("Type") in (T_COMENTARIOS, T_VML)}
        for r in rels:
            destino = destino_rel(parte, r.get("Target", ""))
            if r.get("Type") == T_COMENTARIOS and destino in self.originales:
                previos = comentarios_previos(leer_parte(self.zf, destino))
            if r.get("Id") in viejos and destino in self.originales:
                quitar.add(destino)
        texto_rels = quitar_relaciones(texto_rels, viejos)
        por_celda = {c.ref: c for c in previos}
        for fila, columnas in marcas.celdas.items():
            for columna, marca in columnas.items():
                ref = xl_rowcol_to_cell(fila - 1, columna - 1)
                anterior = por_celda.get(ref)
                texto = marca.comentario
                if anterior is not None and anterior.texto:
                    texto += SEPARADOR_ANTERIOR + anterior.texto
                por_celda[ref] = Comentario(ref, AUTOR, texto)
        comentarios = sorted(por_celda.values(), key=lambda c: xl_cell_to_rowcol(c.ref))
        if not comentarios:  # solo había comentarios del producto: la hoja queda sin dibujo
            nuevas[ruta_rels] = texto_rels.encode("utf-8")
            marcas.rid_vml = ""
            return []
        parte_comentarios = nombre_libre(nombres, "xl/comments{}.xml")
        parte_vml = nombre_libre(nombres, "xl/drawings/vmlDrawing{}.vml")
        ids = {r.get("Id", "") for r in rels}
        rid_c = nuevo_id(ids)
        rid_v = nuevo_id(ids | {rid_c})
        marcas.rid_vml = rid_v
        texto_rels = agregar_relaciones(
            texto_rels,
            [(rid_c, T_COMENTARIOS, "/" + parte_comentarios), (rid_v, T_VML, "/" + parte_vml)],
        )
        nuevas[parte_comentarios] = xml_comentarios(comentarios)
        nuevas[parte_vml] = xml_vml(comentarios, bloque)
        nuevas[ruta_rels] = texto_rels.encode("utf-8")
        return [(parte_comentarios, CT_COMENTARIOS)]

    def _info(self, nombre: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(nombre, date_time=self.fecha)
        info.compress_type = zipfile.ZIP_DEFLATED
        # Compresión rápida: la copia se escribe en milisegundos y pesa poco más que el original.
        # (ZipFile.open(…, "w") no recibe el nivel: solo lo toma de la ZipInfo.)
        info._compresslevel = _NIVEL_ZIP  # type: ignore[attr-defined]
        info.external_attr = 0o600 << 16
        return info

    def _escribir(self, nombre: str, contenido: bytes) -> None:
        self.destino.writestr(self._info(nombre), contenido)

    def _abrir(self, nombre: str):
        return self.destino.open(self._info(nombre), "w", force_zip64=True)
