"""El modelo de una plantilla: la única fuente de verdad de etiquetas, ayudas, catálogos y reglas.

Cada módulo de `esquemas/` declara una `Plantilla` con sus campos de ficha y sus columnas; cada
columna lleva sus reglas de §4 (`requerido_si=Si("estado", "Realizada")`, `en_vigencia=True`,
`comparaciones=…`). De esa declaración salen la plantilla de Excel con sus mensajes de entrada y su
hoja Instrucciones (`pipeline.plantillas`), el lector (`pipeline.lectura`) y el esquema de pandera que
valida los datos (`pipeline.validacion.esquema`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Tipo(StrEnum):
    """Tipos de valor de un campo."""

    TEXTO = "texto"
    FECHA = "fecha"
    ENTERO = "entero"
    NUMERO = "numero"
    ANIO = "año"
    CATALOGO = "catálogo"
    DOCUMENTO = "documento"
    CORREO = "correo"
    TELEFONO = "teléfono"


class Catalogo(StrEnum):
    """Catálogos que dependen de la configuración de la entidad o de DIVIPOLA."""

    DIRECCIONES = "direcciones"
    TEMAS = "temas"
    DEPARTAMENTOS = "departamentos"
    MUNICIPIOS = "municipios"


@dataclass(frozen=True, init=False)
class Si:
    """Condición sobre otro campo de la misma fila: `control` tiene uno de `valores`."""

    control: str  # nombre del campo de control
    valores: tuple[str, ...]

    def __init__(self, control: str, *valores: str) -> None:
        object.__setattr__(self, "control", control)
        object.__setattr__(self, "valores", valores)


CORTE = "_fecha_corte"  # en una Comparacion: la Fecha de corte de la ficha


@dataclass(frozen=True)
class Comparacion:
    """Fecha que debe ser `comparador` («≥» o «≤») que la fecha `otro`; si no, el código `codigo`."""

    codigo: str
    comparador: str
    otro: str  # nombre de otro campo de fecha de la fila, o CORTE


@dataclass(frozen=True)
class Campo:
    """Un campo de la ficha o una columna de datos de una plantilla."""

    nombre: str  # identificador en el código (sin tildes)
    etiqueta: str  # texto exacto que ve el usuario en la plantilla
    tipo: Tipo
    ayuda: str  # mensaje de entrada y texto de la hoja Instrucciones
    requerido: bool = False
    requerido_si: Si | None = None  # obligatorio cuando se cumple la condición (§4)
    solo_si: bool = False  # y solo entonces: con otro valor del control es NO_CORRESPONDE
    en_vigencia: bool = False  # fecha que debe caer en la vigencia de la ficha
    comparaciones: tuple[Comparacion, ...] = ()  # frente a otra fecha de la fila o la de corte
    opciones: tuple[str, ...] = ()  # catálogo fijo
    catalogo: Catalogo | None = None  # catálogo dinámico
    minimo: float | None = None
    maximo: float | None = None
    personal: bool = False  # dato personal: se enmascara en mensajes y no sale en informes
    ancho: int = 18  # ancho de la columna en la plantilla

    @property
    def es_catalogo(self) -> bool:
        """Verdadero si el campo se llena desde una lista desplegable."""
        return bool(self.opciones) or self.catalogo is not None

    @property
    def rango(self) -> str:
        """El rango permitido en palabras: «un número entero entre 1 y 10»."""
        clase = "un número" if self.tipo is Tipo.NUMERO else "un número entero"
        if self.minimo is not None and self.maximo is not None:
            return f"{clase} entre {self.minimo:g} y {self.maximo:g}"
        if self.minimo is not None:
            return f"{clase} mayor o igual a {self.minimo:g}"
        return f"{clase} menor o igual a {self.maximo:g}"


@dataclass(frozen=True)
class Plantilla:
    """Una plantilla de Excel: ficha arriba, una fila de encabezados y los registros debajo."""

    tipo: str  # plan, cronograma, asistencia, evaluacion, compromisos
    titulo: str
    hoja: str
    archivo: str
    version: str
    descripcion: str
    ficha: tuple[Campo, ...]
    columnas: tuple[Campo, ...]
    filas: int = 500
    instrucciones: tuple[str, ...] = field(default=())
    # Impresión (§4.7): filas de la primera página de la plantilla vacía, columnas que solo se
    # imprimen (el lector las ignora), texto impreso sobre la tabla ({entidad} se reemplaza) y la
    # hoja de formulario imprimible de una persona ("" si la plantilla no la lleva).
    filas_pagina: int = 15
    alto_fila: float | None = None  # puntos; None: el alto normal
    columnas_impresas: tuple[str, ...] = ()
    aviso: str = ""
    hoja_formulario: str = ""

    # Disposición de la hoja de datos (filas de Excel, base 1). La usan la plantilla, la muestra
    # y las pruebas; el lector no depende de ella: busca etiquetas y encabezados por contenido.
    # Filas 1 a 3: encabezado de control del formato (logo, entidad, título, Código, Versión,
    # Fecha); fila 4: cómo diligenciar; fila 6 en adelante: la ficha.
    FILA_TITULO = 1
    FILAS_CONTROL = 3
    FILA_INDICACION = 4
    FILA_FICHA = 6

    def __reduce_ex__(self, protocolo):
        # Los procesos de lectura devuelven miles de libros con su plantilla: una de las del índice
        # viaja como su tipo y el proceso que la recibe toma la suya, sin copiar sus campos.
        from esquemas.indice import PLANTILLAS

        if PLANTILLAS.get(self.tipo) is self:
            return (_del_indice, (self.tipo,))
        return super().__reduce_ex__(protocolo)

    @property
    def fila_aviso(self) -> int | None:
        """Fila de Excel del texto impreso sobre la tabla (None si la plantilla no lo lleva)."""
        return self.FILA_FICHA + len(self.ficha) + 1 if self.aviso else None

    @property
    def fila_encabezado(self) -> int:
        """Fila de Excel donde están los encabezados de las columnas."""
        return self.FILA_FICHA + len(self.ficha) + 1 + (1 if self.aviso else 0)

    @property
    def total_columnas(self) -> int:
        """Columnas de la tabla impresa: las de datos más las que solo se imprimen (Firma)."""
        return len(self.columnas) + len(self.columnas_impresas)

    @property
    def primera_fila_datos(self) -> int:
        """Primera fila de Excel para registros."""
        return self.fila_encabezado + 1

    def fila_ficha(self, nombre: str) -> int:
        """Fila de Excel del campo de ficha `nombre` (etiqueta en A, valor en B)."""
        for i, campo in enumerate(self.ficha):
            if campo.nombre == nombre:
                return self.FILA_FICHA + i
        raise KeyError(nombre)

    def columna(self, nombre: str) -> Campo:
        """La columna de datos de nombre `nombre`."""
        for campo in self.columnas:
            if campo.nombre == nombre:
                return campo
        raise KeyError(nombre)

    def indice_columna(self, nombre: str) -> int:
        """Índice (base 0) de la columna de datos `nombre` en la hoja."""
        return [c.nombre for c in self.columnas].index(nombre)

    def campo(self, nombre: str) -> Campo:
        """El campo de ficha o columna de nombre `nombre`."""
        for c in self.ficha + self.columnas:
            if c.nombre == nombre:
                return c
        raise KeyError(nombre)

    def condicion(self, campo: Campo) -> str:
        """El requisito condicional del campo en palabras («Obligatoria si el Estado es …»)."""
        si = campo.requerido_si
        if si is None:
            return ""
        # Concuerda con la primera palabra de la etiqueta: «Fecha…», «Nueva fecha» / «Motivo».
        obligatorio = "Obligatoria" if campo.etiqueta.split()[0].endswith("a") else "Obligatorio"
        y_solo = " y solo si" if campo.solo_si else ""
        valores = " o ".join(si.valores)
        return f"{obligatorio} si{y_solo} el {self.campo(si.control).etiqueta} es {valores}."


# Campos de ficha comunes a todas las plantillas (§4).
FICHA_COMUN = (
    Campo(
        "entidad",
        "Entidad",
        Tipo.TEXTO,
        "Nombre de la entidad que presta la asistencia técnica. Opcional.",
        ancho=40,
    ),
    Campo(
        "direccion",
        "Dirección",
        Tipo.CATALOGO,
        "Elija su dirección técnica en la lista. También se acepta el código o el nombre.",
        requerido=True,
        catalogo=Catalogo.DIRECCIONES,
    ),
    Campo(
        "vigencia",
        "Vigencia",
        Tipo.ANIO,
        "Año de la vigencia que reporta, con cuatro dígitos (por ejemplo 2025).",
        requerido=True,
        minimo=2000,
        maximo=2100,
    ),
    Campo(
        "responsable",
        "Responsable del diligenciamiento",
        Tipo.TEXTO,
        "Nombre de la persona que diligencia este archivo.",
        requerido=True,
    ),
)

# Ficha de los libros de una sesión (lista de asistencia y evaluación).
FICHA_SESION = (
    Campo(
        "id_actividad",
        "ID actividad",
        Tipo.TEXTO,
        "El ID actividad de la sesión, tal como está en el cronograma.",
        requerido=True,
    ),
    Campo(
        "fecha_actividad",
        "Fecha de la actividad",
        Tipo.FECHA,
        "Fecha en que se realizó la sesión, dd/mm/aaaa.",
        requerido=True,
    ),
)


def campo_fecha_corte(ayuda: str) -> Campo:
    """Campo de ficha Fecha de corte (cronograma y compromisos), obligatorio."""
    return Campo("fecha_corte", "Fecha de corte", Tipo.FECHA, ayuda, requerido=True)


# Catálogos fijos compartidos.
MODALIDADES = ("Presencial", "Virtual", "Telefónica", "Mixta")
SI_NO = ("Sí", "No")


def campo_departamento(requerido: bool = False, requerido_si: Si | None = None) -> Campo:
    """Columna Departamento (DIVIPOLA: nombre o código de dos dígitos)."""
    return Campo(
        "departamento",
        "Departamento",
        Tipo.CATALOGO,
        "Elija el departamento en la lista (o escriba su código DIVIPOLA de dos dígitos).",
        requerido=requerido,
        requerido_si=requerido_si,
        catalogo=Catalogo.DEPARTAMENTOS,
        ancho=22,
    )


def campo_municipio(ayuda_extra: str = "") -> Campo:
    """Columna Municipio (DIVIPOLA: nombre dentro del departamento o código de cinco dígitos)."""
    return Campo(
        "municipio",
        "Municipio",
        Tipo.CATALOGO,
        "Elija primero el departamento; la lista muestra sus municipios. También se acepta el "
        "código DIVIPOLA de cinco dígitos." + ayuda_extra,
        catalogo=Catalogo.MUNICIPIOS,
        ancho=22,
    )


def campo_modalidad() -> Campo:
    """Columna Modalidad."""
    return Campo(
        "modalidad",
        "Modalidad",
        Tipo.CATALOGO,
        "Presencial, Virtual, Telefónica o Mixta.",
        requerido=True,
        opciones=MODALIDADES,
        ancho=14,
    )


def campo_observaciones() -> Campo:
    """Columna Observaciones (texto libre, opcional)."""
    return Campo(
        "observaciones",
        "Observaciones",
        Tipo.TEXTO,
        "Texto libre, opcional.",
        ancho=40,
    )


def _del_indice(tipo: str) -> Plantilla:
    """La plantilla `tipo` del índice (la que se envió por referencia entre procesos)."""
    from esquemas.indice import PLANTILLAS

    return PLANTILLAS[tipo]
