"""The SQLite store: the only code that writes SQL."""
