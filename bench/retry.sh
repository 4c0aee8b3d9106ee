#!/usr/bin/env bash
# bench/retry.sh — what a retried attempt costs: the first upstream key answers 529 at once, the
# gateway retries on the next key, which answers normally. Compares the latency of such requests with
# requests that succeed on their first attempt, through the same gateway, at the same rate.
#
# Usage:   bench/retry.sh                 (build first: ./mvnw -q -o -DskipTests package)
# Env:     RATE=200  DURATION=20s  PORT_BASE=18880  JAR=target/sluice.jar  LOADGEN_CPUS=  SERVER_CPUS=
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; repo="$(cd "$here/.." && pwd)"
RATE="${RATE:-200}"; DURATION="${DURATION:-20s}"; PORT_BASE="${PORT_BASE:-18880}"
JAR="${JAR:-$repo/target/sluice.jar}"; JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
. "$here/jvm-flags.sh"
JAVA_OPTS="${JAVA_OPTS:-$SLUICE_JVM_FLAGS}"
pin_load=(); [ -n "${LOADGEN_CPUS:-}" ] && pin_load=(taskset -c "$LOADGEN_CPUS")
pin_server=(); [ -n "${SERVER_CPUS:-}" ] && pin_server=(taskset -c "$SERVER_CPUS")
SIM=$PORT_BASE; GW=$((PORT_BASE + 1))
run="$(mktemp -d /tmp/sluice-retry.XXXXXX)"; pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$run"' EXIT
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; exit 1; }

"${pin_server[@]}" "$JAVA" $JAVA_OPTS -jar "$JAR" sim --port "$SIM" > "$run/sim.log" 2>&1 & pids+=($!)
cat > "$run/sluice.yaml" <<YAML
server: {port: $GW}
upstreams: [{name: sim, base-url: "http://127.0.0.1:$SIM", keys: [{alias: first, value: sk-first-fails}, {alias: second, value: sk-second}]}]
store: {data-dir: "$run/data"}
YAML
"${pin_server[@]}" "$JAVA" --add-modules jdk.incubator.vector $JAVA_OPTS -jar "$JAR" serve -c "$run/sluice.yaml" > "$run/gw.log" 2>&1 & pids+=($!)
wait_port "$SIM"; wait_port "$GW"
body='{"model":"claude-sonnet-4-5-20250929","max_tokens":32,"messages":[{"role":"user","content":"hi"}]}'
# A session id whose sticky key is the first one: String.hashCode is even (31 is odd, so its parity is
# the parity of the sum of the characters).
session=$(python3 -c 'print(next(s for s in ("session-%d" % i for i in range(100)) if sum(map(ord, s)) % 2 == 0))')
hey_at() { # label, extra headers...
  local label=$1; shift
  "${pin_load[@]}" hey -z 5s -c 4 -q $((RATE / 4)) -m POST -T application/json -d "$body" -H "anthropic-version: 2023-06-01" -H "x-claude-code-session-id: $session" "$@" \
    "http://127.0.0.1:$GW/v1/messages" > /dev/null 2>&1
  "${pin_load[@]}" hey -z "$DURATION" -c 4 -q $((RATE / 4)) -m POST -T application/json -d "$body" -H "anthropic-version: 2023-06-01" -H "x-claude-code-session-id: $session" "$@" \
    -o csv "http://127.0.0.1:$GW/v1/messages" > "$run/$label.csv"
  awk -F, -v l="$label" 'NR > 1 && $1 ~ /^[0-9.]+$/ { n++; if ($7 != 200) e++; print $1 * 1000 > "/dev/stderr" }
      END { printf "%s requests=%d errors=%d\n", l, n, e + 0 }' "$run/$label.csv" 2> "$run/$label.ms"
  sort -g "$run/$label.ms" | awk -v l="$label" '{ v[NR] = $1 } END { printf "%s p50=%.3f p90=%.3f p99=%.3f ms\n", l, v[int(NR*0.5)], v[int(NR*0.9)], v[int(NR*0.99)] }'
}
hey_at "first-attempt"
hey_at "retried" -H "x-sim-fault: 529" -H "x-sim-fault-key: sk-first-fails"
echo "retried requests carry x-sluice-attempts: $(curl -s -o /dev/null -D - -X POST -H "content-type: application/json" -H "anthropic-version: 2023-06-01" \
  -H "x-claude-code-session-id: $session" -H 'x-sim-fault: 529' -H 'x-sim-fault-key: sk-first-fails' -d "$body" \
  "http://127.0.0.1:$GW/v1/messages" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-sluice-attempts" { print $2 }')"
