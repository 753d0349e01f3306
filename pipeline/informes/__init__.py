"""Los libros de salida: reporte de validación, base consolidada e informes para directivos."""
