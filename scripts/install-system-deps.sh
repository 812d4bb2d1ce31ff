#!/usr/bin/env bash
# Installs the system packages allocnet's build and tests need on a fresh Debian/Ubuntu
# machine: cmake and libclang (HiGHS is built from source by the highs-sys crate), and
# with --with-browser chromium (tests/testing_browser.rs checks guidance.html in a
# headless browser; `make test` asks for it, `make demo` does not), and with
# --with-lemon LEMON (liblemon-dev, g++ and GNU time: the peers of `make compare`).
# Does nothing when they are already there.
set -euo pipefail
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
if [ "${1:-}" = "--with-browser" ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
fi
if [ "${1:-}" = "--with-lemon" ]; then
  dpkg -s liblemon-dev >/dev/null 2>&1 || missing+=(liblemon-dev)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  [ -x /usr/bin/time ] || missing+=(time)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "error: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
