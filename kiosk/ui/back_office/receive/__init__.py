"""Back-office Receive: the receiving form and its label printing."""
