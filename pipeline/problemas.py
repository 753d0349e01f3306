"""Los problemas de validación como datos, y el catálogo de códigos con sus mensajes en español.

Cada mensaje dice qué está mal y cómo corregirlo. Los valores personales se enmascaran en el
mensaje general; la copia anotada que vuelve a la dirección dueña del archivo usa `mensaje_propio`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pipeline.normalizacion import enmascarar, texto


class Severidad(StrEnum):
    """`error` excluye datos; `advertencia` no."""

    ERROR = "error"
    ADVERTENCIA = "advertencia"


E, A = Severidad.ERROR, Severidad.ADVERTENCIA


@dataclass(frozen=True)
class Definicion:
    """Un código del catálogo: severidad y plantilla del mensaje."""

    codigo: str
    severidad: Severidad
    plantilla: str
    titulo: str


def _d(codigo: str, severidad: Severidad, titulo: str, plantilla: str) -> Definicion:
    return Definicion(codigo, severidad, plantilla, titulo)


# Campos disponibles en las plantillas: {campo} (etiqueta), {valor} (entre comillas, enmascarado si es
# personal) y los que pase quien crea el problema.
_DEFINICIONES = [
    # Archivos
    _d(
        "ARCHIVO_ILEGIBLE",
        E,
        "Archivo ilegible",
        "No se pudo leer el archivo: {motivo}. Ábralo en Excel o LibreOffice, guárdelo como libro de "
        "Excel (.xlsx) y vuelva a enviarlo.",
    ),
    _d(
        "ARCHIVO_CIFRADO",
        E,
        "Archivo protegido con contraseña",
        "El archivo está cifrado con contraseña y no se puede leer. Quite la contraseña de apertura "
        "(Archivo > Información > Proteger libro) y vuelva a enviarlo.",
    ),
    _d(
        "FORMATO_NO_ADMITIDO",
        E,
        "Formato no admitido",
        "El formato «{extension}» no se procesa. Ábralo y guárdelo como libro de Excel (.xlsx) a "
        "partir de la plantilla vigente.",
    ),
    _d(
        "ARCHIVO_DEMASIADO_GRANDE",
        E,
        "Archivo demasiado grande",
        "El archivo {motivo} y se rechazó por seguridad. Verifique que sea la plantilla correcta y "
        "que no tenga hojas o imágenes adicionales.",
    ),
    _d(
        "XML_PELIGROSO",
        E,
        "Contenido no permitido",
        "El archivo contiene construcciones XML no permitidas ({motivo}) y se rechazó por "
        "seguridad. Copie los datos en una plantilla nueva y vuelva a enviarlo.",
    ),
    _d(
        "LIBRO_NO_RECONOCIDO",
        E,
        "Libro no reconocido",
        "El libro no corresponde a ninguna plantilla: no tiene la hoja y los encabezados de "
        "{plantillas}. Diligencie los datos en la plantilla que corresponde.",
    ),
    _d(
        "SIN_MARCA_PLANTILLA",
        A,
        "Libro sin marca de plantilla",
        "El libro no se hizo a partir de la plantilla oficial, pero tiene la hoja «{hoja_esperada}» y "
        "sus encabezados, así que se procesó. Use la plantilla oficial la próxima vez.",
    ),
    _d(
        "VERSION_DESCONOCIDA",
        A,
        "Versión de plantilla desconocida",
        "La plantilla es de la versión «{version}», pero la vigente es la {vigente}. Se procesó con "
        "la versión vigente; descargue la plantilla actual para el próximo reporte.",
    ),
    _d(
        "COLUMNA_FALTANTE",
        E,
        "Falta una columna obligatoria",
        "Falta la columna obligatoria «{campo}» en la fila de encabezados. No borre ni cambie el "
        "nombre de las columnas de la plantilla.",
    ),
    _d(
        "COLUMNA_OPCIONAL_FALTANTE",
        A,
        "Falta una columna opcional",
        "Falta la columna «{campo}» en la fila de encabezados; se tomó como vacía. No borre las "
        "columnas de la plantilla.",
    ),
    _d(
        "COLUMNA_DESCONOCIDA",
        A,
        "Columna no reconocida",
        "La columna «{valor}» no es de la plantilla y se ignoró.{sugerencia}",
    ),
    _d(
        "SIN_REGISTROS",
        A,
        "Archivo sin registros",
        "El archivo no tiene registros debajo de los encabezados. Si es un error, diligéncielo y "
        "vuelva a enviarlo.",
    ),
    _d(
        "FICHA_FALTANTE",
        E,
        "Falta un campo de la ficha",
        "No se encontró la etiqueta «{campo}» en la ficha de la hoja. No borre ni mueva las "
        "etiquetas de la plantilla; escriba el valor en la celda de su derecha.",
    ),
    _d(
        "DIRECCION_DESCONOCIDA",
        E,
        "Dirección desconocida",
        "La dirección {valor} no está configurada en la entidad. Elija su dirección en la lista "
        "desplegable ({opciones}).",
    ),
    _d(
        "CARPETA_DESCONOCIDA",
        E,
        "Carpeta fuera de la estructura",
        "El archivo está en «{ruta}», que no sigue la estructura entradas/<vigencia>/<código de "
        "dirección>/. Muévalo a la carpeta de su dirección ({opciones}).",
    ),
    _d(
        "ARCHIVO_DUPLICADO_EN_OTRA_VIGENCIA",
        A,
        "Ficha de otra vigencia",
        "La ficha dice vigencia {valor}, distinta de la carpeta {vigencia}.",
    ),
    # Campos
    _d(
        "REQUERIDO",
        E,
        "Dato obligatorio vacío",
        "«{campo}» es obligatorio y está vacío. Escriba el dato en esta celda.",
    ),
    _d("REQUERIDO_CONDICIONAL", E, "Dato obligatorio vacío", "«{campo}» está vacío. {condicion}"),
    _d(
        "NO_CORRESPONDE",
        E,
        "Dato que no corresponde",
        "«{campo}» tiene el valor {valor}, pero {condicion} Borre el dato o corrija el Estado.",
    ),
    _d(
        "FECHA_INVALIDA",
        E,
        "Fecha no válida",
        "{valor} no es una fecha válida para «{campo}». Escríbala como dd/mm/aaaa, por ejemplo "
        "15/03/{ejemplo_anio}.",
    ),
    _d(
        "FECHA_FUERA_DE_VIGENCIA",
        E,
        "Fecha fuera de la vigencia",
        "«{campo}» es {valor}, fuera de la vigencia {vigencia}. Use una fecha entre el 01/01/{vigencia} "
        "y el 31/12/{vigencia}.",
    ),
    _d(
        "FECHA_FIN_ANTERIOR",
        E,
        "Fecha de fin anterior al inicio",
        "La Fecha de fin {valor} es anterior a la Fecha de inicio {otra}. Corrija una de las dos.",
    ),
    _d(
        "FECHA_POSTERIOR_AL_CORTE",
        E,
        "Fecha posterior al corte",
        "«{campo}» es {valor}, posterior a la Fecha de corte {corte}. Corrija la fecha o actualice la "
        "Fecha de corte de la ficha.",
    ),
    _d(
        "FECHA_ENTREGA_ANTERIOR",
        E,
        "Informe antes de la sesión",
        "La Fecha de entrega del informe {valor} es anterior a la Fecha de realización {otra}. "
        "Corrija una de las dos.",
    ),
    _d(
        "ENTERO_INVALIDO",
        E,
        "Número entero no válido",
        "{valor} no es un número entero para «{campo}». Escriba solo dígitos, sin decimales.",
    ),
    _d(
        "NUMERO_INVALIDO",
        E,
        "Número no válido",
        "{valor} no es un número para «{campo}». Escriba solo dígitos (sin puntos de miles ni $).",
    ),
    _d(
        "FUERA_DE_RANGO", E, "Número fuera de rango", "«{campo}» es {valor}, pero debe ser {rango}."
    ),
    _d(
        "ANIO_INVALIDO",
        E,
        "Año no válido",
        "{valor} no es un año válido para «{campo}». Escriba el año con cuatro dígitos, por ejemplo "
        "{ejemplo_anio}.",
    ),
    _d(
        "FUERA_DE_CATALOGO",
        E,
        "Valor fuera de la lista",
        "{valor} no es una opción de «{campo}».{sugerencia} Elija un valor de la lista desplegable: "
        "{opciones}.",
    ),
    _d(
        "TEMA_DE_OTRA_DIRECCION",
        E,
        "Tema de otra dirección",
        "El tema {valor} no es de la dirección {direccion}. Elija uno de sus temas: {opciones}.",
    ),
    _d(
        "DOCUMENTO_INVALIDO",
        E,
        "Número de documento no válido",
        "El número de documento {valor} no es válido: {motivo}. Escriba entre 3 y 15 dígitos (el "
        "pasaporte admite letras); puntos, espacios y guiones se ignoran.",
    ),
    _d(
        "CORREO_INVALIDO",
        E,
        "Correo no válido",
        "El correo {valor} no está bien escrito. Debe tener la forma usuario@dominio.gov.co, sin "
        "espacios.",
    ),
    _d(
        "TELEFONO_INVALIDO",
        E,
        "Teléfono no válido",
        "El teléfono {valor} no es válido: debe tener de 7 a 10 dígitos (se admiten espacios, "
        "guiones y el prefijo +57).",
    ),
    _d(
        "DEPENDE_DE_EXCLUIDA",
        E,
        "Depende de un dato excluido",
        "Se excluyó porque depende de un dato con errores: {dependencia}. Corrija primero ese "
        "error y vuelva a validar.",
    ),
    # Reglas entre archivos (especificación §5)
    _d(
        "X1",
        E,
        "ID asistencia repetido",
        "El ID asistencia {valor} está repetido en la vigencia (también en {otros}). Cada asistencia "
        "debe tener un ID único en toda la entidad. Si uno de esos archivos es una versión anterior "
        "del mismo plan, deje en la carpeta solo la versión vigente (o escriba en cada una su Fecha "
        "de aprobación: se usa la más reciente).",
    ),
    _d(
        "X2",
        E,
        "ID actividad repetido",
        "El ID actividad {valor} está repetido en la vigencia (también en {otros}). Cada sesión "
        "debe tener un ID único en toda la entidad. Si uno de esos archivos es una versión anterior "
        "del mismo cronograma, deje en la carpeta solo la versión vigente (o corrija su Fecha de "
        "corte: se usa la más reciente).",
    ),
    _d(
        "X3",
        E,
        "Asistencia que no está en el plan",
        "El ID asistencia {valor} no está en el plan de la dirección {direccion} para la vigencia "
        "{vigencia}. Corrija el ID o agregue la asistencia al plan.",
    ),
    _d(
        "X4",
        E,
        "Actividad que no está en el cronograma",
        "El ID actividad {valor} no está en el cronograma de la dirección {direccion}. Corrija el ID "
        "o agregue la sesión al cronograma.",
    ),
    _d(
        "X5",
        E,
        "Actividad no realizada",
        "La actividad {valor} tiene estado «{estado}» en el cronograma, no Realizada. Actualice el "
        "cronograma o revise el ID actividad de este archivo.",
    ),
    _d(
        "X6",
        A,
        "Fecha distinta a la del cronograma",
        "La Fecha de la actividad {valor} no coincide con la Fecha de realización del cronograma "
        "({otra}). Corrija la que esté mal.",
    ),
    _d(
        "X7",
        E,
        "Más evaluaciones que asistentes",
        "La actividad {valor} tiene {evaluaciones} evaluaciones y solo {asistentes} asistentes. "
        "Revise que las evaluaciones sean de esta sesión o complete la lista de asistencia.",
    ),
    _d(
        "X8",
        A,
        "Documento repetido en la sesión",
        "El documento {valor} aparece más de una vez en la actividad {actividad} (también en "
        "{otros}); se cuenta una sola vez. Borre la fila repetida.",
    ),
    _d(
        "X9",
        A,
        "Sesión realizada sin lista de asistencia",
        "La actividad {valor} está Realizada pero no se recibió su lista de asistencia. Envíe la "
        "lista en la plantilla.",
    ),
    _d(
        "X10",
        A,
        "Pocas evaluaciones",
        "La actividad {valor} tiene {evaluaciones} evaluaciones de {asistentes} asistentes; el "
        "mínimo es {minimo} ({porcentaje} %). Envíe las evaluaciones que falten.",
    ),
    _d(
        "X11",
        A,
        "Informe fuera de plazo",
        "El informe de la actividad {valor} {situacion}; el plazo es de {dias} días hábiles después "
        "de la sesión. {accion}",
    ),
    _d(
        "X12",
        A,
        "Archivo duplicado",
        "El archivo es idéntico, byte a byte, a «{otro}»; se procesó una sola vez. Borre la copia.",
    ),
    _d(
        "X13",
        E,
        "Ficha distinta de la carpeta",
        "La ficha dice {campo} {valor}, pero el archivo está en la carpeta de {esperado}. Corrija la "
        "ficha o mueva el archivo a la carpeta correcta.",
    ),
    _d(
        "X14",
        E,
        "Municipio no válido",
        "El municipio {valor} {motivo}. Elija primero el departamento y luego el municipio en la "
        "lista, o escriba su código DIVIPOLA de cinco dígitos.",
    ),
    _d(
        "X15",
        A,
        "Estado sin actualizar",
        "La actividad {valor} sigue {estado} aunque su {fecha_vigente} ya pasó según la Fecha de "
        "corte del cronograma ({corte}). Actualice el Estado: Realizada con la Fecha de realización "
        "si ya se hizo; Reprogramada con la Nueva fecha y el Motivo si cambió de fecha; Cancelada "
        "con el Motivo si no se hará.",
    ),
    _d(
        "X16",
        A,
        "Versión anterior reemplazada",
        "Este archivo es una versión anterior de «{nuevo}», que tiene una {etiqueta} más reciente "
        "({fecha_nueva}); no se usó y nada se excluye por él. {retirados} Puede retirarlo de la "
        "carpeta de entradas.",
    ),
]

CATALOGO: dict[str, Definicion] = {d.codigo: d for d in _DEFINICIONES}


@dataclass(frozen=True)
class Problema:
    """Un problema encontrado: dónde está, qué tan grave es y cómo corregirlo (§5)."""

    archivo: str  # ruta relativa a la carpeta de entradas
    hoja: str
    celda: str
    campo: str
    valor: str  # enmascarado si es un dato personal
    severidad: Severidad
    codigo: str
    mensaje: str  # enmascarado
    direccion: str = ""  # código de la dirección dueña del archivo (para las devoluciones)
    fila: int | None = None  # fila de Excel, si el problema es de una fila de datos
    mensaje_propio: str = field(default="", repr=False)  # sin máscara: solo para la devolución

    @property
    def es_error(self) -> bool:
        """Verdadero si el problema excluye datos."""
        return self.severidad is Severidad.ERROR


def _comillas(valor: object) -> str:
    s = texto(valor)
    return f"«{s}»" if s is not None else "(vacío)"


def problema(
    codigo: str,
    *,
    archivo: str,
    hoja: str = "",
    celda: str = "",
    campo: str = "",
    valor: object = None,
    personal: bool = False,
    direccion: str = "",
    fila: int | None = None,
    **datos: object,
) -> Problema:
    """Crea un problema del catálogo; `personal` enmascara el valor en el mensaje general."""
    definicion = CATALOGO[codigo]
    crudo = texto(valor) or ""
    visible = enmascarar(crudo) if personal and crudo else crudo
    # {direccion} en una plantilla (X3, X4, temas) es la dirección dueña del archivo.
    contexto = {"sugerencia": "", "opciones": "", "campo": campo, "direccion": direccion, **datos}
    mensaje = definicion.plantilla.format(**{**contexto, "valor": _comillas(visible or None)})
    propio = definicion.plantilla.format(**{**contexto, "valor": _comillas(crudo or None)})
    return Problema(
        archivo=archivo,
        hoja=hoja,
        celda=celda,
        campo=campo,
        valor=visible,
        severidad=definicion.severidad,
        codigo=codigo,
        mensaje=mensaje,
        direccion=direccion,
        fila=fila,
        mensaje_propio=propio,
    )


_CELDA = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def posicion_celda(celda: str) -> tuple[int, int]:
    """(fila, columna) base 1 de una referencia A1; (0, 0) si no hay celda."""
    coincide = _CELDA.match(celda or "")
    if not coincide:
        return 0, 0
    columna = 0
    for letra in coincide.group(1).upper():
        columna = columna * 26 + ord(letra) - 64
    return int(coincide.group(2)), columna


def ordenar_problemas(problemas: Iterable[Problema]) -> list[Problema]:
    """Problemas por archivo, fila y columna (los del archivo entero primero), luego por código."""

    def llave(p: Problema) -> tuple:
        fila, columna = posicion_celda(p.celda)
        return (p.archivo, p.fila if p.fila is not None else fila, columna, p.codigo)

    return sorted(problemas, key=llave)


def letra_columna(indice: int) -> str:
    """Letra de la columna de Excel para un índice base 0 (0 → A, 26 → AA)."""
    letras = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        letras = chr(65 + resto) + letras
    return letras


def celda(indice_columna: int, fila: int) -> str:
    """Referencia A1 de una celda (columna base 0, fila de Excel base 1)."""
    return f"{letra_columna(indice_columna)}{fila}"
