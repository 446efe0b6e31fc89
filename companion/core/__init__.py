"""Parsing, recognition and domain objects. Pure Python: no Qt here."""
