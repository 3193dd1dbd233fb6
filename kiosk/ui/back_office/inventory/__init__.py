"""Back-office Inventory: the stock table, item detail and adjustments."""
