"""The glossary PDF read back with pypdf: sections, entries, outline, fonts, spoiler scope, bad
input, cancelling, and the `companion export-glossary` command as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from companion.export.content import KINDS, ExportError, GlossaryContent, collect, parse_kinds
from companion.export.pdf import ExportCancelled, export_glossary_pdf
from companion.resources import sample_serial
from companion.store.glossary import GlossaryEntry, set_description
from companion.store.importer import import_files
from companion.store.notes import add_highlight, find_quote

SECTION_ORDER = [
    "Nations",
    "Order of battle",
    "Units A–Z",
    "Organizations",
    "Places",
    "People",
    "Terms",
]
LATE_UNIT = "1st Federal Observer Brigade"  # first mentioned in chapter 4 of the sample


@pytest.fixture(autouse=True)
def app(qapp):
    """QPdfWriter needs a Gui application (pytest-qt's, offscreen)."""
    return qapp




@pytest.fixture
def sample(store) -> int:
    return import_files(store, sample_serial()).work_id


def chunks(path: Path) -> list[tuple[int, str]]:
    """(page index, text) of every text run inside the page body (the running head and the
    page number left out), whitespace normalised."""
    reader = pypdf.PdfReader(path)
    found: list[tuple[int, str]] = []
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, index=index, height=height):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            text = " ".join(text.split())
            if text and 60 < y < height - 60:
                found.append((index, text))

        page.extract_text(visitor_text=visit)
    return found


def sections(path: Path) -> dict[str, list[str]]:
    """Each section's text runs, found from the outline: the section starts at the last run
    equal to its title on its outline page (the contents list comes before it)."""
    reader = pypdf.PdfReader(path)
    outline = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    runs = chunks(path)
    starts = []
    for title, page in outline:
        at = [i for i, (p, text) in enumerate(runs) if p == page and text == title]
        assert at, f"no heading {title!r} on page {page + 1}"
        starts.append(at[-1])
    assert starts == sorted(starts)
    ends = [*starts[1:], len(runs)]
    return {
        title: [text for _, text in runs[start + 1 : end]]
        for (title, _), start, end in zip(outline, starts, ends, strict=True)
    }


def fonts_embedded(path: Path) -> list[tuple[str, bool]]:
    """(font name, has a font file) for every font of every page."""
    found = []
    for page in pypdf.PdfReader(path).pages:
        for font in page["/Resources"].get_object().get("/Font", {}).values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type3":  # glyphs drawn as PDF paths
                found.append((str(font.get("/Name")), True))
                continue
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            has_file = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font.get("/BaseFont")), has_file))
    return found


def all_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)


def entry(name: str, kind: str = "unit", description: str = "", **facts) -> GlossaryEntry:
    values = {"echelon": None, "aliases": (), "parent": None, "side": None}
    values.update(facts)
    return GlossaryEntry(0, name, kind, first_chapter=1, mentions=1, description=description,
                         **values)


def content_of(*entries: GlossaryEntry) -> GlossaryContent:
    return GlossaryContent("A Test Serial", "All chapters", None, KINDS, list(entries), [], {},
                           {}, {})


# -- the shared fixture ---------------------------------------------------------------------


def test_every_entity_of_the_key_appears_once_in_its_section(store, shared_fixtures, tmp_path):
    work = import_files(store, [shared_fixtures / "seed-chapter-035.txt"]).work_id
    gold = json.loads((shared_fixtures / "seed-chapter-035.gold.json").read_text("utf-8"))
    out = tmp_path / "glossary.pdf"
    result = export_glossary_pdf(collect(store, work, 35), out)

    found = sections(out)
    assert list(found) == [t for t in SECTION_ORDER if t in found]
    assert {"Nations", "Order of battle", "Units A–Z"} <= set(found)
    assert result.sections == list(found)
    entries = collect(store, work, 35).entries
    for expected in gold["entities"]:
        forms = {expected["name"], *expected["mentions"]}
        (shown,) = [e for e in entries if forms & {e.name, *e.aliases}]
        homes = ["Nations"] if expected["kind"] == "nation" else ["Order of battle", "Units A–Z"]
        for home in homes:
            assert found[home].count(shown.name) == 1, (expected["name"], home)
        others = [t for t in found if t not in homes and t != "Order of battle"]  # sides
        assert all(shown.name not in found[t] for t in others), expected["name"]
    assert 2 <= result.pages <= 8
    fonts = fonts_embedded(out)
    assert fonts and all(embedded for _, embedded in fonts), fonts


def test_the_outline_has_one_entry_per_section(store, shared_fixtures, seed_key, tmp_path):
    work = import_files(store, [shared_fixtures / "seed-chapter-035.txt"]).work_id
    out = tmp_path / "glossary.pdf"
    result = export_glossary_pdf(collect(store, work, 35), out)
    reader = pypdf.PdfReader(out)
    titles = [o.title for o in reader.outline]
    assert titles == result.sections
    pages = [reader.get_destination_page_number(o) for o in reader.outline]
    assert pages == sorted(pages)
    assert len(reader.pages) == result.pages
    first = " ".join(reader.pages[0].extract_text().split())
    chapter = seed_key["chapter"]
    assert f"As of chapter {chapter['number']} — {chapter['title']}" in first
    assert chapter["story"] in first


# -- spoiler scope, kinds, notes, page size -------------------------------------------------


def test_up_to_leaves_out_a_name_first_seen_later(store, sample, tmp_path):
    early, full = tmp_path / "early.pdf", tmp_path / "full.pdf"
    export_glossary_pdf(collect(store, sample, 3), early)
    export_glossary_pdf(collect(store, sample, None), full)
    assert LATE_UNIT not in all_text(early)
    assert LATE_UNIT in all_text(full)
    assert "All chapters" in all_text(full)


def test_kinds_limit_the_sections(store, sample, tmp_path):
    out = tmp_path / "nations.pdf"
    result = export_glossary_pdf(collect(store, sample, None, parse_kinds("nation")), out)
    assert result.sections == ["Nations"]
    assert "Aurelian Republic" in all_text(out)
    assert "Armed forces: Aurelian Defence Force" in all_text(out)
    with pytest.raises(ExportError, match="unknown kind 'ship'"):
        parse_kinds("nation,ship")


def test_with_notes_prints_the_notes_that_name_an_entry(store, sample, tmp_path):
    start, end = find_quote(store, sample, 1, "8th Armoured Division")
    add_highlight(store, sample, 1, start, end, note="Remember: the reserve of the 1st Army Group")
    out = tmp_path / "notes.pdf"
    export_glossary_pdf(collect(store, sample, None, with_notes=True), out)
    units = " ".join(sections(out)["Units A–Z"])
    at = units.index("8th Armoured Division Division")
    assert "Remember: the reserve" in units[at:]
    plain = tmp_path / "plain.pdf"
    export_glossary_pdf(collect(store, sample, None), plain)
    assert "Remember: the reserve" not in all_text(plain)


def test_letter_page_size(store, sample, tmp_path):
    out = tmp_path / "letter.pdf"
    export_glossary_pdf(collect(store, sample, 1), out, page_size="Letter")
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


# -- bad input ------------------------------------------------------------------------------


def test_an_empty_glossary_is_one_page_saying_so(store, sample, tmp_path):
    out = tmp_path / "empty.pdf"
    result = export_glossary_pdf(collect(store, sample, 0), out)
    assert result.pages == 1 and result.entries == 0 and result.sections == []
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 1
    assert "The glossary is empty" in all_text(out)


def test_a_long_description_wraps_across_pages(store, sample, tmp_path):
    words = " ".join(f"word{i}" for i in range(6000))
    set_description(store, sample, "Gulf of Sell", f"BEGIN {words} END")
    out = tmp_path / "long.pdf"
    result = export_glossary_pdf(collect(store, sample, None), out)
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages]
    begin = next(i for i, text in enumerate(pages) if "BEGIN" in text)
    end = next(i for i, text in enumerate(pages) if "END" in text.split())
    assert end - begin >= 2 and result.pages >= end + 1
    assert all(f"word{i}" in " ".join(pages) for i in (0, 2999, 5999))


def test_an_unwritable_path_is_one_clear_error(store, sample, tmp_path):
    content = collect(store, sample, None)
    with pytest.raises(ExportError, match="cannot be written"):
        export_glossary_pdf(content, tmp_path / "no" / "such" / "folder" / "x.pdf")
    with pytest.raises(ExportError, match="is a folder"):
        export_glossary_pdf(content, tmp_path)
    with pytest.raises(ExportError, match="page size"):
        export_glossary_pdf(content, tmp_path / "x.pdf", page_size="A5")


def test_a_cancelled_export_leaves_no_file(store, sample, tmp_path):
    out = tmp_path / "cancelled.pdf"
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(ExportCancelled):
        export_glossary_pdf(collect(store, sample, None), out, cancelled=cancelled)
    assert list(tmp_path.glob("*.pdf*")) == []
    out.write_bytes(b"the reader's old file")
    with pytest.raises(ExportCancelled):
        export_glossary_pdf(collect(store, sample, None), out, cancelled=lambda: True)
    assert out.read_bytes() == b"the reader's old file"
    assert [p.name for p in tmp_path.glob("*.pdf*")] == ["cancelled.pdf"]


def test_progress_reaches_the_end(store, sample, tmp_path):
    seen: list[tuple[int, int]] = []
    export_glossary_pdf(collect(store, sample, None), tmp_path / "p.pdf", progress=lambda *a:
                        seen.append(a))
    assert seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- scripts --------------------------------------------------------------------------------


def test_cyrillic_and_greek_names_can_be_read_back(tmp_path):
    names = ["Московский военный округ", "Ελληνικός Στρατός", "Lützow-Jäger Brigade"]
    content = content_of(*(entry(n, echelon="brigade") for n in names))
    out = tmp_path / "scripts.pdf"
    result = export_glossary_pdf(content, out)
    text = all_text(out)
    assert all(name in text for name in names)
    assert result.unshown == []
    assert all(embedded for _, embedded in fonts_embedded(out))


def test_names_no_font_can_show_are_reported(tmp_path):
    content = content_of(entry("𓀀𓀁 Guard", kind="term"), entry("東京 Garrison", kind="place"),
                         entry("Plain Name", kind="term"))
    result = export_glossary_pdf(content, tmp_path / "boxes.pdf")
    assert "𓀀𓀁 Guard" in result.unshown
    assert "Plain Name" not in result.unshown
    if "東京 Garrison" not in result.unshown:  # a CJK font is installed
        assert "東京 Garrison" in all_text(tmp_path / "boxes.pdf")
    assert "print as boxes" in all_text(tmp_path / "boxes.pdf")


# -- the command ----------------------------------------------------------------------------


def run(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                             "QT_QPA_PLATFORM")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    return subprocess.run(
        [sys.executable, "-m", "companion", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=60, env=env,
    )


def test_the_command_writes_the_pdf(store, sample, tmp_path):
    store.close()
    db, out = tmp_path / "library.sqlite3", tmp_path / "out.pdf"
    done = run("export-glossary", "--db", db, "--pdf", out, "--up-to", "3", "--with-notes",
               "--page-size", "Letter", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out}")
    text = all_text(out)
    assert "The Amber Coast Campaign" in text and LATE_UNIT not in text
    assert [o.title for o in pypdf.PdfReader(out).outline][:3] == SECTION_ORDER[:3]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--pdf", "{tmp}/missing/out.pdf"], "cannot be written"),
        (["--pdf", "{tmp}/out.pdf", "--kinds", "nation,ship"], "unknown kind 'ship'"),
        (["--pdf", "{tmp}"], "is a folder"),
        (["--pdf", "{tmp}/out.pdf", "--work", "Nothing Here"], "no work titled"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(store, sample, tmp_path, extra, message):
    store.close()
    args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    done = run("export-glossary", "--db", tmp_path / "library.sqlite3", *args, home=tmp_path)
    assert done.returncode == 1
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.pdf").exists()
