"""Reglas de plazos según la Fecha de corte de cada cronograma.

X11: el informe de cada sesión realizada se entrega dentro del plazo en días hábiles.
X15: una actividad cuya fecha vigente ya pasó no puede seguir Programada o Reprogramada.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from esquemas.vocabulario import ACTIVIDAD_PENDIENTE, EstadoActividad
from pipeline.dias_habiles import dias_habiles_entre, informe_oportuno
from pipeline.indicadores import fecha_vigente
from pipeline.problemas import Codigo
from pipeline.validacion.hallazgos import Hallazgos, Ubicador


def _dias(n: int) -> str:
    return "1 día hábil" if n == 1 else f"{n} días hábiles"


def informes_tarde(
    actividades: pd.DataFrame, plazo: int, ubicador: Ubicador, hallazgos: Hallazgos
) -> None:
    """X11: informe entregado después del plazo, o sin entregar cuando el plazo ya venció al corte."""
    realizadas = actividades[
        (actividades["estado"] == EstadoActividad.REALIZADA)
        & actividades["fecha_realizacion"].notna()
    ]
    fin = realizadas["fecha_entrega_informe"].fillna(realizadas["fecha_corte"])
    realizadas, fin = realizadas[fin.notna()], fin[fin.notna()]
    if realizadas.empty:
        return
    dias = dias_habiles_entre(realizadas["fecha_realizacion"], fin)
    tarde = ~informe_oportuno(dias, plazo)
    for r in realizadas.assign(_dias=dias)[tarde].to_dict("records"):
        hallazgos.problemas.append(
            ubicador.en_actividad(
                Codigo.X11,
                r,
                "fecha_entrega_informe",
                dias=plazo,
                **_situacion(r, int(r["_dias"])),
            )
        )


def estados_sin_actualizar(
    actividades: pd.DataFrame, ubicador: Ubicador, hallazgos: Hallazgos
) -> None:
    """X15: Programada o Reprogramada con fecha vigente anterior a la Fecha de corte de su archivo."""
    vigente = fecha_vigente(actividades)
    atrasadas = actividades["estado"].isin(ACTIVIDAD_PENDIENTE) & (
        vigente < actividades["fecha_corte"]
    )
    marco = actividades.assign(_vigente=vigente)[atrasadas.fillna(False).astype(bool)]
    for r in marco.to_dict("records"):
        cual = "Fecha programada" if r["_vigente"] == r["fecha_programada"] else "Nueva fecha"
        hallazgos.problemas.append(
            ubicador.en_actividad(
                Codigo.X15,
                r,
                "estado",
                estado=r["estado"],
                fecha_vigente=f"{cual} ({r['_vigente']:%d/%m/%Y})",
                corte=f"{r['fecha_corte']:%d/%m/%Y}",
            )
        )


def _situacion(r: dict, dias: int) -> dict[str, Any]:
    sesion = f"{r['fecha_realizacion']:%d/%m/%Y}"
    if pd.notna(r["fecha_entrega_informe"]):
        return {
            "situacion": f"se entregó el {r['fecha_entrega_informe']:%d/%m/%Y}, "
            f"{_dias(dias)} después de la sesión del {sesion}",
            "accion": "Si la fecha es correcta, entregue a tiempo los próximos informes.",
        }
    return {
        "situacion": f"no se ha entregado y al corte del {r['fecha_corte']:%d/%m/%Y} ya pasaron "
        f"{_dias(dias)} desde la sesión del {sesion}",
        "accion": "Entregue el informe y registre la Fecha de entrega del informe.",
    }
