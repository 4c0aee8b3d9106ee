#!/usr/bin/env bash
# bench/ab-relay.sh — the bare Vert.x relay (dev.sluice.front.BareVertxProxy) under several JVM settings side by side
# against one simulated upstream: alternating bursts of N 60 KB requests at 2,000 req/s, CPU per request of each from
# /proc. CONFIGS has one line per relay: "name|extra|jvm flags", extra "epoll" adds Netty's native epoll transport
# (netty-transport-native-epoll 4.2.18, linux-x86_64, from ~/.m2) to its classpath.
#
# Usage:  CONFIGS=$'adaptive||\npooled||-Dio.netty.allocator.type=pooled' bench/ab-relay.sh
#         (after ./mvnw -o -DskipTests package, test-compile, and dependency:build-classpath into target/test.cp)
# Env:    ROUNDS=4  N=10000  WARM=30000  PORT_BASE=19970
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; cd "$(dirname "$0")/.."
UP=${PORT_BASE:-19970}; CP="target/test-classes:target/classes:$(cat target/test.cp)"
EP=/root/.m2/repository/io/netty/netty-transport-native-epoll/4.2.18.Final/netty-transport-native-epoll-4.2.18.Final-linux-x86_64.jar
BASE="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:GCTimeRatio=4 -Xms128m -Xmx192m -XX:MaxNewSize=48m -XX:ReservedCodeCacheSize=64m"
$J -Xmx256m -jar target/sluice.jar sim --port $UP --canned > /dev/null 2>&1 & sim=$!
names=(); ports=(); pids=(); i=0
while IFS='|' read -r name xcp flags; do [ -z "$name" ] && continue; i=$((i+1)); port=$((UP+i))
  xc=""; [ "$xcp" = epoll ] && xc=":$EP"
  $J $BASE $flags -cp "$CP$xc" dev.sluice.front.BareVertxProxy $port $UP 2 > /dev/null 2>&1 &
  names+=($name); ports+=($port); pids+=($!)
done <<< "$CONFIGS"
trap 'kill $sim ${pids[@]} 2>/dev/null' EXIT
sleep 6
body=src/main/resources/demo/claude-code-request.json
H=(-H "x-api-key: sk" -H "anthropic-version: 2023-06-01" -H "content-type: application/json")
for k in ${!names[@]}; do hey -n ${WARM:-30000} -c 16 -m POST "${H[@]}" -D $body http://127.0.0.1:${ports[$k]}/v1/messages | grep -E "responses" | tr -d "\n"; echo " warm ${names[$k]}"; done
hz=$(getconf CLK_TCK); N=${N:-10000}
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
for r in $(seq ${ROUNDS:-4}); do for k in ${!names[@]}; do
  c1=$(ticks ${pids[$k]}); out=$(hey -n $N -q 100 -c 20 -m POST "${H[@]}" -D $body http://127.0.0.1:${ports[$k]}/v1/messages); c2=$(ticks ${pids[$k]})
  echo "$(date -u +%T) r$r ${names[$k]} cpu_us=$(( (c2-c1)*1000000/hz/N )) $(echo "$out" | awk '/50% in/ {a=$3*1000} /99% in/ {b=$3*1000} /\[200\].*responses/ {ok=$2} END {print "p50=" a " p99=" b " ok=" ok}') load=$(cut -d' ' -f1 /proc/loadavg)"
done; done
