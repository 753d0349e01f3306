"""Las plantillas de Excel, generadas solo a partir de la declaración de `esquemas` (§4).

Cada plantilla lleva la hoja de datos (ficha, encabezados y registros), la hoja `Instrucciones`, la
hoja oculta `_listas` con las listas desplegables (catálogos fijos, direcciones y temas de la
configuración, DIVIPOLA) y la hoja oculta `_plantilla` con el tipo y la versión, que el lector usa
para reconocer el libro aunque se haya guardado en Excel o LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from esquemas import PLANTILLAS, Campo, Catalogo, Plantilla, Tipo
from pipeline.configuracion import Configuracion
from pipeline.divipola import cargar_divipola
from pipeline.escritura import (
    ALTO_LINEA,
    AZUL_CLARO,
    AZUL_OSCURO,
    BLANCO,
    FORMATO_FECHA,
    GRIS_BORDE,
    GRIS_ENTRADA,
    GRIS_FONDO,
    NEGRO,
    Formatos,
    alto_fila,
    ancho_columna,
    escribir_valor,
    escritura_atomica,
    libro_xlsx,
    lineas_texto,
)
from pipeline.formato_controlado import (
    control_de,
    escribir_encabezado_control,
    imprimir_formato_controlado,
)
from pipeline.formulario_evaluacion import escribir_formulario
from pipeline.lectura import HOJA_MARCA, PRODUCTO
from pipeline.normalizacion import clave

HOJA_LISTAS = "_listas"
HOJA_INSTRUCCIONES = "Instrucciones"
FECHA_DOCUMENTO = dt.datetime(2025, 1, 1)  # fija: regenerar da los mismos bytes
FORMATO_TEXTO = "@"
ANCHO_VALOR_FICHA = 44  # ancho mínimo (en caracteres) de la celda de valor de la ficha
ANCHO_IMPRESA = 26  # columnas que solo se imprimen (Firma)
ALTO_ENCABEZADO = 48  # puntos
_PROTECCION = {
    "format_cells": False,
    "format_columns": True,
    "format_rows": True,
    "autofilter": True,
    "sort": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}
_ANCHOS_INSTRUCCIONES = (34, 22, 20, 70, 60)

_NOMBRES_TIPO = {
    Tipo.TEXTO: "Texto",
    Tipo.FECHA: "Fecha (dd/mm/aaaa)",
    Tipo.ENTERO: "Número entero",
    Tipo.NUMERO: "Número",
    Tipo.ANIO: "Año (aaaa)",
    Tipo.CATALOGO: "Lista desplegable",
    Tipo.DOCUMENTO: "Número de documento",
    Tipo.CORREO: "Correo electrónico",
    Tipo.TELEFONO: "Teléfono",
}

REGLAS_GENERALES = (
    "No cambie el nombre de las hojas ni de las columnas, y no mueva ni borre las etiquetas de la "
    "ficha: el sistema las busca por su texto.",
    "Escriba solo en las celdas blancas. Las filas en blanco se ignoran; cada fila con datos debajo "
    "de los encabezados es un registro.",
    "Escriba las fechas como dd/mm/aaaa, por ejemplo 15/03/2025.",
    "Las listas de asistencia y las evaluaciones van en un archivo por sesión.",
    "Las listas de asistencia contienen datos personales: trátelas conforme a la Ley 1581 de 2012 "
    "(habeas data) y no las comparta por fuera de los canales de la entidad.",
    "Guarde el archivo como libro de Excel (.xlsx). Puede cambiarle el nombre y usar Excel o "
    "LibreOffice.",
)


@dataclass(frozen=True)
class Relleno:
    """Valores con que sale una plantilla ya diligenciada (paquetes, §11): ficha y registros."""

    ficha: dict[str, object] = field(default_factory=dict)  # nombre del campo → valor
    registros: tuple[dict[str, object], ...] = ()  # nombre de la columna → valor


HojasExtra = Callable[[Workbook, "FormatosPlantilla"], None]


def generar_plantillas(config: Configuracion, salida: Path) -> list[Path]:
    """Escribe las cinco plantillas (plantilla.archivo) en `salida`, cada una de forma atómica."""
    salida = Path(salida)
    salida.mkdir(parents=True, exist_ok=True)
    rutas = []
    for plantilla in PLANTILLAS.values():
        ruta = salida / plantilla.archivo
        escribir_plantilla(plantilla, config, ruta)
        rutas.append(ruta)
    return rutas


def escribir_plantilla(
    plantilla: Plantilla,
    config: Configuracion,
    ruta: Path,
    relleno: Relleno | None = None,
    hojas_extra: HojasExtra | None = None,
) -> None:
    """Escribe una plantilla en `ruta` (archivo temporal en la misma carpeta y luego reemplazo)."""
    with escritura_atomica(Path(ruta)) as temporal:
        temporal.write_bytes(construir_plantilla(plantilla, config, relleno, hojas_extra))


def construir_plantilla(
    plantilla: Plantilla,
    config: Configuracion,
    relleno: Relleno | None = None,
    hojas_extra: HojasExtra | None = None,
) -> bytes:
    """Los bytes del libro .xlsx de la plantilla para la configuración dada (y su relleno)."""
    relleno = relleno or Relleno()
    buffer = io.BytesIO()
    libro = libro_xlsx(
        buffer,
        FECHA_DOCUMENTO,
        titulo=f"{plantilla.titulo} — {config.entidad}",
        propiedades={
            "subject": f"Plantilla «{plantilla.tipo}», versión {plantilla.version}",
            "company": config.entidad,
            "comments": "Generada por «asistencia plantillas». No cambie hojas ni encabezados.",
        },
    )
    estilos = FormatosPlantilla(libro)
    datos = libro.add_worksheet(plantilla.hoja)
    formulario = (
        libro.add_worksheet(plantilla.hoja_formulario) if plantilla.hoja_formulario else None
    )
    if hojas_extra is not None:
        hojas_extra(libro, estilos)
    instrucciones = libro.add_worksheet(HOJA_INSTRUCCIONES)
    listas = _Listas(libro.add_worksheet(HOJA_LISTAS), estilos)
    marca = libro.add_worksheet(HOJA_MARCA)
    _hoja_datos(datos, plantilla, config, listas, estilos, relleno)
    if formulario is not None:
        escribir_formulario(formulario, plantilla, config, relleno.ficha, estilos)
    _hoja_instrucciones(instrucciones, plantilla, config, estilos)
    _hoja_marca(marca, plantilla)
    listas.hoja.protect("", {"select_locked_cells": True})
    listas.hoja.hide()
    datos.activate()
    for nombre, valor in _marca(plantilla):
        libro.set_custom_property(nombre, valor)
    libro.close()
    return buffer.getvalue()


def _marca(plantilla: Plantilla) -> tuple[tuple[str, str], ...]:
    return (("producto", PRODUCTO), ("tipo", plantilla.tipo), ("versión", plantilla.version))


def _hoja_marca(hoja: Worksheet, plantilla: Plantilla) -> None:
    for fila, (nombre, valor) in enumerate(_marca(plantilla)):
        hoja.write_string(fila, 0, nombre)
        hoja.write_string(fila, 1, valor)
    hoja.protect("", {"select_locked_cells": True})
    hoja.hide()


# --- Estilos -------------------------------------------------------------------------------------


ESTILOS_PLANTILLA: dict[str, dict] = {
    "fondo": {"locked": True},
    "aviso": {
        "text_wrap": True,
        "valign": "top",
        "font_size": 10,
        "border": 1,
        "bg_color": GRIS_FONDO,
    },
    # Columna que solo se imprime (Firma): encabezado gris y celdas bloqueadas.
    "impresa": {
        "bold": True,
        "bg_color": GRIS_BORDE,
        "border": 1,
        "text_wrap": True,
        "valign": "vcenter",
    },
    "impresa_celda": {"border": 1, "border_color": GRIS_ENTRADA, "locked": True},
    # La misma en la primera página, distinta de su columna para que LibreOffice la imprima.
    "impresa_escrita": {
        "border": 1,
        "border_color": GRIS_ENTRADA,
        "locked": True,
        "bg_color": BLANCO,
    },
    "tabla": {"text_wrap": True, "valign": "top", "border": 1, "border_color": GRIS_BORDE},
    "encabezado_tabla": {
        "bold": True,
        "bg_color": GRIS_FONDO,
        "border": 1,
        "text_wrap": True,
        "valign": "top",
    },
}
"""Los estilos propios de las plantillas; los comunes («titulo», «nota»…) son los de `ESTILOS`."""


class FormatosPlantilla(Formatos):
    """La caché de formatos de una plantilla: la común más las celdas que dependen del campo."""

    def __init__(self, libro: Workbook) -> None:
        super().__init__(libro, ESTILOS_PLANTILLA)

    def etiqueta(self, requerido: bool) -> Format:
        """Etiqueta de ficha o encabezado: oscuro si es obligatorio, claro si no."""
        fondo, letra = (AZUL_OSCURO, BLANCO) if requerido else (AZUL_CLARO, NEGRO)
        return self.de(
            {
                "bold": True,
                "bg_color": fondo,
                "font_color": letra,
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )

    def entrada(self, campo: Campo, escrita: bool = False) -> Format:
        """Celda que diligencia el usuario: blanca, desbloqueada, con el formato de número del campo.

        `escrita`: celda de la primera página. Lleva además un relleno blanco para que no sea igual
        al formato de su columna: LibreOffice no imprime las celdas vacías iguales a su columna, y
        la lista de asistencia impresa para firmar necesita sus filas vacías.
        """
        return self.de(
            {
                "locked": False,
                "border": 1,
                "border_color": GRIS_ENTRADA,
                "num_format": _formato_numero(campo),
                "valign": "vcenter",
            }
            | ({"bg_color": BLANCO} if escrita else {})
        )

    def columna(self, campo: Campo | None) -> Format:
        """Formato de columna: el de la celda de entrada (None: columna que solo se imprime)."""
        return self["impresa_celda"] if campo is None else self.entrada(campo)


def _es_texto(campo: Campo) -> bool:
    """Campos que deben quedar como texto: documentos, teléfonos, IDs y códigos DANE posibles."""
    return (
        campo.tipo in (Tipo.TEXTO, Tipo.DOCUMENTO, Tipo.TELEFONO, Tipo.CORREO)
        or campo.nombre.startswith("id_")
        or campo.catalogo in (Catalogo.DEPARTAMENTOS, Catalogo.MUNICIPIOS)
    )


def _formato_numero(campo: Campo) -> str:
    if campo.tipo is Tipo.FECHA:
        return FORMATO_FECHA
    if _es_texto(campo):
        return FORMATO_TEXTO
    if campo.tipo in (Tipo.ANIO, Tipo.ENTERO) and not campo.opciones:
        return "0"
    if campo.tipo is Tipo.NUMERO:
        return "#,##0.##"
    return "General"


# --- Listas desplegables -------------------------------------------------------------------------


@dataclass
class _Listas:
    """La hoja oculta `_listas`: una columna por lista, con su título en la fila 1."""

    hoja: Worksheet
    estilos: FormatosPlantilla
    rangos: dict[str, str] = field(default_factory=dict)
    siguiente: int = 0

    def columna(self, nombre: str, titulo: str, valores: list[object]) -> str:
        """Escribe la lista una sola vez y devuelve su rango absoluto («'_listas'!$A$2:$A$6»)."""
        if nombre not in self.rangos:
            indice = self.siguiente
            self.siguiente += 1
            self.hoja.write_string(0, indice, titulo, self.estilos["encabezado_tabla"])
            for fila, valor in enumerate(valores, start=1):
                if isinstance(valor, int):
                    self.hoja.write_number(fila, indice, valor)
                else:
                    self.hoja.write_string(fila, indice, str(valor))
            self.hoja.set_column(indice, indice, ancho_columna(valores, titulo, 60, minimo=12))
            rango = xl_range_abs(1, indice, max(len(valores), 1), indice)
            self.rangos[nombre] = f"'{HOJA_LISTAS}'!{rango}"
        return self.rangos[nombre]

    def tabla(self, nombre: str, titulos: tuple[str, str], pares: list[tuple[str, str]]) -> tuple:
        """Tabla clave → valor agrupada por clave: devuelve (rango de claves, primera celda de valores)."""
        claves = self.columna(f"{nombre}:clave", titulos[0], [c for c, _ in pares])
        valores = self.columna(f"{nombre}:valor", titulos[1], [v for _, v in pares])
        return claves, valores.split(":")[0]


def _filtro(primera: str, claves: str, llave: str) -> str:
    """Lista dependiente: el tramo de la tabla (agrupada por clave) cuya clave es `llave`.

    OFFSET/MATCH/COUNTIF funciona igual en Excel y en LibreOffice, a diferencia de INDIRECT con
    nombres definidos, que exigiría nombres sin tildes ni espacios.
    """
    return f"=OFFSET({primera},MATCH({llave},{claves},0)-1,0,COUNTIF({claves},{llave}),1)"


def _validacion_lista(campo: Campo, plantilla: Plantilla, config: Configuracion, listas, fila: int):
    """Opciones de la validación de lista del campo (None si no es de lista)."""
    if campo.catalogo is Catalogo.DIRECCIONES:
        valores = [d.etiqueta for d in config.direcciones]
        return _lista(listas.columna("direcciones", "Dirección", valores), "warning")
    if campo.catalogo is Catalogo.TEMAS:
        pares = [(d.codigo, t) for d in config.direcciones for t in d.temas]
        claves, primera = listas.tabla("temas", ("Código de dirección", "Tema"), pares)
        ficha = xl_rowcol_to_cell(plantilla.fila_ficha("direccion") - 1, 1, True, True)
        # La ficha trae «código - nombre» o solo el código: la llave es el código.
        llave = f'IFERROR(LEFT({ficha},FIND(" - ",{ficha})-1),{ficha})'
        return _lista(_filtro(primera, claves, llave), "warning")
    if campo.catalogo is Catalogo.DEPARTAMENTOS:
        return _lista(listas.columna("departamentos", "Departamento", _departamentos()), "warning")
    if campo.catalogo is Catalogo.MUNICIPIOS:
        claves, primera = listas.tabla("municipios", ("Departamento", "Municipio"), _municipios())
        departamento = plantilla.indice_columna("departamento")
        llave = xl_rowcol_to_cell(fila - 1, departamento, col_abs=True)
        return _lista(_filtro(primera, claves, llave), "warning")
    if campo.opciones:
        opciones: list[object] = [
            int(v) if campo.tipo is Tipo.ENTERO else v for v in campo.opciones
        ]
        nombre = "opciones:" + "|".join(campo.opciones)
        return _lista(listas.columna(nombre, campo.etiqueta, opciones), "stop")
    return None


def _lista(fuente: str, tipo_error: str) -> dict:
    mensaje = (
        "Elija un valor de la lista desplegable."
        if tipo_error == "stop"
        else "El valor no está en la lista. Pulse «Sí» solo si escribió un código válido "
        "(por ejemplo el código DIVIPOLA); si no, elija un valor de la lista."
    )
    return {
        "validate": "list",
        "source": fuente,
        "error_type": tipo_error,
        "error_title": "Valor fuera de la lista",
        "error_message": mensaje,
    }


def _departamentos() -> list[str]:
    divipola = cargar_divipola()
    return sorted(divipola.departamentos.values(), key=clave)


def _municipios() -> list[tuple[str, str]]:
    """(departamento, municipio), agrupado por departamento en el orden de la lista."""
    divipola = cargar_divipola()
    codigos = sorted(divipola.departamentos, key=lambda c: clave(divipola.departamentos[c]))
    return [
        (divipola.departamentos[c], m.nombre) for c in codigos for m in divipola.municipios_de(c)
    ]


def _validacion_valor(campo: Campo) -> dict:
    """Validación de fechas y números; «cualquier valor» para el resto (solo el mensaje)."""
    if campo.tipo is Tipo.FECHA:
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(2000, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            "error_type": "warning",
            "error_title": "Fecha no válida",
            "error_message": "Escriba una fecha dd/mm/aaaa, por ejemplo 15/03/2025.",
        }
    if campo.tipo in (Tipo.ANIO, Tipo.ENTERO, Tipo.NUMERO) and campo.minimo is not None:
        opciones = {
            "validate": "decimal" if campo.tipo is Tipo.NUMERO else "integer",
            "error_type": "stop",
            "error_title": "Número no válido",
            "error_message": f"Escriba {campo.rango}.",
        }
        if campo.maximo is None:
            return opciones | {"criteria": ">=", "value": campo.minimo}
        return opciones | {"criteria": "between", "minimum": campo.minimo, "maximum": campo.maximo}
    return {"validate": "any"}


def _mensaje_entrada(campo: Campo, plantilla: Plantilla) -> dict:
    """Mensaje de entrada de Excel: título ≤ 32 caracteres y texto ≤ 255."""
    partes = ["Obligatorio." if campo.requerido else "", campo.ayuda]
    condicion = plantilla.condicion(campo)
    if condicion and clave(condicion).rstrip(".") not in clave(campo.ayuda):
        partes.append(condicion)
    mensaje = " ".join(p for p in partes if p)
    if len(mensaje) > 255:
        mensaje = mensaje[:254] + "…"
    return {"input_title": campo.etiqueta[:32], "input_message": mensaje}


def _validar(hoja: Worksheet, fila1: int, col1: int, fila2: int, col2: int, opciones: dict) -> None:
    """Agrega la validación o falla: una validación mal declarada no debe pasar en silencio."""
    if hoja.data_validation(fila1, col1, fila2, col2, opciones) != 0:
        raise ValueError(f"Validación inválida en {hoja.name}: {opciones}")


# --- Hoja de datos -------------------------------------------------------------------------------


def _hoja_datos(
    hoja: Worksheet,
    plantilla: Plantilla,
    config: Configuracion,
    listas: _Listas,
    estilos: FormatosPlantilla,
    relleno: Relleno,
) -> None:
    anchos = anchos_columnas(plantilla)
    for i, ancho in enumerate(anchos):
        # Las filas que no se escriben toman el formato de su columna (desbloqueadas, fecha o
        # texto): así la plantilla vacía imprime una página y aun así admite todos los registros.
        campo = plantilla.columnas[i] if i < len(plantilla.columnas) else None
        hoja.set_column(i, i, ancho, estilos.columna(campo))
    if plantilla.alto_fila:
        # Filas altas para firmar también en las filas que se agreguen después de la primera página.
        hoja.set_default_row(plantilla.alto_fila)
    control = control_de(plantilla, config)
    escribir_encabezado_control(hoja, plantilla.titulo, control, config, anchos, estilos)
    _fondo(hoja, plantilla, estilos)
    hoja.write_string(
        Plantilla.FILA_INDICACION - 1,
        0,
        f"Diligencie las celdas blancas; las etiquetas en azul oscuro son obligatorias. Vea la "
        f"hoja «{HOJA_INSTRUCCIONES}». Plantilla del sistema, versión {plantilla.version}.",
        estilos["nota"],
    )
    _ficha(hoja, plantilla, config, listas, estilos, relleno)
    if plantilla.fila_aviso is not None:
        _aviso(hoja, plantilla, config, estilos)
    _encabezados(hoja, plantilla, config, listas, estilos, relleno)
    hoja.freeze_panes(plantilla.fila_encabezado, 0)
    hoja.protect("", _PROTECCION)
    imprimir_formato_controlado(hoja, plantilla.titulo, control)
    hoja.repeat_rows(plantilla.fila_encabezado - 1)


def anchos_columnas(plantilla: Plantilla) -> list[float]:
    """Ancho de cada columna de la hoja de datos, incluidas las que solo se imprimen (Firma)."""
    etiquetas = max(len(c.etiqueta) for c in plantilla.ficha) + 3
    # La columna A lleva también las etiquetas de la ficha.
    anchos: list[float] = [max(plantilla.columnas[0].ancho, etiquetas)]
    anchos += [c.ancho for c in plantilla.columnas[1:]]
    return anchos + [ANCHO_IMPRESA] * len(plantilla.columnas_impresas)


def _fondo(hoja: Worksheet, plantilla: Plantilla, estilos: FormatosPlantilla) -> None:
    """Celdas de encima de la tabla: bloqueadas y sin bordes (no heredan el formato de columna)."""
    for fila in range(Plantilla.FILAS_CONTROL, plantilla.fila_encabezado - 1):
        hoja.set_row(fila, ALTO_LINEA)
        for j in range(plantilla.total_columnas):
            hoja.write_blank(fila, j, None, estilos["fondo"])


def _aviso(
    hoja: Worksheet, plantilla: Plantilla, config: Configuracion, estilos: FormatosPlantilla
) -> None:
    """El texto que se imprime sobre la tabla (la autorización de la Ley 1581 en la lista)."""
    if plantilla.fila_aviso is None:
        return
    fila = plantilla.fila_aviso - 1
    texto = plantilla.aviso.format(entidad=config.entidad)
    # Letra de 10 puntos: una línea más de margen en lugar de un ancho de letra aparte.
    lineas = lineas_texto(texto, sum(anchos_columnas(plantilla))) + 1
    hoja.set_row(fila, ALTO_LINEA * lineas)
    hoja.merge_range(fila, 0, fila, plantilla.total_columnas - 1, texto, estilos["aviso"])


def _ultima_columna_ficha(plantilla: Plantilla) -> int:
    """Última columna que ocupa la celda de valor de la ficha (combinada desde B)."""
    acumulado, indice = 0, 1
    for indice in range(1, len(plantilla.columnas)):
        acumulado += plantilla.columnas[indice].ancho
        if acumulado >= ANCHO_VALOR_FICHA:
            break
    return indice


def _ficha(
    hoja: Worksheet,
    plantilla: Plantilla,
    config: Configuracion,
    listas: _Listas,
    estilos: FormatosPlantilla,
    relleno: Relleno,
) -> None:
    ultima = _ultima_columna_ficha(plantilla)
    for campo in plantilla.ficha:
        fila = plantilla.fila_ficha(campo.nombre) - 1
        hoja.write_string(fila, 0, campo.etiqueta, estilos.etiqueta(campo.requerido))
        valor = relleno.ficha.get(campo.nombre, config.entidad if campo.nombre == "entidad" else "")
        if ultima > 1:
            hoja.merge_range(fila, 1, fila, ultima, "", estilos.entrada(campo))
        escribir_valor(hoja, fila, 1, valor, estilos.entrada(campo))
        opciones = _validacion_lista(campo, plantilla, config, listas, fila + 1)
        opciones = (opciones or _validacion_valor(campo)) | _mensaje_entrada(campo, plantilla)
        _validar(hoja, fila, 1, fila, 1, opciones)


def _encabezados(
    hoja: Worksheet,
    plantilla: Plantilla,
    config: Configuracion,
    listas: _Listas,
    estilos: FormatosPlantilla,
    relleno: Relleno,
) -> None:
    fila = plantilla.fila_encabezado - 1
    primera = plantilla.primera_fila_datos - 1
    ultima = primera + max(plantilla.filas, len(relleno.registros)) - 1
    # Solo las filas de la primera página (o las que trae el relleno) llevan celdas con bordes:
    # Excel y LibreOffice imprimen hasta la última celda con formato o con datos.
    escritas = max(plantilla.filas_pagina, len(relleno.registros))
    hoja.set_row(fila, ALTO_ENCABEZADO)
    for i in range(primera, primera + escritas):
        hoja.set_row(i, plantilla.alto_fila)
    for j, campo in enumerate(plantilla.columnas):
        hoja.write_string(fila, j, campo.etiqueta, estilos.etiqueta(campo.requerido))
        mensaje = _mensaje_entrada(campo, plantilla)
        _validar(hoja, fila, j, fila, j, {"validate": "any"} | mensaje)
        formato = estilos.entrada(campo, escrita=True)
        for i in range(escritas):
            valor = relleno.registros[i].get(campo.nombre) if i < len(relleno.registros) else None
            escribir_valor(hoja, primera + i, j, valor, formato)
        opciones = _validacion_lista(campo, plantilla, config, listas, primera + 1)
        opciones = (opciones or _validacion_valor(campo)) | mensaje
        _validar(hoja, primera, j, ultima, j, opciones)
    for k, etiqueta in enumerate(plantilla.columnas_impresas):
        j = len(plantilla.columnas) + k
        hoja.write_string(fila, j, etiqueta, estilos["impresa"])
        for i in range(primera, primera + escritas):
            hoja.write_blank(i, j, None, estilos["impresa_escrita"])
    hoja.autofilter(fila, 0, ultima, len(plantilla.columnas) - 1)


# --- Hoja Instrucciones --------------------------------------------------------------------------


def _obligatorio(campo: Campo, plantilla: Plantilla) -> str:
    if campo.requerido:
        return "Sí"
    return plantilla.condicion(campo) or "No"


def _tipo_texto(campo: Campo) -> str:
    return "Lista desplegable" if campo.es_catalogo else _NOMBRES_TIPO[campo.tipo]


def _valores_permitidos(campo: Campo, config: Configuracion) -> str:
    """Qué admite el campo, dicho para el usuario."""
    if campo.catalogo is Catalogo.DIRECCIONES:
        return "; ".join(d.etiqueta for d in config.direcciones) + "."
    if campo.catalogo is Catalogo.TEMAS:
        temas = " ".join(f"{d.codigo}: {'; '.join(d.temas)}." for d in config.direcciones)
        return f"Los temas de la dirección de la ficha. {temas}"
    if campo.catalogo is Catalogo.DEPARTAMENTOS:
        n = len(cargar_divipola().departamentos)
        return f"Los {n} departamentos de DIVIPOLA (nombre o código de dos dígitos)."
    if campo.catalogo is Catalogo.MUNICIPIOS:
        return (
            "Los municipios del departamento de la misma fila (nombre, o código DIVIPOLA de "
            "cinco dígitos)."
        )
    if campo.opciones:
        return ", ".join(campo.opciones) + "."
    otros = {
        Tipo.FECHA: "Una fecha dd/mm/aaaa.",
        Tipo.DOCUMENTO: "De 3 a 15 dígitos; el pasaporte admite letras.",
        Tipo.TELEFONO: "De 7 a 10 dígitos; se admiten espacios, guiones y +57.",
        Tipo.CORREO: "Un correo como nombre@entidad.gov.co.",
    }
    if campo.minimo is not None:
        return campo.rango.capitalize() + "."
    return otros.get(campo.tipo, "Texto libre.")


def _hoja_instrucciones(
    hoja: Worksheet, plantilla: Plantilla, config: Configuracion, estilos: FormatosPlantilla
) -> None:
    for j, ancho in enumerate(_ANCHOS_INSTRUCCIONES):
        hoja.set_column(j, j, ancho)
    hoja.write_string(0, 0, f"Instrucciones — {plantilla.titulo}", estilos["titulo"])
    hoja.write_string(1, 0, f"{plantilla.descripcion} Versión {plantilla.version}.")
    fila = _parrafos(
        hoja,
        3,
        "Cómo diligenciar la ficha",
        (
            f"La ficha está en las primeras filas de la hoja «{plantilla.hoja}»: escriba cada dato "
            "en la celda blanca a la derecha de su etiqueta. Los campos marcados con * son "
            "obligatorios.",
        ),
        estilos,
    )
    fila = _tabla_campos(hoja, fila + 1, plantilla, plantilla.ficha, config, estilos)
    fila = _parrafos(
        hoja,
        fila + 1,
        f"Columnas de la hoja «{plantilla.hoja}»",
        (
            f"Una fila por registro, desde la fila {plantilla.primera_fila_datos}; hay espacio para "
            f"{plantilla.filas} registros. Los encabezados en azul oscuro (y con * en esta tabla) "
            "son obligatorios. Al seleccionar un encabezado o una celda aparece su ayuda.",
        ),
        estilos,
    )
    fila = _tabla_campos(hoja, fila + 1, plantilla, plantilla.columnas, config, estilos)
    fila = _parrafos(
        hoja, fila + 1, "Indicaciones de esta plantilla", plantilla.instrucciones, estilos
    )
    _parrafos(hoja, fila + 1, "Reglas generales", REGLAS_GENERALES, estilos)
    hoja.protect("", {"select_locked_cells": True, "format_columns": True, "format_rows": True})
    titulo = f"{HOJA_INSTRUCCIONES} — {plantilla.titulo}"
    imprimir_formato_controlado(hoja, titulo, control_de(plantilla, config))


def _parrafos(
    hoja: Worksheet, fila: int, titulo: str, textos: tuple[str, ...], estilos: FormatosPlantilla
) -> int:
    """Escribe un título de sección y sus párrafos; devuelve la siguiente fila libre."""
    hoja.write_string(fila, 0, titulo, estilos["subtitulo"])
    for texto in textos:
        fila += 1
        hoja.write_string(fila, 0, f"• {texto}")
    return fila + 1


def _tabla_campos(
    hoja: Worksheet,
    fila: int,
    plantilla: Plantilla,
    campos: tuple[Campo, ...],
    config: Configuracion,
    estilos: FormatosPlantilla,
) -> int:
    """Una fila por campo: etiqueta, obligatorio, tipo, ayuda y valores; devuelve la fila libre."""
    titulos = ("Campo", "Obligatorio", "Tipo de dato", "Cómo diligenciarlo", "Valores permitidos")
    for j, titulo in enumerate(titulos):
        hoja.write_string(fila, j, titulo, estilos["encabezado_tabla"])
    for campo in campos:
        fila += 1
        valores = (
            campo.etiqueta + (" *" if campo.requerido else ""),
            _obligatorio(campo, plantilla),
            _tipo_texto(campo),
            campo.ayuda,
            _valores_permitidos(campo, config),
        )
        for j, valor in enumerate(valores):
            hoja.write_string(fila, j, valor, estilos["tabla"])
        hoja.set_row(fila, alto_fila(valores, _ANCHOS_INSTRUCCIONES))
    return fila + 1
