#!/usr/bin/env bash
# Time batch GCD (`tamis keys check`'s shared-factor search) on 10,000
# moduli of 1024 and 2048 bits, with planted shared factors that must all
# be found.
#
#   bench/keys-check.sh            # N=10000
#   N=2000 bench/keys-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Nothing to read from disk: the moduli are generated in memory.
warm() { :; }
source bench/lib/measure.sh

N=${N:-10000}
bash crates/keystore/install-gmp.sh
cargo build --release -p tamis-keystore --example batch_gcd >&2
BIN=target/release/examples/batch_gcd
for BITS in 1024 2048; do
    echo "== batch GCD, $N moduli of $BITS bits" >&2
    "$BIN" "$N" "$BITS"
    measure "batch-gcd-$BITS" "$BIN" "$N" "$BITS"
done
