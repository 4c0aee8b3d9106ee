#!/usr/bin/env bash
# bench/ab-gateway.sh — A/B of two gateway JVMs (flags or jars) against one simulated upstream: alternating bursts
# of N 60 KB Claude Code requests at 2,000 req/s (hey -q 100 -c 20) after WARM requests each, CPU per request of
# each gateway process from /proc. Alternating bursts on one box cancel most of the load drift between A and B;
# read the rounds after the first (JIT still warming).
#
# Output per burst: cpu_us (the gateway process, /proc ticks), machine_us (every CPU of the machine), hey p50 / p99.
# Usage:  OPTS_B="-XX:-TieredCompilation" bench/ab-gateway.sh        (after ./mvnw -o -DskipTests package)
# Env:    OPTS_A OPTS_B (extra JVM flags)  BASE_B (B's flags in place of the common G1 set, e.g. another collector)  JAR_A JAR_B (default target/sluice.jar)  NOCOPY_B=1 (run JAR_B in place,
#         for an AOT cache tied to its path)  ROUNDS=4  N=10000  WARM=40000  PORT_BASE=19950
#         SERVER_A SERVER_B (one more `server:` setting for that side, e.g. SERVER_B="engine: netty")
#         CACHE=1 (both gateways also run the guard and the response cache with prompt-cache help, every request
#         keyed and stored with x-sluice-cache-refresh: the feature path bench/run.sh FEATURES=all measures, minus
#         identities and budgets)
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")/.."
W=$(mktemp -d /tmp/sluice-ab.XXXX); UP=${PORT_BASE:-19950}; PA=$((UP + 1)); PB=$((UP + 2))
JAR_A=${JAR_A:-target/sluice.jar}; JAR_B=${JAR_B:-$JAR_A}
cp $JAR_A $W/a.jar; cp $JAR_B $W/b.jar; BJ=$W/b.jar; [ -n "${NOCOPY_B:-}" ] && BJ=$(realpath "$JAR_B"); cp target/sluice.jar $W/sim.jar
$J -Xmx256m -jar $W/sim.jar sim --port $UP --canned > $W/sim.log 2>&1 & sim=$!
for x in a b; do p=$PA; srv=${SERVER_A:-}; [ $x = b ] && p=$PB && srv=${SERVER_B:-}; mkdir -p $W/$x; cat > $W/$x.yaml <<Y
server:
  port: $p
  event-loops: 2
  ${srv}
upstreams:
  - name: canned
    base-url: http://127.0.0.1:$UP
    keys:
      - alias: bench
        value: sk-bench-not-a-real-key
store:
  data-dir: $W/$x
Y
[ -n "${CACHE:-}" ] && cat >> $W/$x.yaml <<Y
guard:
  enabled: true
cache:
  store: {kind: memory, budget: 64MB}
  defaults: {mode: on, scope: org, ttl: 1h, ttl-upgrade: true, normalise-upstream: true, fork-breakpoint: true}
Y
done
. bench/jvm-flags.sh; BASE="$SLUICE_JVM_FLAGS"
(cd $W/a && exec $J --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector $BASE ${OPTS_A:-} -jar $W/a.jar serve -c $W/a.yaml > $W/a.log 2>&1) & 
(cd $W/b && exec $J --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector ${BASE_B:-$BASE} ${OPTS_B:-} -jar $BJ serve -c $W/b.yaml > $W/b.log 2>&1) &
trap 'pkill -f "$W/" ; sleep 1; rm -rf $W' EXIT
for i in $(seq 120); do curl -sf -o /dev/null -X POST -H "content-type: application/json" -H "anthropic-version: 2023-06-01" -H "x-api-key: k" --data-binary @src/main/resources/demo/claude-code-request.json http://127.0.0.1:$PA/v1/messages && curl -sf -o /dev/null -X POST -H "content-type: application/json" -H "anthropic-version: 2023-06-01" -H "x-api-key: k" --data-binary @src/main/resources/demo/claude-code-request.json http://127.0.0.1:$PB/v1/messages && break; sleep 1; done
pa=$(pgrep -f "$W/a.jar"); pb=$(pgrep -f "serve -c $W/b.yaml"); echo "pids a=$pa b=$pb"
body=src/main/resources/demo/claude-code-request.json
H=(-H "x-api-key: sk-bench-client" -H "anthropic-version: 2023-06-01" -H "content-type: application/json" -H "anthropic-beta: claude-code-20250219,interleaved-thinking-2025-05-14" -H "user-agent: claude-cli/2.1.330 (external, cli)" -H "x-app: cli" -H "x-claude-code-session-id: 0b6f7c1e-4a52-4f0e-9d3b-2a8c6d1e7f90")
[ -n "${CACHE:-}" ] && H+=(-H "x-sluice-cache-refresh: true")
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
# The whole machine's busy ticks (every process and the kernel's own threads, softirqs included): a transport that moves
# work out of the gateway's threads (io_uring's kernel workers) shows here, not in cpu_us. Includes hey and the sim.
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
for x in a b; do p=$PA; [ $x = b ] && p=$PB; hey -n ${WARM:-40000} -c 16 -m POST "${H[@]}" -D $body http://127.0.0.1:$p/v1/messages | grep -E "responses" ; done
hz=$(getconf CLK_TCK); N=${N:-10000}
for r in $(seq ${ROUNDS:-4}); do for x in a b; do p=$PA; pid=$pa; [ $x = b ] && { p=$PB; pid=$pb; }
  c1=$(ticks $pid); m1=$(busy); out=$(hey -n $N -q 100 -c 20 -m POST "${H[@]}" -D $body http://127.0.0.1:$p/v1/messages); c2=$(ticks $pid); m2=$(busy)
  echo "$(date -u +%T) r$r $x cpu_us=$(( (c2-c1)*1000000/hz/N )) machine_us=$(( (m2-m1)*1000000/hz/N )) $(echo "$out" | awk '/50% in/ {a=$3*1000} /99% in/ {b=$3*1000} /\[200\].*responses/ {ok=$2} END {print "p50=" a " p99=" b " ok=" ok}') load=$(cut -d' ' -f1 /proc/loadavg)"
done; done
