"""Paquetes por dirección (§11): las plantillas ya diligenciadas con lo que el producto ya aceptó.

Para cada dirección configurada escribe en `salidas/<vigencia>/paquetes/<código>/`:

1. el plan con la ficha llena y los temas de la dirección (con `--desde`, la hoja `Pendientes de
   <AAAA>`: ítems del plan sin terminar, compromisos abiertos y conclusiones de esa vigencia);
2. si la vigencia tiene plan aceptado: el cronograma con las filas aceptadas tal como llegaron y una
   fila nueva por cada sesión del plan que aún no está programada, con un ID actividad nuevo;
3. una carpeta por sesión sin lista de asistencia aceptada: lista y evaluación con la ficha llena.

Lo aceptado sale de la validación de la biblioteca (`pipeline.validacion.validar`), así que un
paquete diligenciado se lee como cualquier otro archivo y no produce X2, X3, X4 ni X13.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from esquemas import PLANTILLAS
from esquemas.vocabulario import EstadoActividad
from pipeline.configuracion import Configuracion, Direccion
from pipeline.ejecucion import ErrorUso, Progreso, reemplazar_carpeta
from pipeline.escritura import ErrorDestino, comprobar_destino
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import clave, texto
from pipeline.pendientes import Pendientes, calcular_pendientes, hoja_pendientes
from pipeline.plantillas import Relleno, escribir_plantilla
from pipeline.validacion import Contexto, ResultadoValidacion, validar

CARPETA = "paquetes"
_NO_PERMITIDOS_EN_NOMBRE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class ResultadoPaquetes:
    """Lo que escribió `generar_paquetes`: archivos y avisos por dirección."""

    vigencia: str
    escritos: list[Path] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)


def generar_paquetes(
    config: Configuracion,
    entradas: Path,
    salidas: Path,
    vigencia: str,
    desde: str | None = None,
    progreso: Progreso | None = None,
) -> ResultadoPaquetes:
    """Escribe los paquetes de todas las direcciones; ErrorUso si la orden no puede empezar."""
    avisar = progreso or (lambda _m: None)
    entradas, salidas = Path(entradas), Path(salidas)
    _comprobar(entradas, salidas, vigencia, desde)
    actual = None
    if (entradas / vigencia).is_dir():
        avisar(f"Validando la vigencia {vigencia} para saber qué está aceptado…")
        actual = validar(entradas, Contexto.crear(config, vigencia), progreso=avisar)
    pendientes = None
    if desde is not None:
        avisar(f"Buscando lo pendiente de la vigencia {desde}…")
        previa = validar(entradas, Contexto.crear(config, desde), progreso=avisar)
        pendientes = calcular_pendientes(previa, config, salidas)
    resultado = ResultadoPaquetes(vigencia=vigencia)
    if actual is None:
        resultado.avisos.append(
            f"La vigencia {vigencia} aún no tiene archivos en {entradas}: solo se escribieron los "
            "paquetes del plan."
        )
    usados = ids_usados(actual)

    def escribir(destino: Path) -> list[Path]:
        escritos: list[Path] = []
        for direccion in config.direcciones:
            avisar(f"Escribiendo los paquetes de {direccion.codigo}…")
            kit = _Kit(config, direccion, vigencia, destino / direccion.codigo)
            escritos += kit.plan(pendientes)
            if actual is None:
                continue
            plan = _de(actual.tablas["plan"], direccion)
            if plan.empty:
                resultado.avisos.append(
                    f"{direccion.codigo}: la vigencia {vigencia} no tiene plan aceptado; solo se "
                    "escribió el paquete del plan."
                )
                continue
            cronograma = _de(actual.tablas["cronograma"], direccion)
            escritos += kit.cronograma(actual, plan, cronograma, usados)
            escritos += kit.sesiones(actual, cronograma)
        return escritos

    resultado.escritos = reemplazar_carpeta(salidas / vigencia / CARPETA, escribir)
    return resultado


def _comprobar(entradas: Path, salidas: Path, vigencia: str, desde: str | None) -> None:
    for nombre, anio in (("--vigencia", vigencia), ("--desde", desde)):
        if anio is not None and not (anio.isdigit() and len(anio) == 4):
            raise ErrorUso(f"{nombre} «{anio}» no es un año de cuatro dígitos (AAAA).")
    if desde is not None:
        if desde == vigencia:
            raise ErrorUso("--desde debe ser otra vigencia, normalmente la anterior.")
        if not (entradas / desde).is_dir():
            raise ErrorUso(
                f"No existe la carpeta «{entradas / desde}»: --desde {desde} necesita los archivos "
                f"de esa vigencia en {entradas}/{desde}/<código de dirección>/."
            )
    try:
        comprobar_destino(salidas, entradas, vigencia)
    except ErrorDestino as exc:
        raise ErrorUso(str(exc)) from None


def ids_usados(resultado: ResultadoValidacion | None) -> set[str]:
    """Todos los ID actividad que aparecen en la vigencia (aceptados o no), normalizados."""
    usados: set[str] = set()
    for libro in resultado.libros if resultado else ():
        usados.add(clave(libro.ficha.get("id_actividad")))
        if libro.datos is not None and "id_actividad" in libro.datos:
            usados.update(clave(v) for v in libro.datos["id_actividad"])
    usados.discard("")
    return usados


def nuevo_id(id_asistencia: str, usados: set[str]) -> str:
    """`<ID asistencia>-<nn>` con el menor nn que nadie usó en la vigencia; lo marca como usado."""
    n = 1
    while clave(f"{id_asistencia}-{n:02d}") in usados:
        n += 1
    nuevo = f"{id_asistencia}-{n:02d}"
    usados.add(clave(nuevo))
    return nuevo


def _de(tabla: pd.DataFrame, direccion: Direccion) -> pd.DataFrame:
    """Filas de la dirección, en el orden de los archivos y sus filas."""
    filas = tabla[tabla["direccion"].map(clave) == clave(direccion.codigo)]
    return filas.sort_values(["archivo", "fila"], kind="stable")


def _crudos(resultado: ResultadoValidacion, filas: pd.DataFrame) -> list[dict[str, object]]:
    """Los valores tal como se escribieron en el archivo de cada fila aceptada."""
    libros: dict[str, LibroLeido] = {lb.entrada.relativa: lb for lb in resultado.libros}
    crudos = []
    for archivo, fila in zip(filas["archivo"], filas["fila"], strict=True):
        datos = libros[archivo].datos
        assert datos is not None  # una fila aceptada viene de un libro con datos leídos
        crudos.append({k: v for k, v in datos.loc[int(fila)].items() if v is not None})
    return crudos


def _fecha(valor: object) -> dt.datetime | None:
    return None if pd.isna(valor) else pd.Timestamp(valor).to_pydatetime()


def fecha_de_la_sesion(actividad: pd.Series) -> dt.datetime | None:
    """Fecha de realización si se realizó; si no, su fecha vigente (§6)."""
    if actividad["estado"] == EstadoActividad.REALIZADA and not pd.isna(
        actividad["fecha_realizacion"]
    ):
        return _fecha(actividad["fecha_realizacion"])
    if actividad["estado"] == EstadoActividad.REPROGRAMADA and not pd.isna(
        actividad["nueva_fecha"]
    ):
        return _fecha(actividad["nueva_fecha"])
    return _fecha(actividad["fecha_programada"])


def nombre_carpeta(id_actividad: str) -> str:
    """El ID actividad como nombre de carpeta (sin caracteres que los sistemas de archivos rechazan)."""
    return _NO_PERMITIDOS_EN_NOMBRE.sub("_", id_actividad).strip(" .") or "sin_id"


@dataclass
class _Kit:
    """Los paquetes de una dirección: la configuración se limita a ella (sus temas, su nombre)."""

    config: Configuracion
    direccion: Direccion
    vigencia: str
    carpeta: Path

    def __post_init__(self) -> None:
        self.config = dataclasses.replace(self.config, direcciones=(self.direccion,))
        self.sufijo = f"{self.direccion.codigo}_{self.vigencia}"

    def ficha(self, **otros: object) -> dict[str, object]:
        """Entidad, Dirección y Vigencia (más los campos dados); el responsable queda en blanco."""
        return {
            "entidad": self.config.entidad,
            "direccion": self.direccion.etiqueta,
            "vigencia": int(self.vigencia),
            **otros,
        }

    def _escribir(
        self, tipo: str, ruta: Path, relleno: Relleno, extra: Callable | None = None
    ) -> Path:
        ruta.parent.mkdir(parents=True, exist_ok=True)
        escribir_plantilla(PLANTILLAS[tipo], self.config, ruta, relleno, extra)
        return ruta

    def plan(self, pendientes: Pendientes | None) -> list[Path]:
        """El plan con la ficha llena; con pendientes, la hoja `Pendientes de <AAAA>`."""
        extra = None
        if pendientes is not None:
            extra = hoja_pendientes(pendientes, self.direccion)
        ruta = self.carpeta / f"plan_asistencia_{self.sufijo}.xlsx"
        return [self._escribir("plan", ruta, Relleno(self.ficha()), extra)]

    def cronograma(
        self,
        actual: ResultadoValidacion,
        items: pd.DataFrame,
        aceptadas: pd.DataFrame,
        usados: set[str],
    ) -> list[Path]:
        """Las filas aceptadas tal como llegaron más una fila por sesión aún no programada.

        `items` y `aceptadas`: el plan y el cronograma aceptados de la dirección (ver `_de`).
        """
        registros = _crudos(actual, aceptadas)
        ya = aceptadas["id_asistencia"].map(clave).value_counts()
        for item, crudo in zip(items.itertuples(), _crudos(actual, items), strict=True):
            faltan = int(item.sesiones_programadas) - int(ya.get(clave(item.id_asistencia), 0))
            id_asistencia = texto(crudo.get("id_asistencia")) or item.id_asistencia
            for _ in range(max(faltan, 0)):
                registros.append(
                    {
                        "id_actividad": nuevo_id(id_asistencia, usados),
                        "id_asistencia": id_asistencia,
                        "estado": EstadoActividad.PROGRAMADA.value,
                        "modalidad": crudo.get("modalidad"),
                        "departamento": crudo.get("departamento"),
                        "municipio": crudo.get("municipio"),
                    }
                )
        ruta = self.carpeta / f"cronograma_{self.sufijo}.xlsx"
        return [self._escribir("cronograma", ruta, Relleno(self.ficha(), tuple(registros)))]

    def sesiones(self, actual: ResultadoValidacion, cronograma: pd.DataFrame) -> list[Path]:
        """Lista y evaluación de cada actividad no cancelada del cronograma aceptado de la dirección
        que aún no tiene lista aceptada."""
        con_lista = set(actual.tablas["asistencia"]["id_actividad"].map(clave))
        escritos = []
        for _, actividad in cronograma.iterrows():
            id_actividad = texto(actividad["id_actividad"]) or ""
            if actividad["estado"] == EstadoActividad.CANCELADA or clave(id_actividad) in con_lista:
                continue
            ficha = self.ficha(
                id_actividad=id_actividad, fecha_actividad=fecha_de_la_sesion(actividad)
            )
            carpeta = self.carpeta / "sesiones" / nombre_carpeta(id_actividad)
            for tipo in ("asistencia", "evaluacion"):
                ruta = carpeta / PLANTILLAS[tipo].archivo
                escritos.append(self._escribir(tipo, ruta, Relleno(ficha)))
        return escritos
