#!/usr/bin/env bash
# Time `tamis ingest` (read, dedup, verify, read content, store, index) on
# the signed benchmark dump, beside the floor of reading and hashing the same
# bytes (`sha256sum` over every file) and `tamis verify` on the same dump;
# then time searches on the finished case through `tamis serve`'s API.
#
#   bench/ingest.sh                 # N=20000 messages, seed 1 (same dump as verify-vs-dkimpy.sh)
#   N=2000 RUNS=1 bench/ingest.sh
#
# The case is rebuilt from scratch for each timed run, under bench/out/;
# each figure is the median of RUNS (default 3) runs on a warm page cache.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
SEED=${SEED:-1}
JOBS=${JOBS:-$(nproc)}
TAMIS=${TAMIS:-target/release/tamis}
PORT=${PORT:-18531}

python3 -c 'import dkim, nacl' 2>/dev/null || pip install -q -r fixtures/requirements.txt
DIR=$(python3 bench/make-signed-dump.py --n "$N" --seed "$SEED" --jobs "$JOBS")
DUMP=$DIR/dump
ZONE=$DIR/keys.zone
CASE=bench/out/ingest-case-N$N-s$SEED
[ -x "$TAMIS" ] || cargo build --release -p tamis >&2

warm() { find "$DUMP" -type f -exec cat {} + > /dev/null; }
source bench/lib/measure.sh

echo "== floor: sha256sum over every file" >&2
measure sha256sum sh -c "find '$DUMP' -type f -print0 | xargs -0 sha256sum"
F_WALL=$WALL
echo "== tamis verify" >&2
measure verify "$TAMIS" verify "$DUMP" --keys "$ZONE" --format jsonl
V_WALL=$WALL V_RSS=$RSS
echo "== tamis ingest (new case)" >&2
# A new case each run (the old one set aside, see bench/lib/measure.sh).
measure ingest bash -c 'set_aside "$1" && exec "$2" ingest "$3" --keys "$4" --case "$1"' _ "$CASE" "$TAMIS" "$DUMP" "$ZONE"
I_WALL=$WALL I_RSS=$RSS
echo "== tamis ingest again (everything already there)" >&2
measure re-ingest "$TAMIS" ingest "$DUMP" --keys "$ZONE" --case "$CASE"
R_WALL=$WALL
CASE_BYTES=$(du -sb "$CASE" | cut -f1)

echo "== search through the API" >&2
"$TAMIS" serve --case "$CASE" --addr "127.0.0.1:$PORT" > /dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TRASH"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/runs" > /dev/null && break; sleep 0.1; done
SEARCH_MS=$(python3 bench/lib/search_latency.py "$PORT")

MSGS=$(find "$DUMP" -type f | wc -l)
echo
echo "Ingest of $N signed messages ($(numfmt --to=iec-i --suffix=B "$(du -sb "$DUMP" | cut -f1)")) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)):"
echo
echo "| step | wall time | peak RSS |"
echo "| --- | ---: | ---: |"
echo "| floor: sha256sum over every file ($MSGS files) | ${F_WALL} s | |"
echo "| tamis verify | ${V_WALL} s | $((V_RSS / 1024)) MiB |"
echo "| tamis ingest, new case | ${I_WALL} s | $((I_RSS / 1024)) MiB |"
echo "| tamis ingest, same dump again | ${R_WALL} s | |"
echo
echo "Case size $(numfmt --to=iec-i --suffix=B "$CASE_BYTES"); search through /api/search (HTTP, JSON, 80 queries): $SEARCH_MS"
