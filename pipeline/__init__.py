"""asistencia: plantillas, validación, consolidación e informes de la asistencia técnica."""
