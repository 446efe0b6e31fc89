"""Companion: a desktop reading companion for long serialized military fiction."""

__version__ = "0.1.0"
