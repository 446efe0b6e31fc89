"""Exports (PDF glossary)."""
