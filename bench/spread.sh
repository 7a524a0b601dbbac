#!/usr/bin/env bash
# Time `tamis spread` on a generated collection of 5,000,000 Twitter API
# v1.1 tweets (issue 6: bounded memory, the report in under 2 minutes).
#
#   bench/spread.sh                    # N=5000000 tweets, seed 1, median of 3 runs
#   N=200000 RUNS=1 bench/spread.sh    # smaller
#   GZ=1 bench/spread.sh               # the same collection gzip-compressed
#   GENERATE_ONLY=1 bench/spread.sh    # make (or reuse) the collection, time nothing
#   REBUILD=1 bench/spread.sh          # make the collection again
#
# crates/spread/examples/make-campaign.rs writes the collection and its
# truth (tamis_spread::synthetic: organic accounts, a 50-account bot net on
# a 5-minute schedule, a 20-account retweet ring, a ×20 burst of
# #MacronLeaks, a seed tweet), one tweet per line, in time order: about
# 7 GiB for 5 million tweets (originals about 1 KB, retweets about 2.2 KB
# as they embed the original), cached in bench/out/spread-N<N>-s<SEED>/
# (git-ignored) and made again when the generator binary is newer than the
# cached truth. It then times, RUNS times each on a warm page cache (see
# bench/lib/measure.sh):
#   tamis spread FILE --hashtag macronleaks --format json > /dev/null
#   tamis spread FILE --hashtag macronleaks --report report.html
# and prints the medians, peak RSS and tweets read per second.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-5000000}
SEED=${SEED:-1}
TAMIS=${TAMIS:-target/release/tamis}
DIR=bench/out/spread-N$N-s$SEED
IN=$DIR/campaign.jsonl${GZ:+.gz}
TRUTH=$DIR/truth${GZ:+-gz}.json
GEN=target/release/examples/make-campaign

cargo build --release --quiet -p tamis-spread --features synthetic --example make-campaign
if [ -n "${REBUILD:-}" ] || [ ! -s "$IN" ] || [ ! -s "$TRUTH" ] || [ "$GEN" -nt "$TRUTH" ]; then
    echo "== generating $N tweets into $IN" >&2
    mkdir -p "$DIR"
    rm -f "$IN" "$TRUTH"
    "$GEN" --posts "$N" --seed "$SEED" --out "$IN" --truth "$TRUTH"
else
    echo "== reusing $IN" >&2
fi
IN_BYTES=$(stat -c %s "$IN")
KEPT=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tweets"]["hashtag"])' "$TRUTH")
[ -n "${GENERATE_ONLY:-}" ] && exit 0

if ! "$TAMIS" spread --help > /dev/null 2>&1; then
    cargo build --release --quiet -p tamis
    "$TAMIS" spread --help > /dev/null 2>&1 || { echo "$TAMIS has no spread subcommand" >&2; exit 1; }
fi

# A 7 GiB file fits in the page cache of the 23 GiB machine the figures
# come from; reading it through once before each run keeps every run off
# the disk.
warm() { cat "$IN" > /dev/null; }
source bench/lib/measure.sh

# The floor: reading every byte and finding the lines (decompressing too
# for GZ=1), nothing parsed.
if [ -n "${GZ:-}" ]; then FLOOR="gzip -dc"; else FLOOR="wc -l"; fi
echo "== floor: $FLOOR" >&2
# shellcheck disable=SC2086
measure floor $FLOOR "$IN"
F_WALL=$WALL
echo "== tamis spread --format json" >&2
measure spread-json "$TAMIS" spread "$IN" --hashtag macronleaks --format json
J_WALL=$WALL J_RSS=$RSS
echo "== tamis spread --report" >&2
REPORT=$DIR/report.html
measure spread-report "$TAMIS" spread "$IN" --hashtag macronleaks --report "$REPORT"
R_WALL=$WALL R_RSS=$RSS

rate() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }'; }
echo
echo "\`tamis spread\` on $N generated Twitter API v1.1 tweets, seed $SEED ($(numfmt --to=iec-i --suffix=B "$IN_BYTES")${GZ:+ gzip}; $KEPT carry #MacronLeaks or retweet a tweet that does), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), median of $RUNS runs:"
echo
echo "| step | wall time | tweets/s | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
echo "| floor: \`$FLOOR\` | ${F_WALL} s | $(rate "$F_WALL") | |"
echo "| \`--hashtag macronleaks --format json\` | ${J_WALL} s | $(rate "$J_WALL") | $((J_RSS / 1024)) MiB |"
echo "| \`--hashtag macronleaks --report\` | ${R_WALL} s | $(rate "$R_WALL") | $((R_RSS / 1024)) MiB |"
echo
echo "Report: $REPORT ($(numfmt --to=iec-i --suffix=B "$(stat -c %s "$REPORT")"))"
