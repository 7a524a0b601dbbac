#!/usr/bin/env bash
# Installs the independent implementation the coordination test compares
# against (coordination-network-toolkit 1.5.2 and its dependencies, pinned
# in requirements.txt) into target/peer-venv.
# Idempotent: a venv that already has the toolkit is left alone, so a
# machine without the registry still runs the test once it was installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
venv="${PEER_VENV:-$root/target/peer-venv}"
version=1.5.2
mkdir -p "$(dirname "$venv")"
# Tests run in parallel: one installs, the others wait and find it there.
exec 9>"$venv.lock"
flock 9
if [ -x "$venv/bin/compute_networks" ] \
    && "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('coordination-network-toolkit') != '$version')" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
