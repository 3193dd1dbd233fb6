"""Back-office Settings: central server, devices and the sync queue."""
