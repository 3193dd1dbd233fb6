"""Pure domain: entities, value objects, business rules and barcode parsing.

Imports nothing outside the standard library, ``biip`` and ``kiosk.domain``.
"""
