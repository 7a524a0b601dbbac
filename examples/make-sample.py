#!/usr/bin/env python3
"""Write examples/sample-dump/: a small fictional leak for tamis's README demo.

Why: a reader should be able to run `tamis verify examples/sample-dump --keys
examples/sample-keys.zone` and see, on realistic mailboxes, what tamis tells
apart: genuine mail, planted forgeries (a changed figure, an added sentence,
a changed Subject or Date), unsigned mail, a key nobody published, a key too
weak to prove anything, a newsletter whose footer nobody signed, and the same
message found in two mailboxes.

Everything is invented: the "Horizon Commun" movement, its people and every
domain (under example.fr, example.org, example.com). Keys are throwaway and
committed under examples/sample-keys/ so that re-running gives the same bytes.

Three mailboxes, as a leak would bring them:
  maildir-claire.dubois/{cur,new}/   maildir, LF line endings
  paul.mercier.mbox                  mboxrd, LF, `>From ` escaping
  export-ines.garnier.zip            .eml files (CRLF) and a nested
                                     archives-2016.tar.gz with more .eml

Every item is verified with dkimpy (after undoing LF endings and mbox
escaping, as tamis does) and must get the verdict written in
examples/sample-expected.tsv; the script stops otherwise.

Run:  python3 examples/make-sample.py   (needs fixtures/requirements.txt)
"""

from __future__ import annotations

import base64
import calendar
import collections
import email.utils
import gzip
import io
import os
import shutil
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))

import dkimref as R  # noqa: E402

DUMP = os.path.join(HERE, "sample-dump")
KEYDIR = os.path.join(HERE, "sample-keys")
ZONE = os.path.join(HERE, "sample-keys.zone")

H = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"]

# Signers: (domain, selector, key name, bits, canonicalization, published?)
SIGNERS = {
    "campagne": ("campagne.example.fr", "hc2017", "rsa", 2048, "relaxed/relaxed", True),
    "lumen": ("agence-lumen.example.com", "lumen1", "rsa", 2048, "relaxed/simple", True),
    "mairie": ("mairie.example.org", "s1024", "rsa", 1024, "simple/simple", True),
    "presse": ("presse.example.com", "nl", "ed25519", 256, "relaxed/relaxed", True),
    "vieux": ("vieux-serveur.example.org", "old512", "rsa", 512, "relaxed/simple", True),
    "imprimerie": ("imprimerie.example.com", "k2016", "rsa", 2048, "relaxed/relaxed", False),
}

PEOPLE = {
    "claire": "Claire Dubois <claire.dubois@campagne.example.fr>",
    "paul": "Paul Mercier <paul.mercier@campagne.example.fr>",
    "ines": "=?UTF-8?Q?In=C3=A8s_Garnier?= <ines.garnier@campagne.example.fr>",
    "jean": "Jean Petit <jean.petit@campagne.example.fr>",
    "sophie": "Sophie Lambert <sophie.lambert@agence-lumen.example.com>",
    "marc": "Marc Olivier <marc.olivier@agence-lumen.example.com>",
    "mairie": "Service des salles <salles@mairie.example.org>",
    "presse": "La Lettre de la presse <lettre@presse.example.com>",
    "vieux": "Archives militantes <archives@vieux-serveur.example.org>",
    "imprimerie": "Imprimerie Delorme <devis@imprimerie.example.com>",
    "anon": "Un sympathisant <sympathisant.2017@example.com>",
    "benevole": "Lucas Benoit <lucas.benoit@example.org>",
}


def date_of(y, mo, d, h, mi):
    t = calendar.timegm((y, mo, d, h, mi, 0)) - 7200  # written in +0200
    return email.utils.formatdate(t + 7200, localtime=False).replace("-0000", "+0200"), t


PDF = b"%PDF-1.4\n" + b"".join(f"{i} 0 obj << /Type /Page /N {i} >> endobj\n".encode() for i in range(40)) + b"%%EOF\n"

# id, mailbox, frm, to, subject, (y,mo,d,h,mi), signer, body, planted forgery or None
# Mailboxes: md-cur, md-new, mbox, zip, tgz. "dup" entries repeat an id elsewhere.
M = [
    ("m01", "md-cur", "paul", "claire", "Budget meeting de Lyon", (2017, 4, 3, 9, 12), "campagne",
     "Claire,\n\nLe budget du meeting de Lyon est arrete a 27 770 EUR (salle 18 400, sono 6 250, affiches 3 120).\n"
     "Je fais les virements lundi.\n\nPaul\n", None),
    ("m02", "md-cur", "sophie", "claire", "Elements de langage - semaine 15", (2017, 4, 10, 8, 30), "lumen",
     "Bonjour Claire,\n\nVoici les elements de langage de la semaine :\n\n1. Le projet pour les territoires\n"
     "2. La transition energetique juste\n3. L'Europe qui protege\n\nBien a vous,\nSophie Lambert\nAgence Lumen\n", None),
    ("m03", "md-cur", "mairie", "claire", "Confirmation de reservation - salle Jean Moulin", (2017, 4, 11, 14, 2), "mairie",
     "Madame,\n\nNous confirmons la reservation de la salle Jean Moulin le 28 avril de 18 h a 23 h.\n"
     "Caution : 1 500 EUR.\n\nLe service des salles\n", None),
    ("m04", "md-cur", "jean", "claire", "Re: tractage samedi", (2017, 4, 12, 19, 45), "campagne",
     "Claire,\n\nOK pour samedi, 14 benevoles confirmes au marche couvert.\n\nJean\n", None),
    ("m05", "md-cur", "paul", "claire", "Note de frais avril", (2017, 4, 14, 10, 0), "campagne",
     "Claire,\n\nTa note de frais d'avril est validee : 412,60 EUR, remboursement sous 8 jours.\n\nPaul\n",
     ("body", "412,60 EUR", "4 126,00 EUR")),
    ("m06", "md-cur", "marc", "claire", "Maquette affiche v3", (2017, 4, 18, 16, 20), "lumen",
     "Claire,\n\nEn piece jointe la maquette v3 de l'affiche, corrigee selon vos remarques.\n\nMarc\n", "attach"),
    ("m07", "md-cur", "anon", "claire", "Un soutien", (2017, 4, 19, 22, 5), None,
     "Bonjour,\n\nJe voulais juste vous dire bon courage pour la fin de campagne.\n\nUn sympathisant\n", None),
    ("m08", "md-cur", "presse", "claire", "La lettre du 20 avril", (2017, 4, 20, 7, 0), "presse",
     "Bonjour,\n\nAu sommaire : les sondages de la semaine, le debat televise, les reunions publiques.\n\n"
     "La redaction\n", "footer"),
    ("m09", "md-cur", "jean", "claire", "Rapport de terrain 11e", (2017, 4, 21, 18, 10), "campagne",
     "Claire,\n\nBon accueil au marche ce matin : 600 tracts distribues, 35 contacts recueillis.\n\nJean\n",
     ("subject", "Rapport de terrain 11e", "Rapport de terrain 11e - fichier des donateurs")),
    ("m10", "md-cur", "sophie", "claire", "Revue de presse", (2017, 4, 24, 8, 0), "lumen",
     "Claire,\n\nRevue de presse du jour jointe. Rien d'alarmant, couverture plutot favorable.\n\nSophie\n", None),
    ("m11", "md-cur", "vieux", "claire", "Fichier des adherents 2012", (2017, 4, 25, 11, 40), "vieux",
     "Bonjour,\n\nComme demande, l'export du fichier des adherents de 2012 est pret.\n\nLes archives\n", None),
    ("m12", "md-new", "paul", "claire", "Dons de la semaine", (2017, 5, 2, 9, 30), "campagne",
     "Claire,\n\nDons de la semaine : 1 240 dons, montant total 86 300 EUR. Tout est trace au compte de campagne.\n\n"
     "Paul\n", ("body", "Tout est trace au compte de campagne.",
                "Une partie part sur le compte de la societe Ecran Bleu comme convenu.")),
    ("m13", "md-new", "ines", "claire", "Trajet Marseille", (2017, 5, 2, 15, 0), "campagne",
     "Claire,\n\nTrain de 7 h 07 gare de Lyon, retour 21 h 40. Billets envoyes a l'equipe.\n\nInes\n", None),
    ("m14", "md-new", "benevole", "claire", "Disponibilites", (2017, 5, 3, 21, 15), None,
     "Bonjour,\n\nJe suis disponible dimanche pour tenir un bureau de vote.\n\nLucas\n", None),
    ("m15", "md-new", "sophie", "claire", "Communique final", (2017, 5, 4, 17, 0), "lumen",
     "Claire,\n\nVersion finale du communique pour diffusion vendredi 18 h.\n\nSophie\n", None),
    # Paul's mbox
    ("m16", "mbox", "claire", "paul", "Re: Budget meeting de Lyon", (2017, 4, 3, 11, 0), "campagne",
     "Paul,\n\nValide. Transfere ci-dessous pour memoire :\n\nFrom the finance desk: 27 770 EUR, paid Monday.\n\n"
     "Claire\n", None),
    ("m17", "mbox", "imprimerie", "paul", "Devis affiches A2", (2017, 4, 5, 10, 20), "imprimerie",
     "Monsieur,\n\nVeuillez trouver notre devis : 5 000 affiches A2 quadri, 3 120 EUR TTC.\n\nImprimerie Delorme\n", None),
    ("m18", "mbox", "mairie", "paul", "Facture salle Jean Moulin", (2017, 4, 29, 9, 0), "mairie",
     "Monsieur,\n\nVeuillez trouver la facture de la salle Jean Moulin : 2 300 EUR.\n\nLe service des salles\n", None),
    ("m19", "mbox", "jean", "paul", "Remboursement essence", (2017, 4, 13, 20, 0), "campagne",
     "Paul,\n\nJe t'envoie les tickets d'essence du mois : 184 EUR.\n\nJean\n", None),
    ("m20", "mbox", "ines", "paul", "Reservation hotels Marseille", (2017, 4, 26, 12, 0), "campagne",
     "Paul,\n\nHotel reserve pour 6 personnes, 2 nuits, 1 080 EUR au total.\n\nInes\n",
     ("date", "Wed, 26 Apr 2017 12:00:00 +0200", "Sun, 30 Apr 2017 23:58:00 +0200")),
    ("m21", "mbox", "sophie", "paul", "Facture Agence Lumen avril", (2017, 4, 30, 18, 0), "lumen",
     "Monsieur,\n\nNotre facture d'avril : 14 500 EUR HT, conforme au devis signe.\n\nSophie Lambert\n", None),
    ("m22", "mbox", "claire", "paul", "Fwd: transfert du tresorier", (2017, 4, 20, 8, 45), "campagne",
     "Paul,\n\nVoici le message d'origine :\n\nFrom now on, every expense over 1 000 EUR needs two signatures.\n"
     "From Monday, receipts are scanned the same day.\n\nClaire\n", None),
    ("m23", "mbox", "anon", "paul", "Question sur les dons", (2017, 4, 22, 13, 0), None,
     "Bonjour,\n\nPeut-on donner par cheque ? A quel ordre ?\n\nMerci\n", None),
    ("m24", "mbox", "paul", "paul", "Pense-bete", (2017, 4, 23, 7, 30), "campagne",
     "Relancer l'imprimerie, verifier la caution de la salle, cloturer le mois.\n", None),
    ("m25", "mbox", "jean", "paul", "Materiel meeting", (2017, 4, 27, 19, 0), "campagne",
     "Paul,\n\nIl manque 200 drapeaux et 2 kakemonos pour le meeting. Devis a suivre.\n\nJean\n",
     ("body", "200 drapeaux", "2 000 drapeaux")),
    ("m26", "mbox", "marc", "paul", "Devis video", (2017, 4, 28, 11, 0), "lumen",
     "Paul,\n\nDevis pour le clip de fin de campagne : 9 800 EUR HT.\n\nMarc\n", None),
    # Ines's zip export (CRLF .eml)
    ("m27", "zip", "claire", "ines", "Planning deplacements mai", (2017, 4, 28, 9, 0), "campagne",
     "Ines,\n\nPlanning des deplacements de mai en piece jointe.\n\nClaire\n", "attach"),
    ("m28", "zip", "jean", "ines", "Voiture de location", (2017, 4, 29, 10, 0), "campagne",
     "Ines,\n\nVoiture reservee chez le loueur de la gare, retrait 8 h.\n\nJean\n", None),
    ("m29", "zip", "sophie", "ines", "Accreditations presse", (2017, 5, 1, 14, 0), "lumen",
     "Ines,\n\nListe des journalistes accredites pour le deplacement de Marseille jointe.\n\nSophie\n", None),
    ("m30", "zip", "benevole", "ines", "Covoiturage", (2017, 5, 1, 20, 0), None,
     "Bonjour,\n\nJe peux prendre 3 personnes en voiture depuis Lyon.\n\nLucas\n", None),
    ("m31", "zip", "paul", "ines", "Avance de frais", (2017, 5, 2, 8, 0), "campagne",
     "Ines,\n\nAvance de frais de 600 EUR versee ce matin pour Marseille.\n\nPaul\n", None),
    ("m32", "zip", "mairie", "ines", "Autorisation stand", (2017, 5, 2, 10, 30), "mairie",
     "Madame,\n\nL'autorisation d'installer un stand place de la Republique le 5 mai est accordee.\n\n"
     "Le service des salles\n", None),
    # Nested tar.gz: 2016 archives
    ("m33", "tgz", "jean", "ines", "Lancement du mouvement", (2016, 11, 15, 18, 0), "campagne",
     "Ines,\n\nRendez-vous jeudi pour le lancement, 19 h, salle paroissiale.\n\nJean\n", None),
    ("m34", "tgz", "paul", "ines", "Ouverture du compte de campagne", (2016, 11, 20, 9, 0), "campagne",
     "Ines,\n\nLe compte de campagne est ouvert. Premier apport : 5 000 EUR.\n\nPaul\n", None),
    ("m35", "tgz", "anon", "ines", "Adhesion", (2016, 12, 1, 12, 0), None,
     "Bonjour,\n\nComment adherer au mouvement ?\n\nCordialement\n", None),
    ("m36", "tgz", "sophie", "ines", "Proposition d'accompagnement", (2016, 12, 5, 10, 0), "lumen",
     "Madame,\n\nSuite a notre rencontre, voici notre proposition d'accompagnement : 12 000 EUR par mois.\n\n"
     "Sophie Lambert\n", ("subject", "Proposition d'accompagnement", "Proposition d'accompagnement (confidentiel)")),
    ("m37", "md-cur", "ines", "claire", "Photos du meeting", (2017, 4, 29, 0, 30), "campagne",
     "Claire,\n\nLes photos du meeting de Lyon sont sur le partage commun.\n\nInes\n", None),
    ("m38", "mbox", "sophie", "paul", "Re: Facture Agence Lumen avril", (2017, 5, 2, 9, 0), "lumen",
     "Paul,\n\nBien recu le reglement, merci.\n\nSophie\n", None),
    ("m39", "zip", "marc", "ines", "Video Marseille", (2017, 5, 3, 23, 0), "lumen",
     "Ines,\n\nLe montage de Marseille est en ligne sur le partage.\n\nMarc\n", None),
]
# The same message found in two mailboxes: (id, extra mailbox).
DUPLICATES = [("m24", "md-new"), ("m21", "zip")]


def build_message(spec, keys) -> tuple[bytes, str, str]:
    """Return (CRLF bytes, expected verdict, note)."""
    mid, box, frm, to, subject, when, signer, body, twist = spec
    date, t = date_of(*when)
    headers = [("From", PEOPLE[frm]), ("To", PEOPLE[to]), ("Subject", subject), ("Date", date),
               ("Message-ID", f"<{mid}.{t}@horizon-commun.example.fr>"), ("MIME-Version", "1.0")]
    if twist == "attach":
        b64 = base64.encodebytes(PDF).decode()
        headers.append(("Content-Type", 'multipart/mixed; boundary="hc-sep"'))
        text = (f"--hc-sep\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n"
                f"--hc-sep\nContent-Type: application/pdf; name=\"document.pdf\"\nContent-Transfer-Encoding: base64\n"
                f"Content-Disposition: attachment; filename=\"document.pdf\"\n\n{b64}\n--hc-sep--\n")
    else:
        headers += [("Content-Type", "text/plain; charset=utf-8"), ("Content-Transfer-Encoding", "8bit")]
        text = body
    msg = R.crlf("".join(f"{k}: {v}\n" for k, v in headers) + "\n" + text)
    if signer is None:
        return msg, "unsigned", "no signature"
    domain, selector, *_rest = SIGNERS[signer]
    canon = SIGNERS[signer][4]
    present = {k for k, _ in headers}
    sig = R.sign(msg, keys[signer], domain, selector, headers=[h for h in H if h in present], canon=canon,
                 t=t, length=(twist == "footer"))
    out = sig + msg
    verdict, note = "verified", f"signed by {domain}"
    if signer == "vieux":
        verdict, note = "weak", "512-bit RSA key"
    elif signer == "imprimerie":
        verdict, note = "key-missing", "k2016._domainkey.imprimerie.example.com is not in the key file"
    if twist == "footer":
        out += R.crlf("\n--\nPour vous desabonner : https://presse.example.com/desabonnement\n")
        verdict, note = "verified-partial", "l= signs the newsletter; the unsubscribe footer added later is unproven"
    elif isinstance(twist, tuple):
        kind, old, new = twist
        field = {"subject": b"Subject: ", "date": b"Date: ", "body": b""}[kind]
        forged = out.replace(field + old.encode(), field + new.encode(), 1)
        assert forged != out, spec
        out = forged
        verdict = "body-altered" if kind == "body" else "headers-altered"
        note = f"PLANTED: {kind} changed: {old!r} -> {new!r}"
    return out, verdict, note


def main() -> None:
    keys = {name: R.load_or_create_key(KEYDIR, f"{d}-{s}-{kind}{bits if kind == 'rsa' else ''}", kind, bits)
            for name, (d, s, kind, bits, _c, _p) in SIGNERS.items()}
    lines = ["; Public DKIM keys for examples/sample-dump (fictional domains), as `dig` prints TXT records.",
             "; k2016._domainkey.imprimerie.example.com is deliberately missing."]
    for name, (d, s, _kind, _bits, _c, published) in SIGNERS.items():
        if published:
            lines.append(R.zone_line(f"{s}._domainkey.{d}", keys[name].txt_record()))
    with open(ZONE, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    zone = R.read_key_files(ZONE)

    built = {spec[0]: (spec, *build_message(spec, keys)) for spec in M}
    placement = [(spec[0], spec[1]) for spec in M] + DUPLICATES

    shutil.rmtree(DUMP, ignore_errors=True)
    md = os.path.join(DUMP, "maildir-claire.dubois")
    for sub in ("cur", "new"):
        os.makedirs(os.path.join(md, sub))
    rows = []  # (location, message-id, verdict, note, stored bytes, repairs to apply for dkimpy)
    mbox = b""
    zip_entries, tgz_entries = [], []
    for n, (mid, box) in enumerate(placement):
        spec, data, verdict, note = built[mid]
        t = date_of(*spec[5])[1]
        msgid = f"<{mid}.{t}@horizon-commun.example.fr>"
        if (mid, box) in DUPLICATES:
            note = f"DUPLICATE of {mid} found in another mailbox; " + note
        if box in ("md-cur", "md-new"):
            sub = "cur" if box == "md-cur" else "new"
            fname = f"{t}.M{n:04d}P2017.horizon-laptop" + (":2,S" if sub == "cur" else "")
            with open(os.path.join(md, sub, fname), "wb") as f:
                f.write(R.to_lf(data))
            rows.append((f"maildir-claire.dubois/{sub}/{fname}", msgid, verdict, note, R.to_lf(data), ["lf"]))
        elif box == "mbox":
            sender = email.utils.parseaddr(PEOPLE[spec[2]])[1]
            asctime = __import__("time").strftime("%a %b %e %H:%M:%S %Y", __import__("time").gmtime(t))
            stored = R.mbox_escape(R.to_lf(data))
            rows.append((f"paul.mercier.mbox@{len(mbox)}", msgid, verdict, note, stored, ["lf", "from"]))
            mbox += f"From {sender} {asctime}\n".encode() + stored + b"\n"
        elif box == "zip":
            entry = f"Ines/Boite de reception/{mid} - {spec[4][:40].replace('/', '-')}.eml"
            zip_entries.append((entry, data))
            rows.append((f"export-ines.garnier.zip!{entry}", msgid, verdict, note, data, []))
        elif box == "tgz":
            entry = f"archives-2016/{mid}.eml"
            tgz_entries.append((entry, data))
            rows.append((f"export-ines.garnier.zip!archives-2016.tar.gz!archives-2016.tar!{entry}", msgid, verdict, note, data, []))
    with open(os.path.join(DUMP, "paul.mercier.mbox"), "wb") as f:
        f.write(mbox)

    tbuf = io.BytesIO()
    with gzip.GzipFile(fileobj=tbuf, mode="wb", mtime=0, filename="") as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for entry, data in tgz_entries:
                ti = tarfile.TarInfo(entry)
                ti.size, ti.mtime, ti.mode, ti.uname, ti.gname = len(data), 1481000000, 0o644, "ines", "ines"
                tar.addfile(ti, io.BytesIO(data))
    with zipfile.ZipFile(os.path.join(DUMP, "export-ines.garnier.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for entry, data in zip_entries + [("archives-2016.tar.gz", tbuf.getvalue())]:
            zi = zipfile.ZipInfo(entry, date_time=(2017, 5, 5, 20, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)

    # Check every stored item with dkimpy, undoing exporter damage first.
    for loc, msgid, verdict, note, stored, repairs in rows:
        data = stored
        if "from" in repairs:
            data = R.mbox_unescape(data)
        if repairs:
            data = R.lf_to_crlf(data)
        got = R.check(data, zone).verdict
        assert got == verdict, f"{loc}: dkimpy gives {got}, expected {verdict}"

    with open(os.path.join(HERE, "sample-expected.tsv"), "w", newline="\n") as f:
        f.write("LOCATION\tMESSAGE_ID\tVERDICT\tNOTE\n")
        for loc, msgid, verdict, note, *_ in rows:
            f.write(f"{loc}\t{msgid}\t{verdict}\t{note}\n")

    unique = {}
    for loc, msgid, verdict, *_ in rows:
        unique.setdefault(msgid, verdict)
    counts = collections.Counter(unique.values())
    size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(DUMP) for f in fs)
    print(f"{len(rows)} items, {len(unique)} unique messages, {size} bytes on disk; all checked with dkimpy")
    for v in ["verified", "verified-partial", "weak", "body-altered", "headers-altered", "key-revoked",
              "key-missing", "invalid-signature", "unsigned"]:
        if counts[v]:
            print(f"  {v:18} {counts[v]}")


if __name__ == "__main__":
    main()
