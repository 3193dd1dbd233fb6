"""Back-office Reports: the report screen and its chart."""
