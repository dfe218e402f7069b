"""Beneficiary households (KPM): importing the field's lists and checking NIK/KK numbers."""
