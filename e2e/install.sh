#!/usr/bin/env bash
# What the browser end-to-end test needs: Debian's Chromium and playwright-core
# (driver only: it never downloads a browser of its own). Run by .ci/run
# before the tests; safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/bin/chromium ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

# playwright-core has no install script that fetches browsers; npm ci keeps
# the exact versions of package-lock.json.
npm ci --no-audit --no-fund
