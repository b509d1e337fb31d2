#!/usr/bin/env bash
# The demo a newcomer sees live in a minute (issue 16): a gateway with its embedded defaults in a fresh folder, and
# 12 emulated nodes in a 2019–2020-like dry season with 8 days of history (so the charts, the alerts and the
# safe-intake hours have data at once), then publishing live once a minute. Open http://127.0.0.1:8080 on this
# machine (or the phone on the same network: http://<this machine>:8080). Ctrl+C stops both.
#
#   bash scripts/demo.sh            # DEMO_NODES=12 DEMO_SCENARIO=dry-2020 DEMO_DIR=<temp folder>
#   DEMO_IOC=1 bash scripts/demo.sh # also the IOC's side: a local Mosquitto (port 1884) the gateway forwards to, and
#                                   # the ingest (SQLite) taking the readings from it: http://127.0.0.1:8090/api/completeness
# Ports, when the defaults are taken (another gateway, a real Mosquitto):
#   DEMO_HTTP_PORT=8080 DEMO_HTTPS_PORT=8443 DEMO_MQTT_PORT=1883 DEMO_TLS_PORT=8883 DEMO_IOC_PORT=1884 DEMO_INGEST_PORT=8090
# Also: DEMO_BACKFILL_DAYS (8), DEMO_NO_BUILD=1 (use what is built).
# The emulated nodes' plain MQTT listens on 127.0.0.1 only (lab mode never reaches the network); the farmers' page
# listens on every interface, so a phone on the same Wi-Fi can open it.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${DEMO_NODES:-12}
scenario=${DEMO_SCENARIO:-dry-2020}
http_port=${DEMO_HTTP_PORT:-8080}
https_port=${DEMO_HTTPS_PORT:-8443}
mqtt_port=${DEMO_MQTT_PORT:-1883}
tls_port=${DEMO_TLS_PORT:-8883}
ioc_port=${DEMO_IOC_PORT:-1884}
ingest_port=${DEMO_INGEST_PORT:-8090}
for v in "$http_port" "$https_port" "$mqtt_port" "$tls_port" "$ioc_port" "$ingest_port"; do
  case "$v" in (''|*[!0-9]*) echo "a DEMO_*_PORT is not a port number: '$v'"; exit 2;; esac
  [ "$v" -ge 1 ] && [ "$v" -le 65535 ] || { echo "a DEMO_*_PORT is outside 1–65535: $v"; exit 2; }
done
dir=${DEMO_DIR:-$(mktemp -d -t edgesensors-demo.XXXXXX)}
mkdir -p "$dir"
backfill=${DEMO_BACKFILL_DAYS:-8}
if [ "${DEMO_NO_BUILD:-0}" != 1 ]; then
  echo "== building (first time: a minute or two)"
  dotnet build edge/EdgeSensors.Gateway -v q -nologo >/dev/null
  dotnet build edge/EdgeSensors.Emulator -v q -nologo >/dev/null
  [ "${DEMO_IOC:-0}" = 1 ] && dotnet build ioc/EdgeSensors.Ioc.Ingest -v q -nologo >/dev/null
fi
uplink=()
pids=()
# Ctrl+C stops everything it started: `dotnet run` starts the program as its own child, and background jobs of a
# script ignore SIGINT, so each process tree is stopped from its leaves up (SIGTERM: each part shuts down cleanly).
children() { if command -v pgrep >/dev/null; then pgrep -P "$1" || true; else cat /proc/"$1"/task/*/children 2>/dev/null || true; fi; }
tree() { local c; for c in $(children "$1"); do tree "$c"; done; echo "$1"; }
# Stops every process of every tree (leaves first) and returns only when they are all gone (30 s at most), so the
# ports are free when the script ends.
stop() {
  trap - EXIT INT TERM
  local p all=()
  for p in "${pids[@]}"; do all+=($(tree "$p")); done
  [ ${#all[@]} -gt 0 ] && kill -TERM "${all[@]}" 2>/dev/null
  for _ in $(seq 1 150); do
    local alive=0
    for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'stop; exit 130' INT TERM
if [ "${DEMO_IOC:-0}" = 1 ]; then
  mosq=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  [ -x "$mosq" ] || { echo "DEMO_IOC=1 needs mosquitto (apt-get install mosquitto)"; exit 1; }
  # The IOC broker keeps what it acknowledged for an ingest that is away: no cap on its queue (Mosquitto's default of
  # 1,000 drops the rest silently), and on disk (docs/ioc-ingest.md, "One machine").
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 0\n' "$ioc_port" "$dir" >"$dir/mosquitto.conf"
  "$mosq" -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
  pids+=($!)
  echo "== IOC side: Mosquitto on 127.0.0.1:$ioc_port, ingest into $dir/ingest.db, http://127.0.0.1:$ingest_port/api/completeness (bearer token: $dir/api-tokens.json)"
  dotnet run --no-build --project ioc/EdgeSensors.Ioc.Ingest -- --Ingest:Mqtt:Port="$ioc_port" --Ingest:Store:SqlitePath="$dir/ingest.db" \
    --Urls="http://127.0.0.1:$ingest_port" >"$dir/ingest.log" 2>&1 &
  pids+=($!)
  uplink=(--Uplink:Host=127.0.0.1 --Uplink:Port="$ioc_port")
fi
echo "== gateway in $dir (lab mode: plain MQTT on 127.0.0.1:$mqtt_port for the emulated nodes only; TLS on 127.0.0.1:$tls_port)"
dotnet run --no-build --project edge/EdgeSensors.Gateway -- --Gateway:DataDirectory="$dir" --Gateway:Site=demo-vithanh \
  --Urls="http://0.0.0.0:$http_port;https://0.0.0.0:$https_port" --Broker:BindAddress=127.0.0.1 \
  --Broker:AllowPlaintext=true --Broker:Port="$mqtt_port" --Broker:TlsPort="$tls_port" "${uplink[@]}" >"$dir/gateway.log" 2>&1 &
gateway=$!
pids+=($gateway)
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 $gateway 2>/dev/null; then echo "the gateway stopped; its log:"; cat "$dir/gateway.log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null || { echo "the gateway did not answer on :$http_port; its log is $dir/gateway.log"; exit 1; }
echo "== open http://127.0.0.1:$http_port  (operator token: $dir/operator.token)"
dotnet run --no-build --project edge/EdgeSensors.Emulator -- --nodes "$nodes" --scenario "$scenario" --plaintext \
  --gateway "127.0.0.1:$mqtt_port" --register "http://127.0.0.1:$http_port" --token "$(cat "$dir/operator.token")" \
  --credentials "$dir/fleet.json" --backfill-days "$backfill" --interval 60 --speed 1 --duration 86400 --summary-every 30 &
pids+=($!)
wait $!
