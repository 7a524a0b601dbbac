#!/usr/bin/env bash
# Time `tamis inspect` against exiftool reading the metadata of the same
# corpus of documents, same machine, same run; print a Markdown table for
# the README.
#
#   bench/docs-vs-exiftool.sh              # N=2000 documents, seed 1
#   N=5000 SEED=2 bench/docs-vs-exiftool.sh
#   RUNS=5 bench/docs-vs-exiftool.sh       # median of 5 runs of each (default 3)
#   WAIT=0 bench/docs-vs-exiftool.sh       # do not wait for `tamis inspect`
#
# The corpus: every fixture under fixtures/docs (PDF, OOXML, ODF, OLE2,
# JPEG, TIFF, PNG, including the broken ones, as a leak has them, but not
# the encrypted ones: exiftool takes about 5 s on each AES-256 PDF), copied
# round-robin into N variants with other metadata: dates and names
# rewritten inside the zip-based formats (docProps/*.xml, meta.xml,
# re-zipped), dates rewritten in place (same length) in EXIF and PDF Info,
# and every copy made unique (a zip comment, bytes after the end of the
# file) so that no tool can skip a duplicate. Seeded, cached under
# bench/out/ (git-ignored) by the fixtures' digest, N and SEED.
#
# tamis:    target/release/tamis inspect DIR --format jsonl > /dev/null
#           (all cores; and again with RAYON_NUM_THREADS=1, one core)
# exiftool: exiftool -json -r DIR > /dev/null (one process, one core)
# Both read from a page cache warmed before each run; wall time and peak
# RSS come from bench/lib/measure.sh (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-2000}
SEED=${SEED:-1}
TAMIS=${TAMIS:-target/release/tamis}
# `tamis inspect` is written alongside this script: wait this long (seconds)
# for a build that has it.
WAIT=${WAIT:-600}

bash crates/docs/install-exiftool.sh

FIXTURES=fixtures/docs
DIGEST=$( (find "$FIXTURES" -type f ! -name '*.py' ! -name '*.sh' ! -name '*.txt' -print0 | sort -z | xargs -0 sha256sum; sed -n '/^# corpus-maker/,$p' "$0") | sha256sum | cut -c1-12)
CORPUS=bench/out/docs-corpus-$N-$SEED-$DIGEST
if [ ! -f "$CORPUS/.done" ]; then
    echo "== corpus: $N documents from $FIXTURES, seed $SEED -> $CORPUS" >&2
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    python3 - "$FIXTURES" "$CORPUS" "$N" "$SEED" <<'PY'
# corpus-maker: everything from here to the end of the script is part of
# the cache key, so a change here rebuilds the corpus.
import io, os, random, re, sys, zipfile

fixtures, out, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
skip = (".py", ".sh", ".txt", ".md", ".json", ".tsv")
# Encrypted fixtures are left out: exiftool spends about 5 s on each AES-256
# PDF deriving its key in Perl, which would make the comparison about that.
sources = sorted(
    os.path.join(d, f) for d, _, fs in os.walk(fixtures) for f in fs
    if not f.endswith(skip) and "encrypted" not in f
)
if not sources:
    sys.exit(f"no fixtures under {fixtures}")
names = ["Alain Martin", "Marie Lefèvre", "Рошка Георгий Петрович", "Nadia Haddad", "Jean Dupont",
         "Sophie Bernard", "Paul Girard", "王小明", "Claire Dubois", "Julien Moreau"]

def rand_date():
    return (rng.randint(1998, 2017), rng.randint(1, 12), rng.randint(1, 28),
            rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))

def iso(m):
    y, mo, d, h, mi, s = rand_date()
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}".encode()

def exif(m):
    y, mo, d, h, mi, s = rand_date()
    return f"{y:04d}:{mo:02d}:{d:02d} {h:02d}:{mi:02d}:{s:02d}".encode()

def pdf(m):
    y, mo, d, h, mi, s = rand_date()
    return f"D:{y:04d}{mo:02d}{d:02d}{h:02d}{mi:02d}{s:02d}".encode()

ISO = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
EXIF = re.compile(rb"(?<=[^0-9])\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}")
PDF = re.compile(rb"D:\d{14}")
PEOPLE = re.compile(rb"(<(?:dc:creator|cp:lastModifiedBy|meta:initial-creator)>)[^<]*(</)")

def zip_variant(data, i):
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename in ("docProps/core.xml", "docProps/app.xml", "meta.xml"):
                body = ISO.sub(iso, body)
                body = PEOPLE.sub(lambda m: m.group(1) + rng.choice(names).encode() + m.group(2), body)
            dst.writestr(info, body, compress_type=info.compress_type)
        dst.comment = f"tamis bench variant {i}".encode()
    return buf.getvalue()

made = 0
for i in range(n):
    src = sources[i % len(sources)]
    data = open(src, "rb").read()
    stem, ext = os.path.splitext(os.path.basename(src))
    try:
        if data.startswith(b"PK\x03\x04"):
            data = zip_variant(data, i)
        else:
            if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
                data = PDF.sub(pdf, data)
            elif data[:2] in (b"\xff\xd8", b"II", b"MM"):
                data = EXIF.sub(exif, data)
            # Bytes after the end: ignored by readers, unique per copy.
            data += f"\ntamis bench variant {i}\n".encode()
    except Exception:
        # A broken fixture (truncated zip…) is copied as it is, made unique.
        data += f"\ntamis bench variant {i}\n".encode()
    sub = os.path.join(out, ext.lstrip(".") or "other")
    os.makedirs(sub, exist_ok=True)
    open(os.path.join(sub, f"{stem}-{i:05d}{ext}"), "wb").write(data)
    made += 1
print(f"{made} documents from {len(sources)} fixtures", file=sys.stderr)
PY
    touch "$CORPUS/.done"
fi
DOCS=$(find "$CORPUS" -type f ! -name .done | wc -l)
BYTES=$(du -sb "$CORPUS" | cut -f1)

warm() {
    find "$CORPUS" -type f -exec cat {} + > /dev/null
}
source bench/lib/measure.sh

# tamis with `inspect`: build, and wait for it while the CLI is being written.
has_inspect() { [ -x "$TAMIS" ] && "$TAMIS" inspect --help > /dev/null 2>&1; }
deadline=$(( $(date +%s) + WAIT ))
until has_inspect; do
    echo "== building tamis (release)" >&2
    cargo build --release -p tamis >&2 || true
    has_inspect && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "bench: '$TAMIS inspect' does not exist (after ${WAIT}s of waiting): the tamis CLI needs its inspect subcommand (tamis inspect FILE_OR_DIR... --format jsonl) before this benchmark can run" >&2
        exit 1
    fi
    echo "   '$TAMIS inspect' is not there yet; trying again in 60 s (until $(date -d @$deadline +%T))" >&2
    sleep 60
done

echo "== tamis inspect, all cores" >&2
measure tamis "$TAMIS" inspect "$CORPUS" --format jsonl
T_WALL=$WALL T_RSS=$RSS
echo "== tamis inspect, one thread" >&2
measure tamis-1 env RAYON_NUM_THREADS=1 "$TAMIS" inspect "$CORPUS" --format jsonl
T1_WALL=$WALL T1_RSS=$RSS
echo "== exiftool" >&2
measure exiftool exiftool -json -r "$CORPUS"
E_WALL=$WALL E_RSS=$RSS

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
rate() { awk -v n="$DOCS" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

echo
echo "Reading the metadata of $DOCS documents ($(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1048576}') MiB: PDF, OOXML, ODF, OLE2, JPEG, TIFF, PNG variants of fixtures/docs) on $(nproc) cores ($CPU), seed $SEED, median of $RUNS runs each:"
echo
echo "| tool | wall time | documents/s | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
echo "| tamis inspect --format jsonl ($(nproc) threads) | ${T_WALL} s | $(rate "$T_WALL") | $(mib "$T_RSS") MiB |"
echo "| tamis inspect --format jsonl (1 thread) | ${T1_WALL} s | $(rate "$T1_WALL") | $(mib "$T1_RSS") MiB |"
echo "| exiftool $(exiftool -ver) -json -r (one process) | ${E_WALL} s | $(rate "$E_WALL") | $(mib "$E_RSS") MiB |"
echo
echo "tamis is $(ratio "$E_WALL" "$T_WALL")× faster than exiftool on this corpus ($(ratio "$E_WALL" "$T1_WALL")× on one thread)."
