"""Developer tools (screenshots, sounds): run from a checkout, never shipped in the wheel."""
