#!/usr/bin/env bash
# Installs the C libraries digits links against (OpenBLAS, libpng, zlib, libjpeg-turbo) and pkg-config, if missing.
# Debian/Ubuntu. Runs apt-get only when something is absent, so it is quick on a ready machine.
set -euo pipefail
packages=(libopenblas-dev libpng-dev zlib1g-dev libjpeg62-turbo-dev pkg-config)
# The browser tests (tools/browser-tests.sh) also need a headless Chromium and its WebDriver.
[ "${DIGITS_BROWSER:-0}" = 1 ] && packages+=(chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo_prefix=()
[ "$(id -u)" -ne 0 ] && sudo_prefix=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_prefix[@]}" apt-get update -qq
"${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
