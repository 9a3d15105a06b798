#!/usr/bin/env bash
# Installs the system packages bureau-desk's build and tests need on Debian/Ubuntu:
# a C compiler for the bundled SQLite, the X11/Wayland/GL libraries eframe links at run time,
# and poppler-utils (pdftotext, pdffonts), with which the tests read the slips back.
set -euo pipefail
packages=(build-essential pkg-config poppler-utils libxkbcommon-x11-0 libgl1 libegl1 libwayland-client0 libx11-6 libxcursor1 libxrandr2 libxi6)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
