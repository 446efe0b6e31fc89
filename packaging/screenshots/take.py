"""Open Companion on the sample serial for screenshots, with a footnote or a name's card open.

Run under a virtual screen, e.g.:
  ../shared/tools/screenshot packaging/screenshots/reader.png -- \\
      .venv/bin/python packaging/screenshots/take.py --footnote 1
  ../shared/tools/screenshot packaging/screenshots/panes.png -- \\
      .venv/bin/python packaging/screenshots/take.py --chapter 2 --entity "4th Corps" \\
      --friend "Kingdom of Varnia" --hostile "Aurelian Republic" --dark
  ../shared/tools/screenshot packaging/screenshots/notes.png -- \\
      .venv/bin/python packaging/screenshots/take.py --chapter 2 --notes \\
      --highlight "took the mole in forty minutes" --note "Forty minutes: fast for a mole." \\
      --highlight "the customs house" --color green --bookmark
  ../shared/tools/screenshot /tmp/sepia.png --wait 6 -- \\
      .venv/bin/python packaging/screenshots/take.py --chapter 2 --theme sepia --find corps
  ../shared/tools/screenshot /tmp/search.png --wait 6 -- \\
      .venv/bin/python packaging/screenshots/take.py --theme dark --search '"customs house"'
  ../shared/tools/screenshot /tmp/corrections.png --wait 6 -- \\
      .venv/bin/python packaging/screenshots/take.py --rename "4th Corps=Harbour Corps" \\
      --ignore "France" --corrections
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from companion.core.names import Correction
from companion.store.glossary import set_affiliation
from companion.store.library import Store
from companion.store.names import chapter_mentions
from companion.store.notes import add_bookmark, add_highlight, find_quote
from companion.ui.app import create_window
from companion.ui.qt import QApplication, QTimer
from companion.ui.settings import THEMES, Settings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chapter", type=int, default=1, help="chapter number to show")
    parser.add_argument("--footnote", help="open this footnote's popover")
    parser.add_argument("--entity", help="click the first mention of this name")
    parser.add_argument("--dark", action="store_true", help="the same as --theme dark")
    parser.add_argument("--theme", choices=THEMES, default="light")
    parser.add_argument("--find", help="find these words in the chapter (Ctrl+F)")
    parser.add_argument("--search", help="search the whole work for this (Ctrl+Shift+F)")
    parser.add_argument("--friend", help="mark this side friendly")
    parser.add_argument("--hostile", help="mark this side hostile")
    parser.add_argument(
        "--highlight", action="append", default=[], help="highlight these exact words"
    )
    parser.add_argument("--note", action="append", default=[], help="note of each highlight")
    parser.add_argument("--color", action="append", default=[], help="colour of each highlight")
    parser.add_argument("--bookmark", action="store_true", help="bookmark the chapter's start")
    parser.add_argument("--notes", action="store_true", help="show the Notes pane")
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                        help="rename a name (an undoable correction)")
    parser.add_argument("--ignore", action="append", default=[], help="mark as not a name")
    parser.add_argument("--corrections", action="store_true", help="open Name Corrections")
    parser.add_argument("--name-menu", help="right-click the first mention of this name")
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="companion-shot-"))
    store = Store(folder / "library.sqlite3")
    settings = Settings(str(folder / "settings.ini"))
    settings.set_theme("dark" if args.dark else args.theme)
    window = create_window(store, settings, [])
    for side, affiliation in ((args.friend, "friend"), (args.hostile, "hostile")):
        if side:
            set_affiliation(store, window.work_id, side, affiliation)
    window.oob.refresh()
    fixes = [Correction("rename", *pair.split("=", 1)) for pair in args.rename]
    fixes += [Correction("ignore", name) for name in args.ignore]
    for fix in fixes:
        window.oob.model.apply([fix], entity=fix.entity)
    for i, words in enumerate(args.highlight):
        start, end = find_quote(store, window.work_id, args.chapter, words)
        note = args.note[i] if i < len(args.note) else ""
        color = args.color[i] if i < len(args.color) else "yellow"
        add_highlight(store, window.work_id, args.chapter, start, end, color, note)
    if args.bookmark:
        add_bookmark(store, window.work_id, args.chapter)
    if args.highlight or args.bookmark:
        window.marks_changed()
    if args.notes:
        window.notes_dock.raise_()
    window.setGeometry(0, 0, 1280, 800)
    chapter = next(c for c in store.chapters(window.work_id) if c.number == args.chapter)
    window.show_chapter(chapter.id)
    window.show()

    def act() -> None:
        if args.footnote:
            window.reader.open_footnote(args.footnote)
        if args.entity:
            mention = next(
                m for m in chapter_mentions(store, chapter.id) if m.entity == args.entity
            )
            href = f"ent:{mention.entity_id}@{mention.start}"
            window.reader.scroll_to_link(href)
            window.reader.entityActivated.emit(href)
        if args.highlight and args.note:
            mark = next(m for m in window.reader.marks if m.note)
            window.reader.open_mark(mark.id)
        if args.find:
            window.find_bar.open()
            window.find_bar.edit.setText(args.find)
        if args.search:
            window.spoilers_action.setChecked(True)
            window.open_search()
            window.search.edit.setText(args.search)
            window.search.search()
            window.search.results.setCurrentIndex(window.search.model.index(0, 0))
            window.search.results.activated.emit(window.search.model.index(0, 0))
        if args.corrections:
            window.show_corrections()
        if args.name_menu:
            mention = next(
                m for m in chapter_mentions(store, chapter.id) if m.entity == args.name_menu
            )
            href = f"ent:{mention.entity_id}@{mention.start}"
            window.reader.scroll_to_link(href)
            where = window.reader.anchor_rect(href).center()
            menu = window.reader.context_menu(where)
            menu.popup(window.reader.viewport().mapToGlobal(where))
            names = menu.actions()[0]
            menu.setActiveAction(names)
            names.menu().popup(menu.geometry().topRight())

    QTimer.singleShot(900, act)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
