"""The chairside placement screen: patient, stock list, cart, scan alerts, void and print."""
