"""Validación: reglas de campo (pandera) y reglas entre archivos (X1–X14)."""
