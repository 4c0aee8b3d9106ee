#!/usr/bin/env bash
# The team-day experiment (docs/bench/team-day.md): four developers' day of real Claude Code sessions on one
# repository, run through Sluice (response cache on) and direct against the deterministic agent upstream
# (sluice sim --script agent), once with shared dev-container paths and once with own home directories.
# Prints spend relative to direct, gateway hits, provider cache reads and wrong answers, and keeps the table
# and the logs under bench/team-day/results/<UTC time>/.
#
#   bench/team-day.sh                      # both layouts, ~10 minutes on a quiet 2-core machine
#   LAYOUTS=OWN_HOMES bench/team-day.sh    # one layout
#   STEPS=8 bench/team-day.sh              # only the first 8 steps of the day (a smoke run)
#   GAP=3 bench/team-day.sh                # the provider prompt cache on a day clock, steps 3 minutes apart
#   CACHE='{semantic: {mode: on}}' bench/team-day.sh   # the gateway's cache section (default {}: exact cache only)
#   CACHE='{defaults: {normalise-upstream: true}}' bench/team-day.sh   # and the provider's prompt cache shared too
#   CACHE='{defaults: {normalise-upstream: true, fork-breakpoint: true}}' bench/team-day.sh   # and breakpoints at forks
#   EXTRA=bench/team-day/everything-on.yaml bench/team-day.sh   # more top-level sections of the gateway's config
#
# Needs the Claude Code CLI (src/test/npm, or SLUICE_CLAUDE_BIN) and git. Exits 1 on any wrong answer.
set -euo pipefail
cd "$(dirname "$0")/.."

LAYOUTS=${LAYOUTS:-SHARED,OWN_HOMES}
STEPS=${STEPS:-1000}
GAP=${GAP:-0}         # minutes between steps on the day clock; 0 = real clock
LIMIT=${LIMIT:-2400}   # seconds for the whole experiment, build included
CACHE=${CACHE:-\{\}}     # the gateway's cache section, as YAML flow
EXTRA=${EXTRA:-}       # a YAML file of more top-level config sections (guard, budgets, ...)
[[ -z "$EXTRA" ]] || EXTRA=$(realpath "$EXTRA")

if [[ -z "${SLUICE_CLAUDE_BIN:-}" && ! -x src/test/npm/node_modules/.bin/claude ]]; then
  npm install --no-audit --no-fund --prefix src/test/npm
fi
command -v git >/dev/null || { echo "team-day: git is required" >&2; exit 2; }

rm -rf target/team-day
# -Dday.assert=false: the verdict is read below; a failing test would be rerun by the build (a second whole day).
timeout "$LIMIT" ./mvnw -q -o test -Dtest=TeamDayRun -Dsurefire.failIfNoSpecifiedTests=false \
  -Dday.layouts="$LAYOUTS" -Dday.steps="$STEPS" -Dday.gap-minutes="$GAP" -Dday.cache="$CACHE" -Dday.extra-file="$EXTRA" -Dday.assert=false

out="bench/team-day/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
cp target/team-day/* "$out/"
cat "$out/results.md"
echo
echo "logs: $out"
verdict=$(head -1 "$out/verdict.txt")
cat "$out/verdict.txt"
[[ "$verdict" == PASS ]]
