#!/usr/bin/env bash
# Installs every Debian bookworm package cogi needs to build, test and demo.
# Idempotent: prints nothing and touches nothing when all is already there.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  libasio-dev        # standalone Asio with C++20 coroutines
  node-llhttp        # llhttp 8.1 C sources, compiled into a static library
  picojson-dev       # JSON
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # real clients the tests drive the demo with (tests/clients/real_clients.sh)
  curl python3 python3-requests python3-aiohttp nodejs apache2-utils nghttp2-client
)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
