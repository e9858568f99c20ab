#!/usr/bin/env bash
# Side-by-side IIIF image-server benchmark: IIPImage against Wenyuan.
#
#   bench/iiif/run.sh [SIZE] [load generator flags...]
#   bench/iiif/run.sh 20000 -d 5s -c 1,4
#
# 1. Makes, once, a SIZE x SIZE test picture (default 20000) and its pyramidal
#    TIFF, cached in $WORK (default ${TMPDIR:-/tmp}/wenyuan-bench-iiif/SIZE).
# 2. Starts IIPImage (Debian's iipsrv.fcgi behind lighttpd, on 127.0.0.1 and
#    random free ports) serving pyr.tif, and stops it on exit.
# 3. Builds Wenyuan and times its ingest against `vips tiffsave` on src.jpg,
#    side by side: three runs of each, alternately (`wenyuan images add`
#    each into a fresh data directory with one object), and prints both
#    medians and their ratio; then serves the last on a random free port of
#    127.0.0.1 and stops it on exit.
# 4. Runs the load generator (bench/iiif/main.go) against both.
#
# WENYUAN_URL=http://127.0.0.1:PORT/iiif/3/IDENT measures a Wenyuan you
# started yourself instead (NO_WENYUAN=1: IIPImage only).
#
# Other environment variables:
#   WORK          cache directory (see above)
#   IIP_PROCS     iipsrv processes behind lighttpd (default: number of CPUs)
#   IIP_QUALITY   iipsrv JPEG_QUALITY (default: iipsrv's own, 75)
#   IIP_CACHE_MB  iipsrv MAX_IMAGE_CACHE_SIZE, its per-process cache of
#                 encoded tiles, in MB (default: iipsrv's own, 10)
set -euo pipefail

SIZE=20000
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
	SIZE=$1
	shift
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/wenyuan-bench-iiif/$SIZE}
IIPSRV=/usr/lib/iipimage-server/iipsrv.fcgi
IIP_PROCS=${IIP_PROCS:-$(nproc)}
mkdir -p "$WORK"
cd "$WORK"

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- test image
#
# A photo-like picture: the sum of Gaussian-noise octaves, each blown up
# with a bicubic kernel by 4x the previous one's factor (2, 8, ... 2048), with
# amplitudes growing with scale (roughly a natural image's 1/f spectrum),
# colour in the coarse octaves, plus a faint tiled zone plate. Every zoom level
# therefore has detail, and 256-px JPEG tiles at Q85 come out at 10-30 KB,
# like a photograph's (pure noise would give 60+ KB tiles). The sum is
# written straight to src.jpg (Q90), which clips it to 0..255.
make_source() {
	local S=$SIZE t=$WORK/gen names=() k sig bands w seed=10 mean=0 fmt=char
	rm -rf "$t"
	mkdir -p "$t"
	# factor:sigma:bands, coarsest first: it carries the mean grey.
	for spec in 2048:34:3 512:28:3 128:22:3 32:16:1 8:11:1 2:6:1; do
		IFS=: read -r k sig bands <<<"$spec"
		w=$(((S + k - 1) / k + 3))
		seed=$((seed + 1))
		if ((${#names[@]} == 0)); then mean=128 fmt=uchar; else mean=0 fmt=char; fi
		if [[ $bands == 3 ]]; then
			vips gaussnoise "$t/a.v" $w $w --sigma $sig --mean $mean --seed $seed
			vips gaussnoise "$t/b.v" $w $w --sigma $sig --mean $mean --seed $((seed + 100))
			vips gaussnoise "$t/c.v" $w $w --sigma $sig --mean $mean --seed $((seed + 200))
			vips bandjoin "$t/a.v $t/b.v $t/c.v" "$t/n.v"
		else
			vips gaussnoise "$t/n.v" $w $w --sigma $sig --mean $mean --seed $seed
		fi
		vips cast "$t/n.v" "$t/nc.v" $fmt
		# Start one input pixel in: bicubic is odd at the border.
		vips affine "$t/nc.v" "$t/o$k.v" "$k 0 0 $k" --interpolate bicubic --oarea "$k $k $S $S"
		rm -f "$t"/[abcn]*.v
		names+=("$t/o$k.v")
	done
	vips zone "$t/z.v" 1024 1024
	vips linear "$t/z.v" "$t/zl.v" 8 0
	vips cast "$t/zl.v" "$t/zc.v" char
	vips affine "$t/zc.v" "$t/zp.v" "1 0 0 1" --oarea "0 0 $S $S" --extend repeat
	names+=("$t/zp.v")
	vips sum "${names[*]}" "$WORK/src.tmp.jpg[Q=90]"
	mv "$WORK/src.tmp.jpg" "$WORK/src.jpg"
	rm -rf "$t"
}

if [[ ! -s src.jpg ]]; then
	log "making a ${SIZE}x${SIZE} test picture in $WORK (a few minutes for 20000)..."
	t0=$(date +%s)
	make_source
	log "  src.jpg: $(du -h src.jpg | cut -f1), $(($(date +%s) - t0)) s"
fi

# --------------------------------------------------------- pyramid + timing
tiffsave() {
	vips tiffsave src.jpg "$1" --tile --pyramid --compression jpeg -Q 85 \
		--tile-width 256 --tile-height 256 --bigtiff
}
if [[ ! -s pyr.tif ]]; then
	log "making pyr.tif: vips tiffsave src.jpg pyr.tif --tile --pyramid --compression jpeg -Q 85 --tile-width 256 --tile-height 256 --bigtiff..."
	tiffsave pyr.tmp.tif
	mv pyr.tmp.tif pyr.tif
fi
echo "source: $WORK/src.jpg ($(du -h src.jpg | cut -f1)); pyramid: $WORK/pyr.tif ($(du -h pyr.tif | cut -f1))"

# ---------------------------------------------------------------- IIPImage
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a random TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

backends=()
for ((i = 0; i < IIP_PROCS; i++)); do
	port=$(free_port)
	env FILESYSTEM_PREFIX="$WORK/" VERBOSITY=0 ${IIP_QUALITY:+JPEG_QUALITY=$IIP_QUALITY} \
		${IIP_CACHE_MB:+MAX_IMAGE_CACHE_SIZE=$IIP_CACHE_MB} \
		"$IIPSRV" --bind "127.0.0.1:$port" >"$WORK/iipsrv.$i.log" 2>&1 &
	pids+=($!)
	backends+=("(\"host\" => \"127.0.0.1\", \"port\" => $port, \"check-local\" => \"disable\")")
done
http_port=$(free_port)
{
	echo 'server.modules = ("mod_fastcgi")'
	echo "server.bind = \"127.0.0.1\""
	echo "server.port = $http_port"
	echo "server.document-root = \"$WORK/empty\""
	echo 'server.max-keep-alive-requests = 100000'
	echo 'server.max-keep-alive-idle = 60'
	echo "fastcgi.server = (\"/iiif\" => ($(
		IFS=,
		echo "${backends[*]}"
	)))"
} >lighttpd.conf
mkdir -p empty
lighttpd -D -f lighttpd.conf >"$WORK/lighttpd.log" 2>&1 &
pids+=($!)

IIP_URL="http://127.0.0.1:$http_port/iiif?IIIF=pyr.tif"
for i in $(seq 50); do
	if curl -fsS -o /dev/null "$IIP_URL/info.json" 2>/dev/null; then break; fi
	if ((i == 50)); then
		log "IIPImage did not answer at $IIP_URL/info.json"
		exit 1
	fi
	sleep 0.1
done
log "IIPImage: $IIP_URL ($IIP_PROCS iipsrv process(es) behind lighttpd)"

# ----------------------------------------------------------------- Wenyuan
if [[ -z ${WENYUAN_URL:-} && -z ${NO_WENYUAN:-} ]]; then
	go -C "$ROOT" build -o "$WORK/wenyuan" ./cmd/wenyuan
	cat >"$WORK/object.jsonl" <<'JSONL'
{"kind":"institution","record":{"id":"bench","names":[{"lang":"en","value":"Benchmark"}]}}
{"kind":"object","record":{"id":"bench-object","institution":"bench","accession_number":"B-1","titles":[{"lang":"en","value":"Benchmark picture"}],"visibility":"public"}}
JSONL
	fresh() {
		rm -rf "$WORK/wdata"
		"$WORK/wenyuan" migrate --data "$WORK/wdata" >/dev/null
		"$WORK/wenyuan" import --data "$WORK/wdata" "$WORK/object.jsonl" >/dev/null 2>&1
	}
	# Side by side: each run of vips tiffsave is followed by one of
	# wenyuan images add, so that both meet the same moment of this shared
	# machine; the ratio is of the medians.
	log "timing vips tiffsave and wenyuan images add on src.jpg, alternately (3 runs each; Wenyuan's each into a fresh data directory)..."
	vtimes=() wtimes=()
	for i in 1 2 3; do
		rm -f "$WORK/pyr.timed.tif"
		t0=$(date +%s.%N)
		tiffsave "$WORK/pyr.timed.tif"
		t1=$(date +%s.%N)
		vtimes+=("$(echo "$t1 - $t0" | bc)")
		rm -f "$WORK/pyr.timed.tif"
		fresh
		t0=$(date +%s.%N)
		"$WORK/wenyuan" images add --data "$WORK/wdata" --id bench bench-object "$WORK/src.jpg" >/dev/null
		t1=$(date +%s.%N)
		wtimes+=("$(echo "$t1 - $t0" | bc)")
		log "  run $i: vips tiffsave ${vtimes[-1]} s, wenyuan images add ${wtimes[-1]} s"
	done
	vmedian=$(printf '%s\n' "${vtimes[@]}" | sort -g | sed -n 2p)
	wmedian=$(printf '%s\n' "${wtimes[@]}" | sort -g | sed -n 2p)
	printf 'ingest %dx%d, medians of 3 alternate runs: wenyuan images add %.2f s, vips tiffsave %.2f s; ratio %.2f\n' \
		"$SIZE" "$SIZE" "$wmedian" "$vmedian" "$(echo "$wmedian / $vmedian" | bc -l)"
	wport=$(free_port)
	"$WORK/wenyuan" serve --data "$WORK/wdata" --addr "127.0.0.1:$wport" >"$WORK/wenyuan.log" 2>&1 &
	pids+=($!)
	WENYUAN_URL="http://127.0.0.1:$wport/iiif/3/bench"
	for i in $(seq 100); do
		if curl -fsS -o /dev/null "$WENYUAN_URL/info.json" 2>/dev/null; then break; fi
		if ((i == 100)); then
			log "Wenyuan did not answer at $WENYUAN_URL/info.json"
			exit 1
		fi
		sleep 0.1
	done
	log "Wenyuan: $WENYUAN_URL"
fi

# ------------------------------------------------------------ load generator
go -C "$ROOT" build -o "$WORK/iiifbench" ./bench/iiif
args=(-size "$SIZE" -iip "$IIP_URL")
if [[ -n ${WENYUAN_URL:-} ]]; then
	args+=(-wenyuan "$WENYUAN_URL")
fi
"$WORK/iiifbench" "${args[@]}" "$@"
