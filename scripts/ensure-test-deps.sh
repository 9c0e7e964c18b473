#!/usr/bin/env bash
# Runs before `npm test`: makes sure the Debian programs the tests use are installed.
#   chromium          insight panel and playground browser tests (driven by playwright-core)
#   ffmpeg, espeak-ng real voice notes (speech rendered and encoded as OGG/Opus, then decoded)
#   fonts-dejavu-core the font the OCR tests render receipt images with (@napi-rs/canvas)
#   docker-compose    validates docker-compose.yml (test/deploy; `config` needs no Docker daemon)
# Installs the missing ones with apt-get when running as root (CI, containers); otherwise
# prints the command to run and stops, so no test is silently skipped.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  echo "installing test dependencies: ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "installing test dependencies: ${missing[*]}" >&2
  sudo apt-get update -qq >&2
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
