"""La calidad de los datos recibidos, por dirección: archivos, filas, errores y faltantes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.workbook import Workbook

from esquemas import PLANTILLAS
from pipeline.archivos import Estado
from pipeline.configuracion import Configuracion
from pipeline.informes.comun import Columna, Encabezado, Estilos, hoja_tabla

if TYPE_CHECKING:
    from pipeline.informes.datos import DatosInforme
    from pipeline.periodos import Periodo
    from pipeline.validacion.resultado import ResultadoValidacion

# Tipo de plantilla → columna de la tabla de calidad con los archivos recibidos de ese tipo.
RECIBIDOS = {
    "plan": "Planes recibidos",
    "cronograma": "Cronogramas recibidos",
    "asistencia": "Listas de asistencia recibidas",
    "evaluacion": "Evaluaciones recibidas",
    "compromisos": "Compromisos recibidos",
}
_TIPO_POR_TITULO = {p.titulo: p.tipo for p in PLANTILLAS.values()}

COLUMNAS = (
    Columna("Código", "codigo", ancho=9),
    Columna("Dirección", "direccion", ancho=26),
    *(Columna(titulo, tipo, "entero", ancho=10) for tipo, titulo in RECIBIDOS.items()),
    Columna("Archivos rechazados", "rechazados", "entero", ancho=10),
    Columna("Filas leídas", "filas_leidas", "entero", ancho=9),
    Columna("Filas rechazadas", "filas_rechazadas", "entero", ancho=10),
    Columna("Errores", "errores", "entero", ancho=9),
    Columna("Advertencias", "advertencias", "entero", ancho=12),
    Columna("Falta plan", "falta_plan", "sino", ancho=8),
    Columna("Falta cronograma", "falta_cronograma", "sino", ancho=12),
)
# §10.4: qué tan al día está cada dirección frente al corte de la corrida, y el aviso de §7.1.
COLUMNAS_VIGENCIA = (
    Columna("Fecha de corte del cronograma", "corte_cronograma", "fecha", ancho=11),
    Columna("Días antes del corte de la corrida", "dias_atraso", "entero", ancho=10),
    Columna("Datos incompletos", "incompletos", ancho=24),
)


def _fila_vacia(codigo: str, nombre: str) -> dict:
    return {
        "codigo": codigo,
        "direccion": nombre,
        **dict.fromkeys(RECIBIDOS, 0),
        "rechazados": 0,
        "filas_leidas": 0,
        "filas_rechazadas": 0,
        "errores": 0,
        "advertencias": 0,
    }


# La última tabla calculada: cada informe la pide varias veces (hojas, avisos, marcas) con los
# mismos datos; es la misma en todas las hojas y se calcula una vez por proceso.
_ULTIMA: tuple[ResultadoValidacion, Configuracion, pd.DataFrame] | None = None


def calidad_por_direccion(validacion: ResultadoValidacion, config: Configuracion) -> pd.DataFrame:
    """Una fila por dirección configurada (y por carpeta desconocida con archivos) y el total."""
    global _ULTIMA
    if _ULTIMA is not None and _ULTIMA[0] is validacion and _ULTIMA[1] is config:
        return _ULTIMA[2].copy()
    tabla = _calidad_por_direccion(validacion, config)
    _ULTIMA = (validacion, config, tabla)
    return tabla.copy()


def _calidad_por_direccion(validacion: ResultadoValidacion, config: Configuracion) -> pd.DataFrame:
    filas = {d.codigo: _fila_vacia(d.codigo, d.nombre) for d in config.direcciones}
    codigos: dict[str, str] = {}  # carpeta → código (una búsqueda por carpeta, no por archivo)
    for a in validacion.archivos:
        if a.estado is Estado.IGNORADO:
            continue
        if a.direccion not in codigos:
            d = config.por_codigo(a.direccion) if a.direccion else None
            codigos[a.direccion] = d.codigo if d else (a.direccion or "(sin carpeta)")
        codigo = codigos[a.direccion]
        fila = filas.setdefault(codigo, _fila_vacia(codigo, "Carpeta no configurada"))
        tipo = _TIPO_POR_TITULO.get(a.tipo, "")
        if a.estado is Estado.RECHAZADO:
            fila["rechazados"] += 1
        elif tipo:
            fila[tipo] += 1
        if a.estado is not Estado.REEMPLAZADO:  # sus filas no se usan, pero no son rechazadas
            fila["filas_leidas"] += a.filas_leidas
            fila["filas_rechazadas"] += max(a.filas_leidas - a.filas_aceptadas, 0)
        fila["errores"] += a.errores
        fila["advertencias"] += a.advertencias
    tabla = pd.DataFrame(list(filas.values()), columns=[c.clave for c in COLUMNAS[:-2]])
    tabla["falta_plan"] = tabla["plan"] == 0
    tabla["falta_cronograma"] = tabla["cronograma"] == 0
    total = tabla.drop(columns=["codigo", "direccion"]).sum(numeric_only=True)
    total_fila = {"codigo": "", "direccion": "Total entidad", **total.to_dict()}
    total_fila["falta_plan"] = total_fila["falta_cronograma"] = None
    return pd.concat([tabla, pd.DataFrame([total_fila])], ignore_index=True)


def calidad_del_periodo(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """La calidad por dirección más su fecha de corte frente a la de la corrida y el aviso."""
    # Importación diferida: incompletos se apoya en calidad_por_direccion.
    from pipeline.informes.incompletos import cortes_cronograma, motivos_por_direccion

    tabla = calidad_por_direccion(datos.validacion, datos.consolidado.config)
    cortes = cortes_cronograma(datos)
    motivos = motivos_por_direccion(datos, periodo)
    corte = pd.Timestamp(datos.consolidado.corte)
    fechas = pd.to_datetime(pd.Series([cortes.get(c) for c in tabla["codigo"]], dtype=object))
    tabla["corte_cronograma"] = fechas
    tabla["dias_atraso"] = (corte - fechas).dt.days
    tabla["incompletos"] = ["; ".join(motivos.get(c, [])) for c in tabla["codigo"]]
    return tabla


def hoja_calidad(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Calidad de datos` de un informe."""
    corte = datos.consolidado.corte
    hoja_tabla(
        libro,
        estilos,
        "Calidad de datos",
        enc,
        "Archivos y filas recibidos por dirección (según el reporte de validación) y fecha de "
        f"corte de cada cronograma frente al corte de la corrida ({corte:%d/%m/%Y})",
        (*COLUMNAS, *COLUMNAS_VIGENCIA),
        calidad_del_periodo(datos, periodo),
        fijas=2,
        negrita_ultima=True,
    )
