"""Reglas X1–X4: identificadores únicos en la vigencia y referencias plan → cronograma → evidencias.

Una referencia puede estar bien, apuntar a una fila excluida (DEPENDE_DE_EXCLUIDA: primero se corrige
el error de origen) o no existir (X3, X4). Las exclusiones se encadenan porque cada nivel se compara
solo con las filas que sobrevivieron al nivel anterior.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.lectura import LibroLeido
from pipeline.normalizacion import fecha, texto
from pipeline.problemas import Codigo, Problema, titulo
from pipeline.validacion.contexto import Contexto
from pipeline.validacion.hallazgos import Hallazgos, Ubicador, agrupar, apilar, enumerar, llave

OK, EXCLUIDA, DESCONOCIDA = "ok", "excluida", "desconocida"


def marco(tabla: pd.DataFrame, nombre: str, valida: bool = True) -> pd.DataFrame:
    """archivo, fila, vigencia, dirección, valor del ID y sus llaves (con y sin dirección)."""
    vigencia = tabla["vigencia"].astype("int64")
    return pd.DataFrame(
        {
            "archivo": tabla["archivo"],
            "fila": tabla["fila"].astype("int64"),
            "vigencia": vigencia,
            "direccion": tabla["direccion"],
            "valor": tabla[nombre],
            "llave": llave(vigencia, tabla[nombre], tabla["direccion"]),
            "global": llave(vigencia, tabla[nombre]),
            "valida": valida,
            "rechazado": False,
        },
        index=tabla.index,
    )


def por_archivo(tabla: pd.DataFrame) -> pd.DataFrame:
    """Un renglón por archivo de lista o evaluación, con su ficha (ID y fecha de la actividad)."""
    primeras = tabla.drop_duplicates("archivo")
    resultado = marco(primeras, "id_actividad")
    resultado["fecha_actividad"] = primeras["fecha_actividad"]
    return resultado.reset_index(drop=True)


def conocidas(
    tipo: str, nombre: str, previas: pd.DataFrame, ubicador: Ubicador, contexto: Contexto
) -> pd.DataFrame:
    """Filas de `tipo` que existen pero no pasaron la validación de campos o de ficha.

    Llevan el valor crudo de `nombre` (un archivo a la vez, sin recorrer fila por fila).
    """
    filas = previas.loc[previas["tipo"] == tipo, ["archivo", "fila"]]
    de_rechazados = [
        pd.DataFrame({"archivo": libro.entrada.relativa, "fila": libro.datos.index})
        for libro in ubicador.libros(tipo)
        if libro.rechazado and libro.datos is not None and not libro.datos.empty
    ]
    filas = pd.concat([filas, *de_rechazados], ignore_index=True).drop_duplicates()
    partes = [
        _crudas(str(archivo), grupo["fila"], nombre, ubicador, contexto)
        for archivo, grupo in filas.groupby("archivo", sort=False)
    ]
    crudas = apilar(
        [_crudas("", pd.Series([], dtype="int64"), nombre, ubicador, contexto), *partes]
    )
    resultado = marco(crudas, "id", valida=False)
    resultado["rechazado"] = crudas["rechazado"].astype(bool)
    return resultado


def _crudas(
    archivo: str, filas: pd.Series, nombre: str, ubicador: Ubicador, contexto: Contexto
) -> pd.DataFrame:
    vigencia, direccion, rechazado = origen(ubicador.libro(archivo), contexto)
    return pd.DataFrame(
        {
            "archivo": pd.Series(archivo, index=range(len(filas)), dtype=object),
            "fila": filas.to_numpy(dtype="int64"),
            "vigencia": vigencia,
            "direccion": direccion,
            "rechazado": rechazado,
            "id": ubicador.crudos(archivo, filas, nombre).map(texto).astype(object),
        }
    )


def referencias_excluidas(
    tipo: str, nombre: str, previas: pd.DataFrame, ubicador: Ubicador, contexto: Contexto
) -> pd.DataFrame:
    """Filas excluidas por sus campos, en archivos aceptados, cuya referencia `nombre` tiene valor.

    Su referencia se revisa igual (§5: todos los problemas en una corrida); si está vacía, el error
    de campo ya lo dice.
    """
    filas = conocidas(tipo, nombre, previas, ubicador, contexto)
    return filas[~filas["rechazado"] & (filas["llave"] != "")].reset_index(drop=True)


def fichas_sin_filas_validas(
    tipo: str, presentes: set[str], ubicador: Ubicador, contexto: Contexto
) -> pd.DataFrame:
    """Como `por_archivo`, para las listas o evaluaciones aceptadas con todas sus filas excluidas."""
    registros = [
        (
            libro.entrada.relativa,
            int(libro.datos.index[0]),
            *origen(libro, contexto)[:2],
            texto(libro.ficha.get("id_actividad")),
            _fecha(libro.ficha.get("fecha_actividad")),
        )
        for libro in ubicador.libros(tipo)
        if not libro.rechazado
        and libro.datos is not None
        and not libro.datos.empty
        and libro.entrada.relativa not in presentes
    ]
    columnas = ["archivo", "fila", "vigencia", "direccion", "id_actividad", "fecha_actividad"]
    crudas = pd.DataFrame(registros, columns=columnas, dtype=object)
    resultado = marco(crudas, "id_actividad", valida=False)
    resultado["fecha_actividad"] = pd.to_datetime(crudas["fecha_actividad"]).astype(
        "datetime64[ns]"
    )
    return resultado[resultado["llave"] != ""].reset_index(drop=True)


def _fecha(valor: object) -> dt.date | None:
    # La ficha de un archivo aceptado ya pasó la validación: una fecha inválida no llega aquí.
    convertida = fecha(valor)
    return convertida if isinstance(convertida, dt.date) else None


def origen(libro: LibroLeido | None, contexto: Contexto) -> tuple[int, str, bool]:
    """Vigencia y dirección de la carpeta (la ficha de un archivo excluido puede estar mal) y si se rechazó."""
    vigencia, direccion, rechazado = contexto.vigencia, "", True
    if libro is not None:
        vigencia = libro.entrada.vigencia_carpeta or vigencia
        encontrada = contexto.config.direccion(libro.entrada.direccion_carpeta)
        direccion = encontrada.codigo if encontrada else libro.entrada.direccion_carpeta
        rechazado = libro.rechazado
    return (int(vigencia) if str(vigencia).isdigit() else 0), direccion, rechazado


def repetidos(
    filas: pd.DataFrame,
    tipo: str,
    nombre: str,
    codigo: Codigo,
    ubicador: Ubicador,
    hallazgos: Hallazgos,
) -> None:
    """X1/X2: todas las apariciones de un ID repetido en la vigencia son error y se excluyen.

    Cuentan también las filas excluidas por errores de campo (el ID repetido es otro error que el
    usuario debe ver en la misma corrida), pero no las de archivos rechazados por su ficha: su
    vigencia o su dirección no son confiables.
    """
    con_id = filas[(filas["global"] != "") & ~filas["rechazado"]]
    rep = con_id[con_id.duplicated("global", keep=False)]
    for grupo in agrupar(rep, ["global"]):
        for i, r in enumerate(grupo):
            lugares = [
                ubicador.lugar_desde(r["archivo"], tipo, o["archivo"], o["fila"], nombre)
                for o in grupo
            ]
            hallazgos.problemas.append(
                ubicador.en_dato(
                    codigo,
                    tipo,
                    r["archivo"],
                    r["fila"],
                    nombre,
                    r["valor"],
                    r["direccion"],
                    otros=enumerar(lugares[:i] + lugares[i + 1 :]),
                )
            )
    hallazgos.excluir(tipo, rep[rep["valida"]], codigo)


def resolver(refs: pd.DataFrame, destino: pd.DataFrame) -> pd.DataFrame:
    """Añade a cada referencia su `estado` y, si apunta a una fila excluida, dónde está esa fila.

    `destino` trae todas las filas conocidas del nivel anterior con la columna `viva`.
    """
    con_llave = destino[destino["llave"] != ""]
    vivas = set(con_llave.loc[con_llave["viva"], "llave"])
    muertas = con_llave[~con_llave["viva"]].sort_values(["archivo", "fila"])
    muertas = muertas.drop_duplicates("llave")[["llave", "archivo", "fila"]].rename(
        columns={"archivo": "destino_archivo", "fila": "destino_fila"}
    )
    resultado = refs.reset_index(drop=True).merge(muertas, on="llave", how="left")
    estado = pd.Series(DESCONOCIDA, index=resultado.index, dtype=object)
    estado[resultado["destino_archivo"].notna()] = EXCLUIDA
    estado[resultado["llave"].isin(vivas)] = OK
    resultado["estado"] = estado
    return resultado


@dataclass(frozen=True)
class Referencia:
    """Qué se revisa: la columna (o campo de ficha) que apunta y el nivel al que apunta."""

    tipo: str
    nombre: str
    codigo: Codigo  # X3 o X4
    destino_tipo: str
    destino_nombre: str
    descripcion: str  # «el ID asistencia», «la actividad»
    en_ficha: bool = False  # listas y evaluaciones: un problema por archivo, en la ficha


def referencias_rotas(
    refs: pd.DataFrame,
    destino: pd.DataFrame,
    regla: Referencia,
    ubicador: Ubicador,
    hallazgos: Hallazgos,
) -> pd.DataFrame:
    """X3/X4 o DEPENDE_DE_EXCLUIDA por cada referencia que no llega a una fila válida.

    Devuelve las referencias rotas con su `codigo` (archivo, fila, codigo) para excluirlas.
    """
    resueltas = resolver(refs, destino)
    rotas = resueltas[resueltas["estado"] != OK].copy()
    rotas["codigo"] = rotas["estado"].map(
        {EXCLUIDA: Codigo.DEPENDE_DE_EXCLUIDA, DESCONOCIDA: regla.codigo}
    )
    for r in rotas.itertuples():
        datos: dict[str, Any] = {"vigencia": r.vigencia}
        raiz = None
        if r.estado == EXCLUIDA:
            raiz = hallazgos.causa(r.destino_archivo, r.destino_fila)
            datos |= _dependencia(r, regla, raiz, ubicador)
        if regla.en_ficha:
            nuevo = ubicador.en_ficha(
                r.codigo, regla.tipo, r.archivo, regla.nombre, r.valor, r.direccion, **datos
            )
        else:
            nuevo = ubicador.en_dato(
                r.codigo, regla.tipo, r.archivo, r.fila, regla.nombre, r.valor, r.direccion, **datos
            )
        hallazgos.depende(nuevo, raiz)
    return rotas


def _dependencia(r, regla: Referencia, raiz: Problema | None, ubicador: Ubicador) -> dict:
    """Qué excluyó la fila de la que depende esta: la celda del error de fondo en el otro archivo."""
    if raiz is not None and raiz.celda:
        campo = f" («{raiz.campo}»)" if raiz.campo else ""
        causa = f"{titulo(raiz.codigo)}{campo} en «{raiz.archivo}», celda {raiz.celda}"
        origen = raiz.archivo
    elif raiz is not None:
        causa, origen = f"{titulo(raiz.codigo)} en «{raiz.archivo}»", raiz.archivo
    else:
        lugar = ubicador.lugar_dato(
            regla.destino_tipo, r.destino_archivo, r.destino_fila, regla.destino_nombre
        )
        causa, origen = lugar, str(r.destino_archivo)
    if origen != r.archivo:
        accion = "Se aceptará cuando se corrija ese archivo; en este no hay nada que corregir."
    else:
        accion = "Corrija primero ese error y vuelva a validar."
    return {
        "dependencia": f"{regla.descripcion} «{r.valor}»",
        "causa": causa,
        "accion": accion,
        "origen": origen,
    }
