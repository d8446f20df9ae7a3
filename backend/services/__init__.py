"""Services: every change of stored data goes through a function here."""
