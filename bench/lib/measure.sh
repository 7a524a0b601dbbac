# Shared by the bench scripts: `source bench/lib/measure.sh`, define
# `warm` (read the dump so no tool pays for the first read), set RUNS.
#
# measure_once NAME CMD... : runs CMD (stdout to /dev/null), sets WALL
#   (seconds) and RSS (peak resident KiB).
# measure NAME CMD... : RUNS runs, each on a page cache warmed just before
#   it (on a shared VM the cache was seen to lose a tenth of a dump within
#   15 s); WALL is the median wall time, RSS the largest peak.
# set_aside DIR : moves DIR (an earlier run's case) under bench/out/trash/,
#   emptied when the script exits. Deleting a case's tens of thousands of
#   blob files right before a timed ingest doubled the ingest's system time
#   (8 s to 16 s on 20,000 messages): ext4 scans recently freed inodes when
#   it allocates new ones. A rename costs nothing, and the deletion happens
#   after the timing.
# Wall time and peak RSS come from GNU time (installed with apt when missing
# and running as root), else from Python's resource module.

RUNS=${RUNS:-3}

if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; } || true
fi

measure_once() {
    local name=$1; shift
    local log
    log=$(mktemp)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$log" "$@" > /dev/null
        WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
        RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    else
        python3 - "$log" "$@" <<'PY'
import resource, subprocess, sys, time
log, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
wall = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(log, "w").write(f"{wall:.2f} {rss}\n")
PY
        read -r WALL RSS < "$log"
    fi
    rm -f "$log"
    echo "   $name: ${WALL}s, peak RSS ${RSS} KiB" >&2
}

measure() {
    local walls=() rss=0
    for _ in $(seq "$RUNS"); do
        warm
        measure_once "$@" || return 1
        walls+=("$WALL")
        if [ "$RSS" -gt "$rss" ]; then rss=$RSS; fi
    done
    WALL=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    RSS=$rss
    echo "   $1: median ${WALL}s of $RUNS runs" >&2
}

TRASH=bench/out/trash
set_aside() {
    if [ -e "$1" ]; then
        mkdir -p "$TRASH"
        mv "$1" "$TRASH/$(basename "$1").$(date +%s%N)"
    fi
}
export -f set_aside
export TRASH
trap 'rm -rf "$TRASH"' EXIT
