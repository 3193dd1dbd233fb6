"""Adapters: SQLite store, MongoDB central store, serial scanner, PDF, printing, config."""
