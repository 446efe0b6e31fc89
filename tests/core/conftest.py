"""Fixtures for the core tests: the EPUB builder module, importable as ``epubkit``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("epubkit", Path(__file__).with_name("epubkit.py"))
assert _spec is not None and _spec.loader is not None
epubkit = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("epubkit", epubkit)
_spec.loader.exec_module(epubkit)
