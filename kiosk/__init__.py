"""Ortho Supply Kiosk: chairside supply usage capture for orthodontic operatories."""

__version__ = "0.1.0"
