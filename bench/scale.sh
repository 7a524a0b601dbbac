#!/usr/bin/env bash
# MacronLeaks scale on one machine (issue 8): make a dump shaped like the
# 2017 one with bench/make-dump.py, then time side by side
#   - the floor: reading and hashing every byte (`sha256sum` over every file),
#   - `tamis ingest` into a new case (read, dedup, verify, documents, index,
#     store), with its stage breakdown (`--timings`) and peak memory,
#   - searches on the finished case through `tamis serve`'s API.
#
#   bench/scale.sh                  # the 1 GB preset, seed 1
#   PRESET=full bench/scale.sh      # 71,848 messages, 26,500 attachments, ~9 GB
#   PRESET=tiny RUNS=1 bench/scale.sh
#
# Needs about 3x the dump's size free on disk (the dump, then the case:
# every item's bytes, decoded attachments, database, index). Each figure is
# the median of RUNS (default 1: a full run is long) on a warm page cache.
set -euo pipefail
cd "$(dirname "$0")/.."

PRESET=${PRESET:-1g}
SEED=${SEED:-1}
RUNS=${RUNS:-1}
TAMIS=${TAMIS:-target/release/tamis}
PORT=${PORT:-18532}

bash fixtures/install-python.sh
PYTHON=target/python-venv/bin/python
DIR=$("$PYTHON" bench/make-dump.py --preset "$PRESET" --seed "$SEED")
DUMP=$DIR/dump
ZONE=$DIR/keys.zone
CASE=bench/out/scale-case-$PRESET-s$SEED
TIMINGS=bench/out/scale-timings-$PRESET-s$SEED.txt
[ -x "$TAMIS" ] || cargo build --release -p tamis >&2

warm() { find "$DUMP" -type f -exec cat {} + > /dev/null; }
source bench/lib/measure.sh

echo "== floor: sha256sum over every file" >&2
measure sha256sum sh -c "find '$DUMP' -type f -print0 | xargs -0 sha256sum"
F_WALL=$WALL
echo "== tamis ingest (new case), with --timings" >&2
measure ingest bash -c 'set_aside "$1" && exec "$2" ingest "$3" --keys "$4" --case "$1" --timings 2> "$5"' \
    _ "$CASE" "$TAMIS" "$DUMP" "$ZONE" "$TIMINGS"
I_WALL=$WALL I_RSS=$RSS
CASE_BYTES=$(du -sb "$CASE" | cut -f1)
DUMP_BYTES=$(du -sb "$DUMP" | cut -f1)
FILES=$(find "$DUMP" -type f | wc -l)

echo "== search through the API" >&2
"$TAMIS" serve --case "$CASE" --addr "127.0.0.1:$PORT" > /dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TRASH"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/runs" > /dev/null && break; sleep 0.1; done
SEARCH_MS=$(python3 bench/lib/search_latency.py "$PORT")

echo
echo "Preset $PRESET, seed $SEED: $(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(", ".join(f"{k} {v}" for k, v in s.items() if isinstance(v, int)))' "$DIR/summary.json" 2>/dev/null || true)"
echo "Dump $(numfmt --to=iec-i --suffix=B "$DUMP_BYTES") in $FILES files; case $(numfmt --to=iec-i --suffix=B "$CASE_BYTES")"
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo
echo "| step | wall time | peak RSS |"
echo "| --- | ---: | ---: |"
echo "| floor: sha256sum over every file | ${F_WALL} s | |"
echo "| tamis ingest, new case | ${I_WALL} s ($(python3 -c "print(f'{$I_WALL / $F_WALL:.1f}')")x the floor) | $((I_RSS / 1024)) MiB |"
echo
echo "Search through /api/search (HTTP, JSON, 80 queries): $SEARCH_MS"
echo
echo "Stage breakdown of the last ingest:"
grep -A40 'where the time went' "$TIMINGS" || true
