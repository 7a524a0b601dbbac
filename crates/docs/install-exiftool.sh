#!/usr/bin/env bash
# tamis-docs cross-checks the metadata it reads against exiftool's on the
# same files (crates/docs/tests/exiftool_crosscheck.rs), and the fixture and
# benchmark scripts write metadata with it. Installs Debian's
# libimage-exiftool-perl when `exiftool` is missing, with Archive::Zip
# (libarchive-zip-perl, only "recommended" by the package): without it
# exiftool reads nothing inside docx, xlsx, pptx, odt and ods. Does nothing
# when both are there. Idempotent; runs as root (CI) or through sudo.
set -euo pipefail
if command -v exiftool >/dev/null 2>&1 && perl -MArchive::Zip -e1 2>/dev/null; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "tamis-docs needs exiftool (Debian/Ubuntu: libimage-exiftool-perl; Fedora: perl-Image-ExifTool; macOS: brew install exiftool)" >&2
    exit 1
fi
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
# The package lists of a fresh machine may be empty or stale: update first.
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libimage-exiftool-perl libarchive-zip-perl >/dev/null
command -v exiftool >/dev/null 2>&1 || { echo "libimage-exiftool-perl installed but exiftool is not on the PATH" >&2; exit 1; }
