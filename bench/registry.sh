#!/usr/bin/env bash
# Issue 5's speed target: matching against the victim's registry must not
# slow ingest noticeably (target: under 1.3x). Times `tamis ingest` of the
# signed benchmark dump (N messages, with their attachments) without and
# with `--registry`, the registry holding a synthetic 50,000 fingerprints
# (crates/registry/examples/bench_match.rs, one letterhead and footer so
# there is boilerplate to learn) plus every message and attachment of the
# dump itself, registered with `tamis registry add` (so every item matches).
#
#   bench/registry.sh                 # N=20000 messages, seed 1
#   N=2000 RUNS=1 bench/registry.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
SEED=${SEED:-1}
JOBS=${JOBS:-$(nproc)}
ENTRIES=${ENTRIES:-50000}
TAMIS=${TAMIS:-target/release/tamis}

python3 -c 'import dkim, nacl' 2>/dev/null || pip install -q -r fixtures/requirements.txt
DIR=$(python3 bench/make-signed-dump.py --n "$N" --seed "$SEED" --jobs "$JOBS")
DUMP=$DIR/dump
ZONE=$DIR/keys.zone
OUT=bench/out/registry-N$N-s$SEED
mkdir -p "$OUT"
[ -x "$TAMIS" ] || cargo build --release -p tamis >&2
warm() { find "$DUMP" -type f -exec cat {} + > /dev/null; }
source bench/lib/measure.sh

REGISTRY=$OUT/registry.sqlite
echo "== registry: $ENTRIES synthetic fingerprints" >&2
cargo run -q --release -p tamis-registry --example bench_match -- "$ENTRIES" 1000 "$REGISTRY" >&2
echo "== registry add: the dump's messages and attachments" >&2
warm
measure_once registry-add "$TAMIS" registry add --registry "$REGISTRY" --genuine "$DUMP"
A_WALL=$WALL A_RSS=$RSS
ENTRIES_TOTAL=$("$TAMIS" registry show --registry "$REGISTRY" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])')

CASE=$OUT/case
echo "== tamis ingest, no registry" >&2
measure ingest bash -c 'set_aside "$1" && exec "$2" ingest "$3" --keys "$4" --case "$1"' _ "$CASE" "$TAMIS" "$DUMP" "$ZONE"
I_WALL=$WALL I_RSS=$RSS
echo "== tamis ingest --registry" >&2
measure ingest-registry bash -c 'set_aside "$1" && exec "$2" ingest "$3" --keys "$4" --case "$1" --registry "$5"' _ "$CASE" "$TAMIS" "$DUMP" "$ZONE" "$REGISTRY"
R_WALL=$WALL R_RSS=$RSS
CODES=$(sqlite3 "$CASE/case.sqlite" "SELECT code || ' ' || count(*) FROM registry_matches GROUP BY code" 2>/dev/null | paste -sd, - || echo "?")

RATIO=$(python3 -c "print(f'{$R_WALL/$I_WALL:.2f}')")
cat <<TABLE

Ingest of $N signed messages (seed $SEED) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), median of ${RUNS:-3}:
registry of $ENTRIES_TOTAL fingerprints ($ENTRIES synthetic + the dump's own items, added in ${A_WALL} s)

| run | wall time | peak RSS |
| --- | ---: | ---: |
| tamis ingest | ${I_WALL} s | $((I_RSS / 1024)) MiB |
| tamis ingest --registry | ${R_WALL} s | $((R_RSS / 1024)) MiB |

With the registry: ${RATIO}x the time (target: under 1.3x). Findings: $CODES.
TABLE
