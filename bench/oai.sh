#!/usr/bin/env bash
# OAI-PMH at scale: a full harvest of ROWS synthetic public objects by the
# third-party harvester (npm oai-pmh, from web/testdata/harvester's lock
# file), timed, three times; then GetRecord of random objects at 50
# concurrent clients with wrk (server on core 0, wrk on core 1).
# Usage: bench/oai.sh [ROWS [SECONDS]]   (defaults 100000, 10); CONNS=50 wrk connections,
# HARVESTS=3 full harvests first (0 for none)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
rows=${1:-100000}
dur=${2:-10}
h=web/testdata/harvester
[ -x "$h/node_modules/.bin/oai-pmh" ] || (cd "$h" && npm ci --no-audit --no-fund --loglevel=error)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/wenyuan" ./cmd/wenyuan
"$work/wenyuan" migrate --data "$work/data" >/dev/null
"$work/wenyuan" institutions add --data "$work/data" synth --name-en Synthetic >/dev/null
go run ./bench/gen -n "$rows" -seed 1 >"$work/synth.jsonl"
"$work/wenyuan" import --data "$work/data" --institution synth --mapping sample/walters.mapping.yaml "$work/synth.jsonl" | tail -1
rm "$work/synth.jsonl"
port=$((20000 + RANDOM % 20000))
taskset -c 0 "$work/wenyuan" serve --data "$work/data" --addr "127.0.0.1:$port" >"$work/log" 2>&1 &
for _ in $(seq 600); do grep -q "serving" "$work/log" 2>/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$port/oai"
conns=${CONNS:-50}
for run in $(seq "${HARVESTS:-3}"); do
	start=$(date +%s.%N)
	n=$(taskset -c 1 "$h/node_modules/.bin/oai-pmh" list-records -p oai_dc "$base" | tee "$work/harvest" | wc -l)
	end=$(date +%s.%N)
	echo "harvest $run: $n records in $(echo "$end - $start" | bc) s"
done
[ -s "$work/harvest" ] || "$h/node_modules/.bin/oai-pmh" list-identifiers -p oai_dc "$base" >"$work/harvest"
grep -o '"identifier":"oai:wenyuan.local:[a-z0-9]*"' "$work/harvest" | cut -d: -f4 | tr -d '"' >"$work/ids"
echo "GetRecord over $(wc -l <"$work/ids") objects, $conns connections, ${dur}s"
for run in 1 2 3; do
	IDS="$work/ids" taskset -c 1 wrk -t1 -c"$conns" -d"${dur}s" --latency -s bench/wrk/oai.lua "http://127.0.0.1:$port" |
		awk -v run="$run" '/ 50%/{p50=$2} / 99%/{p99=$2} /Requests\/sec/{rps=$2} END{printf "GetRecord run %s: %s req/s  p50 %s  p99 %s\n", run, rps, p50, p99}'
done
