"""Menu entries that open other parts of the app from the main window."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from companion.resources import sample_serial

pytestmark = pytest.mark.gui


def test_export_glossary_from_the_file_menu_keeps_the_spoiler_scope(qtbot, make_window, tmp_path):
    window = make_window()
    window.import_paths(sample_serial())
    window.show_chapter(window.store.chapters(window.work_id)[1].id)
    dialog = window.export_glossary_pdf()
    assert dialog.up_to == 2 == window.scope()
    out = tmp_path / "glossary.pdf"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.export_button.click()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "As of chapter 2" in text
    assert "1st Federal Observer Brigade" not in text  # first mentioned in chapter 4
    dialog.close()
