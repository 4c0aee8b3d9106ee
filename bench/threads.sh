#!/usr/bin/env bash
# Where one gateway's CPU goes, thread by thread: one gateway (core features) on the canned simulator, warmed up, then
# N requests at 2,000 req/s (hey -q 100 -c 20); prints the process's CPU µs per request and each thread's (from
# /proc ticks) and context switches, and with EVENT=cpu|alloc|<Java method> an async-profiler collapsed-stack file of the
# measured phase (for a method: one sample per call, so the total counts calls per request).
# Usage:  JAR=target/sluice.jar [EVENT=none|cpu|alloc] [N=20000] [WARM=30000] [PACEWARM=20000] [TAG=x] [UPPORT=19960]
#         [OPTS="<extra JVM flags>"] [ASPROF_LIB=/path/to/libasyncProfiler.so] bench/threads.sh
# EVENT=cpu|alloc needs async-profiler's library (not shipped: download it yourself); EVENT=none needs nothing.
# Output: stdout; the stacks in /tmp/threads-$TAG-$EVENT.collapsed. Ports UPPORT and UPPORT+1 must be free.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$(dirname "$0")/.."
TAG=${TAG:-x}; EV=${EVENT:-none}; N=${N:-20000}
W=$(mktemp -d /tmp/sluice-threads.XXXX); UP=${UPPORT:-19960}; P=$((UP + 1))
cp "${JAR:-target/sluice.jar}" $W/g.jar
$J -Xmx256m -jar $W/g.jar sim --port $UP --canned > $W/sim.log 2>&1 &
mkdir -p $W/d; cat > $W/g.yaml <<Y
server: {port: $P, event-loops: 2}
upstreams:
  - {name: canned, base-url: "http://127.0.0.1:$UP", keys: [{alias: bench, value: sk-bench-not-a-real-key}]}
store: {data-dir: $W/d}
Y
. bench/jvm-flags.sh; BASE="$SLUICE_JVM_FLAGS"
(cd $W/d && exec $J --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector $BASE ${OPTS:-} \
    -XX:+EnableDynamicAgentLoading -jar $W/g.jar serve -c $W/g.yaml > $W/g.log 2>&1) &
trap 'pkill -f "$W/"; sleep 1; rm -rf $W' EXIT
body=src/main/resources/demo/claude-code-request.json
H=(-H "x-api-key: sk-bench-client" -H "anthropic-version: 2023-06-01" -H "content-type: application/json"
   -H "anthropic-beta: claude-code-20250219,interleaved-thinking-2025-05-14" -H "user-agent: claude-cli/2.1.330 (external, cli)"
   -H "x-app: cli" -H "x-claude-code-session-id: 0b6f7c1e-4a52-4f0e-9d3b-2a8c6d1e7f90")
URL=http://127.0.0.1:$P/v1/messages
for i in $(seq 120); do curl -sf -o /dev/null -X POST "${H[@]}" --data-binary @$body $URL && break; sleep 1; done
pid=$(pgrep -f "serve -c $W/g.yaml")
hey -n ${WARM:-30000} -c 16 -m POST "${H[@]}" -D $body $URL | grep -E "responses"
# Warm up at the measured rate too: a change of load shape right before measuring sets the JIT recompiling.
hey -n ${PACEWARM:-20000} -q 100 -c 20 -m POST "${H[@]}" -D $body $URL | grep -E "responses"
ticks() { for t in /proc/$pid/task/*; do echo "$(basename $t)|$(cat $t/comm)|$(awk "{print \$14+\$15}" $t/stat)|$(awk "/ctxt_switches/{s+=\$2} END{print s}" $t/status)"; done; }
attach() { $J bench/ProfilerAttach.java $pid "${ASPROF_LIB:?set ASPROF_LIB}" "$1"; }
iv=200us; [ $EV = alloc ] && iv=256k # a sample every 256 KB allocated: a time interval means nothing to alloc
case $EV in *.*) iv=1;; esac # a Java method (EVENT=dev.sluice.inspect.BodyReader.chunk): every call, so the file counts calls
[ $EV = none ] || attach "start,event=$EV,interval=$iv,threads"
hz=$(getconf CLK_TCK); t1=$(awk '{print $14+$15}' /proc/$pid/stat); ticks > $W/th1
hey -n $N -q 100 -c 20 -m POST "${H[@]}" -D $body $URL | grep -E "50% in|99% in|responses"
ticks > $W/th2; t2=$(awk '{print $14+$15}' /proc/$pid/stat)
[ $EV = none ] || attach "stop,collapsed,file=/tmp/threads-$TAG-$EV.collapsed"
echo "cpu_us=$(( (t2 - t1) * 1000000 / hz / N ))"
echo "per-thread CPU µs per request (measured phase):"
awk -F'|' -v n=$N -v hz=$hz 'NR==FNR {a[$1]=$3; next} {d=$3-a[$1]; if (d>0) s[$2]+=d}
    END {for (k in s) printf "  %7.1f %s\n", s[k]*1000000/hz/n, k}' $W/th1 $W/th2 | sort -rn | head -12
echo "per-thread context switches per request:"
awk -F'|' -v n=$N 'NR==FNR {a[$1]=$4; next} {d=$4-a[$1]; if (d>0) s[$2]+=d}
    END {for (k in s) printf "  %7.2f %s\n", s[k]/n, k}' $W/th1 $W/th2 | sort -rn | head -12
