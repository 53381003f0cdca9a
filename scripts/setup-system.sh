#!/usr/bin/env bash
# Makes sure the machine has what the real-VS-Code tests and the demo need: Debian's Chromium (headless browser
# for the VS Code web workbench), git, ripgrep, the headers code-server's native modules build against, and for the
# CI recipes' tests the pre-commit framework and xmllint (JUnit XML checked against its schema).
# Installs them with apt-get when run as root; otherwise says what to install.
set -euo pipefail
packages=(chromium git openssh-client ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev python3 make g++ pre-commit libxml2-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "[setup] installing Debian packages: ${missing[*]}" >&2
apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
