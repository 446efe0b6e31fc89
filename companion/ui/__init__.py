"""The desktop interface (PySide6). Qt is imported here and in `companion.export` only."""
