"""The `companion` command: the GUI by default, and scriptable commands over the same data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from companion import __version__
from companion.core.parse import parse_files
from companion.core.textfile import InputError

COMMANDS = ("open", "import", "parse")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,  # so a subcommand does not reset a --db given before it
        help="library database (default: your data folder)",
    )

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

    p = sub.add_parser("parse", help="parse a chapter file and print its structure")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON (the only format for now)")
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
    except InputError as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return 1


def _db_path(args: argparse.Namespace) -> Path:
    from companion.store.library import default_db_path

    return getattr(args, "db", None) or default_db_path()


def _run(args: argparse.Namespace) -> int:
    if args.command == "parse":
        (chapter,) = parse_files([args.file])
        print(json.dumps({"chapter": chapter.to_json()}, ensure_ascii=False, indent=2))
        return 0
    if args.command == "import":
        from companion.store.importer import read_work
        from companion.store.library import Store

        title, chapters = read_work(args.files, title=args.work)  # bad files stop us here
        store = Store(_db_path(args))
        try:
            result = store.import_chapters(title, chapters)
        finally:
            store.close()
        print(
            f"imported into work {result.work_id}: {len(result.added)} added, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged"
        )
        return 0
    from companion.ui.app import run_gui

    return run_gui(_db_path(args), args.files, quit_after_paint=args.quit_after_paint)


if __name__ == "__main__":
    sys.exit(main())
