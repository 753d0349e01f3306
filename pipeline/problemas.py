"""Los problemas de validación como datos, y el catálogo de códigos con sus mensajes en español.

Cada mensaje dice qué está mal y cómo corregirlo. Los valores personales se enmascaran en el
mensaje general; la copia anotada que vuelve a la dirección dueña del archivo usa `mensaje_propio`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell

from pipeline.normalizacion import enmascarar, texto


class Severidad(StrEnum):
    """`error` excluye datos; `advertencia` no."""

    ERROR = "error"
    ADVERTENCIA = "advertencia"


E, A = Severidad.ERROR, Severidad.ADVERTENCIA


class Codigo(StrEnum):
    """Los códigos del catálogo; el valor es el mismo nombre (así se escribe en los reportes)."""

    ARCHIVO_ILEGIBLE = "ARCHIVO_ILEGIBLE"
    ARCHIVO_SIN_PERMISO = "ARCHIVO_SIN_PERMISO"
    ARCHIVO_CIFRADO = "ARCHIVO_CIFRADO"
    FORMATO_NO_ADMITIDO = "FORMATO_NO_ADMITIDO"
    ARCHIVO_STRICT = "ARCHIVO_STRICT"
    ARCHIVO_CON_MACROS = "ARCHIVO_CON_MACROS"
    ARCHIVO_DEMASIADO_GRANDE = "ARCHIVO_DEMASIADO_GRANDE"
    XML_PELIGROSO = "XML_PELIGROSO"
    LIBRO_NO_RECONOCIDO = "LIBRO_NO_RECONOCIDO"
    SIN_MARCA_PLANTILLA = "SIN_MARCA_PLANTILLA"
    VERSION_DESCONOCIDA = "VERSION_DESCONOCIDA"
    COLUMNA_FALTANTE = "COLUMNA_FALTANTE"
    COLUMNA_OPCIONAL_FALTANTE = "COLUMNA_OPCIONAL_FALTANTE"
    COLUMNA_DESCONOCIDA = "COLUMNA_DESCONOCIDA"
    SIN_REGISTROS = "SIN_REGISTROS"
    FICHA_FALTANTE = "FICHA_FALTANTE"
    DIRECCION_DESCONOCIDA = "DIRECCION_DESCONOCIDA"
    CARPETA_DESCONOCIDA = "CARPETA_DESCONOCIDA"
    ARCHIVO_DUPLICADO_EN_OTRA_VIGENCIA = "ARCHIVO_DUPLICADO_EN_OTRA_VIGENCIA"
    FORMULA_SIN_VALOR = "FORMULA_SIN_VALOR"
    CELDA_CON_ERROR = "CELDA_CON_ERROR"
    COLUMNA_DUPLICADA = "COLUMNA_DUPLICADA"
    COLUMNA_DUPLICADA_DISTINTA = "COLUMNA_DUPLICADA_DISTINTA"
    TEXTO_DEMASIADO_LARGO = "TEXTO_DEMASIADO_LARGO"
    CARACTERES_DE_CONTROL = "CARACTERES_DE_CONTROL"
    CELDAS_COMBINADAS = "CELDAS_COMBINADAS"
    FILAS_OCULTAS = "FILAS_OCULTAS"
    HOJA_OCULTA = "HOJA_OCULTA"
    REQUERIDO = "REQUERIDO"
    REQUERIDO_CONDICIONAL = "REQUERIDO_CONDICIONAL"
    NO_CORRESPONDE = "NO_CORRESPONDE"
    FECHA_INVALIDA = "FECHA_INVALIDA"
    FECHA_FUERA_DE_VIGENCIA = "FECHA_FUERA_DE_VIGENCIA"
    FECHA_FIN_ANTERIOR = "FECHA_FIN_ANTERIOR"
    FECHA_POSTERIOR_AL_CORTE = "FECHA_POSTERIOR_AL_CORTE"
    FECHA_ENTREGA_ANTERIOR = "FECHA_ENTREGA_ANTERIOR"
    ENTERO_INVALIDO = "ENTERO_INVALIDO"
    NUMERO_INVALIDO = "NUMERO_INVALIDO"
    FUERA_DE_RANGO = "FUERA_DE_RANGO"
    ANIO_INVALIDO = "ANIO_INVALIDO"
    FUERA_DE_CATALOGO = "FUERA_DE_CATALOGO"
    TEMA_DE_OTRA_DIRECCION = "TEMA_DE_OTRA_DIRECCION"
    DOCUMENTO_INVALIDO = "DOCUMENTO_INVALIDO"
    CORREO_INVALIDO = "CORREO_INVALIDO"
    TELEFONO_INVALIDO = "TELEFONO_INVALIDO"
    DEPENDE_DE_EXCLUIDA = "DEPENDE_DE_EXCLUIDA"
    X1 = "X1"
    X2 = "X2"
    X3 = "X3"
    X4 = "X4"
    X5 = "X5"
    X6 = "X6"
    X7 = "X7"
    X8 = "X8"
    X9 = "X9"
    X10 = "X10"
    X11 = "X11"
    X12 = "X12"
    X13 = "X13"
    X14 = "X14"
    X15 = "X15"
    X16 = "X16"

    @property
    def definicion(self) -> Definicion:
        """Severidad, título y plantilla del mensaje de este código."""
        return CATALOGO[self]

    @property
    def severidad(self) -> Severidad:
        """`error` o `advertencia`."""
        return CATALOGO[self].severidad

    def formatear(self, **datos: object) -> str:
        """El mensaje de este código con `datos` ({sugerencia} y {opciones} vacíos si no se dan)."""
        return CATALOGO[self].plantilla.format(**{"sugerencia": "", "opciones": "", **datos})


@dataclass(frozen=True)
class Definicion:
    """Un código del catálogo: severidad y plantilla del mensaje."""

    codigo: Codigo
    severidad: Severidad
    plantilla: str
    titulo: str = ""


def _d(codigo: Codigo, severidad: Severidad, titulo: str, plantilla: str) -> Definicion:
    return Definicion(codigo, severidad, plantilla, titulo)


# Campos disponibles en las plantillas: {campo} (etiqueta), {valor} (entre comillas, enmascarado si es
# personal) y los que pase quien crea el problema.
_DEFINICIONES = [
    # Archivos
    _d(
        Codigo.ARCHIVO_ILEGIBLE,
        E,
        "Archivo ilegible",
        "No se pudo leer el archivo: {motivo}. Ábralo en Excel o LibreOffice, guárdelo como libro de "
        "Excel (.xlsx) y vuelva a enviarlo.",
    ),
    _d(
        Codigo.ARCHIVO_SIN_PERMISO,
        E,
        "Archivo bloqueado",
        "No se pudo leer por permisos del sistema: revise que el archivo no esté abierto o bloqueado "
        "por otro programa y que su usuario pueda leerlo, y vuelva a validar.",
    ),
    _d(
        Codigo.ARCHIVO_CIFRADO,
        E,
        "Archivo protegido con contraseña",
        "El archivo está protegido con contraseña: entregue una copia sin contraseña (en Excel: "
        "Archivo > Información > Proteger libro > Cifrar con contraseña, borre la contraseña y "
        "guarde).",
    ),
    _d(
        Codigo.FORMATO_NO_ADMITIDO,
        E,
        "Formato no admitido",
        "El formato «{extension}» no se procesa. Ábralo y guárdelo como libro de Excel (.xlsx) a "
        "partir de la plantilla vigente.",
    ),
    _d(
        Codigo.ARCHIVO_STRICT,
        E,
        "Formato Strict Open XML",
        "El archivo está en formato Strict Open XML: guárdelo como Libro de Excel (.xlsx) (Archivo > "
        "Guardar como > Libro de Excel) y vuelva a enviarlo.",
    ),
    _d(
        Codigo.ARCHIVO_CON_MACROS,
        E,
        "Archivo con macros",
        "El archivo contiene macros y no se procesa por seguridad: guárdelo como Libro de Excel "
        "(.xlsx), sin macros, y vuelva a enviarlo.",
    ),
    _d(
        Codigo.ARCHIVO_DEMASIADO_GRANDE,
        E,
        "Archivo demasiado grande",
        "El archivo {motivo} y se rechazó para no detener la revisión de los demás. Verifique que "
        "sea la plantilla correcta, sin hojas, imágenes ni filas de más, y vuelva a enviarlo.",
    ),
    _d(
        Codigo.XML_PELIGROSO,
        E,
        "Contenido no permitido",
        "El archivo contiene XML no permitido (posible archivo malicioso) y se rechazó por "
        "seguridad. Copie los datos en una plantilla nueva y vuelva a enviarla.",
    ),
    _d(
        Codigo.LIBRO_NO_RECONOCIDO,
        E,
        "Libro no reconocido",
        "El libro no corresponde a ninguna plantilla: no tiene la hoja y los encabezados de "
        "{plantillas}. Diligencie los datos en la plantilla que corresponde.",
    ),
    _d(
        Codigo.SIN_MARCA_PLANTILLA,
        A,
        "Libro sin marca de plantilla",
        "El libro no se hizo a partir de la plantilla oficial, pero tiene la hoja «{hoja_esperada}» y "
        "sus encabezados, así que se procesó. Use la plantilla oficial la próxima vez.",
    ),
    _d(
        Codigo.VERSION_DESCONOCIDA,
        A,
        "Versión de plantilla desconocida",
        "La plantilla es de la versión «{version}», pero la vigente es la {vigente}. Se procesó con "
        "la versión vigente; descargue la plantilla actual para el próximo reporte.",
    ),
    _d(
        Codigo.COLUMNA_FALTANTE,
        E,
        "Falta una columna obligatoria",
        "Falta la columna obligatoria «{campo}» en la fila de encabezados. No borre ni cambie el "
        "nombre de las columnas de la plantilla.",
    ),
    _d(
        Codigo.COLUMNA_OPCIONAL_FALTANTE,
        A,
        "Falta una columna opcional",
        "Falta la columna «{campo}» en la fila de encabezados; se tomó como vacía. No borre las "
        "columnas de la plantilla.",
    ),
    _d(
        Codigo.COLUMNA_DESCONOCIDA,
        A,
        "Columna no reconocida",
        "La columna «{valor}» no es de la plantilla y se ignoró.{sugerencia}",
    ),
    _d(
        Codigo.SIN_REGISTROS,
        A,
        "Archivo sin registros",
        "El archivo no tiene registros debajo de los encabezados. Si es un error, diligéncielo y "
        "vuelva a enviarlo.",
    ),
    _d(
        Codigo.FICHA_FALTANTE,
        E,
        "Falta un campo de la ficha",
        "No se encontró la etiqueta «{campo}» en la ficha de la hoja. No borre ni mueva las "
        "etiquetas de la plantilla; escriba el valor en la celda de su derecha.",
    ),
    _d(
        Codigo.DIRECCION_DESCONOCIDA,
        E,
        "Dirección desconocida",
        "La dirección {valor} no está configurada en la entidad. Elija su dirección en la lista "
        "desplegable ({opciones}).",
    ),
    _d(
        Codigo.CARPETA_DESCONOCIDA,
        E,
        "Carpeta fuera de la estructura",
        "El archivo está en «{ruta}», que no sigue la estructura entradas/<vigencia>/<código de "
        "dirección>/. Muévalo a la carpeta de su dirección ({opciones}).",
    ),
    _d(
        Codigo.ARCHIVO_DUPLICADO_EN_OTRA_VIGENCIA,
        A,
        "Ficha de otra vigencia",
        "La ficha dice vigencia {valor}, distinta de la carpeta {vigencia}.",
    ),
    # Celdas cuyo valor no se puede saber o que se leyeron pero conviene revisar
    _d(
        Codigo.FORMULA_SIN_VALOR,
        E,
        "Fórmula sin resultado guardado",
        "«{campo}» tiene una fórmula cuyo resultado no quedó guardado en el archivo: no se puede "
        "saber su valor y la fila se excluyó. Abra el archivo en Excel o LibreOffice y guárdelo (así "
        "se calcula), o escriba el valor en lugar de la fórmula.",
    ),
    _d(
        Codigo.CELDA_CON_ERROR,
        E,
        "Celda con error de Excel",
        "«{campo}» muestra el error {valor} de Excel: no se puede saber el dato y la fila se excluyó. "
        "Corrija la fórmula o escriba el valor.",
    ),
    _d(
        Codigo.COLUMNA_DUPLICADA,
        A,
        "Columna repetida",
        "La columna «{campo}» está dos veces (columnas {primera} y {repetida}); se leyó la {primera} "
        "y la {repetida} solo llenó sus celdas vacías. Deje una sola columna.",
    ),
    _d(
        Codigo.COLUMNA_DUPLICADA_DISTINTA,
        E,
        "Columna repetida con datos distintos",
        "Las dos columnas «{campo}» dicen cosas distintas en esta fila ({primera} y esta celda): no "
        "se sabe cuál vale y la fila se excluyó. Deje una sola columna con el dato correcto.",
    ),
    _d(
        Codigo.TEXTO_DEMASIADO_LARGO,
        A,
        "Texto demasiado largo",
        "«{campo}» tiene {largo} caracteres; una celda de Excel admite {maximo} y el texto se cortará "
        "al abrirlo o en los informes. Resúmalo.",
    ),
    _d(
        Codigo.CARACTERES_DE_CONTROL,
        A,
        "Caracteres invisibles",
        "«{campo}» tenía caracteres de control invisibles (suelen venir de copiar y pegar desde otro "
        "programa), que se quitaron al leerlo. Revise que el texto haya quedado bien.",
    ),
    _d(
        Codigo.CELDAS_COMBINADAS,
        A,
        "Celdas combinadas",
        "Las celdas {rango} están combinadas sobre filas de datos: solo se leyó el valor de la "
        "primera y las demás se tomaron vacías. Separe las celdas (Inicio > Combinar y centrar) y "
        "escriba el dato en cada una.",
    ),
    _d(
        Codigo.FILAS_OCULTAS,
        A,
        "Filas ocultas",
        "Hay datos en filas ocultas ({filas}); se leyeron igual. Para revisarlos, seleccione las "
        "filas vecinas, haga clic derecho y elija Mostrar.",
    ),
    _d(
        Codigo.HOJA_OCULTA,
        A,
        "Hoja de datos oculta",
        "La hoja de datos «{nombre_hoja}» está oculta; se leyó igual. Muéstrela (clic derecho sobre "
        "las pestañas > Mostrar) y revise sus datos.",
    ),
    # Campos
    _d(
        Codigo.REQUERIDO,
        E,
        "Dato obligatorio vacío",
        "«{campo}» es obligatorio y está vacío. Escriba el dato en esta celda.",
    ),
    _d(
        Codigo.REQUERIDO_CONDICIONAL,
        E,
        "Dato obligatorio vacío",
        "«{campo}» está vacío. {condicion}",
    ),
    _d(
        Codigo.NO_CORRESPONDE,
        E,
        "Dato que no corresponde",
        "«{campo}» tiene el valor {valor}, pero {condicion} Borre el dato o corrija el Estado.",
    ),
    _d(
        Codigo.FECHA_INVALIDA,
        E,
        "Fecha no válida",
        "{valor} no es una fecha válida para «{campo}». Escríbala como dd/mm/aaaa, por ejemplo "
        "15/03/{ejemplo_anio}.",
    ),
    _d(
        Codigo.FECHA_FUERA_DE_VIGENCIA,
        E,
        "Fecha fuera de la vigencia",
        "«{campo}» es {valor}, fuera de la vigencia {vigencia}. Use una fecha entre el 01/01/{vigencia} "
        "y el 31/12/{vigencia}.",
    ),
    _d(
        Codigo.FECHA_FIN_ANTERIOR,
        E,
        "Fecha de fin anterior al inicio",
        "La Fecha de fin {valor} es anterior a la Fecha de inicio {otra}. Corrija una de las dos.",
    ),
    _d(
        Codigo.FECHA_POSTERIOR_AL_CORTE,
        E,
        "Fecha posterior al corte",
        "«{campo}» es {valor}, posterior a la Fecha de corte {corte}. Corrija la fecha o actualice la "
        "Fecha de corte de la ficha.",
    ),
    _d(
        Codigo.FECHA_ENTREGA_ANTERIOR,
        E,
        "Informe antes de la sesión",
        "La Fecha de entrega del informe {valor} es anterior a la Fecha de realización {otra}. "
        "Corrija una de las dos.",
    ),
    _d(
        Codigo.ENTERO_INVALIDO,
        E,
        "Número entero no válido",
        "{valor} no es un número entero para «{campo}». Escriba solo dígitos, sin decimales.",
    ),
    _d(
        Codigo.NUMERO_INVALIDO,
        E,
        "Número no válido",
        "{valor} no es un número para «{campo}». Escriba solo dígitos (sin puntos de miles ni $).",
    ),
    _d(
        Codigo.FUERA_DE_RANGO,
        E,
        "Número fuera de rango",
        "«{campo}» es {valor}, pero debe ser {rango}.",
    ),
    _d(
        Codigo.ANIO_INVALIDO,
        E,
        "Año no válido",
        "{valor} no es un año válido para «{campo}». Escriba el año con cuatro dígitos, por ejemplo "
        "{ejemplo_anio}.",
    ),
    _d(
        Codigo.FUERA_DE_CATALOGO,
        E,
        "Valor fuera de la lista",
        "{valor} no es una opción de «{campo}».{sugerencia} Elija un valor de la lista desplegable: "
        "{opciones}.",
    ),
    _d(
        Codigo.TEMA_DE_OTRA_DIRECCION,
        E,
        "Tema de otra dirección",
        "El tema {valor} no es de la dirección {direccion}. Elija uno de sus temas: {opciones}.",
    ),
    _d(
        Codigo.DOCUMENTO_INVALIDO,
        E,
        "Número de documento no válido",
        "El número de documento {valor} no es válido: {motivo}. Escriba entre 3 y 15 dígitos (el "
        "pasaporte admite letras); puntos, espacios y guiones se ignoran.",
    ),
    _d(
        Codigo.CORREO_INVALIDO,
        E,
        "Correo no válido",
        "El correo {valor} no está bien escrito. Debe tener la forma usuario@dominio.gov.co, sin "
        "espacios.",
    ),
    _d(
        Codigo.TELEFONO_INVALIDO,
        E,
        "Teléfono no válido",
        "El teléfono {valor} no es válido: debe tener de 7 a 10 dígitos (se admiten espacios, "
        "guiones y el prefijo +57).",
    ),
    _d(
        Codigo.DEPENDE_DE_EXCLUIDA,
        E,
        "Depende de un dato excluido",
        "Se excluyó porque {dependencia} tiene un error: {causa}. {accion}",
    ),
    # Reglas entre archivos (especificación §5)
    _d(
        Codigo.X1,
        E,
        "ID asistencia repetido",
        "El ID asistencia {valor} está repetido en la vigencia (también en {otros}). Cada asistencia "
        "debe tener un ID único en toda la entidad. Si uno de esos archivos es una versión anterior "
        "del mismo plan, deje en la carpeta solo la versión vigente (o escriba en cada una su Fecha "
        "de aprobación: se usa la más reciente).",
    ),
    _d(
        Codigo.X2,
        E,
        "ID actividad repetido",
        "El ID actividad {valor} está repetido en la vigencia (también en {otros}). Cada sesión "
        "debe tener un ID único en toda la entidad. Si uno de esos archivos es una versión anterior "
        "del mismo cronograma, deje en la carpeta solo la versión vigente (o corrija su Fecha de "
        "corte: se usa la más reciente).",
    ),
    _d(
        Codigo.X3,
        E,
        "Asistencia que no está en el plan",
        "El ID asistencia {valor} no está en el plan de la dirección {direccion} para la vigencia "
        "{vigencia}. Corrija el ID o agregue la asistencia al plan.",
    ),
    _d(
        Codigo.X4,
        E,
        "Actividad que no está en el cronograma",
        "El ID actividad {valor} no está en el cronograma de la dirección {direccion}. Corrija el ID "
        "o agregue la sesión al cronograma.",
    ),
    _d(
        Codigo.X5,
        E,
        "Actividad no realizada",
        "La actividad {valor} tiene estado «{estado}» en el cronograma, no Realizada. Actualice el "
        "cronograma o revise el ID actividad de este archivo.",
    ),
    _d(
        Codigo.X6,
        A,
        "Fecha distinta a la del cronograma",
        "La Fecha de la actividad {valor} no coincide con la Fecha de realización del cronograma "
        "({otra}). Corrija la que esté mal.",
    ),
    _d(
        Codigo.X7,
        E,
        "Más evaluaciones que asistentes",
        "La actividad {valor} tiene {evaluaciones} evaluaciones y solo {asistentes} asistentes. "
        "Revise que las evaluaciones sean de esta sesión o complete la lista de asistencia.",
    ),
    _d(
        Codigo.X8,
        A,
        "Documento repetido en la sesión",
        "El documento {valor} aparece más de una vez en la actividad {actividad} (también en "
        "{otros}); se cuenta una sola vez. Borre la fila repetida.",
    ),
    _d(
        Codigo.X9,
        A,
        "Sesión realizada sin lista de asistencia",
        "La actividad {valor} está Realizada pero no se recibió su lista de asistencia. Envíe la "
        "lista en la plantilla.",
    ),
    _d(
        Codigo.X10,
        A,
        "Pocas evaluaciones",
        "La actividad {valor} tiene {evaluaciones} evaluaciones de {asistentes} asistentes; el "
        "mínimo es {minimo} ({porcentaje} %). Envíe las evaluaciones que falten.",
    ),
    _d(
        Codigo.X11,
        A,
        "Informe fuera de plazo",
        "El informe de la actividad {valor} {situacion}; el plazo es de {dias} días hábiles después "
        "de la sesión. {accion}",
    ),
    _d(
        Codigo.X12,
        A,
        "Archivo duplicado",
        "El archivo es idéntico, byte a byte, a «{otro}»; se procesó una sola vez. Borre la copia.",
    ),
    _d(
        Codigo.X13,
        E,
        "Ficha distinta de la carpeta",
        "La ficha dice {campo} {valor}, pero el archivo está en la carpeta de {esperado}. Corrija la "
        "ficha o mueva el archivo a la carpeta correcta.",
    ),
    _d(
        Codigo.X14,
        E,
        "Municipio no válido",
        "El municipio {valor} {motivo}. Elija primero el departamento y luego el municipio en la "
        "lista, o escriba su código DIVIPOLA de cinco dígitos.",
    ),
    _d(
        Codigo.X15,
        A,
        "Estado sin actualizar",
        "La actividad {valor} sigue {estado} aunque su {fecha_vigente} ya pasó según la Fecha de "
        "corte del cronograma ({corte}). Actualice el Estado: Realizada con la Fecha de realización "
        "si ya se hizo; Reprogramada con la Nueva fecha y el Motivo si cambió de fecha; Cancelada "
        "con el Motivo si no se hará.",
    ),
    _d(
        Codigo.X16,
        A,
        "Versión anterior reemplazada",
        "Este archivo es una versión anterior de «{nuevo}», que tiene una {etiqueta} más reciente "
        "({fecha_nueva}); no se usó y nada se excluye por él. {retirados} Puede retirarlo de la "
        "carpeta de entradas.",
    ),
]

CATALOGO: dict[str, Definicion] = {d.codigo: d for d in _DEFINICIONES}
assert list(CATALOGO) == list(Codigo), "cada código del catálogo tiene una sola definición"


def titulo(codigo: Codigo | str) -> str:
    """El título en español de un código («Dato obligatorio vacío»), para quien corrige.

    Un código sin título propio (o desconocido) no muestra el código interno: dice algo general.
    """
    definicion = CATALOGO.get(codigo)
    if definicion is not None and definicion.titulo:
        return definicion.titulo
    return "Problema en el archivo"


@dataclass(frozen=True)
class Problema:
    """Un problema encontrado: dónde está, qué tan grave es y cómo corregirlo (§5)."""

    archivo: str  # ruta relativa a la carpeta de entradas
    hoja: str
    celda: str
    campo: str
    valor: str  # enmascarado si es un dato personal
    severidad: Severidad
    codigo: Codigo
    mensaje: str  # enmascarado
    direccion: str = ""  # código de la dirección dueña del archivo (para las devoluciones)
    fila: int | None = None  # fila de Excel, si el problema es de una fila de datos
    mensaje_propio: str = field(default="", repr=False)  # sin máscara: solo para la devolución
    origen: str = ""  # DEPENDE_DE_EXCLUIDA: el archivo donde está el problema de fondo

    @property
    def es_error(self) -> bool:
        """Verdadero si el problema excluye datos."""
        return self.severidad is Severidad.ERROR


def _comillas(valor: object) -> str:
    s = texto(valor)
    return f"«{s}»" if s is not None else "(vacío)"


def problema(
    codigo: Codigo | str,
    *,
    archivo: str,
    hoja: str = "",
    celda: str = "",
    campo: str = "",
    valor: object = None,
    personal: bool = False,
    direccion: str = "",
    fila: int | None = None,
    origen: str = "",
    **datos: object,
) -> Problema:
    """Crea un problema del catálogo; `personal` enmascara el valor en el mensaje general."""
    codigo = Codigo(codigo)  # un código mal escrito falla aquí, no en el reporte
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
        origen=origen,
    )


_CELDA = re.compile(r"^\$?[A-Za-z]{1,3}\$?\d+$")


def posicion_celda(celda: str) -> tuple[int, int]:
    """(fila, columna) base 1 de una referencia A1; (0, 0) si no hay celda."""
    if not _CELDA.match(celda or ""):
        return 0, 0
    fila, columna = xl_cell_to_rowcol(celda.upper())
    return fila + 1, columna + 1


def ordenar_problemas(problemas: Iterable[Problema]) -> list[Problema]:
    """Problemas por archivo, fila y columna (los del archivo entero primero), luego por código."""

    def llave(p: Problema) -> tuple:
        fila, columna = posicion_celda(p.celda)
        return (p.archivo, p.fila if p.fila is not None else fila, columna, p.codigo)

    return sorted(problemas, key=llave)


def letra_columna(indice: int) -> str:
    """Letra de la columna de Excel para un índice base 0 (0 → A, 26 → AA)."""
    return xl_col_to_name(indice)


def celda(indice_columna: int, fila: int) -> str:
    """Referencia A1 de una celda (columna base 0, fila de Excel base 1)."""
    return xl_rowcol_to_cell(fila - 1, indice_columna)
