"""Back-office Recalls: the recall list and the recall-file import."""
