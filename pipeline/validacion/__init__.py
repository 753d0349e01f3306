"""Validación de una vigencia: lectura de todos los libros, reglas de campo y reglas entre archivos.

Una validación de pandera por tipo de plantilla sobre todos los archivos juntos (§9), nunca una por
archivo. El resultado son datos: problemas, estado de cada archivo y tablas tipadas de filas válidas.

Módulos, en el orden de la corrida: `esquema` (reglas de §4 derivadas de las columnas de
`esquemas/`) y `campos` (las aplica), `versiones` (§10.1), `entre_archivos` (los `PASOS` de §5),
con `hallazgos` (ubicar celdas, anotar problemas y exclusiones), `identificadores`, `evidencias` y
`plazos`; `resultado` es lo que sale.

Índice de las reglas entre archivos (§5):

- X1 `entre_archivos.ids_asistencia_repetidos`
- X2 `entre_archivos.ids_actividad_repetidos`
- X3 `entre_archivos.actividades_sin_asistencia`
- X4 `entre_archivos.referencias_sin_actividad`
- X5, X6 `entre_archivos.evidencias_de_no_realizadas`
- X7 `entre_archivos.mas_evaluaciones_que_asistentes`
- X8 `entre_archivos.documentos_repetidos`
- X9 `entre_archivos.realizadas_sin_lista`
- X10 `entre_archivos.pocas_evaluaciones`
- X11 `entre_archivos.informes_fuera_de_plazo`
- X12 `validar` (archivos idénticos, antes de validar campos)
- X13 `esquema.reglas_ficha` (ficha distinta de la carpeta)
- X14 `esquema.reglas_campos` (municipio, con la regla `_municipio`)
- X15 `entre_archivos.estados_vencidos`
- X16 `versiones.separar_versiones`
"""

from pipeline.validacion.contexto import Contexto
from pipeline.validacion.resultado import ResultadoValidacion
from pipeline.validacion.vigencia import validar

__all__ = ["Contexto", "ResultadoValidacion", "validar"]
