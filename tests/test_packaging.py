"""packaging/: the desktop file and AppStream metainfo validate, the icons are all there, and the
PyInstaller bundle (after `make package`) starts."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from companion import __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.companion_reader.Companion"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = PACKAGING / "icons" / "hicolor"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
BUNDLE = ROOT / "dist" / "companion" / "companion"


def _validator(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(
            f"{name} is not installed, so this check is skipped: "
            f"sudo apt-get install {package} (.ci/run installs it)"
        )
    return path


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


def test_desktop_file_validates():
    result = _run(_validator("desktop-file-validate", "desktop-file-utils"), str(DESKTOP))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error" not in output.lower() and "warning" not in output.lower(), output


def test_metainfo_validates():
    appstreamcli = _validator("appstreamcli", "appstream")
    result = _run(appstreamcli, "validate", "--no-net", "--no-color", str(METAINFO))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "W:" not in output and "E:" not in output, output


def test_desktop_file_names_the_app():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Icon"] == APP_ID
    assert section["Exec"].split()[0] == "companion"
    assert section["StartupWMClass"] == "Companion"  # Qt's WM_CLASS is the application name
    app_py = (ROOT / "companion" / "ui" / "app.py").read_text(encoding="utf-8")
    assert f'APP_ID = "{APP_ID}"' in app_py  # setDesktopFileName(APP_ID)


def test_metainfo_matches_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == "companion"
    releases = [r.get("version") for r in root.iterfind("releases/release")]
    assert releases[0] == __version__, "the newest release is listed first"
    # Each screenshot URL ends in a path of this repository that holds that picture.
    for image in root.iterfind("screenshots/screenshot/image"):
        url = image.text.strip()
        assert url.startswith("https://")
        local = ROOT / url.split("/main/", 1)[1]
        assert local.is_file(), f"{url} names {local}, which is missing"
        assert _png_size(local) == (int(image.get("width")), int(image.get("height")))


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_sizes(size):
    png = ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert _png_size(png) == (size, size)


def test_scalable_icon_is_the_apps_window_icon():
    svg = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"
    ET.parse(svg)  # well-formed
    runtime = ROOT / "resources" / "icons"
    assert (runtime / "companion.svg").read_bytes() == svg.read_bytes(), (
        "run packaging/render_icons.py after editing the icon"
    )
    assert (runtime / "companion-16.png").read_bytes() == (
        ICONS / "16x16" / "apps" / f"{APP_ID}.png"
    ).read_bytes()


def _bundle() -> Path:
    if not os.access(BUNDLE, os.X_OK):
        pytest.skip("no bundle: run `make package` to build dist/companion/ and smoke-test it")
    return BUNDLE


def test_bundle_prints_its_version():
    result = _run(str(_bundle()), "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"companion {__version__}"


def test_bundle_opens_the_sample_serial(tmp_path):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    db = tmp_path / "library.sqlite3"
    result = _run(str(_bundle()), "--db", str(db), "--quit-after-paint", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The sample serial was imported and annotated from the bundle's own resources and db.
    listing = _run(str(_bundle()), "--db", str(db), "glossary", env=env, cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "Kingdom of Varnia" in listing.stdout
