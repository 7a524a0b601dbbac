#!/usr/bin/env bash
# Time `tamis verify` against dkimpy on the same signed dump, same keys,
# same machine, same run; print a Markdown table for the README.
#
#   bench/verify-vs-dkimpy.sh            # N=20000 messages, seed 1
#   N=2000 SEED=3 bench/verify-vs-dkimpy.sh
#   SKIP_TAMIS=1 bench/verify-vs-dkimpy.sh   # dkimpy half only
#   RUNS=5 bench/verify-vs-dkimpy.sh         # median of 5 runs of each (default 3)
#
# The dump (half mbox, half maildir, 2-40 KB messages, some base64
# attachments, six domains/selectors, mostly rsa-2048) is made by
# bench/make-signed-dump.py, seeded, and cached under bench/out/
# (git-ignored). Both tools read it from a warm page cache.
#
# tamis:  target/release/tamis verify DUMP --keys ZONE --format jsonl > /dev/null
# dkimpy: bench/verify-dkimpy.py DUMP ZONE (one process, dnsfunc over the
#         zone file, no network)
# Wall time and peak RSS come from /usr/bin/time -v (GNU time); if it is
# missing it is installed with apt when running as root, else Python's
# resource module measures instead. Each tool runs RUNS times, each run on a
# page cache warmed just before it (on a shared VM the cache was seen to lose
# a tenth of the dump within 15 s, so warming once before the 16-s dkimpy run
# left tamis reading from disk); the median wall time and the largest peak
# RSS are reported.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
SEED=${SEED:-1}
JOBS=${JOBS:-$(nproc)}
TAMIS=${TAMIS:-target/release/tamis}

python3 -c 'import dkim, nacl' 2>/dev/null || pip install -q -r fixtures/requirements.txt

echo "== dump: $N messages, seed $SEED" >&2
DIR=$(python3 bench/make-signed-dump.py --n "$N" --seed "$SEED" --jobs "$JOBS")
DUMP=$DIR/dump
ZONE=$DIR/keys.zone
DUMP_BYTES=$(du -sb "$DUMP" | cut -f1)

# Read the whole dump so that no tool pays for the first read.
warm() {
    cat "$DUMP"/inbox.mbox > /dev/null
    find "$DUMP/maildir" -type f -exec cat {} + > /dev/null
}
source bench/lib/measure.sh

echo "== dkimpy" >&2
measure dkimpy python3 bench/verify-dkimpy.py "$DUMP" "$ZONE" "$DIR/manifest.tsv"
PY_WALL=$WALL PY_RSS=$RSS

T_WALL="" T_RSS=""
if [ -z "${SKIP_TAMIS:-}" ]; then
    echo "== tamis" >&2
    if [ ! -x "$TAMIS" ] || [ -n "${REBUILD:-}" ]; then
        cargo build --release -p tamis >&2 || echo "   cargo build failed: tamis half skipped" >&2
    fi
    if [ -x "$TAMIS" ]; then
        if measure tamis "$TAMIS" verify "$DUMP" --keys "$ZONE" --format jsonl; then
            T_WALL=$WALL T_RSS=$RSS
        else
            echo "   tamis verify failed: tamis half skipped" >&2
        fi
    fi
fi

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
DKIMPY_VERSION=$(python3 -c 'import importlib.metadata as m; print(m.version("dkimpy"))')
rate() { awk -v n="$N" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

echo
echo "Verifying $N signed messages ($(awk -v b="$DUMP_BYTES" 'BEGIN{printf "%.0f", b/1048576}') MiB: half mbox, half maildir) on $(nproc) cores ($CPU), seed $SEED, median of $RUNS runs each:"
echo
echo "| tool | wall time | messages/s | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
if [ -n "$T_WALL" ]; then
    echo "| tamis $($TAMIS --version 2>/dev/null | awk '{print $NF}') | ${T_WALL} s | $(rate "$T_WALL") | $(mib "$T_RSS") MiB |"
fi
echo "| dkimpy $DKIMPY_VERSION (Python $(python3 -c 'import platform; print(platform.python_version())'), one process) | ${PY_WALL} s | $(rate "$PY_WALL") | $(mib "$PY_RSS") MiB |"
if [ -n "$T_WALL" ]; then
    echo
    echo "tamis is $(awk -v a="$PY_WALL" -v b="$T_WALL" 'BEGIN { printf "%.1f", a / b }')× faster than dkimpy on this dump."
fi
