"""The `companion` command: the GUI by default, and scriptable commands over the same data."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from companion import __version__
from companion.core.files import write_atomically
from companion.core.parse import parse_files
from companion.core.textfile import InputError
from companion.store.notes import NotesError

COMMANDS = (
    "open",
    "import",
    "parse",
    "annotate",
    "entity",
    "glossary",
    "oob",
    "notes",
    "bookmarks",
    "export-glossary",
    "library",
)
ENTITY_ACTIONS = {
    # command: (correction action, help, name of the value argument or None)
    "rename": ("rename", "give an entity a new canonical name", "new_name"),
    "merge": ("merge", "fold an entity into another", "into"),
    "alias": ("alias", "add another name for an entity", "alias"),
    "split": ("split_alias", "make mentions written ALIAS an entity of their own", "alias"),
    "ignore": ("ignore", "mark a name as not a name", None),
}
SETTABLE = ("kind", "echelon", "parent", "side")


class UsageError(Exception):
    """The command line names something that is not there."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,  # so a subcommand does not reset a --db given before it
        help="library database (default: your data folder)",
    )
    work = argparse.ArgumentParser(add_help=False, parents=[db])
    work.add_argument("--work", help="the work's title (default: the work read last)")

    parser = argparse.ArgumentParser(
        prog="companion",
        description="A reading companion for long serialized military fiction. "
        "With no command, opens the reader.",
        parents=[db],
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", parents=[db], help="open the reader (the default)")
    p.add_argument("files", nargs="*", type=Path, help="chapter files to import and open")
    p.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)

    p = sub.add_parser("import", parents=[db], help="import chapter files into the library")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--work", help="the work's title (default: the story title in the files)")

    p = sub.add_parser("library", parents=[db], help="list the works and chapters in the library")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("parse", help="parse a chapter file and print its structure")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON (the only format)")

    p = sub.add_parser(
        "annotate",
        parents=[work],
        help="find the units and nations in a chapter file (or re-annotate a stored work)",
    )
    p.add_argument("file", type=Path, nargs="?", help="a chapter file; without it, a stored work")
    p.add_argument("--json", action="store_true", help="print JSON (the only format)")

    scope = argparse.ArgumentParser(add_help=False, parents=[work])
    scope.add_argument(
        "--up-to", type=int, metavar="N", help="only what the text says up to chapter number N"
    )
    scope.add_argument("--json", action="store_true", help="print JSON")
    sub.add_parser("glossary", parents=[scope], help="a work's glossary, spoiler-safe with --up-to")
    sub.add_parser("oob", parents=[scope], help="a work's order of battle as a tree")

    p = sub.add_parser("notes", help="your highlights and notes: add, list, export, import")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("add", parents=[work], help="highlight words of a chapter")
    q.add_argument("--chapter", type=int, required=True, metavar="N", help="chapter number")
    q.add_argument("--quote", required=True, help="the exact words to highlight")
    q.add_argument("--note", default="", help="your note on them")
    q.add_argument("--color", default="yellow", help="yellow, green, blue, pink or orange")
    q = actions.add_parser("list", parents=[work], help="list highlights and notes")
    q.add_argument("--json", action="store_true", help="print JSON")
    q = actions.add_parser("export", parents=[work], help="print (or write) all notes")
    q.add_argument("--format", choices=("markdown", "json"), default="markdown")
    q.add_argument("--output", "-o", type=Path, help="write to this file instead")
    q = actions.add_parser("import", parents=[work], help="read back a JSON export")
    q.add_argument("file", type=Path)

    p = sub.add_parser("bookmarks", help="your bookmarks: add, list")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("add", parents=[work], help="bookmark a place in a chapter")
    q.add_argument("--chapter", type=int, required=True, metavar="N", help="chapter number")
    q.add_argument("--quote", help="words where the bookmark goes (default: the start)")
    q.add_argument("--label", help="the bookmark's label")
    q = actions.add_parser("list", parents=[work], help="list bookmarks")
    q.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser(
        "export-glossary", parents=[work], help="write the glossary as a PDF to print or share"
    )
    p.add_argument("--pdf", type=Path, required=True, metavar="OUT.pdf", help="the PDF to write")
    p.add_argument(
        "--up-to", type=int, metavar="N", help="only what the text says up to chapter number N"
    )
    p.add_argument("--kinds", help="comma-separated: nation,unit,organization,place,person,term")
    p.add_argument("--with-notes", action="store_true", help="add your highlights and notes")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")

    p = sub.add_parser("entity", help="correct or list the names Companion found in a work")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("list", parents=[work], help="list a work's entities")
    q.add_argument("--json", action="store_true", help="print JSON")
    for name, (_, help_text, value) in ENTITY_ACTIONS.items():
        q = actions.add_parser(name, parents=[work], help=help_text)
        q.add_argument("name", help="the entity's canonical name")
        if value:
            q.add_argument(value)
        if name == "ignore":
            q.add_argument("--text", help="only mentions written this way")
    q = actions.add_parser("set", parents=[work], help="set kind, echelon, parent or side")
    q.add_argument("name", help="the entity's canonical name")
    for field in SETTABLE:
        q.add_argument(f"--{field}", help=f"new {field} ('' clears it)")
    q = actions.add_parser("corrections", parents=[work], help="list your corrections by id")
    q.add_argument("--json", action="store_true", help="print JSON")
    q = actions.add_parser("undo", parents=[work], help="take corrections back (default: the last)")
    q.add_argument("ids", type=int, nargs="*", metavar="ID", help="ids from `entity corrections`")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `companion` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    positionals = [
        a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--db")
    ]
    wants_help = any(a in ("-h", "--help", "--version") for a in argv)
    if (not positionals or positionals[0] not in COMMANDS) and not wants_help:
        argv.insert(0, "open")
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except (InputError, UsageError, NotesError) as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _db_path(args: argparse.Namespace) -> Path:
    from companion.store.library import default_db_path

    return getattr(args, "db", None) or default_db_path()


def _run(args: argparse.Namespace) -> int:
    if args.command == "parse":
        (chapter,) = parse_files([args.file])
        _print_json({"chapter": chapter.to_json()})
        return 0
    if args.command == "annotate" and args.file is not None:
        from companion.core.names import annotate_text

        (chapter,) = parse_files([args.file])
        result = annotate_text(chapter.body, chapter.number)
        _print_json(
            {
                "chapter": chapter.to_json(),
                "mentions": [m.to_json() for m in result.mentions],
                "entities": [e.to_json() for e in result.entities],
            }
        )
        return 0
    if args.command == "open":
        from companion.ui.app import run_gui

        return run_gui(_db_path(args), args.files, quit_after_paint=args.quit_after_paint)
    if args.command == "import":
        from companion.store.importer import read_import, save_work

        work = read_import(args.files, title=args.work)  # bad files stop us here
        with _open_store(args) as store:
            result = save_work(store, work, args.files)
        print(
            f"imported {work.title!r}: {len(result.added)} added, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged"
        )
        return 0
    if args.command == "library":
        with _open_store(args) as store:
            works = store.library()
        if args.json:
            _print_json(works)
            return 0
        for w in works:
            author = f" by {w['author']}" if w["author"] else ""
            new = f", {w['new_chapters']} new" if w["new_chapters"] else ""
            print(f"{w['title']}{author}: {w['read_chapters']}/{w['chapter_count']} read{new}")
            for c in w["chapters"]:
                flags = ("read" if c["read"] else "") + (" NEW" if c["new"] else "")
                print(f"  {c['number']:>4}  {c['title']}  ({c['words']} words) {flags}".rstrip())
        return 0
    with _open_store(args) as store:
        work_id = _work_id(store, args.work)
        if args.command in ("glossary", "oob"):
            return _scoped_command(store, work_id, args)
        if args.command in ("notes", "bookmarks"):
            return _notes_command(store, work_id, args)
        if args.command == "export-glossary":
            return _export_glossary(store, work_id, args)
        if args.command == "annotate":
            from companion.store.names import annotate_stored_work

            result = annotate_stored_work(store, work_id)
            print(f"annotated: {result.entities} names, {result.mentions} mentions")
            return 0
        return _entity_command(store, work_id, args)


def _notes_command(store, work_id: int, args: argparse.Namespace) -> int:
    from companion.store import notes

    kind = "bookmark" if args.command == "bookmarks" else "highlight"
    if args.action == "add" and kind == "highlight":
        start, end = notes.find_quote(store, work_id, args.chapter, args.quote)
        mark = notes.add_highlight(store, work_id, args.chapter, start, end, args.color, args.note)
        print(f"highlighted in chapter {mark.chapter}: {mark.quote!r}")
    elif args.action == "add":
        offset = notes.find_quote(store, work_id, args.chapter, args.quote)[0] if args.quote else 0
        mark = notes.add_bookmark(store, work_id, args.chapter, offset, args.label)
        print(f"bookmarked chapter {mark.chapter}: {mark.label}")
    elif args.action == "list":
        found = notes.marks(store, work_id, kind=kind)
        if args.json:
            _print_json([m.to_json() for m in found])
        for m in [] if args.json else found:
            where = "detached" if m.detached else f"ch. {m.chapter}"
            text = m.label if m.kind == "bookmark" else f"“{m.quote}” ({m.color}) {m.note}"
            print(f"{where:<10} {text}".rstrip())
    elif args.action == "export":
        export = notes.export_json if args.format == "json" else notes.export_markdown
        text = export(store, work_id)
        if args.output is None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        else:
            try:
                write_atomically(args.output, text)
            except OSError as exc:
                reason = exc.strerror or exc
                raise UsageError(f"{args.output}: cannot be written ({reason})") from None
            print(f"wrote {args.output}")
    else:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot be read ({exc})") from None
        counts = notes.import_json(store, work_id, text)
        print(
            f"imported {counts.added} notes ({counts.already_there} already there), "
            f"{counts.name_notes} name notes"
        )
    return 0


def _export_glossary(store, work_id: int, args: argparse.Namespace) -> int:
    import os

    from companion.export.content import ExportError, collect, parse_kinds

    if not os.environ.get("QT_QPA_PLATFORM"):  # a PDF needs fonts, not a screen
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    from companion.export.pdf import export_glossary_pdf

    app = QGuiApplication.instance() or QGuiApplication(["companion"])  # noqa: F841
    try:
        content = collect(store, work_id, args.up_to, parse_kinds(args.kinds), args.with_notes)
        result = export_glossary_pdf(content, args.pdf, args.page_size)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    if result.unshown:
        print(
            f"companion: no installed font can show {len(result.unshown)} name(s): "
            + ", ".join(result.unshown),
            file=sys.stderr,
        )
    pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
    print(f"wrote {result.path} ({pages}, {result.entries} entries)")
    return 0


def _scoped_command(store, work_id: int, args: argparse.Namespace) -> int:
    from companion.core.oob import build_oob
    from companion.store.glossary import glossary, sibling_order

    entries = glossary(store, work_id, args.up_to)
    if args.command == "glossary":
        if args.json:
            _print_json([e.to_json() for e in entries])
        for e in [] if args.json else entries:
            facts = [e.echelon, e.parent and f"of {e.parent}", e.side and f"side {e.side}"]
            times = "mention" if e.mentions == 1 else "mentions"
            facts.append(f"{e.mentions} {times} from ch. {e.first_chapter}")
            print(f"{e.kind:<12} {e.name}  " + "; ".join(f for f in facts if f))
        return 0
    tree = build_oob(entries, sibling_order(store, work_id))
    if args.json:
        _print_json([node.to_json() for node in tree])
        return 0

    def show(node, depth: int) -> None:
        print("  " * depth + node.label + (f"  [{node.echelon}]" if node.echelon else ""))
        for child in node.children:
            show(child, depth + 1)

    for root in tree:
        show(root, 0)
    return 0


def _entity_command(store, work_id: int, args: argparse.Namespace) -> int:
    from companion.core.names import Correction
    from companion.store.names import add_corrections, entities

    if args.action in ("corrections", "undo"):
        return _corrections_command(store, work_id, args)
    known = {e.name: e for e in entities(store, work_id)}
    if args.action == "list":
        if args.json:
            _print_json([e.to_json() for e in known.values()])
            return 0
        for e in known.values():
            facts = [e.echelon, e.parent and f"of {e.parent}", e.side and f"side {e.side}"]
            print(f"{e.kind:<12} {e.name}  " + "; ".join(f for f in facts if f))
        return 0
    if args.name not in known:
        raise UsageError(f"no entity named {args.name!r} in this work (see: companion entity list)")
    if args.action == "set":
        changes = [(f, getattr(args, f)) for f in SETTABLE if getattr(args, f) is not None]
        if not changes:
            raise UsageError("nothing to set: give --kind, --echelon, --parent or --side")
        fixes = [Correction(f"set_{field}", args.name, value or None) for field, value in changes]
        add_corrections(store, work_id, fixes)
    else:
        action, _, value_arg = ENTITY_ACTIONS[args.action]
        value = getattr(args, value_arg) if value_arg else getattr(args, "text", None)
        if args.action == "merge" and value not in known:
            raise UsageError(f"no entity named {value!r} to merge into")
        add_corrections(store, work_id, [Correction(action, args.name, value)])
    print(f"{args.action}: {args.name} (kept as a correction; it survives re-annotation)")
    return 0


def _corrections_command(store, work_id: int, args: argparse.Namespace) -> int:
    from companion.store.names import correction_list, remove_corrections

    stored = correction_list(store, work_id)
    if args.action == "corrections":
        if args.json:
            _print_json([{"id": c.id, "created": c.created, **asdict(c.correction)}
                         for c in stored])
        for c in [] if args.json else stored:
            print(f"{c.id:>5}  {c.created}  {c.correction.describe()}")
        return 0
    if not stored:
        raise UsageError("no corrections to undo in this work")
    ids = args.ids or [stored[-1].id]
    missing = set(ids) - {c.id for c in stored}
    if missing:
        raise UsageError(f"no correction {min(missing)} (see: companion entity corrections)")
    for c in remove_corrections(store, work_id, ids):
        print(f"undone: {c.correction.describe()}")
    return 0


def _open_store(args: argparse.Namespace):
    from companion.store.library import Store

    return Store(_db_path(args))


def _work_id(store, title: str | None) -> int:
    if title is not None:
        work = store.find_work(title)
        if work is None:
            raise UsageError(f"no work titled {title!r} in the library")
        return work.id
    work_id = store.last_work()
    if work_id is None:
        works = store.works()
        if len(works) != 1:
            raise UsageError(
                "which work? give --work TITLE" if works else "the library has no works yet"
            )
        work_id = works[0].id
    return work_id


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.exit(main())
