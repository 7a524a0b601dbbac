#!/usr/bin/env bash
# Runs coordination-network-toolkit's co-retweet network on a shares table.
#   run.sh SHARES.csv OUTDIR TIME_WINDOW MIN_EDGE_WEIGHT
# Writes OUTDIR/edges.tsv (user_1, user_2, weight: the toolkit's directed
# edges, self-loops left out as its export does) and OUTDIR/components.tsv
# (one weakly connected component per line, user ids tab-separated).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
venv="${PEER_VENV:-$root/target/peer-venv}"
shares="$1" out="$2" window="$3" min_weight="$4"
mkdir -p "$out"
rm -f "$out/toolkit.db" "$out/toolkit.db-wal" "$out/toolkit.db-shm"
"$venv/bin/python" "$here/shares_to_toolkit.py" "$shares" "$out/messages.csv"
"$venv/bin/compute_networks" "$out/toolkit.db" preprocess --format csv "$out/messages.csv" >"$out/log.txt"
# One process: the toolkit's pool otherwise takes every core.
"$venv/bin/compute_networks" "$out/toolkit.db" compute co_retweet \
    --time_window "$window" --min_edge_weight "$min_weight" --n_cpus 1 >>"$out/log.txt" 2>&1
# Its CSV export fails in 1.5.2 (an unexpected n_messages argument), so
# the graph goes through its GraphML export.
"$venv/bin/compute_networks" "$out/toolkit.db" export_network "$out/network.graphml" co_retweet >>"$out/log.txt" 2>&1
"$venv/bin/python" "$here/export_graph.py" "$out/network.graphml" "$out/edges.tsv" "$out/components.tsv"
