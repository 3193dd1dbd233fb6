"""Pieces several screens share: widgets, the background worker, overlays, printing, scanners."""
