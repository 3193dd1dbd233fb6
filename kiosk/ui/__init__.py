"""The only package that imports PySide6: screens, widgets, Qt workers and signals."""
