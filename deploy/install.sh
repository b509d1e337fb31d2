#!/usr/bin/env bash
# Installs (or upgrades) the EdgeSensors gateway on a Raspberry Pi (64-bit Raspberry Pi OS / Debian).
# Run on the Pi as root, from the folder holding the published gateway (see deploy/README.md):
#   sudo ./install.sh ./publish
# Upgrades keep /var/lib/edgesensors (the readings, the node registry, the operator token) untouched.
set -euo pipefail

src="${1:-./publish}"
if [ ! -x "$src/EdgeSensors.Gateway" ]; then
  echo "install.sh: $src/EdgeSensors.Gateway not found. Publish first:" >&2
  echo "  dotnet publish edge/EdgeSensors.Gateway -c Release -r linux-arm64 --self-contained -o publish" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "install.sh: run as root (sudo)." >&2
  exit 1
fi

echo "== user and folders"
getent group gpio >/dev/null || groupadd --system gpio
getent group i2c >/dev/null || groupadd --system i2c
id edgesensors >/dev/null 2>&1 || useradd --system --home /var/lib/edgesensors --shell /usr/sbin/nologin --groups gpio,i2c edgesensors
install -d -o edgesensors -g edgesensors -m 0750 /var/lib/edgesensors
install -d -m 0755 /opt/edgesensors /etc/edgesensors
[ -f /etc/edgesensors/gateway.env ] || install -m 0640 -g edgesensors /dev/null /etc/edgesensors/gateway.env

echo "== program (the previous one is kept in /opt/edgesensors/gateway.previous)"
if systemctl is-active --quiet edgesensors-gateway; then systemctl stop edgesensors-gateway; fi
rm -rf /opt/edgesensors/gateway.previous
[ -d /opt/edgesensors/gateway ] && mv /opt/edgesensors/gateway /opt/edgesensors/gateway.previous
cp -a "$src" /opt/edgesensors/gateway
chown -R root:root /opt/edgesensors/gateway
chmod 0755 /opt/edgesensors/gateway/EdgeSensors.Gateway

echo "== network time for the nodes"
# The nodes ask the gateway first for the time (SNTP): the canal-side Wi-Fi often has no internet. chrony serves the
# Pi's clock to the local network, and keeps serving it (stratum 10) when the Pi itself loses its upstream servers.
if ! command -v chronyd >/dev/null 2>&1; then
  apt-get install -y chrony || echo "install.sh: chrony could not be installed; nodes will report sync:false and the gateway will stamp their readings on receipt." >&2
fi
if [ -d /etc/chrony ]; then
  install -d -m 0755 /etc/chrony/conf.d
  cat > /etc/chrony/conf.d/edgesensors.conf <<'CHRONY'
# EdgeSensors: serve time to the sensor nodes on the local networks.
allow 10.0.0.0/8
allow 172.16.0.0/12
allow 192.168.0.0/16
local stratum 10
CHRONY
  systemctl restart chrony 2>/dev/null || systemctl restart chronyd 2>/dev/null || true
fi

echo "== service"
# The gateway's own CA and server certificate, made once on first install (kept on upgrades, never remade silently:
# every node trusts this CA). The gateway's `init` does it and exits; it refuses if the CA key went missing.
runuser -u edgesensors -- /opt/edgesensors/gateway/EdgeSensors.Gateway init --Gateway:DataDirectory=/var/lib/edgesensors

install -m 0644 "$(dirname "$0")/edgesensors-gateway.service" /etc/systemd/system/edgesensors-gateway.service
# The Pi's hardware watchdog (bcm2835_wdt): systemd pets it, and a hung kernel or systemd restarts the Pi. The
# gateway's own watchdog (WatchdogSec in its unit) covers a hung gateway process.
install -d -m 0755 /etc/systemd/system.conf.d
cat > /etc/systemd/system.conf.d/edgesensors-watchdog.conf <<'WATCHDOG'
[Manager]
RuntimeWatchdogSec=15
RebootWatchdogSec=2min
WATCHDOG
systemctl daemon-reexec

systemctl daemon-reload
systemctl enable --now edgesensors-gateway
sleep 3
systemctl --no-pager --lines=5 status edgesensors-gateway || true
echo "Done. The operator token is in /var/lib/edgesensors/operator.token (root or edgesensors can read it)."
echo "Nodes trust /var/lib/edgesensors/tls/ca.crt: copy it to the technicians' laptops for 'edgesensors node config --ca'."
echo "Check it: edgesensors doctor --data-dir /var/lib/edgesensors"
