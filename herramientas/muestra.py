"""Datos de muestra deterministas: llena las plantillas reales con una vigencia sintética.

Todos los nombres, documentos, correos y teléfonos son inventados: se combinan listas de nombres y
apellidos comunes y números al azar (con semilla fija), y los correos usan dominios de ejemplo. Los
departamentos y municipios sí son los reales de DIVIPOLA.

Uso: `python -m herramientas.muestra --salida entradas --vigencia 2025`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import sys
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing import Pool
from pathlib import Path
from random import Random
from typing import TypeVar

from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from esquemas import PLANTILLAS, Plantilla
from esquemas.plan import MECANISMOS, ORIGENES, TIPOS_SERVICIO
from pipeline.configuracion import (
    RUTA_POR_DEFECTO,
    Configuracion,
    Direccion,
    ErrorConfiguracion,
    cargar_configuracion,
)
from pipeline.dias_habiles import es_habil, sumar_dias_habiles
from pipeline.divipola import Divipola, cargar_divipola
from pipeline.errores import ErrorAsistencia

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# Escalas


@dataclass(frozen=True)
class Escala:
    """Cuánto se genera: direcciones, ítems del plan, sesiones por ítem y asistentes por sesión."""

    direcciones: int | None  # None: todas las de la configuración
    items: tuple[int, int]
    sesiones: tuple[int, int]
    asistentes: tuple[int, int]
    anomalias: bool = False  # una sesión con pocas evaluaciones y un asistente repetido
    procesos: int = 1


ESCALAS: dict[str, Escala] = {
    "mini": Escala(1, (2, 2), (2, 2), (5, 8)),
    "muestra": Escala(None, (4, 6), (1, 3), (10, 40), anomalias=True),
    "rapido": Escala(None, (8, 10), (5, 7), (35, 65), procesos=2),
    "nacional": Escala(None, (15, 21), (4, 8), (35, 65), procesos=2),
}

# ---------------------------------------------------------------------------------------------
# Listas para inventar datos (nombres comunes combinados al azar: no son personas reales)

NOMBRES_MUJER = (
    "María", "Luz", "Ana", "Carolina", "Diana", "Paola", "Sandra", "Claudia", "Marcela", "Natalia",
    "Andrea", "Juliana", "Laura", "Valentina", "Daniela", "Camila", "Liliana", "Yolanda", "Gloria",
    "Patricia", "Adriana", "Catalina", "Lorena", "Viviana", "Alejandra", "Johana", "Yuliana",
    "Mónica", "Ángela", "Beatriz", "Rocío", "Esperanza", "Milena", "Sofía", "Isabel", "Tatiana",
)  # fmt: skip
NOMBRES_HOMBRE = (
    "José", "Luis", "Carlos", "Juan", "Andrés", "Jorge", "Jairo", "Óscar", "Fernando", "Diego",
    "Julián", "Felipe", "Alejandro", "Sebastián", "Camilo", "Mauricio", "Ricardo", "Hernán",
    "Édgar", "Wilson", "Fabián", "Germán", "Héctor", "Iván", "Javier", "Nelson", "Rubén", "Víctor",
    "David", "Daniel", "Santiago", "Esteban", "Álvaro", "Gustavo", "Manuel", "Rafael",
)  # fmt: skip
APELLIDOS = (
    "Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández", "Sánchez",
    "Ramírez", "Pérez", "Díaz", "Muñoz", "Rojas", "Moreno", "Jiménez", "Vargas", "Castro", "Ortiz",
    "Suárez", "Torres", "Romero", "Ruiz", "Álvarez", "Valencia", "Quintero", "Mejía", "Cárdenas",
    "Ospina", "Restrepo", "Londoño", "Zapata", "Cardona", "Guerrero", "Bermúdez", "Córdoba",
    "Mosquera", "Palacios", "Rincón", "Salazar", "Arango", "Cuéllar", "Peña", "Orozco", "Montoya",
    "Acosta", "Benítez", "Caicedo", "Barrera", "Ibarra", "Ocampo", "Patiño", "Villegas", "Zuluaga",
)  # fmt: skip
CARGOS = (
    "Secretario de Gobierno", "Secretaria de Planeación", "Profesional universitario",
    "Profesional especializado", "Técnico administrativo", "Contratista", "Enlace municipal",
    "Comisario de familia", "Inspectora de policía", "Personero municipal", "Concejal",
    "Asesor de despacho", "Jefe de oficina de planeación", "Auxiliar administrativo",
    "Coordinadora de programas sociales", "Líder comunitario",
)  # fmt: skip
MOTIVOS_CANCELACION = (
    "La alcaldía solicitó cancelar por cambio de prioridades de la administración.",
    "Emergencia invernal en el municipio; la entidad no pudo atender la sesión.",
    "No se logró el quórum mínimo de la convocatoria.",
    "La entidad territorial desistió de la asistencia solicitada.",
)
MOTIVOS_REPROGRAMACION = (
    "Cruce con el Consejo de Seguridad municipal; la alcaldía pidió nueva fecha.",
    "Alteración del orden público en la zona; se reprograma por seguridad del equipo.",
    "Cierre de la vigencia y empalme de la administración; se pasa a la vigencia siguiente.",
    "La entidad pidió aplazar para incluir al nuevo equipo de gobierno.",
)
COMENTARIOS = (
    "Muy útil para la gestión de la alcaldía.",
    "Faltó tiempo para resolver todas las preguntas.",
    "Se sugiere enviar las presentaciones antes de la sesión.",
    "Excelente dominio del tema por parte del equipo.",
    "Sería bueno programar una segunda sesión práctica.",
    "La metodología participativa facilitó el trabajo.",
    "Solicitamos acompañamiento en la implementación.",
)
COMPROMISOS = (
    (
        "Enviar a la dirección el documento ajustado con las observaciones de la sesión.",
        "territorio",
    ),
    ("Convocar una mesa técnica de seguimiento con el equipo territorial.", "direccion"),
    ("Remitir la información de soporte solicitada durante la sesión.", "territorio"),
    ("Socializar los resultados de la asistencia con el consejo de gobierno.", "territorio"),
    ("Compartir las presentaciones y el material de apoyo con los asistentes.", "direccion"),
    ("Emitir concepto técnico sobre el borrador presentado por la entidad.", "direccion"),
    ("Programar una visita técnica de seguimiento.", "direccion"),
)
BENEFICIARIOS_NACIONALES = (
    "Alcaldías y gobernaciones (convocatoria nacional)",
    "Secretarías de Gobierno departamentales",
    "Oficinas de planeación municipales",
    "Personerías municipales",
)
PLATAFORMAS = ("Microsoft Teams", "Google Meet", "Zoom")

# ---------------------------------------------------------------------------------------------
# Lo que se genera


@dataclass(frozen=True)
class LibroMuestra:
    """Un libro por escribir: ruta relativa a la salida, plantilla, ficha y filas en orden de columnas."""

    ruta: str
    tipo: str
    ficha: dict[str, object]
    filas: tuple[tuple[object, ...], ...]


@dataclass
class _Item:
    id: str
    tema: str
    modalidad: str
    mecanismo: str
    orden: str
    cod_dpto: str
    cod_mpio: str
    inicio: dt.date
    fin: dt.date
    sesiones: int
    profesional: str
    fila: tuple[object, ...] = ()


@dataclass
class _Sesion:
    id: str
    item: _Item
    estado: str
    realizacion: dt.date | None
    modalidad: str
    cod_dpto: str
    cod_mpio: str
    fila: tuple[object, ...] = ()


@dataclass
class _Persona:
    nombres: str
    tipo_documento: str
    numero: str
    entidad: str
    cargo: str | None
    cod_dpto: str
    cod_mpio: str
    sexo: str | None
    correo: str | None
    telefono: str | None
    autoriza: str


@dataclass
class _Estado:
    """Lo que se acumula mientras se inventa la vigencia (para no repetir documentos)."""

    documentos: set[str] = field(default_factory=set)
    pools: dict[str, list[_Persona]] = field(default_factory=dict)


def _sin_tildes(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c))


_MENORES = {"de", "del", "la", "las", "los", "el", "y", "e"}


def nombre_propio(texto: str) -> str:
    """«SAN ANDRÉS DE TUMACO» → «San Andrés de Tumaco» (los nombres DIVIPOLA vienen en mayúsculas)."""
    palabras = texto.lower().split(" ")
    return " ".join(
        p.upper() if "." in p else p if i and p in _MENORES else p[:1].upper() + p[1:]
        for i, p in enumerate(palabras)
    )


class _Generador:
    """Inventa una vigencia completa para las direcciones de la configuración."""

    def __init__(self, config: Configuracion, vigencia: int, semilla: int, escala: Escala) -> None:
        self.config = config
        self.vigencia = vigencia
        self.escala = escala
        self.rng = Random(semilla)
        self.divipola: Divipola = cargar_divipola()
        self.corte = dt.date(vigencia, 12, 31)
        self.estado = _Estado()
        municipios = sorted(
            (m for m in self.divipola.municipios.values() if m.tipo == "Municipio"),
            key=lambda m: m.codigo,
        )
        self.municipios_por_dpto: dict[str, list] = {}
        for m in municipios:
            self.municipios_por_dpto.setdefault(m.cod_dpto, []).append(m)
        self.dptos = sorted(self.municipios_por_dpto)

    # -- utilidades -------------------------------------------------------------------------

    def _peso(self, opciones: Mapping[T, float]) -> T:
        return self.rng.choices(list(opciones), weights=list(opciones.values()))[0]

    def _habil(self, fecha: dt.date) -> dt.date:
        while not es_habil(fecha):
            fecha += dt.timedelta(days=1)
        return fecha

    def _fecha(self, desde: dt.date, hasta: dt.date) -> dt.date:
        return desde + dt.timedelta(days=self.rng.randint(0, max((hasta - desde).days, 0)))

    def _municipio(self, cod_dpto: str) -> str:
        lista = self.municipios_por_dpto[cod_dpto]
        capital = next((m for m in lista if m.codigo.endswith("001")), lista[0])
        return capital.codigo if self.rng.random() < 0.4 else self.rng.choice(lista).codigo

    def _nombre_mpio(self, codigo: str) -> str:
        return nombre_propio(self.divipola.nombre_municipio(codigo))

    def _nombre_dpto(self, codigo: str) -> str:
        return nombre_propio(self.divipola.nombre_departamento(codigo))

    def _persona_nombre(self, sexo: str | None) -> str:
        if sexo is None:
            sexo = self.rng.choice(("Mujer", "Hombre"))
        nombres = NOMBRES_MUJER if sexo == "Mujer" else NOMBRES_HOMBRE
        dados = [self.rng.choice(nombres)]
        if self.rng.random() < 0.45:
            segundo = self.rng.choice(nombres)
            if segundo != dados[0]:
                dados.append(segundo)
        return " ".join(dados + [self.rng.choice(APELLIDOS), self.rng.choice(APELLIDOS)])

    # -- plan -------------------------------------------------------------------------------

    def items(self, direccion: Direccion, profesionales: list[str]) -> list[_Item]:
        """Ítems del plan de la dirección, repartidos en la vigencia y en el territorio."""
        cantidad = self.rng.randint(*self.escala.items)
        inicio_min = dt.date(self.vigencia, 1, 15)
        resultado = []
        for n in range(1, cantidad + 1):
            tema = direccion.temas[(n - 1) % len(direccion.temas)]
            orden = "Nacional" if self.rng.random() < 0.25 else "Territorial"
            cod_dpto = cod_mpio = ""
            if orden == "Territorial":
                cod_dpto = self.rng.choice(self.dptos)
                if self.rng.random() < 0.7:
                    cod_mpio = self._municipio(cod_dpto)
            # Ítems escalonados para que haya sesiones en los cuatro trimestres.
            inicio = inicio_min + dt.timedelta(
                days=int((n - 1) * 300 / cantidad) + self.rng.randint(0, 20)
            )
            fin = min(inicio + dt.timedelta(days=self.rng.randint(40, 150)), self._tope())
            modalidad = self._peso({"Presencial": 5, "Virtual": 3, "Mixta": 2})
            if orden == "Nacional" and modalidad == "Presencial":
                modalidad = "Virtual"
            item = _Item(
                id=f"{direccion.codigo}-{self.vigencia}-{n:03d}",
                tema=tema,
                modalidad=modalidad,
                mecanismo=self.rng.choice(MECANISMOS[:-1]),
                orden=orden,
                cod_dpto=cod_dpto,
                cod_mpio=cod_mpio,
                inicio=self._habil(inicio),
                fin=fin,
                sesiones=self.rng.randint(*self.escala.sesiones),
                profesional=self.rng.choice(profesionales),
            )
            item.fila = self._fila_plan(item)
            resultado.append(item)
        return resultado

    def _tope(self) -> dt.date:
        # Las sesiones terminan antes de las vacaciones de fin de año, para que el informe alcance.
        return dt.date(self.vigencia, 12, 12)

    def _beneficiaria(self, item: _Item) -> str:
        if item.orden == "Nacional":
            return self.rng.choice(BENEFICIARIOS_NACIONALES)
        if item.cod_mpio:
            return f"Alcaldía de {self._nombre_mpio(item.cod_mpio)}"
        return f"Gobernación de {self._nombre_dpto(item.cod_dpto)}"

    def _fila_plan(self, item: _Item) -> tuple[object, ...]:
        esperados = item.sesiones * self.rng.choice((20, 25, 30, 40))
        presupuesto = self.rng.randint(4, 120) * 500_000 if self.rng.random() < 0.85 else None
        observaciones = None
        if item.orden == "Nacional":
            observaciones = "Convocatoria abierta a todas las entidades territoriales."
        return (
            item.id,
            item.tema,
            self.rng.choice(TIPOS_SERVICIO),
            item.mecanismo,
            item.modalidad,
            self._peso({ORIGENES[0]: 5, ORIGENES[1]: 4, ORIGENES[2]: 1}),
            self._beneficiaria(item),
            item.orden,
            self.divipola.nombre_departamento(item.cod_dpto) or None,
            self.divipola.nombre_municipio(item.cod_mpio) or None,
            item.inicio,
            item.fin,
            item.sesiones,
            esperados,
            presupuesto,
            item.profesional,
            observaciones,
        )

    # -- cronograma -------------------------------------------------------------------------

    def sesiones(self, item: _Item) -> list[_Sesion]:
        """Las sesiones del ítem con su estado a la fecha de corte (31/12: ninguna futura)."""
        resultado = []
        dias = max((item.fin - item.inicio).days, 1)
        for k in range(1, item.sesiones + 1):
            paso = int((k - 1) * dias / max(item.sesiones - 1, 1)) - self.rng.randint(0, 6)
            programada = self._habil(item.inicio + dt.timedelta(days=max(paso, 0)))
            resultado.append(self._sesion(item, k, programada))
        return resultado

    def _sesion(self, item: _Item, k: int, programada: dt.date) -> _Sesion:
        azar = self.rng.random()
        nueva: dt.date | None = None
        realizacion: dt.date | None = programada
        motivo: str | None = None
        observacion: str | None = None
        estado = "Realizada"
        if azar < 0.05:
            estado, realizacion = "Cancelada", None
            motivo = self.rng.choice(MOTIVOS_CANCELACION)
        elif programada >= dt.date(self.vigencia, 11, 1) and azar < 0.4:
            # Con corte al 31/12 ninguna sesión es futura: lo que se aplaza pasa a la vigencia siguiente.
            estado, realizacion = "Reprogramada", None
            nueva = self._habil(dt.date(self.vigencia + 1, 1, self.rng.randint(19, 30)))
            motivo = self.rng.choice(MOTIVOS_REPROGRAMACION)
        elif azar < 0.14:
            nueva = self._habil(programada + dt.timedelta(days=self.rng.randint(7, 30)))
            realizacion = min(nueva, self._tope())
            nueva = realizacion
            motivo = self.rng.choice(MOTIVOS_REPROGRAMACION[:2] + MOTIVOS_REPROGRAMACION[3:])
            observacion = "Se realizó en la nueva fecha acordada con la entidad."
        realizacion = min(realizacion, self._tope()) if realizacion else None
        if realizacion and not es_habil(realizacion):
            realizacion = self._habil(realizacion - dt.timedelta(days=3))
        modalidad = item.modalidad
        if modalidad == "Mixta":
            modalidad = self.rng.choice(("Presencial", "Virtual", "Mixta"))
        cod_dpto, cod_mpio = item.cod_dpto, item.cod_mpio
        if item.orden == "Territorial" and not cod_mpio:
            cod_mpio = self._municipio(cod_dpto)
        if item.orden == "Nacional" and modalidad != "Virtual":
            cod_dpto, cod_mpio = "11", "11001"
        sesion = _Sesion(
            id=f"{item.id}-{k:02d}",
            item=item,
            estado=estado,
            realizacion=realizacion,
            modalidad=modalidad,
            cod_dpto=cod_dpto,
            cod_mpio=cod_mpio,
        )
        entrega = self._entrega(realizacion) if realizacion else None
        sesion.fila = (
            sesion.id,
            item.id,
            f"{item.mecanismo}: {item.tema} (sesión {k} de {item.sesiones})",
            programada,
            estado,
            nueva,
            realizacion,
            modalidad,
            self.divipola.nombre_departamento(cod_dpto) or None,
            self.divipola.nombre_municipio(cod_mpio) or None,
            entrega,
            motivo if estado != "Realizada" or nueva else None,
            observacion,
        )
        return sesion

    def _entrega(self, realizacion: dt.date) -> dt.date:
        # La mayoría entrega dentro de los 3 días hábiles; unas pocas tarde (advertencia X11).
        dias = self._peso({0: 15, 1: 30, 2: 25, 3: 20, 4: 4, 5: 3, 7: 3})
        return sumar_dias_habiles(realizacion, dias)

    # -- asistentes -------------------------------------------------------------------------

    def asistentes(self, sesion: _Sesion) -> list[_Persona]:
        """Personas de la sesión: del territorio de la sesión, con algunas que repiten."""
        clave_pool = sesion.cod_mpio or sesion.cod_dpto or "nacional"
        pool = self.estado.pools.setdefault(clave_pool, [])
        cantidad = self.rng.randint(*self.escala.asistentes)
        elegidas: list[_Persona] = []
        usados: set[str] = set()
        for _ in range(cantidad):
            persona = None
            if pool and self.rng.random() < 0.3:
                candidata = self.rng.choice(pool)
                if candidata.numero not in usados:
                    persona = candidata
            if persona is None:
                persona = self._persona(sesion)
                pool.append(persona)
            usados.add(persona.numero)
            elegidas.append(persona)
        return elegidas

    def _documento(self) -> tuple[str, str]:
        while True:
            tipo = self._peso({"CC": 93, "CE": 2, "PA": 2, "PPT": 3})
            if tipo == "CC":
                numero = str(
                    self.rng.randint(10_000_000, 99_999_999)
                    if self.rng.random() < 0.5
                    else self.rng.randint(1_000_000_000, 1_199_999_999)
                )
            elif tipo == "CE":
                numero = str(self.rng.randint(100_000, 9_999_999))
            elif tipo == "PA":
                letras = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVXYZ") for _ in range(2))
                numero = f"{letras}{self.rng.randint(1_000_000, 9_999_999)}"
            else:
                numero = str(self.rng.randint(1_000_000, 9_999_999))
            if f"{tipo}:{numero}" not in self.estado.documentos:
                self.estado.documentos.add(f"{tipo}:{numero}")
                return tipo, numero

    def _persona(self, sesion: _Sesion) -> _Persona:
        sexo = self._peso({"Mujer": 60, "Hombre": 39, None: 1})
        nombres = self._persona_nombre(sexo)
        tipo, numero = self._documento()
        if tipo == "CC" and self.rng.random() < 0.1:
            numero = f"{int(numero):,}".replace(",", ".")  # hay quien escribe los puntos de miles
        cod_dpto = sesion.cod_dpto or self.rng.choice(self.dptos)
        cod_mpio = sesion.cod_mpio if sesion.cod_dpto else ""
        if not cod_mpio or self.rng.random() < 0.2:
            cod_mpio = self._municipio(cod_dpto)
        entidad, dominio = self._entidad(cod_dpto, cod_mpio)
        return _Persona(
            nombres=nombres,
            tipo_documento=tipo,
            numero=numero,
            entidad=entidad,
            cargo=self.rng.choice(CARGOS) if self.rng.random() < 0.85 else None,
            cod_dpto=cod_dpto,
            cod_mpio=cod_mpio,
            sexo=sexo,
            correo=self._correo(nombres, dominio) if self.rng.random() < 0.85 else None,
            telefono=self._telefono() if self.rng.random() < 0.8 else None,
            autoriza="Sí" if self.rng.random() < 0.93 else "No",
        )

    def _entidad(self, cod_dpto: str, cod_mpio: str) -> tuple[str, str]:
        municipio, departamento = self._nombre_mpio(cod_mpio), self._nombre_dpto(cod_dpto)
        opciones = {
            (f"Alcaldía de {municipio}", "alcaldia-ejemplo.gov.co"): 45,
            (f"Gobernación de {departamento}", "gobernacion-ejemplo.gov.co"): 12,
            (f"Personería Municipal de {municipio}", "personeria-ejemplo.gov.co"): 10,
            (f"Concejo Municipal de {municipio}", "concejo-ejemplo.gov.co"): 8,
            (f"Comisaría de Familia de {municipio}", "alcaldia-ejemplo.gov.co"): 8,
            (f"Estación de Policía de {municipio}", "policia-ejemplo.gov.co"): 7,
            ("Junta de Acción Comunal", "correo-ejemplo.com"): 5,
            (f"Organización de Mujeres de {municipio}", "correo-ejemplo.com"): 5,
        }
        return self._peso(opciones)

    def _correo(self, nombres: str, dominio: str) -> str:
        partes = _sin_tildes(nombres).lower().split()
        usuario = f"{partes[0]}.{partes[-2]}"
        if self.rng.random() < 0.5:
            usuario += str(self.rng.randint(1, 99))
        return f"{usuario}@{dominio}"

    def _telefono(self) -> str:
        prefijo = self.rng.choice(("300", "301", "310", "311", "312", "313", "315", "316", "317"))
        resto = f"{self.rng.randint(0, 9_999_999):07d}"
        forma = self._peso({"plano": 80, "espacios": 10, "prefijo": 10})
        if forma == "espacios":
            return f"{prefijo} {resto[:3]} {resto[3:]}"
        if forma == "prefijo":
            return f"+57 {prefijo}{resto}"
        return prefijo + resto

    # -- evaluaciones y compromisos ---------------------------------------------------------

    def evaluaciones(self, asistentes: int, pocas: bool = False) -> list[tuple[object, ...]]:
        """Respuestas de un 30 % a un 90 % de los asistentes, casi siempre 4 o 5."""
        minimo = math.ceil(self.config.parametros.cobertura_minima_evaluacion * asistentes / 100)
        if pocas:
            cantidad = max(minimo - 1, 1)
        else:
            cantidad = max(round(asistentes * self.rng.uniform(0.3, 0.9)), minimo, 1)
        filas: list[tuple[object, ...]] = []
        for _ in range(min(cantidad, asistentes)):
            general = self._peso({5: 45, 4: 38, 3: 12, 2: 3, 1: 2})
            respuestas = []
            for _dimension in range(5):
                valor = min(5, max(1, general + self._peso({-1: 2, 0: 6, 1: 2})))
                respuestas.append(valor if self.rng.random() > 0.08 else None)
            comentario = self.rng.choice(COMENTARIOS) if self.rng.random() < 0.12 else None
            filas.append((*respuestas, general, comentario))
        return filas

    def compromisos(self, sesion: _Sesion) -> list[tuple[object, ...]]:
        """De uno a tres compromisos para cerca del 40 % de las sesiones realizadas."""
        if sesion.realizacion is None or self.rng.random() > 0.4:
            return []
        filas: list[tuple[object, ...]] = []
        for texto, quien in self.rng.sample(COMPROMISOS, self.rng.randint(1, 3)):
            limite = sesion.realizacion + dt.timedelta(days=self.rng.randint(15, 60))
            if quien == "direccion":
                responsable = sesion.item.profesional
            elif sesion.cod_mpio:
                responsable = f"Secretaría de Gobierno de {self._nombre_mpio(sesion.cod_mpio)}"
            else:
                responsable = "Enlaces territoriales de la convocatoria"
            estado, cumplido = self._estado_compromiso(sesion.realizacion, limite)
            observacion = "Se acordó en la sesión." if self.rng.random() < 0.1 else None
            filas.append((sesion.id, texto, responsable, limite, estado, cumplido, observacion))
        return filas

    def _estado_compromiso(
        self, realizacion: dt.date, limite: dt.date
    ) -> tuple[str, dt.date | None]:
        vencido = limite <= self.corte
        pesos = (
            {"Cumplido": 65, "En curso": 13, "Pendiente": 12, "Cancelado": 10}
            if vencido
            else {"Cumplido": 20, "En curso": 40, "Pendiente": 40}
        )
        estado = self._peso(pesos)
        if estado != "Cumplido":
            return estado, None
        tope = min(limite + dt.timedelta(days=10), self.corte)
        return estado, self._fecha(realizacion + dt.timedelta(days=3), tope)

    # -- libros -----------------------------------------------------------------------------

    def libros(self) -> list[LibroMuestra]:
        """Todos los libros de la vigencia, en orden estable."""
        direcciones = self.config.direcciones[: self.escala.direcciones]
        resultado: list[LibroMuestra] = []
        for i, direccion in enumerate(direcciones):
            anomalias = self.escala.anomalias and i == 0
            resultado.extend(self._libros_direccion(direccion, anomalias))
        return resultado

    def _ficha(self, direccion: Direccion, responsable: str, **extra: object) -> dict:
        return {
            "entidad": self.config.entidad,
            "direccion": direccion.etiqueta,
            "vigencia": self.vigencia,
            "responsable": responsable,
            **extra,
        }

    def _libros_direccion(self, direccion: Direccion, anomalias: bool) -> list[LibroMuestra]:
        equipo = [self._persona_nombre(None) for _ in range(4)]
        responsable, profesionales = equipo[0], equipo[1:]
        items = self.items(direccion, profesionales)
        sesiones = [s for item in items for s in self.sesiones(item)]
        base = f"{self.vigencia}/{direccion.codigo}"
        cod, vig = direccion.codigo, self.vigencia
        aprobacion = self._habil(dt.date(vig, 1, self.rng.randint(15, 28)))
        jefe = f"{self._persona_nombre(None)}, director(a)"
        libros = [
            LibroMuestra(
                f"{base}/plan_asistencia_{cod}_{vig}.xlsx",
                "plan",
                self._ficha(direccion, responsable, aprobado_por=jefe, fecha_aprobacion=aprobacion),
                tuple(item.fila for item in items),
            ),
            LibroMuestra(
                f"{base}/cronograma_{cod}_{vig}.xlsx",
                "cronograma",
                self._ficha(direccion, responsable, fecha_corte=self.corte),
                tuple(s.fila for s in sesiones),
            ),
        ]
        compromisos: list[tuple[object, ...]] = []
        realizadas = [s for s in sesiones if s.estado == "Realizada"]
        for n, sesion in enumerate(realizadas):
            libros.extend(self._libros_sesion(direccion, sesion, n, anomalias))
            compromisos.extend(self.compromisos(sesion))
        libros.append(
            LibroMuestra(
                f"{base}/compromisos_{cod}_{vig}.xlsx",
                "compromisos",
                self._ficha(direccion, responsable, fecha_corte=self.corte),
                tuple(compromisos),
            )
        )
        return libros

    def _libros_sesion(
        self, direccion: Direccion, sesion: _Sesion, numero: int, anomalias: bool
    ) -> list[LibroMuestra]:
        personas = self.asistentes(sesion)
        if anomalias and numero == 2:
            personas.append(personas[0])  # la misma persona firmó dos veces (advertencia X8)
        pocas = anomalias and numero == 4  # evaluaciones por debajo del mínimo (advertencia X10)
        carpeta = f"{self.vigencia}/{direccion.codigo}/sesiones/{sesion.id}"
        responsable = sesion.item.profesional
        ficha = {"id_actividad": sesion.id, "fecha_actividad": sesion.realizacion}
        lista = LibroMuestra(
            f"{carpeta}/lista_asistencia.xlsx",
            "asistencia",
            self._ficha(direccion, responsable, lugar=self._lugar(sesion), **ficha),
            tuple(self._fila_asistente(p) for p in personas),
        )
        distintos = len({p.numero for p in personas})
        evaluacion = LibroMuestra(
            f"{carpeta}/evaluacion.xlsx",
            "evaluacion",
            self._ficha(direccion, responsable, **ficha),
            tuple(self.evaluaciones(distintos, pocas)),
        )
        return [lista, evaluacion]

    def _lugar(self, sesion: _Sesion) -> str:
        if sesion.modalidad == "Virtual":
            return self.rng.choice(PLATAFORMAS)
        municipio = self._nombre_mpio(sesion.cod_mpio)
        sala = self.rng.choice(
            (
                f"Salón del Concejo Municipal de {municipio}",
                f"Casa de la Cultura de {municipio}",
                f"Auditorio de la Alcaldía de {municipio}",
            )
        )
        if sesion.cod_mpio == "11001":
            sala = "Sede de la entidad, Bogotá"
        return f"{sala} y {self.rng.choice(PLATAFORMAS)}" if sesion.modalidad == "Mixta" else sala

    def _fila_asistente(self, p: _Persona) -> tuple[object, ...]:
        con_lugar = self.rng.random() < 0.9
        return (
            p.nombres,
            p.tipo_documento,
            p.numero,
            p.entidad,
            p.cargo,
            self.divipola.nombre_departamento(p.cod_dpto) if con_lugar else None,
            self.divipola.nombre_municipio(p.cod_mpio) if con_lugar else None,
            p.sexo,
            p.correo,
            p.telefono,
            p.autoriza,
        )


# ---------------------------------------------------------------------------------------------
# Escritura sobre las plantillas reales

FECHA_DOCUMENTO = dt.datetime(2025, 1, 1)
_FECHA_ZIP = (2025, 1, 1, 0, 0, 0)


class _ZipFijo(zipfile.ZipFile):
    """ZipFile con fecha fija en cada parte, para que guardar dos veces dé los mismos bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FECHA_ZIP)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        self.writestr(arcname or str(filename), Path(filename).read_bytes())


def guardar_reproducible(wb: Workbook, destino: Path) -> None:
    """Guarda el libro con fechas fijas (propiedades y zip): mismos datos, mismos bytes."""
    wb.properties.created = FECHA_DOCUMENTO
    wb.properties.modified = FECHA_DOCUMENTO
    wb.properties.creator = "asistencia (muestra)"
    wb.properties.lastModifiedBy = "asistencia (muestra)"
    memoria = io.BytesIO()
    ExcelWriter(wb, _ZipFijo(memoria, "w", zipfile.ZIP_DEFLATED)).save()
    destino.parent.mkdir(parents=True, exist_ok=True)
    temporal = destino.with_name(f".{destino.name}.tmp")
    temporal.write_bytes(memoria.getvalue())
    temporal.replace(destino)


class PlantillaFaltante(ErrorAsistencia):
    """No está la plantilla de Excel que hay que llenar."""


class Escritor:
    """Llena las plantillas: carga cada una una sola vez y limpia lo escrito entre libros."""

    def __init__(self, plantillas: Path) -> None:
        self.plantillas = Path(plantillas)
        self._libros: dict[str, Workbook] = {}

    def _cargar(self, plantilla: Plantilla) -> Workbook:
        if plantilla.tipo not in self._libros:
            ruta = self.plantillas / plantilla.archivo
            if not ruta.is_file():
                raise PlantillaFaltante(
                    f"No existe la plantilla «{ruta}». Genérela primero con `asistencia plantillas`."
                )
            self._libros[plantilla.tipo] = load_workbook(ruta)
        return self._libros[plantilla.tipo]

    def escribir(self, libro: LibroMuestra, destino: Path) -> None:
        """Escribe la ficha en la columna B y los registros desde la primera fila de datos."""
        plantilla = PLANTILLAS[libro.tipo]
        if len(libro.filas) > plantilla.filas:
            raise ValueError(
                f"{libro.ruta}: {len(libro.filas)} filas, la plantilla admite {plantilla.filas}"
            )
        wb = self._cargar(plantilla)
        hoja = wb[plantilla.hoja]
        escritas = []
        for nombre, valor in libro.ficha.items():
            celda = hoja.cell(plantilla.fila_ficha(nombre), 2)
            celda.value = valor
            escritas.append(celda)
        for i, fila in enumerate(libro.filas):
            for j, valor in enumerate(fila):
                if valor is not None:
                    celda = hoja.cell(plantilla.primera_fila_datos + i, j + 1)
                    celda.value = valor
                    escritas.append(celda)
        try:
            guardar_reproducible(wb, destino)
        finally:
            for celda in escritas:
                celda.value = None


_ESCRITOR: Escritor | None = None


def _iniciar_proceso(plantillas: Path) -> None:
    global _ESCRITOR
    _ESCRITOR = Escritor(plantillas)


def _escribir_en_proceso(tarea: tuple[LibroMuestra, Path]) -> Path:
    libro, destino = tarea
    assert _ESCRITOR is not None
    _ESCRITOR.escribir(libro, destino)
    return destino


def generar_libros(
    config: Configuracion, vigencia: int, semilla: int = 2025, escala: str = "muestra"
) -> list[LibroMuestra]:
    """Los libros de la vigencia sintética, sin escribirlos (puro y determinista)."""
    if escala not in ESCALAS:
        raise ValueError(f"Escala desconocida «{escala}»; use una de: {', '.join(ESCALAS)}.")
    return _Generador(config, vigencia, semilla, ESCALAS[escala]).libros()


def generar_muestra(
    salida: Path,
    config: Configuracion,
    vigencia: int,
    plantillas: Path,
    semilla: int = 2025,
    escala: str = "muestra",
) -> list[Path]:
    """Llena las plantillas con una vigencia sintética bajo `salida/<vigencia>/`; devuelve las rutas."""
    libros = generar_libros(config, vigencia, semilla, escala)
    return escribir_libros(libros, salida, plantillas, ESCALAS[escala].procesos)


def escribir_libros(
    libros: list[LibroMuestra], salida: Path, plantillas: Path, procesos: int = 1
) -> list[Path]:
    """Escribe cada libro sobre su plantilla en `salida/<libro.ruta>`; con procesos > 1, en paralelo."""
    plantillas = Path(plantillas)
    for plantilla in PLANTILLAS.values():
        if not (plantillas / plantilla.archivo).is_file():
            raise PlantillaFaltante(
                f"No existe la plantilla «{plantillas / plantilla.archivo}». Genérela primero con "
                "`asistencia plantillas`."
            )
    tareas = [(libro, Path(salida) / libro.ruta) for libro in libros]
    if procesos > 1:
        with Pool(procesos, initializer=_iniciar_proceso, initargs=(plantillas,)) as pool:
            return list(pool.imap(_escribir_en_proceso, tareas, chunksize=16))
    escritor = Escritor(plantillas)
    for libro, destino in tareas:
        escritor.escribir(libro, destino)
    return [destino for _, destino in tareas]


def sobrantes(salida: Path, vigencia: int, generados: list[Path]) -> list[Path]:
    """Libros bajo `salida/<vigencia>/` que la muestra no generó (quedarían mezclados con ella)."""
    carpeta = Path(salida) / str(vigencia)
    nuevos = {p.resolve() for p in generados}
    return sorted(p for p in carpeta.rglob("*.xlsx") if p.resolve() not in nuevos)


# ---------------------------------------------------------------------------------------------
# Línea de comandos


class _Formato(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix or "Uso: ")


def analizador(prog: str, descripcion: str) -> argparse.ArgumentParser:
    """Un ArgumentParser con los textos propios de argparse en español."""
    parser = argparse.ArgumentParser(
        prog=prog, description=descripcion, formatter_class=_Formato, add_help=False
    )
    parser._optionals.title = "Opciones"
    parser.add_argument(
        "-h", "--ayuda", "--help", action="help", help="muestra esta ayuda y termina"
    )
    return parser


def _argumentos(argv: list[str] | None) -> argparse.Namespace:
    parser = analizador(
        "python -m herramientas.muestra",
        "Genera una vigencia de muestra (datos sintéticos) llenando las plantillas de Excel "
        "reales. Ejemplo: python -m herramientas.muestra --salida entradas --vigencia 2025",
    )
    parser.add_argument("--salida", type=Path, required=True, help="carpeta de entradas destino")
    parser.add_argument(
        "--vigencia", type=int, required=True, help="año de la vigencia, p. ej. 2025"
    )
    parser.add_argument(
        "--config", type=Path, default=RUTA_POR_DEFECTO, help="TOML de la entidad (%(default)s)"
    )
    parser.add_argument(
        "--plantillas",
        type=Path,
        default=Path("plantillas_excel"),
        help="carpeta con las plantillas generadas (%(default)s)",
    )
    parser.add_argument("--semilla", type=int, default=2025, help="semilla del azar (%(default)s)")
    parser.add_argument(
        "--escala",
        choices=list(ESCALAS),
        default="muestra",
        help="tamaño: mini, muestra (la incluida en el proyecto), rapido o nacional",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Punto de entrada de `python -m herramientas.muestra`; devuelve el código de salida."""
    args = _argumentos(argv)
    try:
        config = cargar_configuracion(args.config)
        rutas = generar_muestra(
            args.salida, config, args.vigencia, args.plantillas, args.semilla, args.escala
        )
    except (ErrorConfiguracion, PlantillaFaltante) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(f"Se escribieron {len(rutas)} libros en «{args.salida / str(args.vigencia)}».")
    otros = sobrantes(args.salida, args.vigencia, rutas)
    if otros:
        print(
            f"Atención: hay {len(otros)} libros que no son de esta muestra en la carpeta (por "
            f"ejemplo «{otros[0]}»); bórrelos si sobran.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
