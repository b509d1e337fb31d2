#!/usr/bin/env bash
# The demo a newcomer sees live in a minute (issue 16): a gateway with its embedded defaults in a fresh folder, and
# 12 emulated nodes in a 2019–2020-like dry season with 8 days of history (so the charts, the alerts and the
# safe-intake hours have data at once), then publishing live once a minute. Open http://127.0.0.1:8080 on this
# machine (or the phone on the same network: http://<this machine>:8080). Ctrl+C stops both.
#
#   bash scripts/demo.sh            # DEMO_NODES=12 DEMO_SCENARIO=dry-2020 DEMO_DIR=<temp folder>
#   DEMO_IOC=1 bash scripts/demo.sh # also the IOC's side: a local Mosquitto (port 1884) the gateway forwards to, and
#                                   # the ingest (SQLite) taking the readings from it: http://127.0.0.1:8090/api/completeness
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${DEMO_NODES:-12}
scenario=${DEMO_SCENARIO:-dry-2020}
dir=${DEMO_DIR:-$(mktemp -d -t edgesensors-demo.XXXXXX)}
mkdir -p "$dir"
echo "== building (first time: a minute or two)"
dotnet build edge/EdgeSensors.Gateway -v q -nologo >/dev/null
dotnet build edge/EdgeSensors.Emulator -v q -nologo >/dev/null
uplink=()
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
if [ "${DEMO_IOC:-0}" = 1 ]; then
  mosq=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  [ -x "$mosq" ] || { echo "DEMO_IOC=1 needs mosquitto (apt-get install mosquitto)"; exit 1; }
  # The IOC broker keeps what it acknowledged for an ingest that is away: no cap on its queue (Mosquitto's default of
  # 1,000 drops the rest silently), and on disk (docs/ioc-ingest.md, "One machine").
  printf 'listener 1884 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 0\n' "$dir" >"$dir/mosquitto.conf"
  "$mosq" -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
  pids+=($!)
  dotnet build ioc/EdgeSensors.Ioc.Ingest -v q -nologo >/dev/null
  echo "== IOC side: Mosquitto on 127.0.0.1:1884, ingest into $dir/ingest.db, http://127.0.0.1:8090/api/completeness (bearer token: $dir/api-tokens.json)"
  dotnet run --no-build --project ioc/EdgeSensors.Ioc.Ingest -- --Ingest:Mqtt:Port=1884 --Ingest:Store:SqlitePath="$dir/ingest.db" >"$dir/ingest.log" 2>&1 &
  pids+=($!)
  uplink=(--Uplink:Host=127.0.0.1 --Uplink:Port=1884)
fi
echo "== gateway in $dir (lab mode: plain MQTT on 127.0.0.1 for the emulated nodes only)"
dotnet run --no-build --project edge/EdgeSensors.Gateway -- --Gateway:DataDirectory="$dir" --Gateway:Site=demo-vithanh \
  --Broker:AllowPlaintext=true --Broker:Port=1883 "${uplink[@]}" >"$dir/gateway.log" 2>&1 &
gateway=$!
pids+=($gateway)
for _ in $(seq 1 120); do
  if curl -fsS http://127.0.0.1:8080/health >/dev/null 2>&1; then break; fi
  if ! kill -0 $gateway 2>/dev/null; then echo "the gateway stopped; its log:"; cat "$dir/gateway.log"; exit 1; fi
  sleep 0.5
done
curl -fsS http://127.0.0.1:8080/health >/dev/null || { echo "the gateway did not answer on :8080; its log is $dir/gateway.log"; exit 1; }
echo "== open http://127.0.0.1:8080  (operator token: $dir/operator.token)"
dotnet run --no-build --project edge/EdgeSensors.Emulator -- --nodes "$nodes" --scenario "$scenario" --plaintext \
  --gateway 127.0.0.1:1883 --register http://127.0.0.1:8080 --token "$(cat "$dir/operator.token")" \
  --credentials "$dir/fleet.json" --backfill-days 8 --interval 60 --speed 1 --duration 86400 --summary-every 30
