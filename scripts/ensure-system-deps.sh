#!/usr/bin/env bash
# Installs the Debian packages the tests need (Chromium for Playwright, the openstack CLI for the
# simulated cloud's fidelity test) when they are missing. Never downloads a browser of its own.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v openstack >/dev/null 2>&1 || need+=(python3-openstackclient)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]}." >&2
  echo "Install them as root with: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing ${need[*]} with apt-get..."
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}"
}
