"""Use cases over ports: placement, corrections, receiving, reports, imports."""
