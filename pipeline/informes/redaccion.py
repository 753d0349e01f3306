"""Cifras y palabras dentro de frases para directivos: coma decimal, punto de miles y plurales."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipeline.escritura import numero_es

if TYPE_CHECKING:
    from pipeline.periodos import Periodo


def cifra(valor: float, decimales: int = 0) -> str:
    """Número al estilo colombiano: «1.234», «20,9»; sin decimales si el valor es entero."""
    redondeado = round(float(valor), decimales)
    if decimales and redondeado == math.floor(redondeado):
        decimales = 0
    return numero_es(redondeado, decimales)


def porcentaje(valor: float) -> str:
    """«20,9 %» (un decimal; «100 %» sin decimales)."""
    return f"{cifra(valor, 1)} %"


def cantidad(n: float, singular: str, plural: str) -> str:
    """«1 actividad», «3 actividades», «1.250 asistentes»."""
    return f"{cifra(n)} {singular if round(n) == 1 else plural}"


def enumerar(partes: Sequence[str]) -> str:
    """«A», «A y B», «A, B y C»."""
    partes = [p for p in partes if p]
    if len(partes) <= 1:
        return "".join(partes)
    return f"{', '.join(partes[:-1])} y {partes[-1]}"


def en_frase(periodo: Periodo) -> str:
    """«el primer trimestre 2025», «la vigencia 2025», «marzo 2025», con el corte si es parcial."""
    titulo = periodo.titulo.replace(" (Parcial)", "")
    titulo = titulo[0].lower() + titulo[1:]
    articulo = {"trimestre": "el ", "semestre": "el ", "vigencia": "la "}.get(periodo.clase, "")
    texto = f"{articulo}{titulo}"
    if periodo.parcial:
        texto += f" (hasta la fecha de corte, {periodo.fin:%d/%m/%Y})"
    return texto
