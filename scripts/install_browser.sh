#!/usr/bin/env bash
# Installs Debian's Chromium + ChromeDriver for the real-browser test, if they are missing.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "warning: chromium/chromedriver missing and no root: the browser test will be skipped." >&2
    echo "         install them with: apt-get install chromium chromium-driver fonts-nanum" >&2
    exit 0
  fi
fi
echo "installing chromium + chromium-driver (Debian packages) for the browser test..."
$SUDO apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-nanum >/dev/null
