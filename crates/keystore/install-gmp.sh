#!/usr/bin/env bash
# tamis-keystore links the system's GMP (batch GCD over every RSA modulus in
# a key store). Installs the development library when it is missing.
set -euo pipefail
if [ -e /usr/include/gmp.h ] || [ -e /usr/include/x86_64-linux-gnu/gmp.h ] || [ -e /usr/include/aarch64-linux-gnu/gmp.h ]; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
    SUDO=
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get install -y -qq libgmp-dev >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq libgmp-dev; }
else
    echo "tamis-keystore needs GMP's development files (libgmp-dev / gmp-devel / brew install gmp)" >&2
    exit 1
fi
