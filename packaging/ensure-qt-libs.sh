#!/bin/sh
# ensure-qt-libs.sh PYTHON [offscreen|xcb]
# Finds the Debian libraries Qt (PySide6 from PyPI) needs but this machine lacks, and installs
# them with apt-get when run as root; otherwise prints the exact command to run.
set -u
python=${1:?usage: ensure-qt-libs.sh PYTHON [offscreen|xcb]}
platform=${2:-offscreen}
qt=$("$python" -c 'import PySide6, os; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))') || exit 1
libs="$qt/lib/libQt6Core.so.6 $qt/lib/libQt6Gui.so.6 $qt/lib/libQt6Widgets.so.6 $qt/plugins/platforms/libqoffscreen.so"
[ "$platform" = xcb ] && libs="$libs $qt/plugins/platforms/libqxcb.so $qt/lib/libQt6XcbQpa.so.6"

package_of() {
  case $1 in
    libEGL.so*) echo libegl1 ;; libGL.so*) echo libgl1 ;; libOpenGL.so*) echo libopengl0 ;;
    libGLX.so*) echo libglx0 ;; libxkbcommon.so*) echo libxkbcommon0 ;;
    libxkbcommon-x11.so*) echo libxkbcommon-x11-0 ;; libfontconfig.so*) echo libfontconfig1 ;;
    libfreetype.so*) echo libfreetype6 ;; libdbus-1.so*) echo libdbus-1-3 ;;
    libglib-2.0.so*|libgthread-2.0.so*|libgobject-2.0.so*) echo libglib2.0-0 ;;
    libX11.so*) echo libx11-6 ;; libX11-xcb.so*) echo libx11-xcb1 ;; libxcb.so*) echo libxcb1 ;;
    libxcb-cursor.so*) echo libxcb-cursor0 ;; libxcb-icccm.so*) echo libxcb-icccm4 ;;
    libxcb-image.so*) echo libxcb-image0 ;; libxcb-keysyms.so*) echo libxcb-keysyms1 ;;
    libxcb-randr.so*) echo libxcb-randr0 ;; libxcb-render-util.so*) echo libxcb-render-util0 ;;
    libxcb-render.so*) echo libxcb-render0 ;; libxcb-shape.so*) echo libxcb-shape0 ;;
    libxcb-shm.so*) echo libxcb-shm0 ;; libxcb-sync.so*) echo libxcb-sync1 ;;
    libxcb-xfixes.so*) echo libxcb-xfixes0 ;; libxcb-xinerama.so*) echo libxcb-xinerama0 ;;
    libxcb-xkb.so*) echo libxcb-xkb1 ;; libxcb-util.so*) echo libxcb-util1 ;;
    libxcb-glx.so*) echo libxcb-glx0 ;; libxcb-xinput.so*) echo libxcb-xinput0 ;;
    libSM.so*) echo libsm6 ;; libICE.so*) echo libice6 ;; libXrender.so*) echo libxrender1 ;;
    libXext.so*) echo libxext6 ;; libwayland-client.so*) echo libwayland-client0 ;;
    libwayland-cursor.so*) echo libwayland-cursor0 ;; libwayland-egl.so*) echo libwayland-egl1 ;;
    *) echo "?$1" ;;
  esac
}

missing=$(for f in $libs; do [ -e "$f" ] && ldd "$f" 2>/dev/null; done | awk '/not found/ {print $1}' | sort -u)
packages=""
for so in $missing; do packages="$packages $(package_of "$so")"; done
command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | head -1)" ] || packages="$packages fontconfig fonts-dejavu-core"
packages=$(echo $packages | tr ' ' '\n' | sort -u | tr '\n' ' ')
[ -z "$(echo $packages | tr -d ' ')" ] && exit 0

unknown=$(echo $packages | tr ' ' '\n' | grep '^?' | tr -d '?' | tr '\n' ' ')
packages=$(echo $packages | tr ' ' '\n' | grep -v '^?' | tr '\n' ' ')
[ -n "$unknown" ] && echo "Qt needs libraries with no known Debian package here: $unknown" >&2
[ -z "$(echo $packages | tr -d ' ')" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the Debian libraries Qt needs: $packages"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null || {
    echo "could not install: $packages" >&2; exit 1; }
else
  echo "Qt needs Debian libraries this machine lacks. Run: sudo apt-get install -y $packages" >&2
  exit 1
fi
