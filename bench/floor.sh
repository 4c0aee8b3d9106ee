#!/usr/bin/env bash
# bench/floor.sh — the floor under the gateway's CPU per request: nginx, the gateway, and a bare Vert.x relay
# (dev.sluice.front.BareVertxProxy: Vert.x's HTTP server and client and nothing else) and a bare Netty relay
# (dev.sluice.front.BareNettyProxy: Netty's HTTP codecs, no Vert.x) against the same upstream,
# in alternating bursts of N 60 KB Claude Code requests at 2,000 req/s (hey -q 100 -c 20), CPU per request of
# each from /proc (all threads; nginx: master and workers). Whatever the bare relay costs, a gateway on Vert.x's
# HTTP layer cannot cost less, so this says how far Vert.x itself is from nginx; the Netty relay says what a layer
# written on Netty's codecs directly could reach.
#
# Usage:  bench/floor.sh ROUNDS        (after ./mvnw -o -DskipTests package and a test-compile)
# Env:    N=10000  WARM=40000  PORT_BASE=19860  FEATURES=core  JAVA_OPTS as bench/run.sh
#         TARGETS="nginx sluice bare nbare hyb"  which to measure (bare: the Vert.x relay, nbare: the Netty relay,
#                    hyb: dev.sluice.front.BareHybridProxy, Vert.x server in front of a Netty client)
#         BARE_OPTS  extra JVM flags for the relay only (-Dio.netty.allocator.type=pooled: a 60 KB write or read as one
#                    buffer takes Netty 4.2's adaptive allocator's fallback path, a direct buffer freed by closing a
#                    shared Arena, ~15% of the relay's CPU; the gateway's smaller buffers do not, so pooled is the fair floor)
set -u
cd "$(dirname "$0")/.."
R=${1:-6}; N=${N:-10000}; P=${PORT_BASE:-19860}; BARE=$((P + 3)); NBARE=$((P + 4)); HYB=$((P + 5))
TARGETS=${TARGETS:-nginx sluice bare nbare}
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAVA_OPTS="${JAVA_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:GCTimeRatio=4 -Xms128m -Xmx192m -XX:MaxNewSize=48m -XX:ReservedCodeCacheSize=64m}"
work=$(mktemp -d /tmp/sluice-floor.XXXXXX)
TARGETS="direct nginx sluice" PORT_BASE=$P HOLD=3600 FEATURES=${FEATURES:-core} MAX_OTHER=99 JAVA_OPTS="$JAVA_OPTS" OUT=$work/run bash bench/run.sh > "$work/run.log" 2>&1 &
runpid=$!
./mvnw -q -o dependency:build-classpath -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test > /dev/null
$JAVA --enable-native-access=ALL-UNNAMED $JAVA_OPTS ${BARE_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$work/cp")" dev.sluice.front.BareVertxProxy $BARE $P 2 > "$work/bare.log" 2>&1 &
barepid=$!
$JAVA $JAVA_OPTS ${BARE_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$work/cp")" dev.sluice.front.BareNettyProxy $NBARE $P 2 > "$work/nbare.log" 2>&1 &
nbarepid=$!
$JAVA $JAVA_OPTS ${BARE_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$work/cp")" dev.sluice.front.BareHybridProxy $HYB $P 2 > "$work/hyb.log" 2>&1 &
hybpid=$!
trap 'kill $runpid $barepid $nbarepid $hybpid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 180); do grep -q "holding for" "$work/run.log" && break; sleep 1; done
line=$(grep "holding for" "$work/run.log") || { cat "$work/run.log" >&2; exit 1; }
slupid=$(echo "$line" | sed -E 's/.*\(pid ([0-9]+)\).*/\1/'); run=$(echo "$line" | sed -E 's/.*bodies in (.*)$/\1/')
ngxpid=$(pgrep -f -- "-c $run/nginx.conf" | head -1)
body=$work/60k-json.json; cp src/main/resources/demo/claude-code-request.json "$body"
H=(-H "x-api-key: sk-bench-client" -H "anthropic-version: 2023-06-01" -H "content-type: application/json"
   -H "anthropic-beta: claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27"
   -H "user-agent: claude-cli/2.1.330 (external, cli)" -H "x-app: cli" -H "x-claude-code-session-id: 0b6f7c1e-4a52-4f0e-9d3b-2a8c6d1e7f90")
url() { echo "http://127.0.0.1:$1/v1/messages"; }
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
pids_of() { case $1 in nginx) echo "$ngxpid $(pgrep -P "$ngxpid" | tr '\n' ' ')";; sluice) echo "$slupid";; bare) echo "$barepid";; nbare) echo "$nbarepid";; hyb) echo "$hybpid";; esac; }
port_of() { case $1 in nginx) echo $((P + 1));; sluice) echo $((P + 2));; bare) echo $BARE;; nbare) echo $NBARE;; hyb) echo $HYB;; esac; }
for t in $TARGETS; do hey -n "${WARM:-40000}" -c 16 -m POST "${H[@]}" -D "$body" "$(url "$(port_of $t)")" > /dev/null; done
hz=$(getconf CLK_TCK); declare -A tot=([nginx]=0 [sluice]=0 [bare]=0 [nbare]=0 [hyb]=0)
for r in $(seq "$R"); do
  for t in $TARGETS; do
    ps=$(pids_of $t); c1=$(ticks $ps)
    out=$(hey -n "$N" -q 100 -c 20 -m POST "${H[@]}" -D "$body" "$(url "$(port_of $t)")"); c2=$(ticks $ps)
    ok=$(echo "$out" | awk '/\[200\].*responses/ {print $2}')
    [ "$ok" = "$N" ] || { echo "round $r $t: only ${ok:-0} of $N answered 200" >&2; exit 1; }
    echo "$(date -u +%H:%M:%S) round $r $t cpu_us_per_req=$(( (c2 - c1) * 1000000 / hz / N )) $(echo "$out" | awk '/50% in/ {a = $3 * 1000} /99% in/ {b = $3 * 1000} END {print "p50_ms=" a, "p99_ms=" b}') load=$(cut -d' ' -f1 /proc/loadavg)"
    tot[$t]=$((tot[$t] + c2 - c1))
  done
done
for t in $TARGETS; do echo "total $t: $(( tot[$t] * 1000000 / hz / (N * R) )) us/req over $R bursts of $N"; done
