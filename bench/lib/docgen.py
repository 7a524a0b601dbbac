"""Real, parseable documents of a chosen size for the benchmark dumps.

Why by hand: a generator of tens of thousands of attachments cannot afford
python-docx or reportlab per file, and the point is documents whose every
part a reader (tamis-docs, exiftool, Word) finds where the format says: a
PDF with a text layer, an Info dictionary and a correct xref; OOXML packages
with [Content_Types].xml first, core and app properties; JPEGs with EXIF.
Size comes from real content (text, rows, embedded JPEG images), never from
junk bytes, so a document of 5 MB is what a 5 MB document is made of.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from dataclasses import dataclass

# --------------------------------------------------------------------------
# JPEG pool

# Encoding one big JPEG takes tenths of a second; a dump needs thousands. A
# pool is encoded once and each copy made distinct by its own EXIF and COM
# segments (what a camera and an editing tool write anyway).
POOL_DIMS = [
    (320, 240), (480, 360), (640, 480), (800, 600), (1024, 768), (1280, 960),
    (1600, 1200), (2048, 1536), (2592, 1944), (3264, 2448), (4000, 3000), (4608, 3456),
]


def make_jpeg_pool(seed: int, variants: int = 3) -> list[bytes]:
    """A few dozen photos-like JPEGs (smooth colour fields, fine grain),
    sorted by size: pick the one nearest a wanted size."""
    from PIL import Image

    rng = random.Random(f"jpeg-pool/{seed}")
    pool = []
    for w, h in POOL_DIMS:
        for v in range(variants):
            small = Image.frombytes("RGB", (max(4, w // 64), max(3, h // 64)),
                                    rng.randbytes(max(4, w // 64) * max(3, h // 64) * 3))
            img = small.resize((w, h), Image.BICUBIC)
            grain = Image.effect_noise((w, h), 12 + 10 * v).convert("RGB")
            img = Image.blend(img, grain, 0.18 + 0.07 * v)
            out = io.BytesIO()
            img.save(out, "JPEG", quality=80 + 5 * v)
            pool.append(out.getvalue())
    pool.sort(key=len)
    return pool


def _exif(make: str, model: str, when: str, software: str) -> bytes:
    """An APP1 Exif segment: IFD0 (Make, Model, Software, DateTime) and an
    Exif IFD (DateTimeOriginal), big-endian TIFF."""
    def ascii_(s: str) -> bytes:
        return s.encode("ascii", "replace") + b"\0"

    ifd0 = [(0x010F, ascii_(make)), (0x0110, ascii_(model)), (0x0131, ascii_(software)), (0x0132, ascii_(when))]
    exif_ifd = [(0x9003, ascii_(when))]
    # Layout: header(8) | IFD0 | exif IFD | data
    n0, n1 = len(ifd0) + 1, len(exif_ifd)
    ifd0_size = 2 + 12 * n0 + 4
    exif_off = 8 + ifd0_size
    data_off = exif_off + 2 + 12 * n1 + 4
    data = b""
    entries0 = []
    for tag, val in ifd0:
        entries0.append(struct.pack(">HHII", tag, 2, len(val), data_off + len(data)))
        data += val
    entries0.append(struct.pack(">HHII", 0x8769, 4, 1, exif_off))
    entries1 = []
    for tag, val in exif_ifd:
        entries1.append(struct.pack(">HHII", tag, 2, len(val), data_off + len(data)))
        data += val
    tiff = (b"MM\x00*" + struct.pack(">I", 8)
            + struct.pack(">H", n0) + b"".join(entries0) + struct.pack(">I", 0)
            + struct.pack(">H", n1) + b"".join(entries1) + struct.pack(">I", 0) + data)
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


CAMERAS = [("Apple", "iPhone 6s"), ("Apple", "iPhone 7"), ("samsung", "SM-G930F"), ("Canon", "Canon EOS 5D Mark III"),
           ("NIKON CORPORATION", "NIKON D750"), ("HUAWEI", "EVA-L09"), ("SONY", "DSC-RX100M4")]


def jpeg(pool: list[bytes], target: int, rng: random.Random, when: str, note: str) -> bytes:
    """A distinct JPEG near `target` bytes: the pool image nearest in size
    with its own EXIF (camera, date) and a COM segment naming it."""
    base = min(pool, key=lambda b: abs(len(b) - target))
    make, model = rng.choice(CAMERAS)
    exif = _exif(make, model, when, rng.choice(["11.2.6", "10.3.1", "G930FXXU1DQB3", "Ver.1.00"]))
    com_text = note.encode("utf-8")[:60000]
    com = b"\xff\xfe" + struct.pack(">H", len(com_text) + 2) + com_text
    # After the JFIF APP0 Pillow writes first: APP0, then APP1, as cameras do.
    assert base[:4] == b"\xff\xd8\xff\xe0"
    app0_end = 4 + struct.unpack(">H", base[4:6])[0]
    return base[:app0_end] + exif + com + base[app0_end:]


# --------------------------------------------------------------------------
# PDF


def _pdf_str(s: str) -> bytes:
    b = s.encode("cp1252", "replace")
    return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _jpeg_dims(data: bytes) -> tuple[int, int]:
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise ValueError("no SOF")


@dataclass
class Meta:
    title: str
    author: str
    last_modified_by: str
    created: str  # ISO 8601, UTC, "2017-03-12T09:41:00Z"
    modified: str
    application: str
    app_version: str
    company: str


def _pdf_date(iso: str) -> str:
    return "D:" + iso[0:4] + iso[5:7] + iso[8:10] + iso[11:13] + iso[14:16] + iso[17:19] + "Z"


def pdf(pages: list[list[str]], meta: Meta, images: list[bytes], doc_id: bytes) -> bytes:
    """A PDF 1.4: one page per text page (Helvetica, WinAnsi), then one page
    per image (DCTDecode XObject); Info dictionary; exact xref."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    catalog = add(b"")
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        ops = [b"BT /F1 10 Tf 56 790 Td 13 TL"]
        for line in lines:
            ops.append(_pdf_str(line) + b" Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                        b"/Contents %d 0 R >>" % (pages_id, font, content)))
    for data in images:
        w, h = _jpeg_dims(data)
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                  b"/Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, len(data)) + data + b"\nendstream")
        sw, sh = 483, int(483 * h / w)
        stream = b"q %d 0 0 %d 56 %d cm /Im1 Do Q" % (sw, sh, 790 - sh)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 %d 0 R >> >> "
                        b"/Contents %d 0 R >>" % (pages_id, img, content)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = add(b"<< /Title " + _pdf_str(meta.title) + b" /Author " + _pdf_str(meta.author)
               + b" /Creator " + _pdf_str(meta.application) + b" /Producer " + _pdf_str(f"{meta.application} {meta.app_version}".strip())
               + b" /CreationDate " + _pdf_str(_pdf_date(meta.created)) + b" /ModDate " + _pdf_str(_pdf_date(meta.modified))
               + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    hexid = doc_id.hex().encode()
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, catalog, info, hexid, hexid, xref))
    return bytes(out)


# --------------------------------------------------------------------------
# OOXML


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _core(meta: Meta) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{_x(meta.title)}</dc:title><dc:creator>{_x(meta.author)}</dc:creator>'
            f'<cp:lastModifiedBy>{_x(meta.last_modified_by)}</cp:lastModifiedBy><cp:revision>{len(meta.title) % 9 + 1}</cp:revision>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{meta.created}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{meta.modified}</dcterms:modified></cp:coreProperties>')


def _app(meta: Meta, extra: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<Application>{_x(meta.application)}</Application>{extra}<Company>{_x(meta.company)}</Company>'
            f'<AppVersion>{meta.app_version}</AppVersion></Properties>')


_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{main}"/>'
              '</Relationships>')


def _package(parts: list[tuple[str, bytes | str]], when: str) -> bytes:
    out = io.BytesIO()
    stamp = (int(when[0:4]), int(when[5:7]), int(when[8:10]), int(when[11:13]), int(when[14:16]), int(when[17:19]) // 2 * 2)
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, stamp)
            # Images are already compressed: Word stores them deflated too,
            # but deflating noise-like JPEG data only costs time.
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".jpeg") else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def docx(paragraphs: list[str], meta: Meta, images: list[bytes]) -> bytes:
    """A Word document: paragraphs of text, then each image inline in a
    paragraph of its own (word/media, a relationship, a DrawingML picture)."""
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = []
    for p in paragraphs:
        body.append(f'<w:p><w:r><w:t xml:space="preserve">{_x(p)}</w:t></w:r></w:p>')
    rels = []
    for n, data in enumerate(images, 1):
        w, h = _jpeg_dims(data)
        cx = 5486400
        cy = cx * h // w
        rels.append(f'<Relationship Id="rIdImg{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                    f'Target="media/image{n}.jpeg"/>')
        body.append(
            '<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="Image {n}"/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.jpeg"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{W}" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
                '<w:body>' + "".join(body) + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Default Extension="jpeg" ContentType="image/jpeg"/>'
                     '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                     '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                     '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                     '</Types>')
    words = sum(len(p.split()) for p in paragraphs)
    parts: list[tuple[str, bytes | str]] = [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", _ROOT_RELS.format(main="word/document.xml")),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(rels) + '</Relationships>'),
    ]
    parts += [(f"word/media/image{n}.jpeg", data) for n, data in enumerate(images, 1)]
    parts += [("docProps/core.xml", _core(meta)),
              ("docProps/app.xml", _app(meta, f"<Pages>{max(1, words // 400)}</Pages><Words>{words}</Words>"))]
    return _package(parts, meta.modified)


def _col(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx(header: list[str], rows: list[list[str | float]], meta: Meta, sheet_name: str) -> bytes:
    """An Excel workbook: one sheet, strings in sharedStrings.xml, numbers
    inline."""
    strings: dict[str, int] = {}

    def sst(s: str) -> int:
        return strings.setdefault(s, len(strings))

    out_rows = []
    for r, row in enumerate([header] + rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{_col(c)}{r}"
            if isinstance(v, str):
                cells.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        out_rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    last = f"{_col(max(len(header), 1) - 1)}{len(rows) + 1}"
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:{last}"/><sheetData>' + "".join(out_rows) + '</sheetData></worksheet>')
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f'<si><t xml:space="preserve">{_x(s)}</t></si>' for s in strings) + '</sst>')
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{_x(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
               '</Relationships>')
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                     '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                     '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                     '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                     '</Types>')
    return _package([
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", _ROOT_RELS.format(main="xl/workbook.xml")),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", wb_rels),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", shared),
        ("docProps/core.xml", _core(meta)),
        ("docProps/app.xml", _app(meta)),
    ], meta.modified)


def zip_of(files: list[tuple[str, bytes]], when: str) -> bytes:
    """A plain zip archive (what someone sends a folder as)."""
    out = io.BytesIO()
    stamp = (int(when[0:4]), int(when[5:7]), int(when[8:10]), int(when[11:13]), int(when[14:16]), 0)
    seen: set[str] = set()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files:
            # Two files of one folder cannot share a name: number the later.
            stem, dot, ext = name.rpartition(".")
            n = 2
            while name in seen:
                name = f"{stem} ({n}).{ext}" if dot else f"{ext} ({n})"
                n += 1
            seen.add(name)
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()
