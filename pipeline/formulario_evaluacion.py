"""La hoja `Formulario` de la evaluación (§4.7): el formulario impreso que responde una persona.

Una página carta vertical: las preguntas de la hoja `Evaluación` con la escala 1–5 y su significado,
y un recuadro de observaciones. Sale de las mismas columnas declaradas en `esquemas/evaluacion.py`;
el lector solo lee la hoja `Evaluación`, así que nada de esta hoja se toma por datos.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from esquemas import Plantilla, Tipo
from esquemas.evaluacion import ESCALA, SIGNIFICADO_ESCALA
from pipeline.configuracion import Configuracion
from pipeline.escritura import (
    AZUL_CLARO,
    AZUL_OSCURO,
    BLANCO,
    FORMATO_FECHA,
    Formatos,
    escribir_valor,
)
from pipeline.formato_controlado import (
    control_de,
    escribir_encabezado_control,
    imprimir_formato_controlado,
)

ANCHOS = [16, 44] + [8] * len(ESCALA)
_DATOS_SESION = (("direccion", "Dirección"), ("id_actividad", "ID actividad"))
FILAS_OBSERVACIONES = 6


def pregunta(ayuda: str) -> str:
    """La pregunta al comienzo de la ayuda del campo («¿Qué tan …?»)."""
    fin = ayuda.find("?")
    return ayuda[: fin + 1] if fin >= 0 else ayuda


def escribir_formulario(
    hoja: Worksheet,
    plantilla: Plantilla,
    config: Configuracion,
    ficha: dict[str, object],
    estilos: Formatos,
) -> None:
    """Escribe el formulario imprimible; `ficha` trae los datos de la sesión si ya se conocen."""
    ultima = len(ANCHOS) - 1
    for j, ancho in enumerate(ANCHOS):
        hoja.set_column(j, j, ancho)
    control = control_de(plantilla, config)
    titulo = f"Formulario de {plantilla.titulo[0].lower()}{plantilla.titulo[1:]}"
    escribir_encabezado_control(hoja, titulo, control, config, ANCHOS, estilos)
    nota = estilos.de({"italic": True, "text_wrap": True, "valign": "top"})
    hoja.set_row(3, 30)
    hoja.merge_range(
        3,
        0,
        3,
        ultima,
        "Esta evaluación es anónima: no escriba su nombre ni su documento. Marque con una X una "
        "sola casilla por pregunta y entregue el formulario a quien dirigió la sesión.",
        nota,
    )
    fila = 5
    etiqueta = estilos.de({"bold": True, "border": 1, "bg_color": AZUL_CLARO, "valign": "vcenter"})
    valor = estilos.de(
        {"border": 1, "valign": "vcenter", "num_format": FORMATO_FECHA, "align": "left"}
    )
    datos = (*_DATOS_SESION, ("fecha_actividad", "Fecha de la sesión"))
    for nombre, texto in datos:
        hoja.set_row(fila, 20)
        hoja.merge_range(fila, 0, fila, 1, texto, etiqueta)
        hoja.merge_range(fila, 2, fila, ultima, "", valor)
        escribir_valor(hoja, fila, 2, ficha.get(nombre), valor)
        fila += 1
    fila += 1
    escala = " · ".join(f"{n} = {s}" for n, s in zip(ESCALA, SIGNIFICADO_ESCALA, strict=True))
    hoja.merge_range(fila, 0, fila, ultima, f"Escala: {escala}.", estilos["etiqueta"])
    fila += 1
    fila = _preguntas(hoja, plantilla, fila, estilos)
    _observaciones(hoja, fila + 1, ultima, estilos)
    hoja.print_area(0, 0, fila + 2 + FILAS_OBSERVACIONES, ultima)
    imprimir_formato_controlado(hoja, titulo, control, horizontal=False, paginas_alto=1)
    hoja.hide_gridlines(2)


def _preguntas(hoja: Worksheet, plantilla: Plantilla, fila: int, estilos: Formatos) -> int:
    """La tabla de preguntas con una casilla por valor de la escala; devuelve la fila libre."""
    encabezado = estilos.de(
        {
            "bold": True,
            "border": 1,
            "bg_color": AZUL_OSCURO,
            "font_color": BLANCO,
            "align": "center",
        }
    )
    hoja.merge_range(fila, 0, fila, 1, "Pregunta", encabezado)
    for k, (numero, significado) in enumerate(zip(ESCALA, SIGNIFICADO_ESCALA, strict=True)):
        hoja.write_string(fila, 2 + k, f"{numero}\n{significado}", encabezado)
    hoja.set_row(fila, 30)
    texto = estilos.de({"border": 1, "text_wrap": True, "valign": "vcenter"})
    casilla = estilos.de({"border": 1})
    preguntas = [c for c in plantilla.columnas if c.tipo is Tipo.ENTERO and c.opciones]
    for n, campo in enumerate(preguntas, start=1):
        fila += 1
        obligatoria = " (obligatoria)" if campo.requerido else ""
        hoja.set_row(fila, 34)
        hoja.merge_range(
            fila, 0, fila, 1, f"{n}. {campo.etiqueta}{obligatoria}: {pregunta(campo.ayuda)}", texto
        )
        for k in range(len(ESCALA)):
            hoja.write_blank(fila, 2 + k, None, casilla)
    return fila + 1


def _observaciones(hoja: Worksheet, fila: int, ultima: int, estilos: Formatos) -> None:
    hoja.write_string(fila, 0, "Observaciones y sugerencias:", estilos["etiqueta"])
    hoja.merge_range(
        fila + 1,
        0,
        fila + FILAS_OBSERVACIONES,
        ultima,
        "",
        estilos.de({"border": 1, "valign": "top", "text_wrap": True}),
    )
