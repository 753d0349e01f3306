"""Lista de asistencia — hoja `Asistencia`, un libro por sesión (especificación §4.3)."""

from esquemas.modelo import (
    FICHA_COMUN,
    FICHA_SESION,
    SI_NO,
    Campo,
    Plantilla,
    Tipo,
    campo_departamento,
    campo_municipio,
)
from esquemas.vocabulario import TipoPlantilla

TIPOS_DOCUMENTO = ("CC", "CE", "TI", "PA", "PPT", "PEP")
SEXOS = ("Mujer", "Hombre", "Intersexual")

AUTORIZACION = (
    "Autorización para el tratamiento de datos personales (Ley 1581 de 2012). Al escribir «Sí» en "
    "«Autoriza tratamiento de datos» y firmar, autorizo a {entidad} a recolectar, almacenar y usar "
    "los datos de esta lista para registrar mi asistencia, hacer seguimiento a la asistencia "
    "técnica y contactarme sobre ella. Puedo conocer, actualizar, rectificar y suprimir mis datos "
    "y revocar esta autorización ante la entidad. Responder «No» no impide participar en la sesión."
)

PLANTILLA = Plantilla(
    tipo=TipoPlantilla.ASISTENCIA,
    titulo="Lista de asistencia",
    hoja="Asistencia",
    archivo="lista_asistencia.xlsx",
    version="1.0",
    descripcion="Las personas que asistieron a una sesión. Un archivo por sesión.",
    filas=300,
    filas_pagina=20,
    alto_fila=36,
    columnas_impresas=("Firma",),
    aviso=AUTORIZACION,
    ficha=FICHA_COMUN
    + FICHA_SESION
    + (Campo("lugar", "Lugar", Tipo.TEXTO, "Sitio o plataforma de la sesión. Opcional."),),
    columnas=(
        Campo(
            "nombres",
            "Nombres y apellidos",
            Tipo.TEXTO,
            "Nombre completo de la persona asistente.",
            requerido=True,
            personal=True,
            ancho=30,
        ),
        Campo(
            "tipo_documento",
            "Tipo de documento",
            Tipo.CATALOGO,
            "CC, CE, TI, PA (pasaporte), PPT o PEP.",
            requerido=True,
            opciones=TIPOS_DOCUMENTO,
            ancho=12,
        ),
        Campo(
            "numero_documento",
            "Número de documento",
            Tipo.DOCUMENTO,
            "Solo dígitos (puede escribir puntos o guiones, se ignoran); el pasaporte admite "
            "letras. Entre 3 y 15 caracteres.",
            requerido=True,
            personal=True,
            ancho=16,
        ),
        Campo(
            "entidad_organizacion",
            "Entidad u organización",
            Tipo.TEXTO,
            "Entidad u organización a la que pertenece la persona.",
            requerido=True,
            ancho=28,
        ),
        Campo("cargo", "Cargo", Tipo.TEXTO, "Cargo de la persona. Opcional.", ancho=20),
        campo_departamento(),
        campo_municipio(),
        Campo(
            "sexo",
            "Sexo",
            Tipo.CATALOGO,
            "Mujer, Hombre o Intersexual. Opcional.",
            opciones=SEXOS,
            ancho=12,
        ),
        Campo(
            "correo",
            "Correo electrónico",
            Tipo.CORREO,
            "Correo electrónico bien escrito, por ejemplo nombre@entidad.gov.co. Opcional.",
            personal=True,
            ancho=28,
        ),
        Campo(
            "telefono",
            "Teléfono",
            Tipo.TELEFONO,
            "Teléfono fijo o celular de 7 a 10 dígitos; se admiten espacios, guiones y el prefijo "
            "+57. Opcional.",
            personal=True,
            ancho=16,
        ),
        Campo(
            "autoriza_datos",
            "Autoriza tratamiento de datos",
            Tipo.CATALOGO,
            "Sí o No: si la persona autoriza el tratamiento de sus datos personales (Ley 1581 de 2012).",
            requerido=True,
            opciones=SI_NO,
            ancho=14,
        ),
    ),
    instrucciones=(
        "Un archivo por sesión, con una fila por persona asistente.",
        "El ID actividad de la ficha debe existir en el cronograma de su dirección y la sesión "
        "debe estar en estado Realizada.",
        "Los datos personales se tratan conforme a la Ley 1581 de 2012: los nombres, correos y "
        "teléfonos solo se consolidan si la persona autoriza el tratamiento de sus datos.",
        "Para firmar en papel: imprima la hoja (sale en carta horizontal, con el texto de "
        "autorización arriba y los encabezados en cada página). La columna «Firma» es solo para "
        "la hoja impresa: el sistema no la lee.",
    ),
)
