"""Reglas entre archivos X1–X11 (§5) sobre tablas tipadas pequeñas y libros leídos armados a mano."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from esquemas import PLANTILLAS
from pipeline.archivos import Entrada
from pipeline.configuracion import desde_dict
from pipeline.lectura import LibroLeido
from pipeline.normalizacion import enmascarar
from pipeline.problemas import Codigo, Severidad, celda
from pipeline.tablas import desde_registros
from pipeline.validacion.contexto import Contexto
from pipeline.validacion.entre_archivos import ReglasEntreArchivos, aplicar_reglas_entre_archivos
from pipeline.validacion.evidencias import minimo_evaluaciones

E, A = Severidad.ERROR, Severidad.ADVERTENCIA
PLAN, CRONO = "2025/DGT/plan.xlsx", "2025/DGT/cronograma.xlsx"
LISTA, EVAL = "2025/DGT/lista_a1.xlsx", "2025/DGT/evaluacion_a1.xlsx"
COMPROMISOS = "2025/DGT/compromisos.xlsx"


def contexto(**parametros: float) -> Contexto:
    config = desde_dict(
        {
            "entidad": "Entidad de prueba",
            "parametros": parametros,
            "direcciones": [
                {"codigo": "DGT", "nombre": "Gobernabilidad", "temas": ["Tema A"]},
                {"codigo": "DPV", "nombre": "Prevención", "temas": ["Tema B"]},
            ],
        }
    )
    return Contexto(config=config, vigencia="2025", divipola=None)  # DIVIPOLA no interviene aquí


def mensaje(codigo: str, valor: str, **datos: object) -> str:
    """El mensaje esperado, formateando la plantilla del catálogo."""
    base = {"sugerencia": "", "opciones": "", "campo": "", "direccion": "DGT"}
    return Codigo(codigo).formatear(**{**base, **datos, "valor": f"«{valor}»"})


OTRO_ARCHIVO = "Se aceptará cuando se corrija ese archivo; en este no hay nada que corregir."


def depende(valor: str, dependencia: str, causa: str) -> str:
    """El mensaje esperado de DEPENDE_DE_EXCLUIDA cuando el error de fondo está en otro archivo."""
    return mensaje(
        "DEPENDE_DE_EXCLUIDA", valor, dependencia=dependencia, causa=causa, accion=OTRO_ARCHIVO
    )


def celda_de(tipo: str, nombre: str, fila: int) -> str:
    return celda(PLANTILLAS[tipo].indice_columna(nombre), fila)


def ficha_de(tipo: str, nombre: str) -> str:
    return f"B{PLANTILLAS[tipo].fila_ficha(nombre)}"


class Escenario:
    """Archivos de una vigencia: tablas tipadas de filas válidas, filas excluidas y libros leídos."""

    def __init__(self) -> None:
        self.registros: dict[str, list[dict]] = defaultdict(list)
        self.previas: list[dict] = []
        self.libros: list[LibroLeido] = []

    def archivo(
        self,
        tipo: str,
        archivo: str,
        filas: list[dict],
        ficha: dict | None = None,
        excluidas: tuple[int, ...] = (),
        rechazado: bool = False,
    ) -> list[int]:
        """Agrega un archivo; `excluidas` son posiciones de filas que la validación de campos excluyó."""
        plantilla = PLANTILLAS[tipo]
        ficha = ficha or {}
        vigencia, direccion = archivo.split("/")[:2]
        numeros = [plantilla.primera_fila_datos + i for i in range(len(filas))]
        for i, (n, fila) in enumerate(zip(numeros, filas, strict=True)):
            if rechazado or i in excluidas:
                self.previas.append({"archivo": archivo, "fila": n, "tipo": tipo, "codigos": "X"})
            else:
                origen = {"direccion": direccion, "vigencia": int(vigencia), "archivo": archivo}
                if tipo == "asistencia":
                    origen["repetido"] = False
                self.registros[tipo].append({**origen, "fila": n, **ficha, **fila})
        nombres = [c.nombre for c in plantilla.columnas]
        self.libros.append(
            LibroLeido(
                entrada=Entrada(Path("/entradas") / archivo, archivo, vigencia, direccion),
                plantilla=plantilla,
                hoja=plantilla.hoja,
                ficha=dict(ficha),
                celdas_ficha={c.nombre: ficha_de(tipo, c.nombre) for c in plantilla.ficha},
                columnas={n: i for i, n in enumerate(nombres)},
                datos=pd.DataFrame(
                    [[f.get(n) for n in nombres] for f in filas],
                    columns=nombres,
                    index=pd.Index(numeros, name="fila", dtype="int64"),
                    dtype=object,
                ),
                rechazado=rechazado,
            )
        )
        return numeros

    def plan(self, *ids: str, archivo: str = PLAN, **kwargs) -> list[int]:
        return self.archivo("plan", archivo, [{"id_asistencia": i} for i in ids], **kwargs)

    def cronograma(
        self, *filas: dict, archivo: str = CRONO, corte: str = "2025-12-31", **kwargs
    ) -> list[int]:
        completas = [
            {"estado": "Realizada", "fecha_realizacion": "2025-03-21", **f}
            | ({"fecha_entrega_informe": "2025-03-21"} if "fecha_entrega_informe" not in f else {})
            for f in filas
        ]
        return self.archivo(
            "cronograma", archivo, completas, ficha={"fecha_corte": corte}, **kwargs
        )

    def lista(
        self, actividad: str, *documentos: str, archivo: str = LISTA, fecha: str = "2025-03-21"
    ) -> list[int]:
        filas = [
            {"tipo_documento": d.split(":")[0], "numero_documento": d.split(":")[1]}
            if ":" in d
            else {"tipo_documento": "CC", "numero_documento": d}
            for d in documentos
        ]
        ficha = {"id_actividad": actividad, "fecha_actividad": fecha}
        return self.archivo("asistencia", archivo, filas, ficha=ficha)

    def evaluacion(
        self, actividad: str, n: int, archivo: str = EVAL, fecha: str = "2025-03-21"
    ) -> list[int]:
        ficha = {"id_actividad": actividad, "fecha_actividad": fecha}
        filas = [{"satisfaccion_general": 5} for _ in range(n)]
        return self.archivo("evaluacion", archivo, filas, ficha=ficha)

    def basico(self, asistentes: int = 10, evaluaciones: int = 1) -> None:
        """Un escenario que cumple todo: plan, cronograma, lista y evaluación de una sesión."""
        self.plan("DGT-1")
        self.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
        self.lista("A1", *[str(1000 + i) for i in range(asistentes)])
        self.evaluacion("A1", evaluaciones)

    def aplicar(self, **parametros: float) -> ReglasEntreArchivos:
        tablas = {t: desde_registros(t, self.registros.get(t, [])) for t in PLANTILLAS}
        previas = pd.DataFrame(self.previas, columns=["archivo", "fila", "tipo", "codigos"])
        return aplicar_reglas_entre_archivos(
            tablas, self.libros, contexto(**parametros), excluidas_previas=previas
        )


def codigos(resultado: ReglasEntreArchivos) -> list[str]:
    return sorted(p.codigo for p in resultado.problemas)


def de(resultado: ReglasEntreArchivos, codigo: str) -> list:
    return [p for p in resultado.problemas if p.codigo == codigo]


def excluidas(resultado: ReglasEntreArchivos, tipo: str) -> dict[tuple[str, int], str]:
    e = resultado.excluidas[resultado.excluidas["tipo"] == tipo]
    return {(a, int(f)): c for a, f, c in zip(e["archivo"], e["fila"], e["codigos"], strict=True)}


# --- El caso que cumple -------------------------------------------------------------------------


def test_escenario_que_cumple_no_tiene_problemas_ni_exclusiones():
    esc = Escenario()
    esc.basico()
    esc.archivo(
        "compromisos",
        COMPROMISOS,
        [{"id_actividad": "a1 "}],  # mayúsculas y espacios no importan
        ficha={"fecha_corte": "2025-03-31"},
    )
    r = esc.aplicar()
    assert r.problemas == []
    assert r.excluidas.empty
    assert list(r.excluidas.columns) == ["archivo", "fila", "tipo", "codigos"]
    assert {t: len(r.tablas[t]) for t in PLANTILLAS} == {
        "plan": 1,
        "cronograma": 1,
        "asistencia": 10,
        "evaluacion": 1,
        "compromisos": 1,
    }
    assert not r.tablas["asistencia"]["repetido"].any()


def test_sin_tablas_no_falla():
    r = aplicar_reglas_entre_archivos({}, [], contexto())
    assert r.problemas == [] and r.excluidas.empty
    assert set(r.tablas) == set(PLANTILLAS)


# --- X1 / X2 --------------------------------------------------------------------------------------


def test_x1_id_asistencia_repetido_entre_direcciones_excluye_todas_las_apariciones():
    esc = Escenario()
    (f1,) = esc.plan("DGT-1")
    (f2,) = esc.plan("dgt-1 ", archivo="2025/DPV/plan.xlsx")
    r = esc.aplicar()
    x1 = de(r, "X1")
    assert [(p.archivo, p.celda, p.severidad, p.fila) for p in x1] == [
        ("2025/DGT/plan.xlsx", celda_de("plan", "id_asistencia", f1), E, f1),
        ("2025/DPV/plan.xlsx", celda_de("plan", "id_asistencia", f2), E, f2),
    ]
    otro = f"«2025/DPV/plan.xlsx», celda {celda_de('plan', 'id_asistencia', f2)}"
    assert x1[0].mensaje == mensaje("X1", "DGT-1", otros=otro)
    assert x1[0].campo == "ID asistencia" and x1[1].direccion == "DPV"
    assert excluidas(r, "plan") == {(PLAN, f1): "X1", ("2025/DPV/plan.xlsx", f2): "X1"}
    assert r.tablas["plan"].empty


def test_x1_cuenta_filas_excluidas_por_campos_pero_no_archivos_rechazados():
    esc = Escenario()
    filas = esc.plan("DGT-1", "DGT-1", "DGT-2", excluidas=(0,))
    esc.plan("DGT-2", archivo="2025/DPV/plan_copia.xlsx", rechazado=True)
    r = esc.aplicar()
    assert [(p.celda, p.fila) for p in de(r, "X1")] == [
        (celda_de("plan", "id_asistencia", f), f) for f in filas[:2]
    ]
    assert excluidas(r, "plan") == {(PLAN, filas[1]): "X1"}  # la otra ya estaba excluida
    assert list(r.tablas["plan"]["id_asistencia"]) == ["DGT-2"]


def test_x1_en_otra_vigencia_no_es_repetido():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.plan("DGT-1", archivo="2024/DGT/plan.xlsx")
    assert de(esc.aplicar(), "X1") == []


def test_x2_id_actividad_repetido_excluye_todas_y_sus_evidencias():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.plan("DPV-1", archivo="2025/DPV/plan.xlsx")
    (f1,) = esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    (f2,) = esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DPV-1"}, archivo="2025/DPV/cronograma.xlsx"
    )
    esc.lista("A1", "1001")
    r = esc.aplicar()
    x2 = de(r, "X2")
    assert [(p.archivo, p.celda, p.severidad) for p in x2] == [
        (CRONO, celda_de("cronograma", "id_actividad", f1), E),
        ("2025/DPV/cronograma.xlsx", celda_de("cronograma", "id_actividad", f2), E),
    ]
    assert excluidas(r, "cronograma") == {
        (CRONO, f1): "X2",
        ("2025/DPV/cronograma.xlsx", f2): "X2",
    }
    depende = de(r, "DEPENDE_DE_EXCLUIDA")
    assert [(p.archivo, p.celda) for p in depende] == [
        (LISTA, ficha_de("asistencia", "id_actividad"))
    ]
    assert r.tablas["asistencia"].empty


# --- X3 / X4 y dependencias -----------------------------------------------------------------------


def test_x3_asistencia_que_no_esta_en_el_plan_de_su_direccion():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.plan("DPV-7", archivo="2025/DPV/plan.xlsx")
    filas = esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-1"},
        {"id_actividad": "A2", "id_asistencia": "DGT-9"},
        {
            "id_actividad": "A3",
            "id_asistencia": "DPV-7",
        },  # existe, pero en el plan de otra dirección
    )
    esc.lista("A1", "1001")
    esc.evaluacion("A1", 1)
    r = esc.aplicar()
    x3 = de(r, "X3")
    assert [(p.celda, p.severidad, p.valor) for p in x3] == [
        (celda_de("cronograma", "id_asistencia", filas[1]), E, "DGT-9"),
        (celda_de("cronograma", "id_asistencia", filas[2]), E, "DPV-7"),
    ]
    assert x3[0].mensaje == mensaje("X3", "DGT-9", vigencia=2025)
    assert excluidas(r, "cronograma") == {(CRONO, filas[1]): "X3", (CRONO, filas[2]): "X3"}
    assert list(r.tablas["cronograma"]["id_actividad"]) == ["A1"]


def test_x3_cumple_aunque_cambien_mayusculas_y_espacios():
    esc = Escenario()
    esc.plan("DGT-001")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": " dgt-001"})
    esc.lista("A1", "1001")
    esc.evaluacion("A1", 1)
    assert esc.aplicar().problemas == []


def test_cronograma_que_depende_de_un_item_del_plan_excluido_por_campos():
    esc = Escenario()
    filas_plan = esc.plan("DGT-1", excluidas=(0,))
    (fila,) = esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    r = esc.aplicar()
    assert codigos(r) == ["DEPENDE_DE_EXCLUIDA"]
    (p,) = r.problemas
    lugar = f"«{PLAN}», celda {celda_de('plan', 'id_asistencia', filas_plan[0])}"
    assert p.celda == celda_de("cronograma", "id_asistencia", fila) and p.severidad is E
    assert p.mensaje == depende("DGT-1", "el ID asistencia «DGT-1»", lugar)
    assert excluidas(r, "cronograma") == {(CRONO, fila): "DEPENDE_DE_EXCLUIDA"}


def test_cascada_plan_cronograma_lista_evaluacion_y_compromisos():
    esc = Escenario()
    filas_plan = esc.plan("DGT-1", "DGT-1")  # X1: se excluyen las dos
    (fila_crono,) = esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    filas_lista = esc.lista("A1", "1001", "1002")
    filas_eval = esc.evaluacion("A1", 1)
    (fila_comp,) = esc.archivo(
        "compromisos", COMPROMISOS, [{"id_actividad": "A1"}], ficha={"fecha_corte": "2025-03-31"}
    )
    r = esc.aplicar()
    assert codigos(r) == ["DEPENDE_DE_EXCLUIDA"] * 4 + ["X1", "X1"]
    assert excluidas(r, "cronograma") == {(CRONO, fila_crono): "DEPENDE_DE_EXCLUIDA"}
    assert excluidas(r, "asistencia") == {(LISTA, f): "DEPENDE_DE_EXCLUIDA" for f in filas_lista}
    assert excluidas(r, "evaluacion") == {(EVAL, f): "DEPENDE_DE_EXCLUIDA" for f in filas_eval}
    assert excluidas(r, "compromisos") == {(COMPROMISOS, fila_comp): "DEPENDE_DE_EXCLUIDA"}
    # La lista señala el error de fondo (el X1 del plan), no la fila intermedia del cronograma.
    celda_plan = celda_de("plan", "id_asistencia", filas_plan[0])
    lugar = f"ID asistencia repetido («ID asistencia») en «{PLAN}», celda {celda_plan}"
    de_lista = next(p for p in r.problemas if p.archivo == LISTA)
    assert de_lista.celda == ficha_de("asistencia", "id_actividad")
    assert de_lista.mensaje == depende("A1", "la actividad «A1»", lugar)
    assert all(r.tablas[t].empty for t in PLANTILLAS)
    assert "X9" not in codigos(r)  # una actividad excluida no genera advertencias de evidencias


def test_lista_que_depende_de_una_actividad_excluida_por_campos():
    esc = Escenario()
    esc.plan("DGT-1")
    filas = esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"}, excluidas=(0,))
    esc.lista("A1", "1001")
    r = esc.aplicar()
    (p,) = r.problemas
    lugar = f"«{CRONO}», celda {celda_de('cronograma', 'id_actividad', filas[0])}"
    assert (p.codigo, p.archivo, p.celda) == (
        "DEPENDE_DE_EXCLUIDA",
        LISTA,
        ficha_de("asistencia", "id_actividad"),
    )
    assert p.mensaje == depende("A1", "la actividad «A1»", lugar)


def test_referencia_a_un_archivo_rechazado_por_su_ficha_es_dependencia_no_x3():
    esc = Escenario()
    esc.plan("DGT-1", rechazado=True)
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    assert codigos(esc.aplicar()) == ["DEPENDE_DE_EXCLUIDA"]


def test_x4_lista_evaluacion_y_compromiso_con_actividad_desconocida():
    esc = Escenario()
    esc.basico()
    filas_lista = esc.lista("A9", "2001", "2002", archivo="2025/DGT/lista_a9.xlsx")
    filas_eval = esc.evaluacion("A9", 1, archivo="2025/DGT/eval_a9.xlsx")
    filas_comp = esc.archivo(
        "compromisos",
        COMPROMISOS,
        [{"id_actividad": "A1"}, {"id_actividad": "A9"}],
        ficha={"fecha_corte": "2025-03-31"},
    )
    r = esc.aplicar()
    x4 = de(r, "X4")
    assert sorted((p.archivo, p.celda, p.severidad, p.fila or 0) for p in x4) == [
        (COMPROMISOS, celda_de("compromisos", "id_actividad", filas_comp[1]), E, filas_comp[1]),
        ("2025/DGT/eval_a9.xlsx", ficha_de("evaluacion", "id_actividad"), E, 0),
        ("2025/DGT/lista_a9.xlsx", ficha_de("asistencia", "id_actividad"), E, 0),
    ]
    assert all(p.mensaje == mensaje("X4", "A9") for p in x4)
    assert excluidas(r, "asistencia") == {("2025/DGT/lista_a9.xlsx", f): "X4" for f in filas_lista}
    assert excluidas(r, "evaluacion") == {("2025/DGT/eval_a9.xlsx", f): "X4" for f in filas_eval}
    assert excluidas(r, "compromisos") == {(COMPROMISOS, filas_comp[1]): "X4"}
    assert set(r.tablas["asistencia"]["archivo"]) == {LISTA}


def test_x4_actividad_de_otra_direccion():
    esc = Escenario()
    esc.basico()
    esc.lista("A1", "1001", archivo="2025/DPV/lista_a1.xlsx")
    r = esc.aplicar()
    (p,) = de(r, "X4")
    assert p.archivo == "2025/DPV/lista_a1.xlsx" and p.mensaje == mensaje(
        "X4", "A1", direccion="DPV"
    )


# --- X5 / X6 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("estado", ["Programada", "Reprogramada", "Cancelada"])
def test_x5_lista_y_evaluacion_de_actividad_no_realizada(estado):
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma(
        {
            "id_actividad": "A1",
            "id_asistencia": "DGT-1",
            "estado": estado,
            "fecha_realizacion": None,
        }
    )
    filas_lista = esc.lista("A1", "1001", "1002")
    filas_eval = esc.evaluacion("A1", 1)
    r = esc.aplicar()
    x5 = de(r, "X5")
    assert [(p.archivo, p.celda, p.severidad) for p in x5] == [
        (LISTA, ficha_de("asistencia", "id_actividad"), E),
        (EVAL, ficha_de("evaluacion", "id_actividad"), E),
    ]
    assert x5[0].mensaje == mensaje("X5", "A1", estado=estado)
    assert excluidas(r, "asistencia") == {(LISTA, f): "X5" for f in filas_lista}
    assert excluidas(r, "evaluacion") == {(EVAL, f): "X5" for f in filas_eval}
    assert r.tablas["asistencia"].empty and len(r.tablas["cronograma"]) == 1


def test_x6_fecha_de_la_actividad_distinta_de_la_realizacion():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    esc.lista("A1", "1001", fecha="2025-03-20")
    esc.evaluacion("A1", 1)
    r = esc.aplicar()
    (p,) = r.problemas
    assert (p.codigo, p.archivo, p.celda, p.severidad) == (
        "X6",
        LISTA,
        ficha_de("asistencia", "fecha_actividad"),
        A,
    )
    assert p.campo == "Fecha de la actividad"
    assert p.mensaje == mensaje("X6", "20/03/2025", otra="21/03/2025")
    assert r.excluidas.empty and len(r.tablas["asistencia"]) == 1


# --- X7 / X8 --------------------------------------------------------------------------------------


def test_x7_mas_evaluaciones_que_asistentes_distintos_excluye_las_evaluaciones():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    esc.lista("A1", "1001", "1002")
    esc.lista("A1", "1002", archivo="2025/DGT/lista_a1_b.xlsx")  # el mismo 1002: cuenta una vez
    filas_1 = esc.evaluacion("A1", 2)
    filas_2 = esc.evaluacion("A1", 1, archivo="2025/DGT/eval_a1_b.xlsx")
    r = esc.aplicar()
    x7 = de(r, "X7")
    assert [(p.archivo, p.celda, p.severidad) for p in x7] == [
        (EVAL, ficha_de("evaluacion", "id_actividad"), E),
        ("2025/DGT/eval_a1_b.xlsx", ficha_de("evaluacion", "id_actividad"), E),
    ]
    assert x7[0].mensaje == mensaje("X7", "A1", evaluaciones=3, asistentes=2)
    assert excluidas(r, "evaluacion") == {
        **{(EVAL, f): "X7" for f in filas_1},
        **{("2025/DGT/eval_a1_b.xlsx", f): "X7" for f in filas_2},
    }
    assert r.tablas["evaluacion"].empty and len(r.tablas["asistencia"]) == 3


def test_x7_igual_numero_de_evaluaciones_y_asistentes_cumple():
    esc = Escenario()
    esc.basico(asistentes=3, evaluaciones=3)
    assert esc.aplicar().problemas == []


def test_x8_documento_repetido_en_dos_listas_de_la_misma_actividad():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    filas_a = esc.lista("A1", "1000123456", "CE:1000123456")  # otro tipo: no es el mismo
    filas_b = esc.lista("A1", "2002", "1000123456", archivo="2025/DGT/lista_a1_b.xlsx")
    esc.evaluacion("A1", 1)
    r = esc.aplicar()
    (p,) = r.problemas
    assert (p.codigo, p.archivo, p.celda, p.severidad, p.fila) == (
        "X8",
        "2025/DGT/lista_a1_b.xlsx",
        celda_de("asistencia", "numero_documento", filas_b[1]),
        A,
        filas_b[1],
    )
    otros = f"«{LISTA}», celda {celda_de('asistencia', 'numero_documento', filas_a[0])}"
    assert p.valor == enmascarar("1000123456") and "1000123456" not in p.mensaje
    assert p.mensaje == mensaje("X8", enmascarar("1000123456"), actividad="A1", otros=otros)
    assert "1000123456" in p.mensaje_propio
    tabla = r.tablas["asistencia"].set_index(["archivo", "fila"])
    assert tabla["repetido"].to_dict() == {
        (LISTA, filas_a[0]): False,
        (LISTA, filas_a[1]): False,
        ("2025/DGT/lista_a1_b.xlsx", filas_b[0]): False,
        ("2025/DGT/lista_a1_b.xlsx", filas_b[1]): True,
    }
    assert r.excluidas.empty


def test_x8_en_la_misma_lista_dice_la_fila_de_esta_hoja():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    filas = esc.lista("A1", "1000123456", "2002", "1000123456")
    esc.evaluacion("A1", 1)
    (p,) = esc.aplicar().problemas
    assert p.codigo == "X8" and p.fila == filas[2]
    otros = f"la fila {filas[0]} de esta hoja"  # no «también en» el nombre del mismo archivo
    assert p.mensaje == mensaje("X8", enmascarar("1000123456"), actividad="A1", otros=otros)
    assert LISTA not in p.mensaje


def test_x8_el_mismo_documento_en_actividades_distintas_no_es_repetido():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-1"},
        {"id_actividad": "A2", "id_asistencia": "DGT-1"},
    )
    esc.lista("A1", "1001")
    esc.lista("A2", "1001", archivo="2025/DGT/lista_a2.xlsx")
    esc.evaluacion("A1", 1)
    esc.evaluacion("A2", 1, archivo="2025/DGT/eval_a2.xlsx")
    r = esc.aplicar()
    assert r.problemas == [] and not r.tablas["asistencia"]["repetido"].any()


# --- X9 / X10 -------------------------------------------------------------------------------------


def test_x9_actividad_realizada_sin_lista_de_asistencia():
    esc = Escenario()
    esc.plan("DGT-1")
    filas = esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-1"},
        {
            "id_actividad": "A2",
            "id_asistencia": "DGT-1",
            "estado": "Programada",
            "fecha_realizacion": None,
        },
    )
    r = esc.aplicar()
    (p,) = r.problemas
    assert (p.codigo, p.archivo, p.celda, p.severidad, p.campo) == (
        "X9",
        CRONO,
        celda_de("cronograma", "estado", filas[0]),
        A,
        "Estado",
    )
    assert p.mensaje == mensaje("X9", "A1")
    assert r.excluidas.empty


def test_x9_no_aplica_si_llego_la_lista_aunque_sus_filas_tengan_errores():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    esc.archivo(
        "asistencia",
        LISTA,
        [{"tipo_documento": "CC", "numero_documento": "x"}],
        ficha={"id_actividad": "A1", "fecha_actividad": "2025-03-21"},
        excluidas=(0,),
    )
    assert "X9" not in codigos(esc.aplicar())


def test_minimo_de_evaluaciones_redondea_hacia_arriba():
    asistentes = pd.Series([25, 30, 1, 0, 10])
    assert list(minimo_evaluaciones(asistentes, 10)) == [3, 3, 1, 0, 1]
    assert list(minimo_evaluaciones(pd.Series([100]), 7)) == [7]  # 7 % × 100 no da 8 por redondeo


def test_x10_pocas_evaluaciones_con_el_techo():
    esc = Escenario()
    esc.plan("DGT-1")
    (fila,) = esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    esc.lista("A1", *[str(5000 + i) for i in range(25)])
    esc.evaluacion("A1", 2)  # 10 % de 25 = 2,5 → hacen falta 3
    r = esc.aplicar()
    (p,) = r.problemas
    assert (p.codigo, p.archivo, p.celda, p.severidad) == (
        "X10",
        CRONO,
        celda_de("cronograma", "estado", fila),
        A,
    )
    assert p.mensaje == mensaje(
        "X10", "A1", evaluaciones=2, asistentes=25, minimo=3, porcentaje="10"
    )


def test_x10_cumple_con_el_minimo_exacto_y_sin_asistentes_no_aplica():
    esc = Escenario()
    esc.basico(asistentes=25, evaluaciones=3)
    assert esc.aplicar().problemas == []
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    esc.archivo(
        "asistencia",
        LISTA,
        [{"tipo_documento": "CC", "numero_documento": "x"}],
        ficha={"id_actividad": "A1", "fecha_actividad": "2025-03-21"},
        excluidas=(0,),
    )
    assert esc.aplicar().problemas == []


def test_x10_usa_el_porcentaje_configurado():
    esc = Escenario()
    esc.basico(asistentes=10, evaluaciones=4)
    (p,) = esc.aplicar(cobertura_minima_evaluacion=50).problemas
    assert p.codigo == "X10"
    assert p.mensaje == mensaje(
        "X10", "A1", evaluaciones=4, asistentes=10, minimo=5, porcentaje="50"
    )


# --- X11 ------------------------------------------------------------------------------------------


def _plazo(
    entrega: str | None, corte: str = "2025-12-31", **parametros: float
) -> ReglasEntreArchivos:
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-1", "fecha_entrega_informe": entrega},
        corte=corte,
    )
    esc.lista("A1", "1001")
    esc.evaluacion("A1", 1)
    return esc.aplicar(**parametros)


def test_x11_entregado_dentro_del_plazo_a_pesar_del_festivo():
    # Viernes 21/03/2025; el lunes 24 es San José: el miércoles 26 es el 2.º día hábil.
    assert _plazo("2025-03-26").problemas == []
    assert _plazo("2025-03-27").problemas == []  # 3.er día hábil: todavía a tiempo


def test_x11_entregado_fuera_del_plazo():
    r = _plazo("2025-03-28")  # 4 días hábiles
    (p,) = r.problemas
    fila = PLANTILLAS["cronograma"].primera_fila_datos
    assert (p.codigo, p.archivo, p.celda, p.severidad, p.campo) == (
        "X11",
        CRONO,
        celda_de("cronograma", "fecha_entrega_informe", fila),
        A,
        "Fecha de entrega del informe",
    )
    assert p.mensaje.startswith(
        mensaje("X11", "A1", situacion="{s}", dias=3, accion="").split("{s}")[0]
    )
    assert "28/03/2025" in p.mensaje and "4 días hábiles" in p.mensaje
    assert r.excluidas.empty


def test_x11_el_plazo_es_configurable():
    assert _plazo("2025-03-28", dias_habiles_informe=4).problemas == []
    assert codigos(_plazo("2025-03-27", dias_habiles_informe=2)) == ["X11"]


def test_x11_informe_faltante_segun_la_fecha_de_corte():
    assert _plazo(None, corte="2025-03-27").problemas == []  # van 3 días hábiles: aún en plazo
    r = _plazo(None, corte="2025-03-28")
    (p,) = r.problemas
    assert p.codigo == "X11" and p.valor == "A1"
    assert "28/03/2025" in p.mensaje and "no se ha entregado" in p.mensaje


# --- Exclusiones y rendimiento --------------------------------------------------------------------


def test_una_fila_con_varios_errores_lista_todos_sus_codigos():
    esc = Escenario()
    esc.plan("DGT-1")
    filas = esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-9"},
        {"id_actividad": "A1", "id_asistencia": "DGT-1"},
    )
    r = esc.aplicar()
    assert excluidas(r, "cronograma") == {(CRONO, filas[0]): "X2, X3", (CRONO, filas[1]): "X2"}


def test_x8_a_escala_marca_un_repetido_por_lista():
    # La velocidad se mide en `make bench`, no aquí: esta prueba solo comprueba el resultado en volumen.
    n_listas, por_lista = 200, 100
    plan = [
        {"direccion": "DGT", "vigencia": 2025, "archivo": PLAN, "fila": 10, "id_asistencia": "P"}
    ]
    crono = [
        {
            "direccion": "DGT",
            "vigencia": 2025,
            "archivo": CRONO,
            "fila": 10 + i,
            "id_actividad": f"A{i}",
            "id_asistencia": "P",
            "estado": "Realizada",
            "fecha_realizacion": "2025-03-21",
            "fecha_entrega_informe": "2025-03-21",
            "fecha_corte": "2025-12-31",
        }
        for i in range(n_listas)
    ]
    n = n_listas * por_lista
    asistencia = pd.DataFrame(
        {
            "direccion": "DGT",
            "vigencia": 2025,
            "archivo": [f"2025/DGT/lista_{i // por_lista}.xlsx" for i in range(n)],
            "fila": [12 + i % por_lista for i in range(n)],
            "id_actividad": [f"A{i // por_lista}" for i in range(n)],
            "fecha_actividad": pd.Timestamp("2025-03-21"),
            "tipo_documento": "CC",
            "numero_documento": [str(10_000 + i % (por_lista - 1)) for i in range(n)],
        }
    )
    evaluacion = pd.DataFrame(
        {
            "direccion": "DGT",
            "vigencia": 2025,
            "archivo": [f"2025/DGT/eval_{i}.xlsx" for i in range(n_listas) for _ in range(10)],
            "fila": [12 + j for _ in range(n_listas) for j in range(10)],
            "id_actividad": [f"A{i}" for i in range(n_listas) for _ in range(10)],
            "fecha_actividad": pd.Timestamp("2025-03-21"),
            "satisfaccion_general": 5,
        }
    )
    tablas = {
        "plan": desde_registros("plan", plan),
        "cronograma": desde_registros("cronograma", crono),
        "asistencia": desde_registros("asistencia", []).pipe(
            lambda v: pd.concat([v, asistencia]).astype(v.dtypes.to_dict())
        ),
        "evaluacion": desde_registros("evaluacion", []).pipe(
            lambda v: pd.concat([v, evaluacion]).astype(v.dtypes.to_dict())
        ),
    }
    r = aplicar_reglas_entre_archivos(tablas, [], contexto())
    assert len(de(r, "X8")) == n_listas  # un documento repetido por lista
    assert int(r.tablas["asistencia"]["repetido"].sum()) == n_listas


# --- Referencias también en filas y archivos excluidos por campos (§5: todo en una corrida) -------


def test_x3_tambien_en_una_fila_excluida_por_campos():
    esc = Escenario()
    esc.plan("DGT-1")
    filas = esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-1"},
        {"id_actividad": "A2", "id_asistencia": "DGT-9"},
        excluidas=(1,),
    )
    esc.lista("A1", "1001")
    esc.evaluacion("A1", 1)
    r = esc.aplicar()
    (p,) = r.problemas
    assert (p.codigo, p.archivo, p.celda, p.severidad, p.fila, p.valor) == (
        "X3",
        CRONO,
        celda_de("cronograma", "id_asistencia", filas[1]),
        E,
        filas[1],
        "DGT-9",
    )
    assert p.mensaje == mensaje("X3", "DGT-9", vigencia=2025)
    assert excluidas(r, "cronograma") == {}  # ya la excluyeron sus campos: no se lista otra vez
    assert list(r.tablas["cronograma"]["id_actividad"]) == ["A1"]


def test_depende_de_excluida_tambien_en_una_fila_excluida_por_campos():
    esc = Escenario()
    filas_plan = esc.plan("DGT-1", excluidas=(0,))
    (fila,) = esc.cronograma({"id_actividad": "A1", "id_asistencia": "dgt-1"}, excluidas=(0,))
    r = esc.aplicar()
    (p,) = r.problemas
    lugar = f"«{PLAN}», celda {celda_de('plan', 'id_asistencia', filas_plan[0])}"
    assert (p.codigo, p.celda, p.severidad) == (
        "DEPENDE_DE_EXCLUIDA",
        celda_de("cronograma", "id_asistencia", fila),
        E,
    )
    assert p.mensaje == depende("dgt-1", "el ID asistencia «dgt-1»", lugar)
    assert r.excluidas.empty


def test_referencia_vacia_en_fila_excluida_no_repite_el_error_de_campo():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": None},
        {"id_actividad": "A2", "id_asistencia": "   "},
        excluidas=(0, 1),
    )
    esc.archivo(
        "compromisos",
        COMPROMISOS,
        [{"id_actividad": None}],
        ficha={"fecha_corte": "2025-03-31"},
        excluidas=(0,),
    )
    assert esc.aplicar().problemas == []


def test_ids_vacios_en_filas_excluidas_no_son_repetidos():
    esc = Escenario()
    esc.plan("DGT-5", None, None, excluidas=(0, 1, 2))
    assert esc.aplicar().problemas == []


def _lista_excluida(esc: Escenario, actividad: str, archivo: str, fecha: str = "2025-03-21"):
    ficha = {"id_actividad": actividad, "fecha_actividad": fecha}
    filas = [{"tipo_documento": "CC", "numero_documento": "x"}] * 2
    return esc.archivo("asistencia", archivo, filas, ficha=ficha, excluidas=(0, 1))


def test_x4_y_x5_en_listas_con_todas_sus_filas_excluidas():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-1"},
        {
            "id_actividad": "A2",
            "id_asistencia": "DGT-1",
            "estado": "Programada",
            "fecha_realizacion": None,
        },
    )
    esc.lista("A1", "1001")
    esc.evaluacion("A1", 1)
    _lista_excluida(esc, "A9", "2025/DGT/lista_a9.xlsx")
    _lista_excluida(esc, "A2", "2025/DGT/lista_a2.xlsx")
    esc.archivo(
        "evaluacion",
        "2025/DGT/eval_a9.xlsx",
        [{"satisfaccion_general": 9}],
        ficha={"id_actividad": "A9", "fecha_actividad": "2025-03-21"},
        excluidas=(0,),
    )
    r = esc.aplicar()
    en_ficha = ficha_de("asistencia", "id_actividad")
    assert sorted((p.codigo, p.archivo, p.celda, p.severidad) for p in r.problemas) == [
        ("X4", "2025/DGT/eval_a9.xlsx", ficha_de("evaluacion", "id_actividad"), E),
        ("X4", "2025/DGT/lista_a9.xlsx", en_ficha, E),
        ("X5", "2025/DGT/lista_a2.xlsx", en_ficha, E),
    ]
    assert de(r, "X4")[0].mensaje == mensaje("X4", "A9")
    assert de(r, "X5")[0].mensaje == mensaje("X5", "A2", estado="Programada")
    assert r.excluidas.empty  # sus filas ya estaban excluidas por campos
    assert set(r.tablas["asistencia"]["archivo"]) == {LISTA}


def test_x6_en_lista_sin_filas_validas():
    esc = Escenario()
    esc.plan("DGT-1")
    (fila,) = esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    esc.lista("A1", "1001")
    _lista_excluida(esc, "A1", "2025/DGT/lista_a1_b.xlsx", fecha="2025-03-20")
    esc.evaluacion("A1", 1)
    esc.archivo(
        "evaluacion",
        "2025/DGT/eval_a1_b.xlsx",
        [{"satisfaccion_general": 9}] * 3,
        ficha={"id_actividad": "A1", "fecha_actividad": "2025-03-21"},
        excluidas=(0, 1, 2),
    )
    r = esc.aplicar()
    (p,) = r.problemas
    assert (p.codigo, p.archivo, p.celda, p.severidad) == (
        "X6",
        "2025/DGT/lista_a1_b.xlsx",
        ficha_de("asistencia", "fecha_actividad"),
        A,
    )
    assert p.mensaje == mensaje("X6", "20/03/2025", otra="21/03/2025")


def test_x7_solo_en_evaluaciones_con_filas_validas():
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"})
    esc.lista("A1", "1001")
    esc.evaluacion("A1", 2)
    esc.archivo(
        "evaluacion",
        "2025/DGT/eval_a1_b.xlsx",
        [{"satisfaccion_general": 9}],
        ficha={"id_actividad": "A1", "fecha_actividad": "2025-03-21"},
        excluidas=(0,),
    )
    r = esc.aplicar()
    assert [p.archivo for p in de(r, "X7")] == [EVAL]  # el archivo sin filas válidas no cuenta


def test_lista_sin_filas_validas_de_una_actividad_excluida_por_campos():
    esc = Escenario()
    esc.plan("DGT-1")
    filas = esc.cronograma({"id_actividad": "A1", "id_asistencia": "DGT-1"}, excluidas=(0,))
    _lista_excluida(esc, "A1", LISTA)
    r = esc.aplicar()
    (p,) = r.problemas
    lugar = f"«{CRONO}», celda {celda_de('cronograma', 'id_actividad', filas[0])}"
    assert (p.codigo, p.archivo, p.celda) == (
        "DEPENDE_DE_EXCLUIDA",
        LISTA,
        ficha_de("asistencia", "id_actividad"),
    )
    assert p.mensaje == depende("A1", "la actividad «A1»", lugar)


def test_x4_en_compromiso_excluido_por_campos():
    esc = Escenario()
    esc.basico()
    filas = esc.archivo(
        "compromisos",
        COMPROMISOS,
        [{"id_actividad": "A1"}, {"id_actividad": "A9"}],
        ficha={"fecha_corte": "2025-03-31"},
        excluidas=(1,),
    )
    r = esc.aplicar()
    (p,) = r.problemas
    assert (p.codigo, p.archivo, p.celda, p.severidad, p.fila) == (
        "X4",
        COMPROMISOS,
        celda_de("compromisos", "id_actividad", filas[1]),
        E,
        filas[1],
    )
    assert p.mensaje == mensaje("X4", "A9")
    assert r.excluidas.empty and len(r.tablas["compromisos"]) == 1


def test_archivos_rechazados_no_reciben_problemas_de_referencia():
    esc = Escenario()
    esc.basico()
    esc.cronograma(
        {"id_actividad": "A5", "id_asistencia": "DGT-9"},
        archivo="2025/DGT/cronograma_b.xlsx",
        rechazado=True,
    )
    esc.archivo(
        "compromisos",
        COMPROMISOS,
        [{"id_actividad": "A9"}],
        ficha={"fecha_corte": "2025-03-31"},
        rechazado=True,
    )
    esc.archivo(
        "asistencia",
        "2025/DGT/lista_a9.xlsx",
        [{"tipo_documento": "CC", "numero_documento": "1"}],
        ficha={"id_actividad": "A9", "fecha_actividad": "2025-03-21"},
        rechazado=True,
    )
    assert esc.aplicar().problemas == []


# --- X15 ------------------------------------------------------------------------------------------


def _pendiente(estado: str, corte: str, nueva: str | None = None) -> ReglasEntreArchivos:
    esc = Escenario()
    esc.plan("DGT-1")
    esc.cronograma(
        {
            "id_actividad": "A1",
            "id_asistencia": "DGT-1",
            "fecha_programada": "2025-03-10",
            "estado": estado,
            "nueva_fecha": nueva,
            "fecha_realizacion": None,
            "fecha_entrega_informe": None,
            "motivo": "Lluvias" if estado == "Reprogramada" else None,
        },
        corte=corte,
    )
    return esc.aplicar()


def test_x15_programada_despues_de_su_fecha_en_la_celda_estado():
    r = _pendiente("Programada", corte="2025-03-11")
    (p,) = r.problemas
    fila = PLANTILLAS["cronograma"].primera_fila_datos
    assert (p.codigo, p.archivo, p.celda, p.severidad, p.campo) == (
        "X15",
        CRONO,
        celda_de("cronograma", "estado", fila),
        A,
        "Estado",
    )
    assert p.mensaje == mensaje(
        "X15",
        "A1",
        estado="Programada",
        fecha_vigente="Fecha programada (10/03/2025)",
        corte="11/03/2025",
    )
    assert "Actualice el Estado" in p.mensaje
    assert r.excluidas.empty  # advertencia: la actividad sigue contando


def test_x15_no_antes_de_que_pase_la_fecha_vigente():
    assert _pendiente("Programada", corte="2025-03-10").problemas == []  # el mismo día: aún no
    # Reprogramada al 20/03: su fecha vigente es la nueva, no la programada.
    assert _pendiente("Reprogramada", corte="2025-03-15", nueva="2025-03-20").problemas == []
    (p,) = _pendiente("Reprogramada", corte="2025-03-21", nueva="2025-03-20").problemas
    assert p.codigo == "X15" and "Nueva fecha (20/03/2025)" in p.mensaje


def test_x15_usa_la_fecha_de_corte_de_su_propio_cronograma():
    esc = Escenario()
    esc.plan("DGT-1")
    pendiente = {"fecha_programada": "2025-03-10", "estado": "Programada"}
    pendiente |= {"fecha_realizacion": None, "fecha_entrega_informe": None}
    esc.cronograma(
        {"id_actividad": "A1", "id_asistencia": "DGT-1", **pendiente}, corte="2025-03-31"
    )
    otro = "2025/DPV/cronograma.xlsx"
    esc.plan("DPV-1", archivo="2025/DPV/plan.xlsx")
    esc.cronograma(
        {"id_actividad": "B1", "id_asistencia": "DPV-1", **pendiente},
        archivo=otro,
        corte="2025-03-01",
    )
    assert [(p.codigo, p.archivo, p.valor) for p in esc.aplicar().problemas] == [
        ("X15", CRONO, "A1")
    ]


@pytest.mark.parametrize("estado", ["Realizada", "Cancelada"])
def test_x15_no_aplica_a_realizadas_ni_canceladas(estado):
    esc = Escenario()
    esc.plan("DGT-1")
    fila = {"id_actividad": "A1", "id_asistencia": "DGT-1", "fecha_programada": "2025-03-10"}
    if estado == "Cancelada":
        fila |= {"estado": "Cancelada", "fecha_realizacion": None, "motivo": "No se hará"}
    esc.cronograma(fila, corte="2025-12-31")
    esc.lista("A1", "1001")
    esc.evaluacion("A1", 1)
    assert "X15" not in codigos(esc.aplicar())


def test_indice_de_reglas_entre_archivos_completo():
    """Cada código X1–X16 está en el índice del paquete; los de PASOS, con su función."""
    import pipeline.validacion as paquete
    from pipeline.validacion.entre_archivos import PASOS

    indice = paquete.__doc__ or ""
    for n in range(1, 17):
        assert f"X{n} " in indice or f"X{n}," in indice, f"X{n}"
    for paso in PASOS:
        assert f"entre_archivos.{paso.aplicar.__name__}" in indice
        assert all(codigo.startswith("X") for codigo in paso.codigos)
