#!/usr/bin/env bash
# Time RSA public key recovery from PKCS#1 v1.5 signatures (the GCD of
# s^e - m over a group, on the system GMP): 1024- and 2048-bit keys, 2 and
# 3 signatures, exponent 65537 and 3, and a failed group mixing two keys.
# Every recovered modulus is checked against the real key.
#
#   bench/keys-recover.sh          # median of 3 runs per row
#   RUNS=5 bench/keys-recover.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
bash crates/keystore/install-gmp.sh
cargo build --release -p tamis-keystore --example recover-bench >&2
BIN=target/release/examples/recover-bench
echo "== key recovery, median of $RUNS runs; $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -x /usr/bin/time ]; then
    # Peak RSS shows the size of the 65537th powers the GCD works on.
    /usr/bin/time -f '   whole run: %e s wall, peak RSS %M KiB' "$BIN" "$RUNS"
else
    "$BIN" "$RUNS"
fi
