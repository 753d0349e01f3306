"""Benchmark de rendimiento (§9): `python -m bench.medir`; no forma parte de las pruebas."""
