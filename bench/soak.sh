#!/usr/bin/env bash
# bench/soak.sh — memory under sustained load: the gateway's resident size while hey sends the 60 KB
# Claude-Code-shaped request at a fixed rate for a long time (default 10 minutes at 2,000 req/s).
# Prints RSS and CPU per request every 30 s, and RSS at the end. Uses bench/run.sh's processes (HOLD mode), so the setup is
# the same as the latency benchmark's.
#
# Usage:   bench/soak.sh                  (build first: ./mvnw -q -o -DskipTests package)
# Env:     FEATURES=all|core (as in run.sh)  RATE=2000  MINUTES=10  MODE=json|sse  PORT_BASE=18780  JAR=...  JAVA_OPTS=...  LOADGEN_CPUS=  SERVER_CPUS=
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RATE="${RATE:-2000}"; MINUTES="${MINUTES:-10}"; MODE="${MODE:-json}"; PORT_BASE="${PORT_BASE:-18780}"
pin_load=(); [ -n "${LOADGEN_CPUS:-}" ] && pin_load=(taskset -c "$LOADGEN_CPUS")
log="$(mktemp /tmp/sluice-soak.XXXXXX.log)"
HOLD=$((MINUTES * 60 + 120)) PORT_BASE="$PORT_BASE" "$here/run.sh" > "$log" 2>&1 &
holder=$!
trap 'kill "$holder" 2>/dev/null || true; pkill -P "$holder" 2>/dev/null || true' EXIT
for _ in $(seq 180); do grep -q holding "$log" && break; sleep 1; done
grep -q holding "$log" || { cat "$log"; exit 1; }
bodies=$(sed -n 's/.*bodies in \(.*\)$/\1/p' "$log")
key=$(sed -n 's/.*; key \([^;]*\);.*/\1/p' "$log")
pid=$(sed -n 's/.*sluice http.*(pid \([0-9]*\)).*/\1/p' "$log")
url="http://127.0.0.1:$((PORT_BASE + 2))/v1/messages"
hdr=(-H "anthropic-version: 2023-06-01" -H "user-agent: claude-cli/2.1.330 (external, cli)" -H "x-api-key: $key"
     -H "x-claude-code-session-id: 0b6f7c1e-4a52-4f0e-9d3b-2a8c6d1e7f90")
[ "${FEATURES:-all}" = all ] && hdr+=(-H "x-sluice-cache-refresh: true") # every request keyed and stored, as in run.sh
[ "$MODE" = sse ] && hdr+=(-H "x-bench-stream: 1")
rss() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status"; }
echo "soak: $RATE req/s of the 60 KB $MODE request for $MINUTES min; RSS at start $(rss) MB"
"${pin_load[@]}" hey -z "${MINUTES}m" -c $((RATE / 100)) -q 100 -m POST -T application/json -D "$bodies/60k-$MODE.json" "${hdr[@]}" "$url" \
  > "$log.hey" 2>&1 &
load=$!
# CPU per request in each 30 s, from the process's ticks and the offered rate (hey holds it within a few %): the
# steady state the JIT reaches after minutes, which a 20 s benchmark right after a 10 s warm-up does not show.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK); t=0; k0=$(ticks)
while kill -0 "$load" 2>/dev/null; do
  sleep 30; t=$((t + 30)); k1=$(ticks)
  echo "  ${t}s: RSS $(rss) MB, CPU ~$(( (k1 - k0) * 1000000 / hz / (RATE * 30) )) us/request"; k0=$k1
done
echo "after $MINUTES min: RSS $(rss) MB (peak $(awk '/^VmHWM:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status") MB)"
grep -E "Requests/sec|Status code|\[200\]|50% in|99% in" "$log.hey" || true
