"""Piezas para parchar un libro xlsx sin cargarlo: partes, estilos, hojas en flujo, comentarios."""
