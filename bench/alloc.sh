#!/usr/bin/env bash
# bench/alloc.sh — heap allocated and CPU used per request by the gateway, from outside the process.
# Starts bench/run.sh in HOLD mode (FEATURES=core|all), sends 5,000 unmeasured 60 KB requests, then N more
# with hey, and reads the gateway's young-generation collections (jstat -gc: collections x eden size, plus
# the change in eden use) and its CPU time (/proc/PID/stat) around them.
# Usage: bench/alloc.sh [core|all]     Env: N=20000
set -u
cd "$(dirname "$0")/.."
F=${1:-core}; N=${N:-20000}
OUT=$(mktemp -d /tmp/sluice-alloc.XXXXXX)
HOLD=400 FEATURES=$F MAX_OTHER=99 OUT=$OUT bash bench/run.sh > $OUT/run.log 2>&1 &
bp=$!
for i in $(seq 1 120); do grep -q "holding for" $OUT/run.log && break; sleep 1; done
line=$(grep "holding for" $OUT/run.log); echo "$line" | head -c 300; echo
url=$(echo "$line" | sed -E 's/.*sluice (http[^ ]+) \(pid ([0-9]+)\).*/\1/'); pid=$(echo "$line" | sed -E 's/.*\(pid ([0-9]+)\).*/\1/')
key=$(echo "$line" | sed -E 's/.*; key ([^;]+);.*/\1/'); bodies=$(echo "$line" | sed -E 's/.*bodies in (.*)$/\1/')
body=$(ls $bodies/*60k* 2>/dev/null | head -1); [ -z "$body" ] && body=$(ls $bodies/* | head -1)
echo "url=$url pid=$pid body=$body"
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
# With every feature on, each request skips the cache read and stores its answer (a miss plus a store).
H=(-H "x-api-key: $key"); [ "$F" = all ] && H+=(-H "x-sluice-cache-refresh: 1")
hey -n 5000 -c 16 -m POST "${H[@]}" -H "anthropic-version: 2023-06-01" -H "content-type: application/json" -D $body $url > /dev/null
g1=$($J/jstat -gc $pid | tail -1); c1=$(awk '{print $14+$15}' /proc/$pid/stat)
/usr/bin/time -f "%e s" hey -n $N -c 16 -m POST "${H[@]}" -H "anthropic-version: 2023-06-01" -H "content-type: application/json" -D $body $url | grep -E "Requests/sec|\[200\]|Status code" -A3 | head -6
c2=$(awk '{print $14+$15}' /proc/$pid/stat); g2=$($J/jstat -gc $pid | tail -1)
echo "CPU us/req: $(( (c2-c1)*10000000/N/1000 ))"
$J/jstat -gc $pid | head -1
echo "$g1"; echo "$g2"
python3 - "$g1" "$g2" $N <<'PY'
import sys
a=[float(x) for x in sys.argv[1].split()]; b=[float(x) for x in sys.argv[2].split()]; n=int(sys.argv[3])
# columns: S0C S1C S0U S1U EC EU OC OU MC MU CCSC CCSU YGC YGCT FGC FGCT CGC CGCT GCT
EC,EU,YGC=4,5,12
# approx: each young GC empties eden: allocated ~= (YGC2-YGC1)*EC_avg + EU2 - EU1 (KB)
alloc=(b[YGC]-a[YGC])*((a[EC]+b[EC])/2)+b[EU]-a[EU]
print("approx KB allocated per request: %.1f (young GCs %d)"%(alloc/n, b[YGC]-a[YGC]))
PY
kill $bp 2>/dev/null; sleep 2; pkill -f "nginx -p /tmp/sluice-bench" ; pkill -f gateway-under-test; true
