#!/usr/bin/env bash
# bench/run.sh — how much latency Sluice adds to a request, and how many requests/s it can carry.
#
# It starts, on 127.0.0.1 only:
#   upstream  a canned Anthropic upstream: nginx answering a fixed Messages reply (JSON, or an SSE event
#             sequence with content-type text/event-stream when the request has "x-bench-stream: 1");
#             UPSTREAM=sim uses `sluice sim --canned` instead
#   nginx     a plain nginx proxy_pass hop to the same upstream: the floor of one proxy hop
#   sluice    the gateway (this repository's target/sluice.jar) with its default SQLite ledger in a
#             temporary data dir, so authentication, routing, metering and the ledger are all on the path
# and then, for every body (60 KB Claude Code request, 1 KB request) x mode (json, sse) x rate, runs
# `hey` at a fixed rate against the upstream directly, through nginx and through Sluice, one after the
# other, REPEATS times; then a saturation run (no rate limit) per target. Latency percentiles come from
# hey's per-request CSV (full response read, keep-alive on). "Added" = target percentile minus the
# direct percentile of the same repeat; the tables show the median over repeats.
#
# Usage:   bench/run.sh                       (build first: ./mvnw -q -o -DskipTests package)
# Env:     DURATION=20s        hey -z for each fixed-rate run (at most 30s)
#          RATES="500 2000"    target request rates (req/s)
#          WORKER_QPS=100      hey -q per worker; hey -c = rate / WORKER_QPS
#          BODIES="60k 1k"     request bodies
#          MODES="json sse"    non-stream and stream
#          TARGETS="direct nginx sluice"
#          REPEATS=3           repeats of every fixed-rate run (median reported)
#          SAT_DURATION=10s    saturation run length per target ("0" skips saturation)
#          SAT_CONNS=32        hey -c for saturation
#          SAT_BODIES="60k 1k" SAT_MODES="json sse"  saturation scenarios
#          WARMUP=10s          unmeasured saturation load through Sluice and nginx before measuring (JIT)
#          EVENT_LOOPS=2       Sluice server.event-loops
#          NGINX_WORKERS=2     worker_processes of the nginx proxy (the upstream nginx uses UPSTREAM_WORKERS=1)
#          JAVA_OPTS="..."     the gateway's JVM flags (default: what ./sluice uses, from bench/jvm-flags.sh)
#          UPSTREAM=nginx|sim  the canned upstream
#          MAX_OTHER=0.2 LOAD_WAIT=60  before each run, wait up to LOAD_WAIT s until processes that are not part of
#                              the benchmark use less than MAX_OTHER cores (sampled over 2 s). The 1-min load
#                              average is recorded too, but it includes the benchmark's own previous run.
#          PORT_BASE=18780     ports PORT_BASE..+2 (upstream, nginx, sluice)
#          OUT=<dir>           where results go (default bench/results/<UTC time>); KEEP_RAW=1 keeps hey CSVs
#          JAR=<path>          the gateway jar to measure (default target/sluice.jar)
#          JFR=1               also record a JFR flight recording of Sluice into OUT
#          HOLD=<seconds>      only start everything, smoke-check it and keep it up that long (for profiling)
#          FEATURES=all        all: every feature on the path, as a team would run it: an issued key (org, team,
#                              user), budgets at org, team and user level with a rate limit, a routing rule with
#                              a fallback chain and retries, the guard (secrets and injection), the response cache
#                              (each request carries x-sluice-cache-refresh, so every one is keyed, bypasses the
#                              read and stores its answer: a miss's work plus a store; with the prompt-cache help
#                              on: ttl-upgrade, normalise-upstream, fork-breakpoint); core: authentication,
#                              routing, metering and the ledger only (an open local gateway)
#          LOADGEN=hey|open    who makes the fixed-rate load: hey (each of its rate/WORKER_QPS connections on its own
#                              ticker, started together, so requests leave in bursts of that many), or
#                              bench/OpenLoad.java (open loop: Poisson arrivals over OPEN_CONNS connections, each
#                              latency counted from when its request was due); saturation runs always use hey
#          OPEN_CONNS=32 OPEN_ARRIVALS=poisson|uniform
#          LOADGEN_CPUS=1 SERVER_CPUS=0   pin hey to its own core(s) and the upstream, nginx and Sluice to the others
#                              (taskset lists), so the load generator does not compete with what it measures
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

DURATION="${DURATION:-20s}"
RATES="${RATES:-500 2000}"
WORKER_QPS="${WORKER_QPS:-100}"
BODIES="${BODIES:-60k 1k}"
MODES="${MODES:-json sse}"
TARGETS="${TARGETS:-direct nginx sluice}"
REPEATS="${REPEATS:-3}"
SAT_DURATION="${SAT_DURATION:-10s}"
SAT_CONNS="${SAT_CONNS:-32}"
SAT_BODIES="${SAT_BODIES:-60k 1k}"
SAT_MODES="${SAT_MODES:-json sse}"
WARMUP="${WARMUP:-10s}"
EVENT_LOOPS="${EVENT_LOOPS:-2}"
NGINX_WORKERS="${NGINX_WORKERS:-2}"
UPSTREAM_WORKERS="${UPSTREAM_WORKERS:-1}"
. "$here/jvm-flags.sh"
JAVA_OPTS="${JAVA_OPTS:-$SLUICE_JVM_FLAGS}"
UPSTREAM="${UPSTREAM:-nginx}"
LOADGEN="${LOADGEN:-hey}"
OPEN_CONNS="${OPEN_CONNS:-32}"
OPEN_ARRIVALS="${OPEN_ARRIVALS:-poisson}"
MAX_OTHER="${MAX_OTHER:-0.2}"
LOAD_WAIT="${LOAD_WAIT:-60}"
PORT_BASE="${PORT_BASE:-18780}"
OUT="${OUT:-$here/results/$(date -u +%Y%m%dT%H%M%SZ)}"
KEEP_RAW="${KEEP_RAW:-0}"
JFR="${JFR:-0}"

JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
FEATURES="${FEATURES:-all}"
CLIENT_KEY=sk-bench-client
LOADGEN_CPUS="${LOADGEN_CPUS:-}"
SERVER_CPUS="${SERVER_CPUS:-}"
pin_load=(); [ -n "$LOADGEN_CPUS" ] && pin_load=(taskset -c "$LOADGEN_CPUS")
pin_server=(); [ -n "$SERVER_CPUS" ] && pin_server=(taskset -c "$SERVER_CPUS")
JAR="${JAR:-$repo/target/sluice.jar}"
UP_PORT=$PORT_BASE
NGX_PORT=$((PORT_BASE + 1))
SLU_PORT=$((PORT_BASE + 2))

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

for tool in hey nginx curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
[ -x "$JAVA" ] || die "no JDK 25 at $JAVA (set JAVA=...)"
[ -f "$JAR" ] || die "no $JAR: build it first (./mvnw -q -o -DskipTests package)"
secs() { local d="$1"; case "$d" in *ms) echo "0";; *s) echo "${d%s}";; *m) echo $(( ${d%m} * 60 ));; *) echo "$d";; esac; }
[ "$(secs "$DURATION")" -le 30 ] || die "DURATION must be at most 30s"
[ "$SAT_DURATION" = 0 ] || [ "$(secs "$SAT_DURATION")" -le 30 ] || die "SAT_DURATION must be at most 30s"
for p in $UP_PORT $NGX_PORT $SLU_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is already in use (set PORT_BASE)"; fi
done

run="$(mktemp -d /tmp/sluice-bench.XXXXXX)"
mkdir -p "$OUT" "$run/raw"
pids=()

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$KEEP_RAW" = 1 ]; then cp -r "$run/raw" "$OUT/raw"; fi
  cp "$run"/*.log "$OUT/" 2>/dev/null || true
  rm -rf "$run"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() { # port, name, pid
  for _ in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || die "$2 exited during start (see $OUT/$2.log)"
    sleep 0.1
  done
  die "$2 did not open port $1 within 30 s"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
tree_rss_kb() { # nginx master + workers
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do total=$((total + $(rss_kb "$p"))); done
  echo "$total"
}
cpu_ticks() { # utime+stime of a process and its children (nginx master + workers; all JVM threads)
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)
load1() { cut -d' ' -f1 /proc/loadavg; }
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
ours_ticks() { echo $(( $(cpu_ticks "$up_pid") + $(cpu_ticks "$ngx_pid") + $(cpu_ticks "$slu_pid") )); }
children_ticks() { # CPU of this shell's finished children (hey); call as `times > "$run/times"; children_ticks`
  # (the `times` builtin must run in this shell: a subshell's children times start at zero)
  tail -n 1 "$run/times" | awk -v hz="$CLK_TCK" '{ gsub(/s/, ""); split($1, u, "m"); split($2, s, "m"); printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * hz }'
}
other_cores() { # cores used by processes outside the benchmark over the next $1 seconds
  local b0 o0; b0=$(busy_ticks); o0=$(ours_ticks); sleep "$1"
  awk -v b="$(( $(busy_ticks) - b0 - ($(ours_ticks) - o0) ))" -v hz="$CLK_TCK" -v d="$1" 'BEGIN { v = b / hz / d; printf "%.2f", v < 0 ? 0 : v }'
}
wait_quiet() { # prefer runs on a quiet box; never wait forever
  local waited=0 other
  while other=$(other_cores 2); awk -v o="$other" -v m="$MAX_OTHER" 'BEGIN { exit !(o >= m) }' && [ "$waited" -lt "$LOAD_WAIT" ]; do
    [ "$waited" = 0 ] && log "other processes use $other cores; waiting up to $LOAD_WAIT s for a quieter box"
    sleep 3; waited=$((waited + 5))
  done
}

# ---------------------------------------------------------------- bodies and canned replies
sed 's/"stream":false/"stream":true/' "$repo/src/main/resources/demo/claude-code-request.json" > "$run/60k-sse.json"
cp "$repo/src/main/resources/demo/claude-code-request.json" "$run/60k-json.json"
cp "$here/bodies/small-1k.json" "$run/1k-json.json"
sed 's/"stream":false/"stream":true/' "$here/bodies/small-1k.json" > "$run/1k-sse.json"
grep -q '"stream":true' "$run/60k-sse.json" && grep -q '"stream":true' "$run/1k-sse.json" || die "could not make stream bodies"

nginx_quote() { # file -> contents for a single-quoted nginx string ($ would be a variable there)
  python3 - "$1" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
if "$" in s:
    sys.exit("canned reply must not contain $")
print(s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n"), end="")
PY
}
fill() { # template out KEY=VALUE...
  local text; text="$(cat "$1")"; local out="$2"; shift 2
  local kv
  for kv in "$@"; do text="${text//@${kv%%=*}@/"${kv#*=}"}"; done
  printf '%s\n' "$text" > "$out"
}

# ---------------------------------------------------------------- start the processes
if [ "$UPSTREAM" = nginx ]; then
  fill "$here/nginx/upstream.conf.in" "$run/upstream.conf" "RUN=$run" "PORT=$UP_PORT" "WORKERS=$UPSTREAM_WORKERS" \
    "MESSAGE_JSON=$(nginx_quote "$here/canned/message.json")" "STREAM_SSE=$(nginx_quote "$here/canned/stream.sse")"
  "${pin_server[@]}" nginx -p "$run" -c "$run/upstream.conf" > "$run/upstream.log" 2>&1 &
  up_pid=$!
elif [ "$UPSTREAM" = sim ]; then
  cp "$JAR" "$run/upstream-sim.jar"
  "${pin_server[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED $JAVA_OPTS -jar "$run/upstream-sim.jar" sim --port "$UP_PORT" --canned > "$run/upstream.log" 2>&1 &
  up_pid=$!
else
  die "UPSTREAM must be nginx or sim"
fi
pids+=("$up_pid")
wait_port "$UP_PORT" upstream "$up_pid"

fill "$here/nginx/proxy.conf.in" "$run/nginx.conf" "RUN=$run" "PORT=$NGX_PORT" "WORKERS=$NGINX_WORKERS" "UPSTREAM_PORT=$UP_PORT"
"${pin_server[@]}" nginx -p "$run" -c "$run/nginx.conf" > "$run/nginx.log" 2>&1 &
ngx_pid=$!
pids+=("$ngx_pid")
wait_port "$NGX_PORT" nginx "$ngx_pid"

mkdir -p "$run/data"
cat > "$run/sluice.yaml" <<EOF
server:
  port: $SLU_PORT
  event-loops: $EVENT_LOOPS
upstreams:
  - name: canned
    base-url: http://127.0.0.1:$UP_PORT
    keys:
      - alias: bench
        value: sk-bench-not-a-real-key
store:
  data-dir: $run/data
EOF
cp "$JAR" "$run/gateway-under-test.jar"
if [ "$FEATURES" = all ]; then
  cat >> "$run/sluice.yaml" <<EOF
routing:
  retry: {attempts: 2, backoff: 50ms}
routes:
  - name: main
    match: "*"
    targets:
      - {upstream: canned, priority: 1}
      - {upstream: canned-b, priority: 2}
guard:
  enabled: true
cache:
  store: {kind: memory, budget: 64MB}
  defaults: {mode: on, scope: org, ttl: 1h, ttl-upgrade: true, normalise-upstream: true, fork-breakpoint: true}
budgets:
  list:
    - {name: org-month, level: org, id: bench, usd: 1000000, period: monthly}
    - {name: team-month, level: team, id: platform, usd: 100000, period: monthly}
    - {name: each-dev, level: user, id: "*", usd: 10000, period: monthly}
  rate-limits: [{name: per-key, level: key, id: "*", requests-per-minute: 10000000}]
EOF
  # A second upstream (the same canned server) for the fallback chain.
  sed -i "s|^store:|  - name: canned-b\\n    base-url: http://127.0.0.1:$UP_PORT\\n    keys:\\n      - alias: bench-b\\n        value: sk-bench-not-a-real-key-b\\nstore:|" "$run/sluice.yaml"
  cli() { "$JAVA" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar "$run/gateway-under-test.jar" "$@" -c "$run/sluice.yaml"; }
  cli orgs create bench > "$run/cli.log" 2>&1 || die "orgs create: $(cat "$run/cli.log")"
  cli teams create platform --org bench >> "$run/cli.log" 2>&1 || die "teams create: $(cat "$run/cli.log")"
  cli users create dev1 --team platform >> "$run/cli.log" 2>&1 || die "users create: $(cat "$run/cli.log")"
  CLIENT_KEY="$(cli keys create --user dev1 --alias bench 2>>"$run/cli.log" | grep -o 'sk-sluice-[A-Za-z0-9_-]*' | head -1)"
  [ -n "$CLIENT_KEY" ] || die "keys create printed no key: $(cat "$run/cli.log")"
fi
jfr_opt=()
if [ "$JFR" = 1 ]; then jfr_opt=("-XX:StartFlightRecording=filename=$OUT/sluice.jfr,settings=profile"); fi
# The jar runs under a name of its own (copied above), so that another user's `pkill -f sluice.jar` on a shared box
# cannot stop it in the middle of a run (it happened: the gateway got a SIGTERM from outside during a run).
# shellcheck disable=SC2086
"${pin_server[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector $JAVA_OPTS "${jfr_opt[@]}" -jar "$run/gateway-under-test.jar" serve -c "$run/sluice.yaml" > "$run/sluice.log" 2>&1 &
slu_pid=$!
pids+=("$slu_pid")
wait_port "$SLU_PORT" sluice "$slu_pid"

url_of() { case "$1" in direct) echo "http://127.0.0.1:$UP_PORT/v1/messages";; nginx) echo "http://127.0.0.1:$NGX_PORT/v1/messages";;
  sluice) echo "http://127.0.0.1:$SLU_PORT/v1/messages";; *) die "unknown target $1";; esac; }

# Claude Code's own request headers; x-bench-stream tells the nginx upstream which canned reply to send.
hdrs() { # mode
  printf '%s\n' -H "anthropic-version: 2023-06-01" \
    -H "anthropic-beta: claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27" \
    -H "user-agent: claude-cli/2.1.330 (external, cli)" -H "x-app: cli" \
    -H "x-claude-code-session-id: 0b6f7c1e-4a52-4f0e-9d3b-2a8c6d1e7f90" -H "x-api-key: $CLIENT_KEY"
  [ "$FEATURES" = all ] && printf '%s\n' -H "x-sluice-cache-refresh: true"
  [ "$1" = sse ] && printf '%s\n' -H "x-bench-stream: 1"
  return 0
}

# ---------------------------------------------------------------- smoke check: every target answers as expected
for mode in json sse; do
  want=$([ "$mode" = sse ] && echo text/event-stream || echo application/json)
  for t in $TARGETS; do
    mapfile -t h < <(hdrs "$mode")
    got="$(curl -sS -o "$run/smoke.out" -w '%{http_code} %{content_type}' -X POST "${h[@]}" \
      -H 'content-type: application/json' --data-binary "@$run/1k-$mode.json" "$(url_of "$t")")"
    case "$got" in "200 $want"*) ;; *) die "smoke check $t/$mode: got '$got': $(head -c 300 "$run/smoke.out")";; esac
    if [ "$mode" = sse ]; then grep -q 'event: message_stop' "$run/smoke.out" || die "smoke check $t/sse: no message_stop"; fi
  done
done
log "all targets answer (json and sse); sluice pid $slu_pid, RSS $(( $(rss_kb "$slu_pid") / 1024 )) MB at idle"
rss_idle=$(rss_kb "$slu_pid")
if [ "${HOLD:-0}" != 0 ]; then # keep everything up for manual probing / profiling, then clean up
  log "holding for $HOLD s: direct $(url_of direct)  nginx $(url_of nginx)  sluice $(url_of sluice) (pid $slu_pid); key $CLIENT_KEY; bodies in $run"
  sleep "$HOLD" & wait $!; exit 0
fi

# ---------------------------------------------------------------- one hey run -> one result line
results="$OUT/results.tsv"
printf 'kind\tbody\tmode\trate\trepeat\ttarget\tload1\tconns\trequests\terrors\tachieved_rps\tp50_ms\tp90_ms\tp99_ms\tmax_ms\tstart_utc\tcpu_us_per_req\tother_cores\n' > "$results"
pid_of() { case "$1" in direct) echo "$up_pid";; nginx) echo "$ngx_pid";; sluice) echo "$slu_pid";; esac; }

hey_run() { # kind body mode rate repeat target duration conns qps(or 0)
  local kind=$1 body=$2 mode=$3 rate=$4 rep=$5 target=$6 dur=$7 conns=$8 qps=$9
  local csv="$run/raw/$kind-$body-$mode-$rate-$rep-$target.csv"
  local ld; wait_quiet; ld=$(load1)
  local start; start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  mapfile -t h < <(hdrs "$mode")
  local q=(); [ "$qps" != 0 ] && q=(-q "$qps")
  # CPU time of the process under test (for "direct": the upstream itself) per request: unlike latency,
  # this barely depends on what else runs on the box.
  local cpu0; cpu0=$(cpu_ticks "$(pid_of "$target")")
  local busy0 ours0 kids0; busy0=$(busy_ticks); ours0=$(ours_ticks); times > "$run/times"; kids0=$(children_ticks)
  if [ "$LOADGEN" = open ] && [ "$kind" = fixed ]; then
    conns=$OPEN_CONNS
    local oh=() i; for ((i = 1; i < ${#h[@]}; i += 2)); do oh+=("header=${h[i]}"); done
    "${pin_load[@]}" "$JAVA" -Xmx256m "$here/OpenLoad.java" "url=$(url_of "$target")" "body=$run/$body-$mode.json" \
      "rate=$rate" "seconds=$(secs "$dur")" warmup=0 "conns=$conns" "arrivals=$OPEN_ARRIVALS" "${oh[@]}" "csv=$csv" \
      > "$run/open.out" 2> "$run/hey.err" || die "OpenLoad failed: $(cat "$run/hey.err")"
  else
    "${pin_load[@]}" hey -z "$dur" -c "$conns" "${q[@]}" -m POST -T application/json -D "$run/$body-$mode.json" -t 10 \
      "${h[@]}" -o csv "$(url_of "$target")" > "$csv" 2> "$run/hey.err" || die "hey failed: $(cat "$run/hey.err")"
  fi
  # CPU used during the run by everything that is not the benchmark (other users of the box), in cores
  times > "$run/times"
  local p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || die "a benchmark process ($p) is gone during $kind $body/$mode $target (logs in $OUT)"; done
  local other; other=$(awk -v b="$(( $(busy_ticks) - busy0 - ($(ours_ticks) - ours0) - ($(children_ticks) - kids0) ))" \
    -v hz="$CLK_TCK" -v d="$(secs "$dur")" 'BEGIN { v = b / hz / d; printf "%.2f", v < 0 ? 0 : v }')
  # hey CSV: response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset (seconds)
  local stats
  stats=$(awk -F, -v f="$csv.ms" 'NR > 1 && $1 ~ /^[0-9.]+$/ { n++; if ($7 != 200) e++; print $1 * 1000 > f; if ($8 > last) last = $8 }
                   END { printf "%d %d %.6f\n", n, e + 0, last }' "$csv")
  local n e last; read -r n e last <<< "$stats"
  local pct
  pct=$(sort -g "$csv.ms" | awk -v n="$n" 'function at(p) { i = int(p * n + 0.999999); if (i < 1) i = 1; return v[i] }
        { v[NR] = $1 } END { if (n == 0) { print "nan nan nan nan"; exit } printf "%.3f %.3f %.3f %.3f\n", at(0.50), at(0.90), at(0.99), v[n] }')
  local cpu; cpu=$(awk -v t="$(( $(cpu_ticks "$(pid_of "$target")") - cpu0 ))" -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')
  local d; d=$(secs "$dur")
  local rps; rps=$(awk -v n="$n" -v d="$d" 'BEGIN { printf "%.0f", n / d }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$body" "$mode" "$rate" "$rep" "$target" "$ld" "$conns" "$n" "${e:-0}" "$rps" \
    "$(echo "$pct" | tr ' ' '\t')	$start	$cpu	$other" >> "$results"
  log "$kind $body/$mode rate=$rate rep=$rep $target: n=$n err=${e:-0} rps=$rps p50/p90/p99/max=$pct ms cpu/req=${cpu}us (load $ld, other $other cores)"
  [ "$KEEP_RAW" = 1 ] || rm -f "$csv"
  rm -f "$csv.ms"
}

# ---------------------------------------------------------------- warm-up (JIT), not measured
if [ "$WARMUP" != 0 ]; then
  log "warm-up: $WARMUP of unlimited load per body/mode through sluice and nginx"
  for body in $BODIES; do for mode in $MODES; do for t in sluice nginx; do
    mapfile -t h < <(hdrs "$mode")
    "${pin_load[@]}" hey -z "$WARMUP" -c 16 -m POST -T application/json -D "$run/$body-$mode.json" "${h[@]}" "$(url_of "$t")" > /dev/null 2>&1 || true
  done; done; done
fi
rss_warm=$(rss_kb "$slu_pid")

# ---------------------------------------------------------------- fixed-rate runs
for rep in $(seq "$REPEATS"); do
  for body in $BODIES; do for mode in $MODES; do for rate in $RATES; do
    conns=$(( (rate + WORKER_QPS - 1) / WORKER_QPS ))
    qps=$(( rate / conns ))
    for t in $TARGETS; do hey_run fixed "$body" "$mode" "$rate" "$rep" "$t" "$DURATION" "$conns" "$qps"; done
  done; done; done
done

# ---------------------------------------------------------------- saturation
if [ "$SAT_DURATION" != 0 ]; then
  for rep in $(seq "$REPEATS"); do
    for body in $SAT_BODIES; do for mode in $SAT_MODES; do
      for t in $TARGETS; do hey_run saturation "$body" "$mode" max "$rep" "$t" "$SAT_DURATION" "$SAT_CONNS" 0; done
    done; done
  done
fi

rss_after=$(rss_kb "$slu_pid")
rss_peak=$(hwm_kb "$slu_pid")
ngx_rss=$(tree_rss_kb "$ngx_pid")
ledger_rows="n/a"
if command -v sqlite3 >/dev/null; then
  sleep 1
  db="$(find "$run/data" -name '*.db' | head -n 1)"
  [ -n "$db" ] && ledger_rows="$(sqlite3 "$db" 'select count(*) from ledger' 2>/dev/null || echo n/a)"
fi

{
  printf 'date_utc\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'host\t%s, %s cores, %s\n' "$(uname -r)" "$(nproc)" "$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')"
  printf 'java\t%s\n' "$("$JAVA" -version 2>&1 | head -n 1)"
  printf 'java_opts\t%s\n' "$JAVA_OPTS"
  printf 'event_loops\t%s\n' "$EVENT_LOOPS"
  printf 'nginx_workers\t%s (upstream %s)\n' "$NGINX_WORKERS" "$UPSTREAM_WORKERS"
  printf 'upstream\t%s\n' "$UPSTREAM"
  printf 'loadgen\t%s\n' "$([ "$LOADGEN" = open ] && echo "OpenLoad $OPEN_ARRIVALS, $OPEN_CONNS connections" || echo hey)"
  printf 'duration\t%s\nrepeats\t%s\nworker_qps\t%s\nsat_conns\t%s\n' "$DURATION" "$REPEATS" "$WORKER_QPS" "$SAT_CONNS"
  printf 'sluice_rss_idle_mb\t%d\nsluice_rss_after_warmup_mb\t%d\nsluice_rss_after_load_mb\t%d\nsluice_rss_peak_mb\t%d\n' \
    $((rss_idle / 1024)) $((rss_warm / 1024)) $((rss_after / 1024)) $((rss_peak / 1024))
  printf 'nginx_proxy_rss_mb\t%d\n' $((ngx_rss / 1024))
  printf 'ledger_rows\t%s\n' "$ledger_rows"
  printf 'sluice_jar\t%s (repo HEAD %s)\n' "$JAR" "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$OUT/meta.tsv"

python3 "$here/report.py" "$OUT" | tee "$OUT/report.md"
log "results in $OUT"
