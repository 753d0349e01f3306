"""El `Resumen ejecutivo` de la primera hoja de cada informe: frases generadas de las cifras (§7.1).

Toma los valores de la tabla de indicadores (nunca los recalcula), las alertas abiertas y el aviso
de datos incompletos, y los dice en español llano con cifras al estilo colombiano.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pipeline.informes import alertas as al
from pipeline.informes import incompletos
from pipeline.informes.comun import Cabecera, seleccion
from pipeline.informes.redaccion import cantidad, cifra, en_frase, enumerar, porcentaje

if TYPE_CHECKING:
    from pipeline.informes.datos import DatosInforme
    from pipeline.periodos import Periodo

PROGRAMADAS = "Actividades programadas"
REALIZADAS = "Actividades realizadas"
CUMPLIMIENTO = "Cumplimiento del cronograma (%)"
AVANCE = "Avance del plan (%)"
ESPERADO = "Avance esperado (%)"
ASISTENTES = "Asistentes"


def cabecera(
    datos: DatosInforme, periodo: Periodo, tabla_alertas: pd.DataFrame | None = None
) -> Cabecera:
    """Aviso de datos incompletos y frases del Resumen ejecutivo del periodo."""
    if tabla_alertas is None:
        tabla_alertas = al.alertas(datos, periodo, solo_del_periodo=periodo.clase != "vigencia")
    motivos = incompletos.motivos_por_direccion(datos, periodo)
    return Cabecera(aviso=incompletos.aviso(motivos), frases=frases(datos, periodo, tabla_alertas))


def _entidad(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    return seleccion(datos.indicadores, periodo.codigo, "entidad").set_index("indicador")


def _valor(filas: pd.DataFrame, nombre: str, columna: str = "valor") -> float | None:
    if nombre not in filas.index:
        return None
    valor = filas.at[nombre, columna]
    return None if pd.isna(valor) else float(valor)


def frase_cumplimiento(filas: pd.DataFrame, periodo: Periodo) -> str:
    """Realizadas de las programadas en el periodo, con el cumplimiento del cronograma."""
    programadas = _valor(filas, PROGRAMADAS) or 0
    realizadas = _valor(filas, REALIZADAS) or 0
    cuando = f"En {en_frase(periodo)}"
    if not programadas:
        return (
            f"{cuando} no había actividades programadas; "
            f"se {'realizó' if realizadas == 1 else 'realizaron'} "
            f"{cantidad(realizadas, 'actividad', 'actividades')}."
        )
    de_las = _valor(filas, CUMPLIMIENTO, "numerador") or 0
    if programadas == 1:
        hecho = "se realizó" if de_las else "no se realizó"
        texto = f"{cuando} estaba programada 1 actividad y {hecho}: cumplimiento del cronograma"
    elif not de_las:
        texto = (
            f"{cuando} no se realizó ninguna de las {cifra(programadas)} actividades programadas:"
            " cumplimiento del cronograma"
        )
    else:
        texto = (
            f"{cuando} se {'realizó' if de_las == 1 else 'realizaron'} {cifra(de_las)} de las "
            f"{cifra(programadas)} actividades programadas: cumplimiento del cronograma"
        )
    texto += f" del {porcentaje(_valor(filas, CUMPLIMIENTO) or 0)}"
    semaforo = filas.at[CUMPLIMIENTO, "semaforo"] if CUMPLIMIENTO in filas.index else ""
    texto += f" ({semaforo.lower()})." if semaforo else "."
    asistentes = _valor(filas, ASISTENTES) or 0
    if realizadas:
        texto += (
            f" En total se {'realizó' if realizadas == 1 else 'realizaron'} "
            f"{cantidad(realizadas, 'actividad', 'actividades')} en el periodo, con "
            f"{cantidad(asistentes, 'asistente', 'asistentes')}."
        )
    return texto


def frase_avance(filas: pd.DataFrame) -> str:
    """Avance del plan acumulado frente al esperado a esa fecha (si el motor lo calcula)."""
    avance = _valor(filas, AVANCE)
    if avance is None:
        return "El plan no tiene sesiones programadas: no hay avance del plan que medir."
    texto = f"El avance del plan es del {porcentaje(avance)} de las sesiones programadas"
    esperado = _valor(filas, ESPERADO)
    if esperado is not None:
        texto += f", frente a un avance esperado del {porcentaje(esperado)} a esta fecha"
    semaforo = filas.at[AVANCE, "semaforo"] if AVANCE in filas.index else ""
    if semaforo:
        texto += f" (semáforo {semaforo.lower()})"
    elif esperado is not None and not esperado:
        texto += " (aún no había sesiones previstas, por eso no lleva semáforo)"
    return texto + "."


def frase_alertas(tabla_alertas: pd.DataFrame) -> str:
    """Cuántas alertas abiertas hay de cada tipo."""
    conteo = al.conteo_por_tipo(tabla_alertas)
    if not conteo:
        return "No hay alertas abiertas."
    total = sum(conteo.values())
    partes = [cantidad(n, *al.EN_FRASE[t]) for t, n in conteo.items()]
    return (
        f"Hay {cantidad(total, 'alerta abierta', 'alertas abiertas')}: {enumerar(partes)} "
        "(hoja «Alertas»)."
    )


def frase_rojo(datos: DatosInforme, periodo: Periodo) -> str:
    """Qué direcciones tienen indicadores en rojo y cuáles."""
    rojas = al.direcciones_en_rojo(datos, periodo)
    if not rojas:
        return "Ninguna dirección tiene indicadores en rojo."
    partes = [f"{codigo} ({'; '.join(motivos)})" for codigo, motivos in rojas.items()]
    return f"{'Dirección' if len(rojas) == 1 else 'Direcciones'} en rojo: {enumerar(partes)}."


def anterior(datos: DatosInforme, periodo: Periodo) -> Periodo | None:
    """El periodo anterior de la misma clase (T1 → ninguno, T2 → T1); None para el primero."""
    return next(
        (p for p in datos.periodos if p.clase == periodo.clase and p.numero == periodo.numero - 1),
        None,
    )


def frase_cambio(datos: DatosInforme, periodo: Periodo) -> str:
    """El cambio frente al periodo anterior de la misma clase; "" si es el primero."""
    previo = anterior(datos, periodo) if periodo.clase != "vigencia" else None
    if previo is None:
        return ""
    ahora, antes = _entidad(datos, periodo), _entidad(datos, previo)
    partes = []
    realizadas, realizadas_antes = _valor(ahora, REALIZADAS) or 0, _valor(antes, REALIZADAS) or 0
    partes.append(
        f"se {'realizó' if realizadas == 1 else 'realizaron'} "
        f"{cantidad(realizadas, 'actividad', 'actividades')} ({cifra(realizadas_antes)} en el "
        "periodo anterior)"
    )
    for nombre, etiqueta in (
        (CUMPLIMIENTO, "el cumplimiento del cronograma"),
        (AVANCE, "el avance del plan"),
    ):
        valor, valor_antes = _valor(ahora, nombre), _valor(antes, nombre)
        if valor is None or valor_antes is None:
            continue
        if porcentaje(valor) == porcentaje(valor_antes):
            partes.append(f"{etiqueta} se mantuvo en {porcentaje(valor)}")
        else:
            partes.append(f"{etiqueta} pasó del {porcentaje(valor_antes)} al {porcentaje(valor)}")
    previo_texto = en_frase(previo).split(" (hasta")[0]
    frente = f"al {previo_texto[3:]}" if previo_texto.startswith("el ") else f"a {previo_texto}"
    return f"Frente {frente}: {enumerar(partes)}."


def frase_cambios_cierre(datos: DatosInforme) -> str:
    """Valores de indicadores que cambiaron después del cierre de periodos (§10.2), si los hay."""
    cambios = getattr(datos, "cambios_cierre", None)
    if cambios is None or len(cambios) == 0:
        return ""
    n = len(cambios)
    periodos = sorted({str(p) for p in cambios["periodo"]}) if "periodo" in cambios else []
    de = f" del cierre de {enumerar(periodos)}" if periodos else " del cierre"
    return (
        f"{cantidad(n, 'valor de indicador cambió', 'valores de indicadores cambiaron')} después"
        f"{de} (hoja «Cambios después del cierre»)."
    )


def frases(datos: DatosInforme, periodo: Periodo, tabla_alertas: pd.DataFrame) -> list[str]:
    """Las frases del Resumen ejecutivo, en el orden en que las lee un director."""
    filas = _entidad(datos, periodo)
    candidatas = [
        frase_cumplimiento(filas, periodo),
        frase_avance(filas),
        frase_alertas(tabla_alertas),
        frase_rojo(datos, periodo),
        frase_cambio(datos, periodo),
        frase_cambios_cierre(datos),
    ]
    return [f for f in candidatas if f]
