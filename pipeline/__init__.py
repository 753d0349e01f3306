"""asistencia: plantillas, validación, consolidación e informes de la asistencia técnica."""

__version__ = "0.1.0"
