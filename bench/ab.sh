#!/usr/bin/env bash
# bench/ab.sh — CPU per request of two gateway jars, measured side by side so a busy machine weighs on both alike.
#
# Starts bench/run.sh in HOLD mode twice (FEATURES=core, each with its own upstream, nginx and ports), warms both
# (WARM requests unlimited, then 10,000 at 2,000 req/s), then sends alternating bursts of N 60 KB Claude Code
# requests at 2,000 req/s (hey -q 100 -c 20) to A, then B, ROUNDS times, and prints each burst's gateway CPU per
# request (utime+stime from /proc, all threads) with hey's p50/p99, and the totals. On a 2-core box shared with
# other work, one run per jar (bench/run.sh) moves by ±30% from minute to minute; bursts of a few seconds,
# alternated, see the same load and show a difference of a few percent.
#
# Usage:   bench/ab.sh ROUNDS A.jar B.jar        (e.g. bench/ab.sh 16 /tmp/before.jar target/sluice.jar)
# Env:     N=10000 (requests per burst)  WARM=40000  PORTS="19880 19890"  JAVA_OPTS as bench/run.sh
set -u
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { echo "usage: bench/ab.sh ROUNDS A.jar B.jar" >&2; exit 2; }
R=$1; JA=$2; JB=$3; N=${N:-10000}; read -r PA PB <<< "${PORTS:-19880 19890}"
. bench/jvm-flags.sh
JAVA_OPTS="${JAVA_OPTS:-$SLUICE_JVM_FLAGS}"
work=$(mktemp -d /tmp/sluice-ab.XXXXXX)
start() { # side jar port -> pid of its bench/run.sh
  JAR=$2 PORT_BASE=$3 HOLD=3600 FEATURES=core MAX_OTHER=99 JAVA_OPTS="$JAVA_OPTS" OUT=$work/$1 \
    bash bench/run.sh > "$work/$1.log" 2>&1 &
  echo $!
}
runA=$(start A "$JA" "$PA"); runB=$(start B "$JB" "$PB")
trap 'kill $runA $runB 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
held() { for _ in $(seq 180); do grep -q "holding for" "$work/$1.log" && break; sleep 1; done; grep "holding for" "$work/$1.log" || { cat "$work/$1.log" >&2; exit 1; }; }
lA=$(held A); lB=$(held B)
url() { echo "$1" | sed -E 's/.*sluice (http[^ ]+) \(pid ([0-9]+)\).*/\1/'; }
pid() { echo "$1" | sed -E 's/.*\(pid ([0-9]+)\).*/\1/'; }
uA=$(url "$lA"); uB=$(url "$lB"); pA=$(pid "$lA"); pB=$(pid "$lB")
body=$work/60k-json.json; cp src/main/resources/demo/claude-code-request.json "$body"
H=(-H "x-api-key: sk-bench-client" -H "anthropic-version: 2023-06-01" -H "content-type: application/json"
   -H "anthropic-beta: claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27"
   -H "user-agent: claude-cli/2.1.330 (external, cli)" -H "x-app: cli" -H "x-claude-code-session-id: 0b6f7c1e-4a52-4f0e-9d3b-2a8c6d1e7f90")
for u in "$uA" "$uB"; do hey -n "${WARM:-40000}" -c 16 -m POST "${H[@]}" -D "$body" "$u" > /dev/null; done
for u in "$uA" "$uB"; do hey -n 10000 -q 100 -c 20 -m POST "${H[@]}" -D "$body" "$u" > /dev/null; done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK); tA=0; tB=0
for r in $(seq "$R"); do
  for side in A B; do
    if [ $side = A ]; then p=$pA; u=$uA; else p=$pB; u=$uB; fi
    c1=$(ticks "$p"); out=$(hey -n "$N" -q 100 -c 20 -m POST "${H[@]}" -D "$body" "$u"); c2=$(ticks "$p")
    ok=$(echo "$out" | awk '/\[200\]/ {print $2}')
    [ "$ok" = "$N" ] || { echo "burst $r $side: only ${ok:-0} of $N answered 200" >&2; exit 1; }
    echo "$(date -u +%H:%M:%S) round $r $side cpu_us_per_req=$(( (c2 - c1) * 1000000 / hz / N )) $(echo "$out" | awk '/50% in/ {a = $3 * 1000} /99% in/ {b = $3 * 1000} END {print "p50_ms=" a, "p99_ms=" b}') load=$(cut -d' ' -f1 /proc/loadavg)"
    if [ $side = A ]; then tA=$((tA + c2 - c1)); else tB=$((tB + c2 - c1)); fi
  done
done
echo "total: A $(( tA * 1000000 / hz / (N * R) )) us/req, B $(( tB * 1000000 / hz / (N * R) )) us/req over $R bursts of $N each"
