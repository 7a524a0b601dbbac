#!/usr/bin/env python3
"""The dkimpy half of bench/verify-vs-dkimpy.sh: verify every message of a
dump with dkimpy, in one process, keys from a zone file (no network).

Why: it is the baseline tamis is measured against, doing the same work as
`tamis verify DUMP --keys ZONE`: find the messages (mbox split on `From `
lines, maildir cur/ and new/), undo mbox `>From ` escaping, verify every
DKIM-Signature, and tally. dkimpy converts LF to CRLF itself.

Usage: verify-dkimpy.py DUMP_DIR ZONE [MANIFEST]
With MANIFEST (from make-signed-dump.py), checks the pass/fail tally
against the expected verdicts and exits non-zero on disagreement.
"""

from __future__ import annotations

import collections
import os
import sys

import dkim

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import dkimref as R  # noqa: E402

def mbox_messages(path: str, rel: str):
    """Stream an mbox: a message starts at a `From ` line that opens the
    file or follows a blank line; the blank line before it is dropped."""
    with open(path, "rb") as f:
        offset, start, buf, prev_blank = 0, None, [], True
        for line in f:
            if prev_blank and line.startswith(b"From "):
                if start is not None:
                    yield f"{rel}@{start}", R.mbox_unescape(b"".join(buf[:-1] if buf and buf[-1] == b"\n" else buf))
                start, buf = offset, []
            elif start is not None:
                buf.append(line)
            prev_blank = line in (b"\n", b"\r\n")
            offset += len(line)
        if start is not None:
            yield f"{rel}@{start}", R.mbox_unescape(b"".join(buf[:-1] if buf and buf[-1] == b"\n" else buf))


def messages(root: str):
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, os.path.dirname(root))
            if name.endswith(".mbox"):
                yield from mbox_messages(path, rel)
            elif os.path.basename(dirpath) in ("cur", "new"):
                with open(path, "rb") as f:
                    yield rel, f.read()


def main() -> None:
    root, zone_path = sys.argv[1], sys.argv[2]
    zone = R.read_key_files(zone_path)
    dns = R.dnsfunc_for(zone)
    tally = collections.Counter()
    results = {}
    for loc, data in messages(root):
        d = dkim.DKIM(data)
        n = len([1 for k, _ in d.headers if k.lower() == b"dkim-signature"])
        ok = False
        for idx in range(n):
            try:
                ok = d.verify(idx, dnsfunc=dns)
            except dkim.DKIMException:
                ok = False
            if ok:
                break
        results[loc] = ok
        tally["pass" if ok else ("fail" if n else "unsigned")] += 1
    print(f"dkimpy: {sum(tally.values())} messages: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())),
          file=sys.stderr)
    if len(sys.argv) > 3:
        bad = 0
        with open(sys.argv[3]) as f:
            next(f)
            for line in f:
                loc, verdict = line.rstrip("\n").split("\t")
                if results.get(loc) != (verdict == "verified"):
                    bad += 1
        if bad:
            print(f"dkimpy disagrees with the manifest on {bad} messages", file=sys.stderr)
            sys.exit(1)
        print("dkimpy agrees with the manifest on every message", file=sys.stderr)


if __name__ == "__main__":
    main()
