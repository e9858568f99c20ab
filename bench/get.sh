#!/usr/bin/env bash
# Single-object GET over HTTP at 50 concurrent clients, measured with wrk.
# The server and wrk each get one of this machine's two cores (taskset), so
# that neither measures the other's scheduling.
# Usage: bench/get.sh [SECONDS [ROWS]] — ROWS synthetic objects (bench/gen)
# are imported beside the sample first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
dur=${1:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
rows=${2:-0}
go build -o "$work/wenyuan" ./cmd/wenyuan
if [ "$rows" -gt 0 ]; then
	"$work/wenyuan" migrate --data "$work/data" >/dev/null
	"$work/wenyuan" institutions add --data "$work/data" synth --name-en Synthetic >/dev/null
	go run ./bench/gen -n "$rows" -seed 1 >"$work/synth.jsonl"
	"$work/wenyuan" import --data "$work/data" --institution synth --mapping sample/walters.mapping.yaml "$work/synth.jsonl" | tail -1
	rm "$work/synth.jsonl"
fi
port=$((20000 + RANDOM % 20000))
GOGC=${GOGC:-100} taskset -c 0 "$work/wenyuan" demo --data "$work/data" --addr "127.0.0.1:$port" >"$work/log" 2>&1 &
for _ in $(seq 100); do grep -q "serving" "$work/log" 2>/dev/null && break; sleep 0.2; done
cursor=""
for _ in $(seq 1000); do
	page=$(curl -s "http://127.0.0.1:$port/api/v1/objects?limit=1000${cursor:+&cursor=$cursor}")
	grep -o '"id":"[a-z0-9]*","institution"' <<<"$page" | cut -d'"' -f4 >>"$work/ids"
	cursor=$(grep -o '"next":"[a-z0-9]*"' <<<"$page" | cut -d'"' -f4 || true)
	[ -n "$cursor" ] || break
done
if [ -n "${IDS_LIMIT:-}" ]; then head -n "$IDS_LIMIT" "$work/ids" >"$work/ids2" && mv "$work/ids2" "$work/ids"; fi
echo "objects: $(wc -l <"$work/ids"), 50 connections, ${dur}s, server on core 0, wrk on core 1"
for run in 1 2 3; do
	IDS="$work/ids" taskset -c 1 wrk -t1 -c50 -d"${dur}s" --latency -s bench/wrk/objects.lua "http://127.0.0.1:$port" |
		awk -v run="$run" '/ 50%/{p50=$2} / 99%/{p99=$2} /Requests\/sec/{rps=$2} END{printf "run %s: %s req/s  p50 %s  p99 %s\n", run, rps, p50, p99}'
done
