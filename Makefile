# Cada objetivo crea el entorno virtual .venv si falta; en un clon nuevo basta con
# `make consolidar` y `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SELLO := $(VENV)/.instalado
VIGENCIA ?= 2025
ARGS ?=

.PHONY: consolidar validar plantillas paquetes muestra test lint bench actualizar-esperados limpiar

$(SELLO): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(SELLO)

consolidar: $(SELLO)  ## Valida, consolida y escribe los informes de la muestra incluida
	$(BIN)/asistencia consolidar --vigencia $(VIGENCIA) $(ARGS)

validar: $(SELLO)  ## Solo valida las entradas y escribe el reporte y las devoluciones
	$(BIN)/asistencia validar --vigencia $(VIGENCIA) $(ARGS)

plantillas: $(SELLO)  ## Regenera las cinco plantillas en plantillas_excel/
	$(BIN)/asistencia plantillas $(ARGS)

paquetes: $(SELLO)  ## Escribe los paquetes por dirección (plantillas diligenciadas con lo aceptado)
	$(BIN)/asistencia paquetes --vigencia $(VIGENCIA) $(ARGS)

muestra: $(SELLO)  ## Regenera la vigencia de muestra en entradas/ a partir de las plantillas
	$(BIN)/python -m herramientas.muestra --salida entradas --vigencia $(VIGENCIA)

test: $(SELLO)  ## Ejecuta todas las pruebas
	$(BIN)/python -m pytest -n auto -q

lint: $(SELLO)  ## Revisa estilo, formato y tipos (ruff y mypy, versiones fijas)
	$(BIN)/ruff check pipeline esquemas herramientas tests bench
	$(BIN)/ruff format --check pipeline esquemas herramientas tests bench
	$(BIN)/mypy

bench: $(SELLO)  ## Mide lectura y consolidación a escala nacional (no forma parte de las pruebas)
	$(BIN)/python -m bench.medir $(ARGS)

actualizar-esperados: $(SELLO)  ## Regenera los archivos esperados de las pruebas golden (revisar el diff)
	ACTUALIZAR_ESPERADOS=1 $(BIN)/python -m pytest -q tests -k golden

limpiar:
	rm -rf salidas/20* .pytest_cache
