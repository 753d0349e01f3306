"""Plantilla → esquema de pandera: cada verificación es una regla con el código del catálogo.

Las columnas llegan crudas (tipo `object`): pandera no convierte tipos, porque una conversión fallida
oculta las verificaciones siguientes. Las verificaciones convierten cada columna por valor distinto
(`pd.factorize`) y, dentro de una corrida, comparten lo convertido con las demás reglas y con la tabla
tipada (`Conversiones`): validar 100 000 filas cuesta lo que cuesta convertir una vez sus valores únicos.
"""

from __future__ import annotations

import datetime as dt
import difflib
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa

from esquemas.modelo import Campo, Catalogo, Comparacion, Plantilla, Si, Tipo
from pipeline.normalizacion import (
    INVALIDO,
    clave,
    correo_valido,
    documento,
    entero,
    fecha,
    numero,
    telefono,
    texto,
)
from pipeline.problemas import Codigo
from pipeline.validacion.contexto import Contexto

# Fechas razonables: fuera de este rango es un error de digitación (y no cabe en datetime64[ns]).
ANIO_MINIMO, ANIO_MAXIMO = 1900, 2100


@dataclass(frozen=True)
class Regla:
    """Una verificación: su código del catálogo, la columna que señala y la prueba vectorizada."""

    codigo: Codigo
    columna: str  # columna (nombre del campo) donde se señala el problema
    prueba: Callable[[pd.Series], pd.Series] | Callable[[pd.DataFrame], pd.Series]  # True = bien
    de_tabla: bool = False  # la prueba recibe todo el marco (reglas entre columnas)
    datos: Callable[[Mapping[str, object]], dict] | None = None  # datos del mensaje, por fila


@dataclass(frozen=True)
class Fallo:
    """Una regla que no se cumple en una fila del marco (posición = índice del marco)."""

    posicion: int
    regla: Regla


@dataclass(frozen=True)
class Esquema:
    """El DataFrameSchema de pandera y cómo volver de cada verificación a su regla."""

    schema: pa.DataFrameSchema
    por_columna: dict[tuple[str, int], Regla]
    por_tabla: dict[int, Regla]

    def fallos(self, marco: pd.DataFrame) -> list[Fallo]:
        """Valida el marco entero una sola vez y devuelve cada (fila, regla) que falla."""
        try:
            # inplace: sin copia del marco (no hay conversión de tipos) y las Conversiones de la
            # corrida reconocen sus columnas.
            self.schema.validate(marco, lazy=True, inplace=True)
        except pa.errors.SchemaErrors as exc:
            # Nunca se registra str(exc): trae los valores crudos (datos personales).
            return self._traducir(exc.failure_cases)
        return []

    def _traducir(self, casos: pd.DataFrame) -> list[Fallo]:
        casos = casos[["schema_context", "column", "check", "check_number", "index"]].copy()
        # Una regla de tabla que falla aparece una vez por columna: se deja una por fila.
        casos.loc[casos["schema_context"] == "DataFrameSchema", "column"] = None
        casos = casos.drop_duplicates(["schema_context", "column", "check_number", "index"])
        fallos = []
        for contexto, columna, nombre, numero_, indice in casos.itertuples(index=False):
            if contexto == "DataFrameSchema":
                regla = self.por_tabla.get(int(numero_))
            else:
                regla = self.por_columna.get((columna, int(numero_)))
            if regla is None or indice is None or pd.isna(indice):
                raise RuntimeError(f"La verificación «{nombre}» de «{columna}» no se pudo evaluar.")
            fallos.append(Fallo(int(indice), regla))
        return fallos


class Filas:
    """Acceso por posición a las filas del marco, rápido aunque fallen miles (marco.at es lento)."""

    def __init__(self, marco: pd.DataFrame) -> None:
        self._columnas = {c: marco[c].to_numpy(dtype=object) for c in marco.columns}

    def __getitem__(self, posicion: int) -> Mapping[str, object]:
        return _Fila(self._columnas, posicion)


@dataclass(frozen=True)
class _Fila(Mapping):
    columnas: dict[str, np.ndarray]
    posicion: int

    def __getitem__(self, nombre: str) -> object:
        return self.columnas[nombre][self.posicion]

    def __iter__(self):
        return iter(self.columnas)

    def __len__(self) -> int:
        return len(self.columnas)


def construir(campos: Sequence[Campo], reglas: Sequence[Regla]) -> Esquema:
    """Un pa.Column por campo (etiqueta, ayuda y campo como metadatos) y las reglas como Checks."""
    por_columna: dict[tuple[str, int], Regla] = {}
    columnas = {}
    for campo in campos:
        propias = [r for r in reglas if not r.de_tabla and r.columna == campo.nombre]
        for i, regla in enumerate(propias):
            por_columna[(campo.nombre, i)] = regla
        columnas[campo.nombre] = pa.Column(
            checks=[_check(r) for r in propias],
            nullable=True,
            title=campo.etiqueta,
            description=campo.ayuda,
            metadata={"campo": campo},
        )
    de_tabla = [r for r in reglas if r.de_tabla]
    schema = pa.DataFrameSchema(columnas, checks=[_check(r) for r in de_tabla])
    return Esquema(schema, por_columna, dict(enumerate(de_tabla)))


def _check(regla: Regla) -> pa.Check:
    return pa.Check(regla.prueba, name=regla.codigo, ignore_na=False, error=regla.codigo)


# Conversión memorizada por valor distinto -------------------------------------------------------


class Conversiones:
    """Lo convertido en una corrida de validación: cada valor distinto de una columna, una sola vez.

    Las reglas y la tabla tipada de una corrida comparten sus conversores y, por columna del marco,
    la factorización y el resultado de cada función sobre sus valores distintos (memoria que vive lo
    que vive la corrida). Una columna se reconoce por la memoria que ocupa: se guarda el arreglo, así
    que esa memoria no se reutiliza mientras tanto (el marco no se modifica al validarlo). Las
    funciones que se guardan son las de la corrida (conversores, `texto`), nunca una lambda por llamada.
    """

    def __init__(self, contexto: Contexto) -> None:
        self.contexto = contexto
        self._conversores: dict[Campo, Callable[[object], object]] = {}
        self._columnas: dict[tuple, _Columna] = {}
        self._por_columnas: dict[tuple, object] = {}

    def conversor(self, campo: Campo) -> Callable[[object], object]:
        """El conversor del campo (ver `conversor`), el mismo en toda la corrida."""
        if campo not in self._conversores:
            self._conversores[campo] = conversor(campo, self.contexto)
        return self._conversores[campo]

    def por_unicos(
        self, serie: pd.Series, funcion: Callable, vacio: object, dtype: type, base: Callable | None
    ) -> np.ndarray | None:
        """`funcion` de cada celda (o de `base` de la celda), una vez por columna y valor distinto.

        None si la serie no es de objetos (no es una columna del marco crudo).
        """
        columna = self._columna(serie)
        if columna is None:
            return None
        return columna.resultados(funcion, vacio, dtype, base)[columna.codigos]

    def por_columnas(self, nombre: str, series: Sequence[pd.Series], calcular: Callable) -> object:
        """`calcular()` una sola vez por corrida para esas columnas del marco (el mismo objeto)."""
        columnas = [self._columna(serie) for serie in series]
        if any(columna is None for columna in columnas):
            return calcular()
        # Las columnas se guardan toda la corrida: su id no se reutiliza.
        clave = (nombre, *(id(columna) for columna in columnas))
        if clave not in self._por_columnas:
            self._por_columnas[clave] = calcular()
        return self._por_columnas[clave]

    def _columna(self, serie: pd.Series) -> _Columna | None:
        if serie.dtype != object:
            return None
        arreglo = serie.to_numpy(dtype=object)  # la columna misma, sin copia
        clave = (arreglo.__array_interface__["data"][0], arreglo.shape, arreglo.strides)
        columna = self._columnas.get(clave)
        if columna is None:
            columna = self._columnas[clave] = _Columna(arreglo, *pd.factorize(arreglo))
        return columna


@dataclass
class _Columna:
    arreglo: np.ndarray  # mantiene viva la memoria que identifica la columna
    codigos: np.ndarray
    unicos: np.ndarray
    por_funcion: dict[tuple, np.ndarray] = field(default_factory=dict)

    def resultados(
        self, funcion: Callable, vacio: object, dtype: type, base: Callable | None
    ) -> np.ndarray:
        clave = (funcion, vacio, dtype, base)
        if clave not in self.por_funcion:
            valores = self.unicos if base is None else self.resultados(base, None, object, None)
            self.por_funcion[clave] = _resultados(
                valores[: len(self.unicos)], funcion, vacio, dtype
            )
        return self.por_funcion[clave]


def _resultados(unicos: np.ndarray, funcion: Callable, vacio: object, dtype: type) -> np.ndarray:
    resultados: np.ndarray = np.empty(len(unicos) + 1, dtype=dtype)
    resultados[:-1] = np.fromiter(map(funcion, unicos), dtype=dtype, count=len(unicos))
    resultados[-1] = vacio  # el código -1 de factorize (celda vacía) toma el último
    return resultados


def _por_unicos(
    serie: pd.Series,
    funcion: Callable,
    vacio: object,
    dtype: type,
    memo: Conversiones | None = None,
    base: Callable | None = None,
) -> np.ndarray:
    """`funcion(valor)` (o `funcion(base(valor))`) por valor distinto; `vacio` en celdas vacías."""
    if memo is not None:
        guardado = memo.por_unicos(serie, funcion, vacio, dtype, base)
        if guardado is not None:
            return guardado
    codigos, unicos = pd.factorize(serie.to_numpy(dtype=object))
    if base is not None:
        unicos = _resultados(unicos, base, None, object)[:-1]
    return _resultados(unicos, funcion, vacio, dtype)[codigos]


def mapear(
    serie: pd.Series, funcion: Callable[[object], object], memo: Conversiones | None = None
) -> pd.Series:
    """`funcion` aplicada a cada valor distinto de la serie; las celdas vacías dan None.

    Con `memo`, `funcion` debe ser de la corrida (no una lambda nueva) para que se reutilice.
    """
    return pd.Series(
        _por_unicos(serie, funcion, None, object, memo), index=serie.index, dtype=object
    )


def validos(
    serie: pd.Series, convertir: Callable[[object], object], memo: Conversiones | None = None
) -> pd.Series:
    """Los valores convertidos, con None donde la celda está vacía o no se pudo interpretar."""
    return pd.Series(
        _por_unicos(serie, _sin_invalido, None, object, memo, base=convertir),
        index=serie.index,
        dtype=object,
    )


def convertibles(
    serie: pd.Series, convertir: Callable[[object], object], memo: Conversiones | None = None
) -> pd.Series:
    """Verdadero donde la celda está vacía o `convertir` la pudo interpretar."""
    return pd.Series(
        _por_unicos(serie, _no_invalido, True, bool, memo, base=convertir),
        index=serie.index,
        dtype=bool,
    )


def _sin_invalido(convertido: object) -> object:
    return None if convertido is INVALIDO else convertido


def _no_invalido(convertido: object) -> bool:
    return convertido is not INVALIDO


def _no_nulo(convertido: object) -> bool:
    return convertido is not None


def por_pares(a: pd.Series, b: pd.Series, funcion: Callable[[object, object], object]) -> pd.Series:
    """`funcion(x, y)` evaluada una vez por cada par distinto de valores de dos series."""
    ca, ua = pd.factorize(a.to_numpy(dtype=object), use_na_sentinel=False)
    cb, ub = pd.factorize(b.to_numpy(dtype=object), use_na_sentinel=False)
    ua = [None if _nulo(x) else x for x in ua]
    ub = [None if _nulo(x) else x for x in ub]
    combinados, unicos = pd.factorize(ca.astype(np.int64) * len(ub) + cb)
    resultados = np.empty(len(unicos), dtype=object)
    for i, par in enumerate(unicos):
        resultados[i] = funcion(ua[par // len(ub)], ub[par % len(ub)])
    return pd.Series(resultados[combinados], index=a.index, dtype=object)


def _nulo(valor: object) -> bool:
    return valor is None or (isinstance(valor, float) and np.isnan(valor))


def _fecha(valor: object) -> object:
    resultado = fecha(valor)
    if isinstance(resultado, dt.date) and not ANIO_MINIMO <= resultado.year <= ANIO_MAXIMO:
        return INVALIDO
    return resultado


def _telefono(valor: object) -> object:
    t = telefono(valor)
    return t if t is None or (t.isdigit() and 7 <= len(t) <= 10) else INVALIDO


def _correo(valor: object) -> object:
    return texto(valor) if correo_valido(valor) else INVALIDO


def _catalogo(opciones: Sequence[str]) -> Callable[[object], object]:
    canonicos = {clave(o): o for o in opciones}
    return lambda v: canonicos.get(clave(v), INVALIDO)


def catalogo_de(campo: Campo, contexto: Contexto) -> list[str]:
    """Las opciones que ve el usuario para un campo de catálogo."""
    if campo.catalogo is Catalogo.DIRECCIONES:
        return [d.etiqueta for d in contexto.config.direcciones]
    if campo.catalogo is Catalogo.TEMAS:
        return [t for d in contexto.config.direcciones for t in d.temas]
    if campo.catalogo is Catalogo.DEPARTAMENTOS:
        return list(contexto.divipola.departamentos.values())
    return list(campo.opciones)


def conversor(campo: Campo, contexto: Contexto) -> Callable[[object], object]:
    """Valor crudo → valor del contrato (None si vacío, INVALIDO si no se puede interpretar)."""
    tipo, config, divipola = campo.tipo, contexto.config, contexto.divipola
    funcion: Callable[[object], object]
    if tipo is Tipo.FECHA:
        funcion = _fecha
    elif tipo in (Tipo.ENTERO, Tipo.ANIO):
        funcion = entero
    elif tipo is Tipo.NUMERO:
        funcion = numero
    elif tipo is Tipo.DOCUMENTO:
        funcion = documento
    elif tipo is Tipo.CORREO:
        funcion = _correo
    elif tipo is Tipo.TELEFONO:
        funcion = _telefono
    elif campo.catalogo is Catalogo.DIRECCIONES:
        funcion = lambda v: getattr(config.direccion(v), "codigo", INVALIDO)  # noqa: E731
    elif campo.catalogo is Catalogo.DEPARTAMENTOS:
        funcion = lambda v: divipola.departamento(v) or INVALIDO  # noqa: E731
    elif campo.catalogo is Catalogo.MUNICIPIOS:
        funcion = texto  # se resuelve con el departamento de la fila (municipios())
    elif campo.es_catalogo:
        funcion = _catalogo(catalogo_de(campo, contexto))
    else:
        funcion = texto

    if funcion is texto or funcion is documento:
        return funcion  # ya dan None en una celda vacía (y la regla del documento la comparte)

    def convertir(valor: object) -> object:
        return None if texto(valor) is None else funcion(valor)

    # Sin tope: vive lo que vive quien lo pidió (una corrida, ver Conversiones).
    return lru_cache(maxsize=None, typed=True)(convertir)


def sugerencia(valor: object, opciones: Sequence[str]) -> str:
    """« ¿Quiso decir «X»?» con la opción más parecida, o vacío."""
    claves = {clave(o): o for o in opciones}
    buscado = clave(valor)
    parecida = difflib.get_close_matches(buscado, list(claves), n=1, cutoff=0.6)
    if not parecida and len(buscado) >= 3:
        # Siglas o fragmentos («PISCC», «FURAG»): la única opción que los contiene.
        contienen = [k for k in claves if buscado in k]
        parecida = contienen if len(contienen) == 1 else []
    return f" ¿Quiso decir «{claves[parecida[0]]}»?" if parecida else ""


def ordinales(serie: pd.Series, memo: Conversiones | None = None) -> np.ndarray:
    """Fechas como número de día (NaN si vacía o inválida), para comparar en bloque."""
    return mapear(serie, _ordinal, memo).to_numpy(dtype=float)


def anios(serie: pd.Series, memo: Conversiones | None = None) -> np.ndarray:
    """Año de cada fecha (NaN si vacía o inválida)."""
    return mapear(serie, _anio, memo).to_numpy(dtype=float)


def _ordinal(valor: object) -> float:
    return getattr(_fecha(valor), "toordinal", lambda: np.nan)()


def _anio(valor: object) -> float:
    return getattr(_fecha(valor), "year", np.nan)


COMPARADORES = {"≥": operator.ge, "≤": operator.le}


def municipios(
    departamentos: pd.Series,
    crudos: pd.Series,
    contexto: Contexto,
    memo: Conversiones | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Código de cada municipio y, si no se pudo ubicar, el motivo (FalloMunicipio).

    Con `memo`, una sola vez por corrida (la regla X14 y la tabla tipada): no se deben modificar.
    """
    if memo is not None:
        calcular = lambda: _municipios(departamentos, crudos, contexto, memo)  # noqa: E731
        return memo.por_columnas("municipios", (departamentos, crudos), calcular)  # type: ignore[return-value]
    return _municipios(departamentos, crudos, contexto, memo)


def _municipios(
    departamentos: pd.Series, crudos: pd.Series, contexto: Contexto, memo: Conversiones | None
) -> tuple[pd.Series, pd.Series]:
    divipola = contexto.divipola
    dptos = mapear(departamentos, divipola.departamento, memo)

    def ubicar(dpto: object, valor: object) -> tuple:
        codigo = dpto if isinstance(dpto, str) else None  # None: sin departamento
        return divipola.municipio(valor, codigo) if texto(valor) else (None, None)

    codigos = por_pares(dptos, crudos, lambda d, v: ubicar(d, v)[0])
    fallos = por_pares(dptos, crudos, lambda d, v: ubicar(d, v)[1])
    return codigos, fallos


# Reglas de la plantilla ---------------------------------------------------------------------------

_CODIGO_TIPO = {
    Tipo.FECHA: Codigo.FECHA_INVALIDA,
    Tipo.ENTERO: Codigo.ENTERO_INVALIDO,
    Tipo.NUMERO: Codigo.NUMERO_INVALIDO,
    Tipo.CORREO: Codigo.CORREO_INVALIDO,
    Tipo.TELEFONO: Codigo.TELEFONO_INVALIDO,
}


def _lleno(serie: pd.Series, memo: Conversiones | None = None) -> pd.Series:
    return pd.Series(
        _por_unicos(serie, _no_nulo, False, bool, memo, base=texto), index=serie.index, dtype=bool
    )


def _fecha_texto(valor: object) -> str:
    f = _fecha(valor)
    return f"«{f:%d/%m/%Y}»" if isinstance(f, dt.date) else "(vacío)"


def _en_rango(campo: Campo, convertir: Callable[[object], object], memo: Conversiones) -> Callable:
    minimo = -np.inf if campo.minimo is None else campo.minimo
    maximo = np.inf if campo.maximo is None else campo.maximo

    def prueba(serie: pd.Series) -> pd.Series:
        valores = validos(serie, convertir, memo).to_numpy(dtype=float, na_value=np.nan)
        return pd.Series(
            np.isnan(valores) | ((valores >= minimo) & (valores <= maximo)), index=serie.index
        )

    return prueba


def _reglas_de_campo(campo: Campo, memo: Conversiones) -> list[Regla]:
    contexto = memo.contexto
    convertir = memo.conversor(campo)
    nombre = campo.nombre
    convertible = lambda s: convertibles(s, convertir, memo)  # noqa: E731
    lleno = lambda s: _lleno(s, memo)  # noqa: E731
    reglas = [Regla(Codigo.REQUERIDO, nombre, lleno)] if campo.requerido else []
    vigencia = lambda fila: {"ejemplo_anio": fila["_vigencia"]}  # noqa: E731
    if campo.tipo is Tipo.ANIO:
        en_rango = _en_rango(campo, convertir, memo)
        prueba = lambda s: convertible(s) & en_rango(s)  # noqa: E731
        reglas.append(Regla(Codigo.ANIO_INVALIDO, nombre, prueba, datos=vigencia))
        return reglas
    if campo.tipo in _CODIGO_TIPO:
        reglas.append(Regla(_CODIGO_TIPO[campo.tipo], nombre, convertible, datos=vigencia))
        if campo.minimo is not None or campo.maximo is not None:
            rango = {"rango": campo.rango}
            reglas.append(
                Regla(
                    Codigo.FUERA_DE_RANGO,
                    nombre,
                    _en_rango(campo, convertir, memo),
                    datos=lambda fila: rango,
                )
            )
    elif campo.catalogo is Catalogo.DIRECCIONES:
        opciones = {"opciones": ", ".join(catalogo_de(campo, contexto))}
        reglas.append(
            Regla(Codigo.DIRECCION_DESCONOCIDA, nombre, convertible, datos=lambda fila: opciones)
        )
    elif campo.catalogo is Catalogo.TEMAS:
        reglas.append(
            Regla(Codigo.FUERA_DE_CATALOGO, nombre, convertible, datos=_datos_tema(contexto))
        )
    elif campo.es_catalogo and campo.catalogo is not Catalogo.MUNICIPIOS:
        reglas.append(
            Regla(
                Codigo.FUERA_DE_CATALOGO,
                nombre,
                convertible,
                datos=_datos_catalogo(campo, contexto),
            )
        )
    return reglas


def _datos_catalogo(campo: Campo, contexto: Contexto) -> Callable[[Mapping[str, object]], dict]:
    opciones = catalogo_de(campo, contexto)
    if campo.catalogo is Catalogo.DEPARTAMENTOS:
        lista = "los departamentos de DIVIPOLA, por nombre o por código de dos dígitos"
    else:
        lista = ", ".join(opciones)
    return lambda fila: {
        "opciones": lista,
        "sugerencia": sugerencia(fila[campo.nombre], opciones),
    }


def _temas(contexto: Contexto, codigo: object) -> tuple[str, ...]:
    direccion = contexto.config.por_codigo(str(codigo)) if codigo else None
    return direccion.temas if direccion else ()


def _datos_tema(contexto: Contexto) -> Callable[[Mapping[str, object]], dict]:
    # {direccion} del mensaje es la dirección dueña del archivo (pipeline.problemas.problema).
    def datos(fila: Mapping[str, object]) -> dict:
        temas = _temas(contexto, fila["_direccion"])
        return {"opciones": "; ".join(temas), "sugerencia": sugerencia(fila["tema"], temas)}

    return datos


def _tema_de_la_direccion(memo: Conversiones, campo: Campo) -> Regla:
    contexto, convertir = memo.contexto, memo.conversor(campo)

    def prueba(marco: pd.DataFrame) -> pd.Series:
        def propio(tema: object, codigo: object) -> bool:
            canonico = convertir(tema)
            return canonico is None or canonico is INVALIDO or canonico in _temas(contexto, codigo)

        return por_pares(marco["tema"], marco["_direccion"], propio).astype(bool)

    return Regla(Codigo.TEMA_DE_OTRA_DIRECCION, "tema", prueba, True, _datos_tema(contexto))


def _municipio(memo: Conversiones, departamento: Campo) -> Regla:
    contexto, convertir = memo.contexto, memo.conversor(departamento)

    def prueba(marco: pd.DataFrame) -> pd.Series:
        _, fallos = municipios(marco["departamento"], marco["municipio"], contexto, memo)
        return fallos.isna() | ~convertibles(marco["departamento"], convertir, memo)

    def datos(fila: Mapping[str, object]) -> dict:
        dpto = contexto.divipola.departamento(fila["departamento"])
        _, fallo = contexto.divipola.municipio(fila["municipio"], dpto)
        return {"motivo": str(fallo)}

    return Regla(Codigo.X14, "municipio", prueba, True, datos)


def motivo_documento(numero: str | None, tipo: object) -> str | None:
    """Por qué un número de documento (ya sin separadores) no es válido; None si lo es."""
    if numero is None:
        return None
    if tipo == "PA":
        if not (numero.isascii() and numero.isalnum()):
            return "tiene signos que no son letras ni dígitos"
    elif not (numero.isascii() and numero.isdigit()):
        return "tiene caracteres que no son dígitos"
    if not 3 <= len(numero) <= 15:
        return f"tiene {len(numero)} caracteres"
    return None


def _vale_pasaporte(numero: object) -> bool:
    return motivo_documento(numero, "PA") is None  # type: ignore[arg-type]


def _vale_otro(numero: object) -> bool:
    return motivo_documento(numero, None) is None  # type: ignore[arg-type]


def _documento(memo: Conversiones, tipo_documento: Campo) -> Regla:
    convertir = memo.conversor(tipo_documento)

    def prueba(marco: pd.DataFrame) -> pd.Series:
        # motivo_documento solo distingue el pasaporte de los demás tipos: por número distinto,
        # si vale como pasaporte y si vale como otro tipo; la fila toma el de su tipo.
        pasaporte = mapear(marco["tipo_documento"], convertir, memo).to_numpy() == "PA"
        numero = marco["numero_documento"]
        como_pasaporte = _por_unicos(numero, _vale_pasaporte, True, bool, memo, base=documento)
        como_otro = _por_unicos(numero, _vale_otro, True, bool, memo, base=documento)
        return pd.Series(np.where(pasaporte, como_pasaporte, como_otro), index=marco.index)

    def datos(fila: Mapping[str, object]) -> dict:
        numero = documento(fila["numero_documento"])
        return {"motivo": motivo_documento(numero, convertir(fila["tipo_documento"]))}

    return Regla(Codigo.DOCUMENTO_INVALIDO, "numero_documento", prueba, True, datos)


def _condicional(plantilla: Plantilla, campo: Campo, si: Si, memo: Conversiones) -> Regla:
    control = plantilla.columna(si.control)
    convertir = memo.conversor(control)

    def prueba(marco: pd.DataFrame) -> pd.Series:
        exigido = mapear(marco[control.nombre], convertir, memo).isin(si.valores)
        return ~(exigido & ~_lleno(marco[campo.nombre], memo))

    condicion = {"condicion": plantilla.condicion(campo)}
    return Regla(Codigo.REQUERIDO_CONDICIONAL, campo.nombre, prueba, True, lambda fila: condicion)


def _solo_si(plantilla: Plantilla, campo: Campo, si: Si, memo: Conversiones) -> Regla:
    control = plantilla.columna(si.control)
    convertir = memo.conversor(control)
    otros = [o for o in control.opciones if o not in si.valores]
    valor = " o ".join(si.valores)

    def prueba(marco: pd.DataFrame) -> pd.Series:
        distinto = mapear(marco[control.nombre], convertir, memo).isin(otros)
        return ~(distinto & _lleno(marco[campo.nombre], memo))

    def datos(fila: Mapping[str, object]) -> dict:
        actual = convertir(fila[control.nombre])
        return {
            "condicion": f"el {control.etiqueta} es «{actual}» y este dato solo se diligencia "
            f"cuando es {valor}."
        }

    return Regla(Codigo.NO_CORRESPONDE, campo.nombre, prueba, True, datos)


def _en_vigencia(campo: Campo, memo: Conversiones) -> Regla:
    def prueba(marco: pd.DataFrame) -> pd.Series:
        valores = anios(marco[campo.nombre], memo)
        vigencias = marco["_vigencia"].to_numpy(dtype=float)
        return pd.Series(np.isnan(valores) | (valores == vigencias), index=marco.index)

    datos = lambda fila: {"vigencia": fila["_vigencia"]}  # noqa: E731
    return Regla(Codigo.FECHA_FUERA_DE_VIGENCIA, campo.nombre, prueba, True, datos)


def _comparacion(campo: str, comparacion: Comparacion, memo: Conversiones) -> Regla:
    codigo, otro = Codigo(comparacion.codigo), comparacion.otro
    cumple = COMPARADORES[comparacion.comparador]

    def prueba(marco: pd.DataFrame) -> pd.Series:
        a, b = ordinales(marco[campo], memo), ordinales(marco[otro], memo)
        with np.errstate(invalid="ignore"):
            falla = ~np.isnan(a) & ~np.isnan(b) & ~cumple(a, b)
        return pd.Series(~falla, index=marco.index)

    def datos(fila: Mapping[str, object]) -> dict:
        otra = _fecha_texto(fila[otro])
        return {"otra": otra, "corte": otra}

    return Regla(codigo, campo, prueba, True, datos)


def reglas_campos(
    plantilla: Plantilla, contexto: Contexto, memo: Conversiones | None = None
) -> list[Regla]:
    """Todas las reglas de §4 sobre las filas de datos de la plantilla.

    `memo` son las conversiones de la corrida (compartidas con la tabla tipada); sin él, unas nuevas.
    """
    memo = Conversiones(contexto) if memo is None else memo
    reglas = [r for campo in plantilla.columnas for r in _reglas_de_campo(campo, memo)]
    nombres = {c.nombre for c in plantilla.columnas}
    col, columnas = plantilla.columna, plantilla.columnas
    # Agrupadas por clase de regla, cada grupo en el orden de las columnas.
    for campo in columnas:
        if campo.requerido_si is not None:
            reglas.append(_condicional(plantilla, campo, campo.requerido_si, memo))
    for campo in columnas:
        if campo.solo_si and campo.requerido_si is not None:
            reglas.append(_solo_si(plantilla, campo, campo.requerido_si, memo))
    reglas += [_en_vigencia(c, memo) for c in columnas if c.en_vigencia]
    reglas += [_comparacion(c.nombre, comp, memo) for c in columnas for comp in c.comparaciones]
    if "tema" in nombres:
        reglas.append(_tema_de_la_direccion(memo, col("tema")))
    if {"departamento", "municipio"} <= nombres:
        reglas.append(_municipio(memo, col("departamento")))
    if "numero_documento" in nombres:
        reglas.append(_documento(memo, col("tipo_documento")))
    return reglas


def reglas_ficha(
    plantilla: Plantilla, contexto: Contexto, memo: Conversiones | None = None
) -> list[Regla]:
    """Reglas de la ficha: obligatorios, tipos, dirección configurada y coherencia con la carpeta."""
    memo = Conversiones(contexto) if memo is None else memo
    reglas = [r for campo in plantilla.ficha for r in _reglas_de_campo(campo, memo)]
    config = contexto.config
    codigos = {clave(d.codigo) for d in config.direcciones}
    lista = ", ".join(d.codigo for d in config.direcciones)
    en_carpeta = lambda m: m["_carpeta_direccion"].map(clave).isin(codigos)  # noqa: E731
    direccion = memo.conversor(plantilla.campo("direccion"))
    vigencia = memo.conversor(plantilla.campo("vigencia"))

    def misma_direccion(marco: pd.DataFrame) -> pd.Series:
        codigo = validos(marco["direccion"], direccion, memo).map(clave)
        return (
            codigo.isna() | ~en_carpeta(marco) | (codigo == marco["_carpeta_direccion"].map(clave))
        )

    def misma_vigencia(marco: pd.DataFrame) -> pd.Series:
        anio = validos(marco["vigencia"], vigencia, memo)
        sin_carpeta = marco["_carpeta_vigencia"] == ""
        return anio.isna() | sin_carpeta | (anio.map(str) == marco["_carpeta_vigencia"])

    carpeta = lambda fila: {"ruta": fila["_carpeta"], "opciones": lista}  # noqa: E731
    otra_dir = lambda fila: {"esperado": f"la dirección {fila['_carpeta_direccion']}"}  # noqa: E731
    otra_vig = lambda fila: {"esperado": f"la vigencia {fila['_carpeta_vigencia']}"}  # noqa: E731
    return reglas + [
        Regla(Codigo.CARPETA_DESCONOCIDA, "direccion", en_carpeta, True, carpeta),
        Regla(Codigo.X13, "direccion", misma_direccion, True, otra_dir),
        Regla(Codigo.X13, "vigencia", misma_vigencia, True, otra_vig),
    ]
