"""`make screenshots`: ``python -m tools.screenshots docs/screenshots`` (see __main__)."""
