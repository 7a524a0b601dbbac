#!/usr/bin/env python3
"""Generate a large signed dump for bench/verify-vs-dkimpy.sh.

Why: the benchmark compares tamis with dkimpy on the same bytes and the same
keys, so the dump must be big enough to time (default 20,000 messages),
realistic (2-40 KB, some base64 attachments, several domains and
selectors, mostly rsa-2048, a few rsa-1024 and Ed25519, a little tampering,
mbox `>From ` escaping), and reproducible: it is seeded and cached under
bench/out/ (git-ignored), keyed by N and seed.

Layout of bench/out/dump-N<N>-s<SEED>/:
  dump/inbox.mbox        half the messages, mboxrd, LF
  dump/maildir/cur/...   the other half, one file each, LF
  keys.zone              the public keys, `dig` style
  manifest.tsv           per message: location, expected verdict
  .complete              written last; its presence means the cache is good

Signing uses dkimpy (pure-Python RSA, ~6 ms a signature), spread over the
machine's cores with multiprocessing.
"""

from __future__ import annotations

import argparse
import base64
import multiprocessing
import os
import random
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
sys.path.insert(0, os.path.join(HERE, "lib"))

import dkimref as R  # noqa: E402
from maildump import WORDS, mbox_entry, paragraph  # noqa: E402

# (domain, selector, kind, bits, canonicalization, weight)
SIGNERS = [
    ("campagne.example.fr", "hc2017", "rsa", 2048, "relaxed/relaxed", 40),
    ("agence-lumen.example.com", "lumen1", "rsa", 2048, "relaxed/simple", 20),
    ("mairie.example.org", "s1024", "rsa", 1024, "simple/simple", 8),
    ("presse.example.com", "ed1", "ed25519", 256, "relaxed/relaxed", 5),
    ("newsletter.example.com", "mta2", "rsa", 2048, "relaxed/relaxed", 15),
    ("partenaire.example.org", "sel1", "rsa", 2048, "relaxed/simple", 12),
]
H = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"]

_KEYS: dict = {}


def key_path(keydir, d, s, kind, bits):
    return f"{d}-{s}-{kind}{bits if kind == 'rsa' else ''}"


def init_worker(keydir):
    for d, s, kind, bits, _c, _w in SIGNERS:
        _KEYS[(d, s)] = R.load_or_create_key(keydir, key_path(keydir, d, s, kind, bits), kind, bits)


def make_one(args):
    """Build and sign message i. Returns (i, bytes, verdict)."""
    i, seed = args
    rng = random.Random(seed * 1_000_003 + i)
    d, s, kind, bits, canon, _w = rng.choices(SIGNERS, weights=[x[5] for x in SIGNERS])[0]
    t = 1483228800 + rng.randrange(0, 2 * 365 * 86400)  # 2017-2018
    target = int(rng.triangular(2000, 40000, 6000))  # bytes, skewed small
    attach = rng.random() < 0.25
    text_size = target // 4 if attach else target
    paras = []
    while sum(len(p) for p in paras) < text_size - 600:
        paras.append(paragraph(rng, rng.randint(20, 120)))
    if rng.random() < 0.01:
        paras.insert(1, "From the desk of the treasurer: figures attached.")  # mbox-escaped later
    body = "Bonjour,\n\n" + "\n\n".join(paras) + "\n\nCordialement,\nL'equipe\n"
    headers = [("From", f"Agent {i % 997} <agent{i % 997}@{d}>"), ("To", f"Destinataire <dest{i % 89}@example.org>"),
               ("Subject", " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()),
               ("Date", time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))),
               ("Message-ID", f"<bench.{seed}.{i}@{d}>"), ("MIME-Version", "1.0")]
    if attach:
        blob = rng.randbytes(max(1000, (target - len(body)) * 3 // 4))
        b64 = base64.encodebytes(blob).decode()
        headers.append(("Content-Type", 'multipart/mixed; boundary="b-%d"' % i))
        text = (f"--b-{i}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n"
                f"--b-{i}\nContent-Type: application/octet-stream; name=\"piece-{i}.bin\"\n"
                f"Content-Transfer-Encoding: base64\n\n{b64}\n--b-{i}--\n")
    else:
        headers += [("Content-Type", "text/plain; charset=utf-8"), ("Content-Transfer-Encoding", "8bit")]
        text = body
    msg = R.crlf("".join(f"{k}: {v}\n" for k, v in headers) + "\n" + text)
    out = R.sign(msg, _KEYS[(d, s)], d, s, headers=H, canon=canon, t=t) + msg
    verdict = "verified"
    r = rng.random()
    if r < 0.01:  # a changed figure in the body
        pos = out.index(b"\r\n\r\n") + 40
        out = out[:pos] + b"9" + out[pos + 1:]
        verdict = "body-altered"
    elif r < 0.015:
        out = out.replace(b"\r\nSubject: ", b"\r\nSubject: TR: ", 1)
        verdict = "headers-altered"
    return i, out, verdict


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()

    base = os.path.join(a.out, f"dump-N{a.n}-s{a.seed}")
    if os.path.exists(os.path.join(base, ".complete")):
        print(base)
        return
    shutil.rmtree(base, ignore_errors=True)
    keydir = os.path.join(a.out, "keys")  # shared by every dump size
    init_worker(keydir)
    os.makedirs(os.path.join(base, "dump", "maildir", "cur"))
    os.makedirs(os.path.join(base, "dump", "maildir", "new"))
    os.makedirs(os.path.join(base, "dump", "maildir", "tmp"))
    with open(os.path.join(base, "keys.zone"), "w") as f:
        for d, s, *_ in SIGNERS:
            f.write(R.zone_line(f"{s}._domainkey.{d}", _KEYS[(d, s)].txt_record()) + "\n")

    started = time.time()
    mbox_path = os.path.join(base, "dump", "inbox.mbox")
    with multiprocessing.Pool(a.jobs, initializer=init_worker, initargs=(keydir,)) as pool, \
            open(mbox_path, "wb") as mbox, open(os.path.join(base, "manifest.tsv"), "w") as manifest:
        manifest.write("LOCATION\tVERDICT\n")
        for n, (i, data, verdict) in enumerate(pool.imap(make_one, ((i, a.seed) for i in range(a.n)), chunksize=64)):
            lf = R.to_lf(data)
            if i % 2 == 0:
                loc = f"dump/inbox.mbox@{mbox.tell()}"
                mbox.write(mbox_entry("agent@example.org", 1514764800 + i % 60, lf))
            else:
                name = f"{1500000000 + i}.M{i}P1.bench:2,S"
                loc = f"dump/maildir/cur/{name}"
                with open(os.path.join(base, "dump", "maildir", "cur", name), "wb") as f:
                    f.write(lf)
            manifest.write(f"{loc}\t{verdict}\n")
            if (n + 1) % 2000 == 0:
                el = time.time() - started
                print(f"  signed {n + 1}/{a.n} ({(n + 1) / el:.0f}/s)", file=sys.stderr)
    open(os.path.join(base, ".complete"), "w").close()
    print(base)


if __name__ == "__main__":
    main()
