"""The PyInstaller bundle's entry point: the `companion` command (companion.cli:main)."""

import sys

from companion.cli import main

if __name__ == "__main__":
    sys.exit(main())
