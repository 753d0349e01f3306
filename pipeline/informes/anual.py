"""Informe final de la vigencia: `informes/informe_anual_<vigencia>.xlsx` (§7)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook

from esquemas.vocabulario import Orden
from pipeline import indicadores as ind
from pipeline.divipola import cargar_divipola
from pipeline.escritura import AZUL_MEDIO, AZUL_OSCURO, COLORES_GRAFICA
from pipeline.informes import alertas as al
from pipeline.informes import incompletos, metas
from pipeline.informes.calidad import hoja_calidad
from pipeline.informes.cambios_cierre import hoja_cambios_cierre
from pipeline.informes.comun import (
    FILA_ENCABEZADO,
    Adicional,
    Cabecera,
    Columna,
    DatosInforme,
    Encabezado,
    Estilos,
    acumulacion,
    anchos,
    columnas_direccion,
    eje_conteos,
    encabezado,
    escribir_tabla,
    hoja_metadatos,
    hoja_tabla,
    hojas_por_direccion_y_tema,
    libro_informe,
    nueva_hoja,
    preparar_tabla,
    resumen_entidad,
    seleccion,
    tipo_indicador,
)
from pipeline.informes.mapa import dibujar_mapa
from pipeline.informes.notas import hoja_notas
from pipeline.informes.resumen_ejecutivo import cabecera
from pipeline.informes.textos_equipo import hoja_conclusiones
from pipeline.informes.tipo_servicio import hoja_tipo_servicio
from pipeline.informes.trimestral import hoja_alertas, hoja_compromisos
from pipeline.periodos import Periodo

INFORME = "Informe final de la asistencia técnica"
ORDINALES = ("Primer", "Segundo", "Tercer", "Cuarto")
SEXOS = ("Mujer", "Hombre", "Intersexual")
DIMENSIONES = tuple(f.nombre for f in ind.FICHAS if f.clase is ind.Clase.PROMEDIO)


def ruta_anual(carpeta_vigencia: Path, vigencia: int) -> Path:
    """`informes/informe_anual_<vigencia>.xlsx`."""
    return carpeta_vigencia / "informes" / f"informe_anual_{vigencia}.xlsx"


def _realizadas(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """R(P): actividades realizadas en el periodo."""
    return datos.consolidado.actividades[ind.en_r(datos.consolidado, periodo)]


def hoja_resumen(
    libro: Workbook,
    estilos: Estilos,
    enc: Encabezado,
    datos: DatosInforme,
    periodo: Periodo,
    cabecera: Cabecera,
) -> None:
    """Hoja `Resumen de la vigencia`: aviso, Resumen ejecutivo e indicadores de la entidad."""
    columnas = [
        Columna("Indicador", "indicador", ancho=36),
        Columna("Valor", "valor", "indicador", ancho=14, semaforo="semaforo"),
        Columna("Semáforo", "semaforo", "semaforo", ancho=11),
        Columna("Numerador", "numerador", "entero", ancho=12),
        Columna("Denominador", "denominador", "entero", ancho=12),
    ]
    hoja_tabla(
        libro,
        estilos,
        "Resumen de la vigencia",
        enc,
        "Indicadores de la entidad en la vigencia",
        columnas,
        resumen_entidad(datos.indicadores, periodo.codigo),
        cabecera=cabecera,
    )


def por_trimestre(datos: DatosInforme) -> tuple[pd.DataFrame, list[Columna]]:
    """Indicadores de la entidad de T1 a T4, uno al lado del otro."""
    vigencia = datos.consolidado.vigencia
    tabla = pd.DataFrame(
        {"indicador": list(ind.INDICADORES), "tipo": [tipo_indicador(n) for n in ind.INDICADORES]}
    )
    columnas = [Columna("Indicador", "indicador", ancho=36)]
    trimestres = {p.numero: p for p in datos.periodos if p.clase == "trimestre"}
    for n in range(1, 5):
        periodo = trimestres.get(n)
        if periodo is None:
            titulo = f"{ORDINALES[n - 1]} trimestre {vigencia} (sin iniciar)"
            tabla[f"T{n}"], tabla[f"S{n}"] = None, ""
        else:
            titulo = periodo.titulo
            valores = resumen_entidad(datos.indicadores, periodo.codigo)
            tabla[f"T{n}"], tabla[f"S{n}"] = valores["valor"], valores["semaforo"]
        columnas.append(Columna(titulo, f"T{n}", "indicador", ancho=16, semaforo=f"S{n}"))
    # Los acumulados de T2–T4 incluyen los trimestres anteriores: no se suman.
    tabla["acumulacion"] = [acumulacion(n) for n in ind.INDICADORES]
    columnas.append(Columna("Acumulación", "acumulacion", ancho=16))
    return tabla, columnas


def hoja_por_trimestre(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme
) -> None:
    """Hoja `Por trimestre` con la gráfica de actividades programadas y realizadas."""
    tabla, columnas = por_trimestre(datos)
    hoja = hoja_tabla(
        libro,
        estilos,
        "Por trimestre",
        enc,
        "Indicadores de la entidad por trimestre",
        columnas,
        tabla,
    )
    grafica = libro.add_chart({"type": "column"})
    for i, color in ((1, AZUL_MEDIO), (2, AZUL_OSCURO)):
        fila = FILA_ENCABEZADO + i
        grafica.add_series(
            {
                "name": ["Por trimestre", fila, 0],
                "categories": ["Por trimestre", FILA_ENCABEZADO, 1, FILA_ENCABEZADO, 4],
                "values": ["Por trimestre", fila, 1, fila, 4],
                "fill": {"color": color},
                "data_labels": {"value": True},
            }
        )
    grafica.set_title({"name": "Actividades programadas y realizadas", "name_font": {"size": 12}})
    maximo = pd.to_numeric(tabla.loc[:1, ["T1", "T2", "T3", "T4"]].stack()).max()
    grafica.set_y_axis(eje_conteos(0 if pd.isna(maximo) else float(maximo)))
    grafica.set_legend({"position": "bottom"})
    grafica.set_size({"width": 620, "height": 340})
    hoja.insert_chart(FILA_ENCABEZADO, 6, grafica)


def cobertura(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """Por departamento: municipios atendidos (plan) y con asistentes, de los de DIVIPOLA."""
    divipola = cargar_divipola()
    act = _realizadas(datos, periodo)
    dpto = act["departamento_plan"].map(lambda v: divipola.departamento(v) if v else None)
    personas = datos.consolidado.personas
    personas = personas[personas["id_actividad"].isin(set(act["id_actividad"]))]
    # El municipio del asistente es su código DIVIPOLA de cinco dígitos: empieza por el del depto.
    con_asistentes = pd.Series(personas["municipio"].dropna().unique(), dtype=object)
    filas = []
    for codigo, nombre in sorted(divipola.departamentos.items()):
        del_dpto = act[(dpto == codigo).fillna(False).to_numpy()]
        municipios = {
            divipola.municipio(m, codigo)[0] for m in del_dpto["municipio_plan"].dropna() if m
        }
        municipios.discard(None)
        asistentes_en = int(con_asistentes.str.startswith(codigo).sum())
        total = len(divipola.municipios_de(codigo))
        filas.append(
            {
                "codigo": codigo,
                "departamento": nombre,
                "atendidos": len(municipios),
                "con_asistentes": asistentes_en,
                "total": total,
                "cobertura": 100 * len(municipios) / total if total else None,
                "cobertura_asistentes": 100 * asistentes_en / total if total else None,
                "actividades": len(del_dpto),
                "asistentes": int(del_dpto["asistentes"].sum()),
            }
        )
    return pd.DataFrame(filas)


COLUMNAS_COBERTURA = (
    Columna("Código DANE", "codigo", ancho=8),
    Columna("Departamento", "departamento", ancho=28),
    Columna("Municipios atendidos", "atendidos", "entero", ancho=11),
    Columna("Municipios con asistentes", "con_asistentes", "entero", ancho=11),
    Columna("Municipios del departamento", "total", "entero", ancho=13),
    Columna("Cobertura municipal (%)", "cobertura", "porcentaje", ancho=11),
    Columna("Cobertura con asistentes (%)", "cobertura_asistentes", "porcentaje", ancho=12),
    Columna("Actividades realizadas", "actividades", "entero", ancho=11),
    Columna("Asistentes", "asistentes", "entero", ancho=11),
)
LEYENDA_MAPA = "Municipios con asistentes / municipios del departamento (%). Gris: sin asistentes."


def hoja_cobertura(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Cobertura territorial` con el mapa de Colombia coloreado por municipios con
    asistentes (el alcance real; los municipios atendidos del plan van en la tabla)."""
    tabla = cobertura(datos, periodo)
    hoja = hoja_tabla(
        libro,
        estilos,
        "Cobertura territorial",
        enc,
        "Municipios atendidos (municipio del ítem del plan de cada actividad realizada) y "
        "municipios con asistentes (municipio de cada asistente). El mapa colorea los municipios "
        "con asistentes.",
        COLUMNAS_COBERTURA,
        tabla,
        fijas=2,
    )
    con_asistentes = tabla[tabla["con_asistentes"] > 0]
    imagen = dibujar_mapa(
        dict(
            zip(
                con_asistentes["codigo"],
                con_asistentes["cobertura_asistentes"].fillna(0),
                strict=True,
            )
        ),
        f"Municipios con asistentes — {enc.periodo}",
        LEYENDA_MAPA,
    )
    hoja.insert_image(
        FILA_ENCABEZADO,
        len(COLUMNAS_COBERTURA) + 1,
        "mapa.png",
        {"image_data": io.BytesIO(imagen), "x_scale": 0.8, "y_scale": 0.8, "object_position": 3},
    )


def participacion(datos: DatosInforme, periodo: Periodo) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Asistentes por sexo y actividades y asistentes por orden, en R(P)."""
    act = _realizadas(datos, periodo)
    personas = datos.consolidado.personas
    personas = personas[personas["id_actividad"].isin(set(act["id_actividad"]))]
    sexo = personas["sexo"].astype(object).where(personas["sexo"].isin(SEXOS), "Sin información")
    conteo = sexo.value_counts().reindex([*SEXOS, "Sin información"], fill_value=0)
    total = int(conteo.sum())
    por_sexo = pd.DataFrame(
        {
            "grupo": list(conteo.index) + ["Total"],
            "asistentes": [*conteo.to_list(), total],
            "porcentaje": [100 * v / total if total else None for v in conteo]
            + [100.0 if total else None],
        }
    )
    orden = act["orden"].astype(object).where(act["orden"].notna(), "Sin información")
    grupos = act.assign(orden=orden).groupby("orden", sort=True)
    por_orden = pd.DataFrame(
        {"actividades": grupos.size(), "asistentes": grupos["asistentes"].sum()}
    ).reindex([o.value for o in Orden], fill_value=0)
    asistentes = int(por_orden["asistentes"].sum())
    por_orden = por_orden.reset_index(names="grupo")
    por_orden["porcentaje"] = [
        100 * v / asistentes if asistentes else None for v in por_orden["asistentes"]
    ]
    return por_sexo, por_orden


def hoja_participacion(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Participación`: asistentes por sexo y por orden de la asistencia."""
    por_sexo, por_orden = participacion(datos, periodo)
    columnas_sexo = [
        Columna("Sexo", "grupo", ancho=20),
        Columna("Asistentes", "asistentes", "entero", ancho=12),
        Columna("Participación (%)", "porcentaje", "porcentaje", ancho=14),
        Columna("Actividades realizadas", "actividades", "entero", ancho=12),
    ]
    hoja = nueva_hoja(
        libro,
        estilos,
        "Participación",
        enc,
        "Asistentes por sexo",
        [c.ancho for c in columnas_sexo],
    )
    anchos(hoja, columnas_sexo)
    siguiente = escribir_tabla(
        hoja,
        estilos,
        FILA_ENCABEZADO,
        columnas_sexo[:3],
        por_sexo,
        filtro=False,
        negrita_ultima=True,
    )
    hoja.write_string(siguiente - 1, 0, "Asistentes por orden", estilos["seccion"])
    columnas_orden = [Columna("Orden", "grupo", ancho=20), *columnas_sexo[3:], *columnas_sexo[1:3]]
    escribir_tabla(hoja, estilos, siguiente, columnas_orden, por_orden, filtro=False)
    preparar_tabla(hoja, FILA_ENCABEZADO, 0)


def satisfaccion(datos: DatosInforme, periodo: Periodo) -> pd.DataFrame:
    """Evaluaciones, satisfacción y promedio de cada dimensión por dirección y para la entidad."""
    nombres = ["Evaluaciones", "Satisfacción (%)", *DIMENSIONES]
    filas = []
    for d in datos.consolidado.config.direcciones:
        valores = seleccion(datos.indicadores, periodo.codigo, "dirección")
        valores = valores[valores["direccion"] == d.codigo].set_index("indicador")
        filas.append({"direccion": d.codigo, "nombre": d.nombre, **_valores(valores, nombres)})
    total = seleccion(datos.indicadores, periodo.codigo, "entidad").set_index("indicador")
    tabla = incompletos.marcar(
        pd.DataFrame(filas), incompletos.motivos_por_direccion(datos, periodo)
    )
    fila_total = {"direccion": "", "nombre": "Total entidad", **_valores(total, nombres)}
    return pd.concat([tabla, pd.DataFrame([fila_total])], ignore_index=True).fillna(
        {"incompletos": "", "color_incompletos": ""}
    )


def _valores(filas: pd.DataFrame, nombres: list[str]) -> dict:
    resultado = {}
    for n in nombres:
        resultado[n] = filas["valor"].get(n) if n in filas.index else None
        resultado[f"{n} · semáforo"] = filas["semaforo"].get(n, "") if n in filas.index else ""
    return resultado


_PRIMERA_DIMENSION = 5  # Código, Dirección, Datos incompletos, Evaluaciones, Satisfacción (%)


def hoja_satisfaccion(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Satisfacción` con la gráfica del promedio de cada dimensión por dirección."""
    tabla = satisfaccion(datos, periodo)
    columnas = [
        *columnas_direccion(),
        Columna("Evaluaciones", "Evaluaciones", "entero", ancho=12),
        Columna(
            "Satisfacción (%)", "Satisfacción (%)", "porcentaje", 13, "Satisfacción (%) · semáforo"
        ),
        *(Columna(n, n, "decimal", ancho=13) for n in DIMENSIONES),
    ]
    hoja = hoja_tabla(
        libro,
        estilos,
        "Satisfacción",
        enc,
        "Resultados de las evaluaciones por dimensión (promedio de 1 a 5) y dirección",
        columnas,
        tabla,
        fijas=2,
        negrita_ultima=True,
    )
    grafica = libro.add_chart({"type": "column"})
    colores = COLORES_GRAFICA
    for i in range(len(tabla)):
        fila = FILA_ENCABEZADO + 1 + i
        grafica.add_series(
            {
                "name": ["Satisfacción", fila, 1],
                "categories": [
                    "Satisfacción",
                    FILA_ENCABEZADO,
                    _PRIMERA_DIMENSION,
                    FILA_ENCABEZADO,
                    _PRIMERA_DIMENSION + len(DIMENSIONES) - 1,
                ],
                "values": [
                    "Satisfacción",
                    fila,
                    _PRIMERA_DIMENSION,
                    fila,
                    _PRIMERA_DIMENSION + len(DIMENSIONES) - 1,
                ],
                "fill": {"color": colores[i % len(colores)]},
            }
        )
    grafica.set_title({"name": "Promedio por dimensión y dirección", "name_font": {"size": 12}})
    grafica.set_y_axis({"min": 0, "max": 5, "major_unit": 1})
    grafica.set_legend({"position": "bottom"})
    grafica.set_size({"width": 760, "height": 360})
    hoja.insert_chart(FILA_ENCABEZADO + len(tabla) + 3, 0, grafica)


# Sin departamento ni municipio (están en la matriz): así la hoja cabe en una carta de ancho.
COLUMNAS_PLAN = (
    Columna("ID asistencia", "id_asistencia", ancho=14),
    Columna("Dirección", "direccion", ancho=9),
    Columna("Tema", "tema", ancho=24),
    Columna("Entidad beneficiaria", "entidad_beneficiaria", ancho=22),
    Columna("Sesiones programadas", "sesiones_programadas", "entero", ancho=11),
    Columna("Actividades programadas", "Actividades programadas", "entero", ancho=11),
    Columna("Actividades realizadas", "Actividades realizadas", "entero", ancho=11),
    Columna(
        "Avance acumulado (%)", "Avance acumulado (%)", "porcentaje", 11, ind.SEMAFORO_DEL_AVANCE
    ),
    Columna(ind.SEMAFORO_DEL_AVANCE, ind.SEMAFORO_DEL_AVANCE, "semaforo", ancho=10),
    Columna("Participantes esperados", "participantes_esperados", "entero", ancho=12),
    Columna("Asistentes", "Asistentes", "entero", ancho=10),
    Columna(metas.PARTICIPANTES, metas.PARTICIPANTES, "porcentaje", ancho=13),
    Columna("Presupuesto (COP)", "presupuesto", "moneda", ancho=14),
    Columna("Compromisos pendientes", "Compromisos pendientes", "entero", ancho=12),
    Columna("Profesional responsable", "profesional_responsable", ancho=20),
)


def hoja_cumplimiento(
    libro: Workbook, estilos: Estilos, enc: Encabezado, datos: DatosInforme, periodo: Periodo
) -> None:
    """Hoja `Cumplimiento del plan`: cada ítem y cada dirección frente a sus propias metas."""
    plan = ind.indicadores_por_item(datos.consolidado, periodo)
    plan = metas.con_presupuesto(plan, datos.consolidado)
    plan = plan.sort_values(["direccion", "id_asistencia"], kind="stable")
    hoja_tabla(
        libro,
        estilos,
        "Cumplimiento del plan",
        enc,
        "Avance de cada ítem del plan frente a sus sesiones, participantes esperados y presupuesto",
        COLUMNAS_PLAN,
        plan,
        adicionales=[
            Adicional(
                "Metas del plan por dirección",
                metas.COLUMNAS_DIRECCION,
                metas.metas_por_direccion(datos, periodo),
            )
        ],
    )


def escribir_informe_anual(datos: DatosInforme, ruta: Path) -> Path:
    """Escribe el informe final de la vigencia en `ruta` (atómico, bytes reproducibles)."""
    periodo = next(p for p in datos.periodos if p.clase == "vigencia")
    enc = encabezado(datos, INFORME, periodo)
    alertas = al.alertas(datos, periodo, solo_del_periodo=False)
    with libro_informe(ruta, datos.fecha_documento) as (libro, estilos):
        hoja_resumen(libro, estilos, enc, datos, periodo, cabecera(datos, periodo, alertas))
        hojas_por_direccion_y_tema(libro, estilos, enc, datos, periodo)
        hoja_por_trimestre(libro, estilos, enc, datos)
        hoja_cobertura(libro, estilos, enc, datos, periodo)
        hoja_participacion(libro, estilos, enc, datos, periodo)
        hoja_satisfaccion(libro, estilos, enc, datos, periodo)
        hoja_tipo_servicio(libro, estilos, enc, datos, periodo)
        hoja_cumplimiento(libro, estilos, enc, datos, periodo)
        hoja_alertas(
            libro, estilos, enc, alertas, f"Alertas abiertas al {datos.consolidado.corte:%d/%m/%Y}"
        )
        hoja_compromisos(libro, estilos, enc, datos, periodo)
        hoja_calidad(libro, estilos, enc, datos, periodo)
        hoja_cambios_cierre(libro, estilos, enc, datos)  # §10.2
        hoja_conclusiones(libro, estilos, enc, datos.textos_equipo.get(periodo.codigo))  # §10.3
        hoja_metadatos(libro, estilos, datos, enc, enc.periodo)
        hoja_notas(libro, estilos, enc, datos.consolidado.config.parametros)
    return ruta
