"""The back office: the shell with its section tabs, and one sub-package per section."""
