"""Las alertas abiertas al corte, escritas para un director (§7.1): qué está atrasado y de quién es.

Una fila por alerta con `Tipo de alerta`, `Dirección`, `ID`, `Descripción`, `Fecha`, `Días de atraso`
(días calendario hasta el corte) y `Responsable`; la más grave y la más antigua primero.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from esquemas.vocabulario import EstadoActividad
from pipeline import indicadores as ind
from pipeline.dias_habiles import sumar_dias_habiles
from pipeline.informes.comun import Columna, nombre_direccion, seleccion
from pipeline.informes.redaccion import cantidad, en_frase, enumerar, porcentaje
from pipeline.normalizacion import texto
from pipeline.validacion.evidencias import minimo_evaluaciones

if TYPE_CHECKING:
    from pipeline.informes.datos import DatosInforme
    from pipeline.periodos import Periodo

# En orden de gravedad: así se ordena la hoja y se cuentan en el Resumen ejecutivo.
TIPOS = (
    "Actividad vencida",
    "Compromiso vencido",
    "Informe pendiente",
    "Informe tardío",
    "Evidencia incompleta",
    "Evaluación por debajo del mínimo",
    "Dirección en rojo",
)
# Cómo se nombra cada tipo dentro de una frase, en singular y en plural.
EN_FRASE = {
    "Actividad vencida": ("actividad vencida", "actividades vencidas"),
    "Compromiso vencido": ("compromiso vencido", "compromisos vencidos"),
    "Informe pendiente": ("informe pendiente", "informes pendientes"),
    "Informe tardío": ("informe tardío", "informes tardíos"),
    "Evidencia incompleta": (
        "actividad con evidencia incompleta",
        "actividades con evidencia incompleta",
    ),
    "Evaluación por debajo del mínimo": (
        "actividad con evaluaciones por debajo del mínimo",
        "actividades con evaluaciones por debajo del mínimo",
    ),
    "Dirección en rojo": ("dirección en rojo", "direcciones en rojo"),
}

COLUMNAS = (
    Columna("Tipo de alerta", "tipo", ancho=18),
    Columna("Dirección", "direccion", ancho=9),
    Columna("ID", "id", ancho=17),
    Columna("Descripción", "descripcion", ancho=70),
    Columna("Fecha", "fecha", "fecha", ancho=11),
    Columna("Días de atraso", "dias", "entero", ancho=9),
    Columna("Responsable", "responsable", ancho=22),
)
_CLAVES = [c.clave for c in COLUMNAS]


def _fecha(valor: object) -> str:
    return f"{pd.Timestamp(valor):%d/%m/%Y}"


def _nombre_actividad(fila: dict) -> str:
    return f"«{texto(fila['actividad']) or fila['id_actividad']}» ({texto(fila['id_asistencia'])})"


def _alerta(tipo: str, fila: dict, descripcion: str, fecha, corte: dt.date) -> dict:
    fecha = pd.Timestamp(fecha)
    return {
        "tipo": tipo,
        "direccion": texto(fila["direccion"]) or "",
        "id": texto(fila["id_actividad"]) or "",
        "descripcion": descripcion,
        "fecha": fecha,
        "dias": max((pd.Timestamp(corte) - fecha).days, 0),
        "responsable": texto(fila.get("profesional_responsable")) or "Sin responsable en el plan",
    }


def actividades_vencidas(datos: DatosInforme, vigencia: Periodo) -> list[dict]:
    """Programadas o reprogramadas cuya fecha vigente, dentro de la vigencia, ya pasó al corte."""
    consolidado = datos.consolidado
    filas = []
    for fila in ind.actividades_vencidas(consolidado, vigencia).to_dict("records"):
        fecha = fila["fecha_vigente"]
        estado = "reprogramada" if fila["estado"] == EstadoActividad.REPROGRAMADA else "programada"
        descripcion = (
            f"La actividad {_nombre_actividad(fila)} estaba {estado} para el {_fecha(fecha)} "
            "y no figura como realizada ni cancelada."
        )
        filas.append(_alerta("Actividad vencida", fila, descripcion, fecha, consolidado.corte))
    return filas


def compromisos_vencidos(datos: DatosInforme, vigencia: Periodo) -> list[dict]:
    """Compromisos abiertos cuya fecha límite pasó antes del corte."""
    comp = ind.compromisos_periodo(datos.consolidado, vigencia)
    filas = []
    for fila in comp[comp["vencido"]].to_dict("records"):
        estado = texto(fila["estado"]) or "sin estado"
        descripcion = (
            f"El compromiso «{texto(fila['compromiso'])}» de la actividad "
            f"{texto(fila['id_actividad'])} venció el {_fecha(fila['fecha_limite'])} y sigue "
            f"{estado.lower()}."
        )
        alerta = _alerta(
            "Compromiso vencido", fila, descripcion, fila["fecha_limite"], vigencia.fin
        )
        alerta["responsable"] = texto(fila["responsable"]) or "Sin responsable"
        filas.append(alerta)
    return filas


def _realizadas(datos: DatosInforme) -> pd.DataFrame:
    act = datos.consolidado.actividades
    hasta_corte = (act["fecha_realizacion"] <= pd.Timestamp(datos.consolidado.corte)).fillna(False)
    return act[(act["estado"] == EstadoActividad.REALIZADA).fillna(False) & hasta_corte]


def informes(datos: DatosInforme) -> list[dict]:
    """Informes sin entregar con el plazo vencido al corte, y los entregados fuera de plazo."""
    plazo = datos.consolidado.config.parametros.dias_habiles_informe
    corte = datos.consolidado.corte
    act = _realizadas(datos)
    # Solo las que pueden tener alerta: sin informe, o con informe fuera de plazo.
    act = act[act["fecha_entrega_informe"].isna() | ~act["informe_oportuno"].astype(bool)]
    limites = {
        f: sumar_dias_habiles(f.date(), plazo) for f in act["fecha_realizacion"].drop_duplicates()
    }
    filas = []
    for fila in act.to_dict("records"):
        sesion = fila["fecha_realizacion"].date()
        limite = limites[fila["fecha_realizacion"]]
        plazo_texto = cantidad(plazo, "día hábil", "días hábiles")
        if pd.isna(fila["fecha_entrega_informe"]):
            if limite >= corte:
                continue
            descripcion = (
                f"El informe de la sesión {_nombre_actividad(fila)} del {_fecha(sesion)} no se ha "
                f"entregado; el plazo de {plazo_texto} venció el {_fecha(limite)}."
            )
            filas.append(_alerta("Informe pendiente", fila, descripcion, limite, corte))
        elif not fila["informe_oportuno"]:
            entrega = fila["fecha_entrega_informe"]
            dias = int(fila["dias_habiles_informe"])
            descripcion = (
                f"El informe de la sesión {_nombre_actividad(fila)} del {_fecha(sesion)} se entregó "
                f"el {_fecha(entrega)}, {cantidad(dias, 'día hábil', 'días hábiles')} después "
                f"(plazo: {plazo_texto})."
            )
            alerta = _alerta("Informe tardío", fila, descripcion, limite, entrega.date())
            filas.append(alerta)
    return filas


# (tiene lista, tiene evaluaciones) → lo que le falta a la sesión.
_FALTA = {
    (True, True): "",
    (True, False): "evaluaciones aceptadas",
    (False, True): "lista de asistencia aceptada",
    (False, False): "lista de asistencia ni evaluaciones aceptadas",
}


def evidencias(datos: DatosInforme) -> list[dict]:
    """Sesiones realizadas sin lista o sin evaluaciones, o con menos evaluaciones que el mínimo."""
    minimo_pct = datos.consolidado.config.parametros.cobertura_minima_evaluacion
    corte = datos.consolidado.corte
    act = _realizadas(datos)
    minimos = minimo_evaluaciones(act["asistentes"].astype("int64"), minimo_pct)
    # Solo las que pueden tener alerta: sin lista o sin evaluaciones, o bajo el mínimo.
    alerta = ~(act["tiene_lista"] & act["tiene_evaluacion"]).astype(bool)
    alerta |= act["evaluaciones"].to_numpy() < minimos.to_numpy()
    act, minimos = act[alerta.to_numpy()], minimos[alerta.to_numpy()]
    filas = []
    for fila, minimo in zip(act.to_dict("records"), minimos, strict=True):
        sesion = fila["fecha_realizacion"]
        falta = _FALTA[(bool(fila["tiene_lista"]), bool(fila["tiene_evaluacion"]))]
        if falta:
            descripcion = (
                f"La sesión {_nombre_actividad(fila)} del {_fecha(sesion)} no tiene {falta}."
            )
            filas.append(_alerta("Evidencia incompleta", fila, descripcion, sesion, corte))
        elif fila["evaluaciones"] < minimo:
            descripcion = (
                f"La sesión {_nombre_actividad(fila)} del {_fecha(sesion)} tiene "
                f"{cantidad(fila['evaluaciones'], 'evaluación', 'evaluaciones')} de "
                f"{cantidad(fila['asistentes'], 'asistente', 'asistentes')}; el mínimo es "
                f"{cifra_minimo(minimo, minimo_pct)}."
            )
            filas.append(
                _alerta("Evaluación por debajo del mínimo", fila, descripcion, sesion, corte)
            )
    return filas


def cifra_minimo(minimo: int, minimo_pct: float) -> str:
    """«3 (10 % de los asistentes)»."""
    return f"{minimo} ({porcentaje(minimo_pct)} de los asistentes)"


def direcciones_en_rojo(datos: DatosInforme, periodo: Periodo) -> dict[str, list[str]]:
    """Dirección → indicadores en Rojo en el periodo, con su valor («Satisfacción (%): 50 %»)."""
    filas = seleccion(datos.indicadores, periodo.codigo, "dirección")
    rojas = filas[filas["semaforo"] == "Rojo"]
    resultado: dict[str, list[str]] = {}
    for fila in rojas.to_dict("records"):
        valor = porcentaje(fila["valor"]) if pd.notna(fila["valor"]) else "sin valor"
        nombre = str(fila["indicador"]).replace(" (%)", "")
        resultado.setdefault(fila["direccion"], []).append(f"{nombre}: {valor}")
    return resultado


def _en_rojo(datos: DatosInforme, periodo: Periodo) -> list[dict]:
    filas = []
    for codigo, indicadores in direcciones_en_rojo(datos, periodo).items():
        fila = {"direccion": codigo, "id_actividad": codigo, "actividad": None}
        descripcion = f"En {en_frase(periodo)} están en rojo: {enumerar(indicadores)}."
        # Es un estado al fin del periodo, no un plazo vencido: sin días de atraso.
        alerta = _alerta("Dirección en rojo", fila, descripcion, periodo.fin, periodo.fin)
        alerta["responsable"] = nombre_direccion(datos.consolidado, codigo)
        filas.append(alerta)
    return filas


def alertas(datos: DatosInforme, periodo: Periodo, solo_del_periodo: bool) -> pd.DataFrame:
    """Alertas abiertas al corte; con `solo_del_periodo`, las de fecha dentro de `periodo`."""
    vigencia = next(p for p in datos.periodos if p.clase == "vigencia")
    filas = [
        *actividades_vencidas(datos, vigencia),
        *compromisos_vencidos(datos, vigencia),
        *informes(datos),
        *evidencias(datos),
    ]
    tabla = pd.DataFrame(filas, columns=_CLAVES)
    if solo_del_periodo:
        tabla = tabla[periodo.contiene(tabla["fecha"]).to_numpy(dtype=bool)]
    tabla = pd.concat([tabla, pd.DataFrame(_en_rojo(datos, periodo), columns=_CLAVES)])
    orden = tabla["tipo"].map({t: i for i, t in enumerate(TIPOS)})
    tabla = tabla.assign(_orden=orden).sort_values(
        ["_orden", "fecha", "direccion", "id"], kind="stable"
    )
    return tabla.drop(columns="_orden").reset_index(drop=True)


def conteo_por_tipo(tabla: pd.DataFrame) -> dict[str, int]:
    """Tipo de alerta → cuántas hay (solo los tipos presentes, en orden de gravedad)."""
    conteo = tabla["tipo"].value_counts()
    return {t: int(conteo[t]) for t in TIPOS if t in conteo}
