"""Pruebas del generador de plantillas (`pipeline.plantillas`, especificación §4)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from esquemas import PLANTILLAS, Campo, Catalogo, Plantilla, Tipo
from pipeline import plantillas as modulo
from pipeline.archivos import Entrada
from pipeline.configuracion import cargar_configuracion, desde_dict
from pipeline.divipola import cargar_divipola
from pipeline.escritura import AZUL_CLARO, AZUL_OSCURO
from pipeline.lectura import HOJA_MARCA, leer
from pipeline.normalizacion import clave, texto
from pipeline.plantillas import (
    HOJA_INSTRUCCIONES,
    HOJA_LISTAS,
    escribir_plantilla,
    generar_plantillas,
)
from pipeline.problemas import celda

RAIZ = Path(__file__).resolve().parents[1]
TIPOS = list(PLANTILLAS)
_RANGO = re.compile(
    r"^'?(?P<hoja>[^'!]+)'?!\$(?P<col>[A-Z]+)\$(?P<f1>\d+)(?::\$[A-Z]+\$(?P<f2>\d+))?$"
)
_FILTRO = re.compile(
    r"^OFFSET\((?P<primera>[^,]+),MATCH\((?P<llave>.+),(?P<claves>[^,]+),0\)-1,0,"
    r"COUNTIF\((?P=claves),(?P=llave)\),1\)$"
)


@pytest.fixture(scope="module")
def config():
    return cargar_configuracion(RAIZ / "esquemas" / "entidad.toml")


@pytest.fixture(scope="module")
def generadas(config, tmp_path_factory) -> dict[str, Path]:
    salida = tmp_path_factory.mktemp("plantillas")
    rutas = generar_plantillas(config, salida)
    return {p.tipo: r for p, r in zip(PLANTILLAS.values(), rutas, strict=True)}


@pytest.fixture(scope="module")
def libros(generadas) -> dict[str, openpyxl.Workbook]:
    return {tipo: openpyxl.load_workbook(ruta) for tipo, ruta in generadas.items()}


# --- Ayudas ---------------------------------------------------------------------------------------


def _validacion(hoja, coordenada: str):
    """La validación de datos que cubre la celda (None si no hay)."""
    for dv in hoja.data_validations.dataValidation:
        if coordenada in dv.sqref:
            return dv
    return None


def _valores_rango(libro, referencia: str) -> list:
    m = _RANGO.match(referencia.lstrip("="))
    assert m, referencia
    hoja = libro[m["hoja"]]
    f2 = int(m["f2"] or m["f1"])
    return [hoja[f"{m['col']}{f}"].value for f in range(int(m["f1"]), f2 + 1)]


def _evaluar_filtro(libro, formula: str, llave: str) -> list:
    """Evalúa OFFSET(primera, MATCH(llave, claves, 0)-1, 0, COUNTIF(claves, llave), 1) como Excel."""
    m = _FILTRO.match(formula.lstrip("="))
    assert m, formula
    claves = [clave(v) for v in _valores_rango(libro, m["claves"])]
    inicio, cuenta = claves.index(clave(llave)), claves.count(clave(llave))
    p = _RANGO.match(m["primera"])
    hoja, f1 = libro[p["hoja"]], int(p["f1"])
    return [hoja[f"{p['col']}{f1 + inicio + i}"].value for i in range(cuenta)]


def _celdas_columna(plantilla: Plantilla, campo: Campo) -> tuple[str, str]:
    j = plantilla.indice_columna(campo.nombre)
    ultima = plantilla.primera_fila_datos + plantilla.filas - 1
    return celda(j, plantilla.primera_fila_datos), celda(j, ultima)


def _estilo(hoja, coordenada: str):
    """La celda si tiene formato propio; si no, su columna (Excel le da el formato de la columna)."""
    celda_ = hoja[coordenada]
    if celda_.has_style:
        return celda_
    columna = celda_.column
    return next(d for d in hoja.column_dimensions.values() if d.min <= columna <= d.max)


def _celda_ficha(plantilla: Plantilla, campo: Campo) -> str:
    return f"B{plantilla.fila_ficha(campo.nombre)}"


def _campos_catalogo(plantilla: Plantilla) -> list[tuple[Campo, list[str]]]:
    """Cada campo de lista con las celdas de entrada que su validación debe cubrir."""
    resultado = [(c, [_celda_ficha(plantilla, c)]) for c in plantilla.ficha if c.es_catalogo]
    resultado += [
        (c, list(_celdas_columna(plantilla, c))) for c in plantilla.columnas if c.es_catalogo
    ]
    return resultado


# --- Estructura -----------------------------------------------------------------------------------


def test_genera_las_cinco_plantillas_con_su_nombre(generadas):
    assert [r.name for r in generadas.values()] == [p.archivo for p in PLANTILLAS.values()]
    assert all(r.is_file() for r in generadas.values())
    assert not [p for p in next(iter(generadas.values())).parent.iterdir() if p.suffix == ".tmp"]


@pytest.mark.parametrize("tipo", TIPOS)
def test_hojas_en_orden_y_la_de_datos_activa(libros, tipo):
    libro, plantilla = libros[tipo], PLANTILLAS[tipo]
    formulario = [plantilla.hoja_formulario] if plantilla.hoja_formulario else []
    esperadas = [plantilla.hoja, *formulario, HOJA_INSTRUCCIONES, HOJA_LISTAS, HOJA_MARCA]
    assert libro.sheetnames == esperadas
    assert libro.active.title == plantilla.hoja
    estados = {h.title: h.sheet_state for h in libro.worksheets}
    assert estados == {
        plantilla.hoja: "visible",
        **dict.fromkeys(formulario, "visible"),
        HOJA_INSTRUCCIONES: "visible",
        HOJA_LISTAS: "hidden",
        HOJA_MARCA: "hidden",
    }


@pytest.mark.parametrize("tipo", TIPOS)
def test_titulo_ficha_y_encabezados_en_su_celda(libros, config, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    assert hoja.cell(Plantilla.FILA_TITULO, 2).value == config.entidad
    assert hoja.cell(Plantilla.FILA_TITULO + 1, 2).value == plantilla.titulo.upper()
    for campo in plantilla.ficha:
        assert hoja.cell(plantilla.fila_ficha(campo.nombre), 1).value == campo.etiqueta
    assert hoja[_celda_ficha(plantilla, plantilla.campo("entidad"))].value == config.entidad
    fila = plantilla.fila_encabezado
    vacia = plantilla.FILA_FICHA + len(plantilla.ficha)
    assert all(hoja.cell(vacia, j).value is None for j in range(1, 4))  # fila en blanco
    assert fila == vacia + 1 + (1 if plantilla.aviso else 0)
    encabezados = [hoja.cell(fila, j + 1).value for j in range(plantilla.total_columnas + 1)]
    etiquetas = [c.etiqueta for c in plantilla.columnas] + list(plantilla.columnas_impresas)
    assert encabezados == etiquetas + [None]


@pytest.mark.parametrize("tipo", TIPOS)
def test_marca_de_plantilla_en_hoja_oculta_y_propiedades(libros, tipo):
    libro, plantilla = libros[tipo], PLANTILLAS[tipo]
    marca = libro[HOJA_MARCA]
    filas = [[c.value for c in fila] for fila in marca.iter_rows(min_row=1, max_row=3, max_col=2)]
    assert filas == [
        ["producto", "asistencia"],
        ["tipo", plantilla.tipo],
        ["versión", plantilla.version],
    ]
    propiedades = {p.name: p.value for p in libro.custom_doc_props.props}
    assert propiedades == {
        "producto": "asistencia",
        "tipo": plantilla.tipo,
        "versión": plantilla.version,
    }


# --- Listas desplegables --------------------------------------------------------------------------


@pytest.mark.parametrize("tipo", TIPOS)
def test_cada_campo_de_catalogo_tiene_lista_desplegable(libros, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    campos = _campos_catalogo(plantilla)
    assert campos
    for campo, celdas in campos:
        for c in celdas:
            dv = _validacion(hoja, c)
            assert dv is not None and dv.type == "list", (campo.etiqueta, c)
            assert HOJA_LISTAS in dv.formula1


@pytest.mark.parametrize("tipo", TIPOS)
def test_catalogos_fijos_y_direcciones_salen_de_la_lista(libros, config, tipo):
    libro, plantilla = libros[tipo], PLANTILLAS[tipo]
    hoja = libro.worksheets[0]
    for campo, celdas in _campos_catalogo(plantilla):
        dv = _validacion(hoja, celdas[0])
        if campo.opciones:
            esperado = (
                [int(v) for v in campo.opciones]
                if campo.tipo is Tipo.ENTERO
                else list(campo.opciones)
            )
            assert _valores_rango(libro, dv.formula1) == esperado, campo.etiqueta
            assert dv.errorStyle in (None, "stop")
        elif campo.catalogo is Catalogo.DIRECCIONES:
            esperado = [d.etiqueta for d in config.direcciones]
            assert _valores_rango(libro, dv.formula1) == esperado
            assert dv.errorStyle == "warning"
        elif campo.catalogo is Catalogo.DEPARTAMENTOS:
            nombres = _valores_rango(libro, dv.formula1)
            assert sorted(nombres) == sorted(cargar_divipola().departamentos.values())
            assert dv.errorStyle == "warning"


def test_escala_de_evaluacion_es_lista_de_1_a_5(libros):
    libro, plantilla = libros["evaluacion"], PLANTILLAS["evaluacion"]
    for campo in plantilla.columnas:
        if campo.tipo is Tipo.ENTERO:
            dv = _validacion(libro.worksheets[0], _celdas_columna(plantilla, campo)[0])
            assert dv.type == "list"
            assert _valores_rango(libro, dv.formula1) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "tipo", [t for t, p in PLANTILLAS.items() if "municipio" in {c.nombre for c in p.columnas}]
)
def test_municipio_filtrado_por_el_departamento_de_la_misma_fila(libros, tipo):
    libro, plantilla = libros[tipo], PLANTILLAS[tipo]
    dv = _validacion(
        libro.worksheets[0], _celdas_columna(plantilla, plantilla.columna("municipio"))[0]
    )
    assert dv.errorStyle == "warning"
    departamento = celda(plantilla.indice_columna("departamento"), plantilla.primera_fila_datos)
    assert _FILTRO.match(dv.formula1)["llave"] == f"${departamento}"
    divipola = cargar_divipola()
    for cod, nombre in divipola.departamentos.items():
        esperado = [m.nombre for m in divipola.municipios_de(cod)]
        assert _evaluar_filtro(libro, dv.formula1, nombre) == esperado, nombre


def test_tema_filtrado_por_la_direccion_de_la_ficha(libros, config):
    libro, plantilla = libros["plan"], PLANTILLAS["plan"]
    dv = _validacion(libro.worksheets[0], _celdas_columna(plantilla, plantilla.columna("tema"))[0])
    assert dv.errorStyle == "warning"
    llave = _FILTRO.match(dv.formula1)["llave"]
    assert f"$B${plantilla.fila_ficha('direccion')}" in llave
    for direccion in config.direcciones:
        # La fórmula toma el código antes de « - »: la llave de la tabla es el código.
        assert _evaluar_filtro(libro, dv.formula1, direccion.codigo) == list(direccion.temas)


def test_cambiar_la_configuracion_cambia_las_listas(tmp_path):
    otra = desde_dict(
        {
            "entidad": "Alcaldía de Prueba",
            "direcciones": [
                {"codigo": "XYZ", "nombre": "Dirección Nueva", "temas": ["Tema único"]}
            ],
        }
    )
    plantilla = PLANTILLAS["plan"]
    ruta = tmp_path / plantilla.archivo
    escribir_plantilla(plantilla, otra, ruta)
    libro = openpyxl.load_workbook(ruta)
    hoja = libro.worksheets[0]
    direccion = _validacion(hoja, _celda_ficha(plantilla, plantilla.campo("direccion")))
    assert _valores_rango(libro, direccion.formula1) == ["XYZ - Dirección Nueva"]
    tema = _validacion(hoja, _celdas_columna(plantilla, plantilla.columna("tema"))[0])
    assert _evaluar_filtro(libro, tema.formula1, "XYZ") == ["Tema único"]
    listas = {c.value for fila in libro[HOJA_LISTAS].iter_rows() for c in fila}
    assert "Tema único" in listas and not any("DGT" in str(v) for v in listas)
    assert "Alcaldía de Prueba" in hoja["B1"].value


# --- Ayudas, formatos y protección ----------------------------------------------------------------


@pytest.mark.parametrize("tipo", TIPOS)
def test_mensaje_de_entrada_en_encabezados_celdas_y_ficha(libros, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    celdas = [(c, _celda_ficha(plantilla, c)) for c in plantilla.ficha]
    for campo in plantilla.columnas:
        celdas.append(
            (campo, celda(plantilla.indice_columna(campo.nombre), plantilla.fila_encabezado))
        )
        celdas += [(campo, c) for c in _celdas_columna(plantilla, campo)]
    for campo, c in celdas:
        dv = _validacion(hoja, c)
        assert dv is not None, c
        assert dv.showInputMessage and dv.promptTitle == campo.etiqueta[:32]
        assert campo.ayuda[:40] in dv.prompt and len(dv.prompt) <= 255
        assert dv.prompt.startswith("Obligatorio.") == campo.requerido


def test_mensaje_de_entrada_agrega_la_condicion():
    plantilla = PLANTILLAS["cronograma"]
    campo = plantilla.columna("fecha_realizacion")
    condicion = plantilla.condicion(campo)
    assert condicion == "Obligatoria si y solo si el Estado es Realizada."
    assert condicion in modulo._mensaje_entrada(campo, plantilla)["input_message"]


@pytest.mark.parametrize("tipo", TIPOS)
def test_formatos_de_fecha_y_texto(libros, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    for campo in plantilla.columnas:
        textual = campo.tipo in (Tipo.DOCUMENTO, Tipo.TELEFONO) or campo.nombre.startswith("id_")
        textual |= campo.catalogo in (Catalogo.DEPARTAMENTOS, Catalogo.MUNICIPIOS)
        for c in _celdas_columna(plantilla, campo):
            if campo.tipo is Tipo.FECHA:
                assert _estilo(hoja, c).number_format == "dd/mm/yyyy", c
                dv = _validacion(hoja, c)
                assert dv.type == "date" and dv.errorStyle == "warning"
            elif textual:
                assert _estilo(hoja, c).number_format == "@", (campo.etiqueta, c)
    for campo in plantilla.ficha:
        if campo.tipo is Tipo.FECHA:
            assert hoja[_celda_ficha(plantilla, campo)].number_format == "dd/mm/yyyy"


@pytest.mark.parametrize("tipo", TIPOS)
def test_vigencia_es_entero_entre_2000_y_2100(libros, tipo):
    plantilla = PLANTILLAS[tipo]
    dv = _validacion(
        libros[tipo].worksheets[0], _celda_ficha(plantilla, plantilla.campo("vigencia"))
    )
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "2000", "2100")
    assert dv.operator in (None, "between")  # «between» es el operador por defecto


@pytest.mark.parametrize("tipo", TIPOS)
def test_encabezado_congelado_y_anchos(libros, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    assert hoja.freeze_panes == f"A{plantilla.primera_fila_datos}"
    anchos = {n: d.width for d in hoja.column_dimensions.values() for n in range(d.min, d.max + 1)}
    for j, campo in enumerate(plantilla.columnas[1:], start=2):
        assert anchos[j] == pytest.approx(campo.ancho, abs=1)
    assert anchos[1] > max(len(c.etiqueta) for c in plantilla.ficha)  # la columna A lleva la ficha


@pytest.mark.parametrize("tipo", TIPOS)
def test_proteccion_sin_clave_con_celdas_de_entrada_desbloqueadas(libros, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    proteccion = hoja.protection
    assert proteccion.sheet and not proteccion.password
    assert not proteccion.formatColumns and not proteccion.formatRows and not proteccion.autoFilter
    assert hoja["A1"].protection.locked
    for campo in plantilla.ficha:
        assert hoja[f"A{plantilla.fila_ficha(campo.nombre)}"].protection.locked
        assert not hoja[_celda_ficha(plantilla, campo)].protection.locked
    for campo in plantilla.columnas:
        j = plantilla.indice_columna(campo.nombre)
        assert hoja[celda(j, plantilla.fila_encabezado)].protection.locked
        for c in _celdas_columna(plantilla, campo):
            assert not _estilo(hoja, c).protection.locked, c


def _relleno_encabezado(hoja, plantilla: Plantilla, campo: Campo) -> str:
    coordenada = celda(plantilla.indice_columna(campo.nombre), plantilla.fila_encabezado)
    return hoja[coordenada].fill.fgColor.rgb


@pytest.mark.parametrize("tipo", TIPOS)
def test_encabezados_obligatorios_se_distinguen_por_el_color(libros, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    rellenos = {c.requerido: _relleno_encabezado(hoja, plantilla, c) for c in plantilla.columnas}
    assert rellenos[True] != rellenos[False]
    for campo in plantilla.columnas:
        assert _relleno_encabezado(hoja, plantilla, campo) == rellenos[campo.requerido]


@pytest.mark.parametrize("tipo", TIPOS)
def test_los_colores_de_la_plantilla_son_los_de_la_paleta_comun(libros, tipo):
    hoja, plantilla = libros[tipo].worksheets[0], PLANTILLAS[tipo]
    rellenos = {c.requerido: _relleno_encabezado(hoja, plantilla, c) for c in plantilla.columnas}
    assert rellenos[True] == "FF" + AZUL_OSCURO[1:]
    if False in rellenos:
        assert rellenos[False] == "FF" + AZUL_CLARO[1:]
    titulo = libros[tipo][HOJA_INSTRUCCIONES]["A1"].font.color.rgb
    assert titulo == "FF" + AZUL_OSCURO[1:]


@pytest.mark.parametrize("tipo", TIPOS)
def test_instrucciones_explican_cada_campo(libros, tipo):
    libro, plantilla = libros[tipo], PLANTILLAS[tipo]
    textos = [texto(c.value) for fila in libro[HOJA_INSTRUCCIONES].iter_rows() for c in fila]
    textos = [t for t in textos if t]
    for campo in plantilla.ficha + plantilla.columnas:
        marca = " *" if campo.requerido else ""
        assert campo.etiqueta + marca in textos, campo.etiqueta
        assert campo.ayuda in textos
    todo = "\n".join(textos)
    assert plantilla.descripcion in todo
    assert all(i in todo for i in plantilla.instrucciones)
    assert "Ley 1581" in todo and "dd/mm/aaaa" in todo and "un archivo por sesión" in todo


# --- Escritura ------------------------------------------------------------------------------------


def test_regenerar_da_los_mismos_bytes(config, tmp_path, generadas):
    rutas = generar_plantillas(config, tmp_path / "otra")
    for ruta in rutas:
        assert ruta.read_bytes() == generadas[_tipo(ruta)].read_bytes(), ruta.name


def _tipo(ruta: Path) -> str:
    return next(p.tipo for p in PLANTILLAS.values() if p.archivo == ruta.name)


def test_escritura_atomica_conserva_la_version_anterior_si_falla(config, tmp_path, monkeypatch):
    plantilla = PLANTILLAS["compromisos"]
    ruta = tmp_path / plantilla.archivo
    ruta.write_bytes(b"anterior")

    def falla(*_args):
        raise RuntimeError("fallo simulado")

    monkeypatch.setattr(modulo, "construir_plantilla", falla)
    with pytest.raises(RuntimeError):
        escribir_plantilla(plantilla, config, ruta)
    assert ruta.read_bytes() == b"anterior"
    monkeypatch.undo()
    escribir_plantilla(plantilla, config, ruta)
    assert ruta.read_bytes().startswith(b"PK")
    assert [p.name for p in tmp_path.iterdir()] == [plantilla.archivo]


# --- Ida y vuelta con el lector -------------------------------------------------------------------


def _valor_de_prueba(campo: Campo, config) -> object:
    direccion = config.direcciones[0]
    if campo.catalogo is Catalogo.DIRECCIONES:
        return direccion.etiqueta
    if campo.catalogo is Catalogo.TEMAS:
        return direccion.temas[-1]
    if campo.catalogo is Catalogo.DEPARTAMENTOS:
        return "ANTIOQUIA"
    if campo.catalogo is Catalogo.MUNICIPIOS:
        return "MEDELLÍN"
    if campo.opciones:
        return int(campo.opciones[-1]) if campo.tipo is Tipo.ENTERO else campo.opciones[-1]
    return {
        Tipo.FECHA: dt.datetime(2025, 3, 15),
        Tipo.ENTERO: 3,
        Tipo.NUMERO: 1500000,
        Tipo.ANIO: 2025,
        Tipo.DOCUMENTO: "1.023.456.789",
        Tipo.CORREO: "ana@entidad.gov.co",
        Tipo.TELEFONO: "+57 300 123 4567",
    }.get(campo.tipo, f"{campo.etiqueta} de prueba")


@pytest.mark.parametrize("tipo", TIPOS)
def test_ida_y_vuelta_el_lector_reconoce_la_plantilla_diligenciada(
    generadas, config, tmp_path, tipo
):
    plantilla = PLANTILLAS[tipo]
    ruta = tmp_path / "2025" / "DGT" / f"diligenciado_{tipo}.xlsx"
    ruta.parent.mkdir(parents=True)
    shutil.copy(generadas[tipo], ruta)
    libro = openpyxl.load_workbook(ruta)
    hoja = libro[plantilla.hoja]
    for campo in plantilla.ficha:
        hoja[_celda_ficha(plantilla, campo)] = _valor_de_prueba(campo, config)
    primera = plantilla.primera_fila_datos
    filas = [primera, primera + 1, primera + 3]  # con una fila en blanco en medio
    for fila in filas:
        for j, campo in enumerate(plantilla.columnas):
            hoja.cell(fila, j + 1, _valor_de_prueba(campo, config))
    libro.save(ruta)

    leido = leer(Entrada(ruta, f"2025/DGT/{ruta.name}", "2025", "DGT"))

    assert leido.problemas == []
    assert (leido.tipo, leido.version, leido.desde_plantilla) == (tipo, plantilla.version, True)
    assert leido.hoja == plantilla.hoja
    for campo in plantilla.ficha:
        assert texto(leido.ficha[campo.nombre]) == texto(_valor_de_prueba(campo, config))
        assert leido.celdas_ficha[campo.nombre] == _celda_ficha(plantilla, campo)
    assert leido.columnas == {c.nombre: j for j, c in enumerate(plantilla.columnas)}
    assert list(leido.datos.index) == filas
    for campo in plantilla.columnas:
        assert {texto(v) for v in leido.datos[campo.nombre]} == {
            texto(_valor_de_prueba(campo, config))
        }
