#!/usr/bin/env python3
"""Generate a dump shaped like the 2017 #MacronLeaks one, at any scale.

Why: tamis is built for dumps of tens of thousands of messages in several
mailboxes and stores, with threads, quoted replies, forwards, office
attachments, a minority of DKIM-signed messages, tampering and duplicates;
its benchmarks and end-to-end tests need such a dump whose every expected
outcome is known, made from a seed, without the real one (issue 8).

  bench/make-dump.py --preset 1g                # ~1 GB, ~8,000 messages
  bench/make-dump.py --preset full --jobs 2     # 71,848 messages, ~9 GB
  bench/make-dump.py --preset tiny --seed 7 --out /tmp/d

Layout of the output directory (printed on stdout):
  dump/<owner>/...        maildirs (cur/, .Sent/, .Archives/, .Archives.2016/)
                          and Thunderbird-style mbox files (Inbox, Sent,
                          Archives.sbd/2016; mboxrd, `>From ` escaped)
  keys.zone               the public keys, `dig` style (both selectors of
                          the rotated domain; not the key-missing one)
  manifest.tsv            per stored message: location, Message-ID, expected
                          verdict, duplicate-of (location of the first copy,
                          `-`), kind of copy
  summary.json            exact expected totals (see the README)
  .complete               written last: the parameters; a rerun with the
                          same ones returns at once

Expected verdicts come from how each message was made (signed or not,
by a published key or not, tampered after signing or not); the keys are
derived from the seed, so the same seed and parameters give the same bytes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import multiprocessing
import os
import random
import shutil
import sys
import textwrap
import time
from dataclasses import dataclass, field
from email.header import Header

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))

import docgen  # noqa: E402
from maildump import R, maildir_name, mbox_entry  # noqa: E402

PRESETS = {
    # The real dump: 71,848 messages, 26,506 attachments, ~15 GB unpacked
    # of which about 9 GB are the mailboxes themselves.
    "full": dict(messages=71848, attachments=26500, gb=9.0),
    "1g": dict(messages=7983, attachments=2944, gb=1.0),
    "tiny": dict(messages=300, attachments=60, gb=0.004),
}

START = 1464739200  # 2016-06-01
END = 1493942400  # 2017-05-05, the eve of the leak
ROTATE_AT = 1484438400  # 2017-01-15: the campaign domain's new selector
ARCHIVE_BEFORE = 1483228800  # 2017-01-01: older mail in the 2016 archive

# (domain, selector, kind, bits, canonicalization, published)
CAMPAIGN = "en-marche.example.fr"
SIGNERS = {
    CAMPAIGN: [("mail2016", "rsa", 2048, "relaxed/relaxed", True), ("mail2017", "rsa", 2048, "relaxed/relaxed", True)],
    "gmail.example.com": [("20161025", "rsa", 2048, "relaxed/relaxed", True)],
    "assemblee.example.fr": [("s1024", "rsa", 1024, "simple/simple", True)],
    "presse-quotidien.example.fr": [("ed2017", "ed25519", 256, "relaxed/relaxed", True)],
    "newsletter.example.com": [("mta2", "rsa", 2048, "relaxed/relaxed", True)],
    "agence-lumen.example.com": [("lumen1", "rsa", 2048, "relaxed/simple", True)],
    # A domain gone since: its key was never archived.
    "ancien-relais.example.net": [("relay1", "rsa", 2048, "relaxed/relaxed", False)],
}
# External sender domains and their weights: the signing ones make about a
# seventh of outside mail, the campaign's own mail is all signed, so about a
# third of the dump is signed.
EXTERNAL = [("orange.example.fr", 25), ("free.example.fr", 14), ("wanadoo.example.fr", 11), ("sfr.example.fr", 10),
            ("laposte.example.net", 8), ("prefecture.example.gouv.fr", 6), ("hotmail.example.com", 9),
            ("gmail.example.com", 5), ("assemblee.example.fr", 2), ("presse-quotidien.example.fr", 1.5),
            ("newsletter.example.com", 2), ("agence-lumen.example.com", 2), ("ancien-relais.example.net", 0.5)]

OWNER_NAMES = [("Claire", "Dubois"), ("Julien", "Moreau"), ("Sophie", "Lefèvre"), ("Thomas", "Girard"),
               ("Nadia", "Benali"), ("Hugo", "Marchand"), ("Léa", "Fontaine"), ("Karim", "Haddad")]
FIRST = ("Alain Anne Antoine Arnaud Aurélie Benoît Camille Caroline Cédric Charlotte Christophe Claire Damien David "
         "Delphine Élodie Emmanuel Éric Fabrice Florence François Guillaume Hélène Isabelle Jean Jérôme Julie Laurent "
         "Louis Lucie Marc Marie Mathieu Nicolas Olivier Pascal Pauline Philippe Pierre Romain Sandrine Sébastien "
         "Stéphane Sylvie Valérie Vincent Yann Zoé").split()
LAST = ("Martin Bernard Thomas Petit Robert Richard Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia David "
        "Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert Bonnet François Martinez Legrand "
        "Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier "
        "Dumont Lopez Fontaine Chevalier Robin").split()
CITIES = ("Paris Lyon Marseille Lille Bordeaux Toulouse Nantes Strasbourg Rennes Grenoble Montpellier Rouen Nice "
          "Dijon Angers Brest Metz Amiens Besançon Clermont-Ferrand Orléans Pau Albi").split()
TOPICS_FR = ["le meeting de {city}", "le budget du déplacement", "la note sur les retraites", "le programme numérique",
             "les accréditations presse", "la réunion des référents", "le tract pour samedi", "les dons en ligne",
             "la logistique de la salle", "l'interview de demain", "le sondage de la semaine",
             "les comptes de campagne", "la sécurité du meeting", "le plan média", "la tournée en {city}",
             "les bénévoles de {city}", "le communiqué sur l'Europe", "la fiche sur l'emploi des jeunes"]
TOPICS_EN = ["the {city} rally", "the press accreditation list", "tomorrow's interview", "the travel budget",
             "the digital programme brief", "the fundraising figures", "the polling update", "the Europe speech"]
FR = ["Je te transmets {topic} pour relecture avant {day}.", "Peux-tu confirmer {topic} d'ici {day} ?",
      "Nous avons besoin de {n} bénévoles de plus pour {topic}.", "Le devis pour {topic} s'élève à {amount} euros HT.",
      "J'ai eu {person} au téléphone ce matin au sujet de {topic}.", "Merci de ne pas diffuser {topic} à l'extérieur.",
      "La salle de {city} peut accueillir {n} personnes, ce qui suffit pour {topic}.",
      "{person} demande si {topic} peut être avancé à {day}.", "Point rapide sur {topic} : tout est calé sauf le transport.",
      "La facture n° {n} concernant {topic} est à valider par le mandataire financier.",
      "Je serai à {city} {day}, on peut en parler sur place.", "Attention, le fichier sur {topic} a été mis à jour.",
      "Les journalistes de {city} veulent un créneau pour {topic}.", "Il faut absolument caler {topic} avant {day}.",
      "Le train part de Paris à {hour}, arrivée à {city} vers {hour2}.", "Tu trouveras ci-dessous mes remarques sur {topic}."]
EN = ["Please find {topic} for review before {day}.", "Could you confirm {topic} by {day}?",
      "We need {n} more volunteers for {topic}.", "The quote for {topic} comes to {amount} euros.",
      "I spoke with {person} this morning about {topic}.", "Quick update on {topic}: all set except transport.",
      "The venue in {city} holds {n} people, enough for {topic}.", "I will be in {city} on {day}, let's talk there."]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "demain", "ce soir", "la fin de la semaine"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the weekend", "tomorrow", "tonight"]
MAILERS = ["Microsoft Outlook 16.0", "Apple Mail (2.3273)", "iPhone Mail (14E304)", "Mozilla Thunderbird 45.8.0",
           "Microsoft Outlook 15.0", "Roundcube Webmail/1.2.4"]
APPS = [("Microsoft Office Word", "16.0000", "docx"), ("Microsoft Macintosh Word", "15.0000", "docx"),
        ("Microsoft Office Word", "14.0000", "docx"), ("Microsoft Excel", "16.0300", "xlsx"),
        ("Microsoft Macintosh Excel", "15.0000", "xlsx"), ("Microsoft Excel", "14.0300", "xlsx")]
PDF_PRODUCERS = [("Microsoft® Word 2016", ""), ("Acrobat PDFMaker 15 pour Word", "15.0"),
                 ("macOS Version 10.12.4 (Build 16E195) Quartz PDFContext", ""), ("LibreOffice 5.2", "5.2.5.1")]

# Attachment kinds: share of attachments, median size in bytes and spread
# (lognormal sigma) before the total-size knob scales them, and bounds.
KINDS = {
    "jpg": (0.42, 380_000, 1.0, 12_000, 9_000_000),
    "pdf": (0.32, 180_000, 1.5, 3_000, 25_000_000),
    "docx": (0.14, 60_000, 1.3, 6_000, 15_000_000),
    "xlsx": (0.12, 40_000, 1.2, 5_000, 4_000_000),
}
ZIP_KIND = (0.0, 400_000, 0.8, 40_000, 20_000_000)  # a few zips, not drawn by share
MIME = {"jpg": "image/jpeg", "pdf": "application/pdf", "zip": "application/zip",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Person:
    name: str
    addr: str
    owner: int | None = None  # index of the mailbox this person owns

    @property
    def domain(self) -> str:
        return self.addr.split("@")[1]


@dataclass
class Msg:
    i: int
    t: int
    sender: int  # person index
    to: list[int]
    cc: list[int]
    kind: str  # new | reply | forward
    parent: int | None
    subject: str  # without Re:/TR:
    lang: str
    refs: list[int] = field(default_factory=list)
    attachments: list[tuple] = field(default_factory=list)  # (kind, size, key)
    html: bool = False
    tamper: str | None = None  # body | header
    placements: list[tuple] = field(default_factory=list)  # (owner, folder, variant)


# Set in the parent before the pool forks: workers read them, never write.
PEOPLE: list[Person] = []
PLAN: list[Msg] = []
KEYS: dict = {}
POOL: list[bytes] = []
SEED = 0


def msgid(i: int) -> str:
    m = PLAN[i]
    h = hashlib.sha256(f"{SEED}/{i}".encode()).hexdigest()[:16].upper()
    return f"<{h}.{m.t}@{PEOPLE[m.sender].domain}>"


def rfc_date(t: int) -> str:
    # Paris time: +0100 in winter, +0200 from the last Sunday of March 2017.
    off = 7200 if (1490490000 <= t < 1509238800 or 1459040400 <= t < 1477789200) else 3600
    return time.strftime("%a, %d %b %Y %H:%M:%S", time.gmtime(t + off)) + (" +0200" if off == 7200 else " +0100")


# --------------------------------------------------------------------------
# planning (parent process, sequential, cheap)


def make_people(rng: random.Random, mailboxes: int) -> list[Person]:
    people = []
    for k in range(mailboxes):
        first, last = OWNER_NAMES[k] if k < len(OWNER_NAMES) else (rng.choice(FIRST), f"{rng.choice(LAST)}{k}")
        addr = f"{ascii_(first).lower()}.{ascii_(last).lower()}@{CAMPAIGN}"
        people.append(Person(f"{first} {last}", addr, owner=k))
    seen = {p.addr for p in people}

    def add(domain):
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{rng.randint(1, 99)}"])
            addr = f"{ascii_(local).lower()}@{domain}"
            if addr not in seen:
                seen.add(addr)
                people.append(Person(f"{first} {last}", addr))
                return

    for _ in range(60):  # campaign staff without a mailbox in the dump
        add(CAMPAIGN)
    total = sum(w for _, w in EXTERNAL)
    for domain, w in EXTERNAL:
        for _ in range(max(2, round(500 * w / total))):
            add(domain)
    return people


def ascii_(s: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def plan(seed: int, n: int, n_att: int, mailboxes: int, gb: float) -> list[Msg]:
    rng = random.Random(f"plan/{seed}")
    people = PEOPLE
    owners = [k for k, p in enumerate(people) if p.owner is not None]
    staff = [k for k, p in enumerate(people) if p.owner is None and p.domain == CAMPAIGN]
    by_domain: dict[str, list[int]] = {}
    for k, p in enumerate(people):
        by_domain.setdefault(p.domain, []).append(k)
    ext_domains = [d for d, _ in EXTERNAL]
    ext_weights = [w for _, w in EXTERNAL]
    owner_weights = [1.0 / (1 + 0.35 * k) for k in range(len(owners))]  # some mailboxes much fuller

    def outsider():
        # Campaign mail is mostly internal: colleagues without a mailbox
        # in the dump.
        if rng.random() < 0.5:
            return rng.choice(staff)
        return rng.choice(by_domain[rng.choices(ext_domains, ext_weights)[0]])

    # Activity grows towards the election (spring 2017), as in the leak.
    times = sorted(START + int((END - START) * rng.random() ** 0.55) for _ in range(n))
    msgs: list[Msg] = []
    for i in range(n):
        t = times[i]
        lang = "fr" if rng.random() < 0.82 else "en"
        r = rng.random()
        if i > 0 and r < 0.42:
            p = msgs[rng.randrange(max(0, i - 200), i)]
            sender = rng.choice(p.to)
            to = [p.sender]
            cc = [x for x in p.to + p.cc if x not in (sender, p.sender)][:4]
            m = Msg(i, t, sender, to, cc, "reply", p.i, p.subject, p.lang, p.refs[-8:] + [p.i])
        elif i > 0 and r < 0.49:
            p = msgs[rng.randrange(max(0, i - 400), i)]
            parties = [x for x in [p.sender] + p.to + p.cc if people[x].owner is not None]
            sender = parties[0] if parties else rng.choice(owners)
            dest = rng.choice(owners) if rng.random() < 0.05 else outsider()
            if dest == sender:
                dest = outsider()
            m = Msg(i, t, sender, [dest], [], "forward", p.i, p.subject, p.lang, [])
        else:
            o = owners[rng.choices(range(len(owners)), owner_weights)[0]]
            other = rng.choice([x for x in owners if x != o]) if len(owners) > 1 and rng.random() < 0.06 else outsider()
            if rng.random() < 0.22:
                sender, to = o, [other]
            else:
                sender, to = other, [o]
            cc = [outsider() for _ in range(rng.choice([0, 0, 0, 1, 2]))]
            cc = [x for x in dict.fromkeys(cc) if x not in to and x != sender]
            topic = rng.choice(TOPICS_FR if lang == "fr" else TOPICS_EN).format(city=rng.choice(CITIES))
            subject = topic[0].upper() + topic[1:]
            m = Msg(i, t, sender, to, cc, "new", None, subject, lang, [])
        if all(people[x].owner is None for x in [m.sender] + m.to + m.cc):
            m.cc.append(owners[0])  # every message in the dump was in someone's mailbox
        m.html = people[m.sender].domain in ("newsletter.example.com", "gmail.example.com") or rng.random() < 0.15
        msgs.append(m)

    # Attachments: forwards carry their parent's (the same bytes), the rest
    # are spread over new messages and some replies until the total is met.
    kinds = list(KINDS)
    shares = [KINDS[k][0] for k in kinds]
    n_zip = max(1, n_att // 2500)
    own: dict[int, list] = {}
    candidates = [m.i for m in msgs if m.kind == "new" or (m.kind == "reply" and rng.random() < 0.12)]
    rng.shuffle(candidates)
    target_own = n_att
    c = 0
    while target_own > 0 and candidates:
        i = candidates[c % len(candidates)]
        c += 1
        k = min(target_own, rng.choices([1, 2, 3, 5], [70, 18, 8, 4])[0])
        own.setdefault(i, [])
        for _ in range(k):
            own[i].append((rng.choices(kinds, shares)[0], rng.lognormvariate(0, 1), (i, len(own[i]))))
        target_own -= k
        if c >= len(candidates) and target_own > 0:
            c = 0
    forwarded = {m.parent for m in msgs if m.kind == "forward"}

    def total():
        return sum(len(own.get(m.i, [])) + (len(own.get(m.parent, [])) if m.kind == "forward" else 0) for m in msgs)

    # Re-attached parts count too: take own parts from messages nobody
    # forwards until the total is exact.
    excess = total() - n_att
    spare = [i for i in own if i not in forwarded]
    rng.shuffle(spare)
    while excess > 0 and spare:
        i = spare[-1]
        own[i].pop()
        excess -= 1
        if not own[i]:
            del own[i]
            spare.pop()
    zips_given = 0
    for i in sorted(own):
        if zips_given < n_zip and msgs[i].kind == "new" and i not in forwarded:
            kind, z, key = own[i][0]
            own[i][0] = ("zip", z, key)
            zips_given += 1
    for m in msgs:
        m.attachments = list(own.get(m.i, []))
        if m.kind == "forward":
            m.attachments = list(own.get(m.parent, [])) + m.attachments

    # Signing and tampering.
    for m in msgs:
        if signs(m) and rng.random() < 0.03:
            m.tamper = "body" if rng.random() < 0.6 else "header"

    # Where each message is stored: the Sent folder of an owner who sent it,
    # the inbox (or 2016 archive) of each owner who received it; the first
    # place holds the original, the others copies, a few of them altered the
    # way servers and exporters alter them.
    for m in msgs:
        parties = [m.sender] + m.to + m.cc
        places = []
        for x in dict.fromkeys(parties):
            o = people[x].owner
            if o is None:
                continue
            if x == m.sender:
                folder = "sent"
            elif m.t < ARCHIVE_BEFORE and rng.random() < 0.7:
                folder = "archive2016" if rng.random() < 0.8 else "archive"
            else:
                folder = "inbox"
            places.append((o, folder))
        variants = []
        for n_place, (o, folder) in enumerate(places):
            v = "original" if n_place == 0 else "copy"
            if n_place > 0:
                r = rng.random()
                if r < 0.05:
                    v = "copy-received"
                elif r < 0.10 and o < maildir_count(mailboxes):
                    v = "copy-crlf"
            variants.append((o, folder, v))
        m.placements = variants

    # Small dumps too hold one copy of each altered kind, so what tamis
    # makes of them is always checked.
    for variant in ("copy-received", "copy-crlf"):
        if not any(v == variant for m in msgs for _o, _f, v in m.placements):
            for m in msgs:
                hit = [n for n, (o, _f, v) in enumerate(m.placements)
                       if v == "copy" and (variant == "copy-received" or o < maildir_count(mailboxes))]
                if hit:
                    o, f, _v = m.placements[hit[0]]
                    m.placements[hit[0]] = (o, f, variant)
                    break

    # Sizes: the lognormal draws scaled so the dump comes to about `gb`
    # (attachments are base64 in the message: 4/3, plus line breaks and
    # part headers), each size kept within its kind's bounds.
    copies = {m.i: len(m.placements) for m in msgs}
    text_est = sum(copies[m.i] * (4200 if m.html else 2600) for m in msgs)
    draws = []
    for m in msgs:
        for kind, z, _key in m.attachments:
            _share, median, sigma, lo, hi = KINDS.get(kind, ZIP_KIND)
            draws.append((copies[m.i], median * z ** sigma, lo, hi))
    want = max(gb * 1e9 - text_est, 0) / 1.37

    def total(scale):
        return sum(c * min(hi, max(lo, size * scale)) for c, size, lo, hi in draws)

    low, high = 1e-6, 1e3
    for _ in range(60):
        mid = math.sqrt(low * high)
        low, high = (mid, high) if total(mid) < want else (low, mid)
    scale = low
    for m in msgs:
        out = []
        for kind, z, key in m.attachments:
            _share, median, sigma, lo, hi = KINDS.get(kind, ZIP_KIND)
            out.append((kind, int(min(hi, max(lo, median * z ** sigma * scale))), key))
        m.attachments = out
    return msgs


def signs(m: Msg) -> bool:
    """Whether message m leaves signed: its domain signs, and the campaign's
    own server signs only what goes out (internal mail never passes the
    outbound signer)."""
    domain = PEOPLE[m.sender].domain
    if domain not in SIGNERS:
        return False
    return domain != CAMPAIGN or any(PEOPLE[x].domain != CAMPAIGN for x in m.to + m.cc)


def maildir_count(mailboxes: int) -> int:
    """Three mailboxes in five are maildirs, the rest mbox files."""
    return max(1, round(mailboxes * 3 / 5)) if mailboxes > 1 else 1


# --------------------------------------------------------------------------
# text


def sentence(rng: random.Random, lang: str) -> str:
    tpl = rng.choice(FR if lang == "fr" else EN)
    topics = TOPICS_FR if lang == "fr" else TOPICS_EN
    return tpl.format(topic=rng.choice(topics).format(city=rng.choice(CITIES)),
                      day=rng.choice(DAYS_FR if lang == "fr" else DAYS_EN), n=rng.randint(2, 4000),
                      amount=f"{rng.randint(1, 480) * 50:,}".replace(",", " "), city=rng.choice(CITIES),
                      person=f"{rng.choice(FIRST)} {rng.choice(LAST)}", hour=f"{rng.randint(6, 20)}h{rng.choice(['00', '15', '30', '45'])}",
                      hour2=f"{rng.randint(8, 23)}h{rng.choice(['05', '20', '40'])}")


def wrap(text: str, width: int = 72) -> str:
    return "\n\n".join(textwrap.fill(p, width) for p in text.split("\n\n"))


def own_text(i: int) -> str:
    """What the author of message i wrote, regenerated identically by any
    process (replies quote it)."""
    m = PLAN[i]
    rng = random.Random(f"text/{SEED}/{i}")
    who = PEOPLE[m.to[0]].name.split()[0]
    hello = rng.choice(["Bonjour {},", "Salut {},", "Bonjour à tous,", "Cher {},", "{},"] if m.lang == "fr"
                       else ["Hi {},", "Dear {},", "Hello all,"]).format(who)
    paras = []
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4, 6])):
        paras.append(" ".join(sentence(rng, m.lang) for _ in range(rng.randint(1, 5))))
    if rng.random() < 0.012:
        # A line that mbox exporters escape to `>From `.
        paras.append("From what I heard in " + rng.choice(CITIES) + ", the room is booked.")
    bye = rng.choice(["Cordialement,", "Bien à toi,", "Merci,", "A+", "Bonne soirée,"] if m.lang == "fr"
                     else ["Best,", "Thanks,", "Regards,"])
    name = PEOPLE[m.sender].name
    sig = f"{bye}\n{name}"
    if PEOPLE[m.sender].domain == CAMPAIGN:
        sig += "\nEn Marche ! (exemple) - 99 rue de l'Exemple, 75000 Paris"
    return hello + "\n\n" + wrap("\n\n".join(paras)) + "\n\n" + sig


def quote(text: str) -> str:
    """Quote a message's text as mail clients do: re-wrap its own lines,
    prefix `> `, deepen quotes already there."""
    out = []
    for block in text.split("\n\n"):
        if block.startswith(">"):
            out.append("\n".join(">" + line if line.startswith(">") else "> " + line for line in block.split("\n")))
        else:
            out.append("\n".join("> " + line for line in textwrap.wrap(block.replace("\n", " "), 70) or [""]))
    return "\n>\n".join(out)


def full_text(i: int, depth: int = 0) -> str:
    m = PLAN[i]
    text = own_text(i)
    if m.parent is None or depth >= 3:
        return text
    p = PLAN[m.parent]
    who = PEOPLE[p.sender]
    when = time.strftime("%d/%m/%Y %H:%M", time.gmtime(p.t + 3600))
    if m.kind == "reply":
        intro = (f"Le {when}, {who.name} <{who.addr}> a écrit :" if m.lang == "fr"
                 else f"On {when}, {who.name} <{who.addr}> wrote:")
        return text + "\n\n" + intro + "\n" + quote(full_text(p.i, depth + 1))
    head = "---------- Message transféré ----------" if m.lang == "fr" else "---------- Forwarded message ----------"
    return (text + "\n\n" + head + f"\nDe : {who.name} <{who.addr}>\nDate : {rfc_date(p.t)}\nObjet : {p.subject}\n"
            f"À : {', '.join(PEOPLE[x].addr for x in p.to)}\n\n" + full_text(p.i, depth + 1))


# --------------------------------------------------------------------------
# attachments


def iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def doc_meta(rng: random.Random, m: Msg, kind: str, title: str) -> docgen.Meta:
    author = PEOPLE[m.sender].name if rng.random() < 0.6 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    editor = author if rng.random() < 0.5 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    created = m.t - rng.randint(3600, 90 * 86400)
    modified = rng.randint(created, m.t - 60)
    if kind == "pdf":
        app, ver = rng.choice(PDF_PRODUCERS)
    else:
        app, ver, _ = rng.choice([a for a in APPS if a[2] == kind])
    return docgen.Meta(title, author, editor, iso(created), iso(modified), app, ver,
                       rng.choice(["En Marche", "", "Agence Lumen", "Assemblée nationale"]))


def text_lines(rng: random.Random, lang: str, n_bytes: int) -> list[str]:
    lines, size = [], 0
    while size < n_bytes:
        s = textwrap.wrap(" ".join(sentence(rng, lang) for _ in range(3)), 90)
        lines += s + [""]
        size += sum(len(x) + 1 for x in s)
    return lines


def images_for(rng: random.Random, n_bytes: int) -> list[bytes]:
    out = []
    while n_bytes > len(POOL[0]):
        fit = [b for b in POOL if len(b) <= n_bytes]
        img = fit[-1] if rng.random() < 0.7 else rng.choice(fit)
        out.append(img)
        n_bytes -= len(img)
    return out


def attachment(m: Msg, kind: str, size: int, key: tuple) -> tuple[str, bytes]:
    """(file name, bytes) of attachment `key`, regenerated identically by
    every message that carries it."""
    owner = PLAN[key[0]]
    rng = random.Random(f"att/{SEED}/{key[0]}/{key[1]}")
    topic = rng.choice(TOPICS_FR).format(city=rng.choice(CITIES))
    stem = ascii_(topic).replace("'", "-").replace(" ", "-")[:40]
    stamp = time.strftime("%Y%m%d", time.gmtime(owner.t))
    unique = f"{SEED}-{key[0]}-{key[1]}"
    if kind == "jpg":
        when = time.strftime("%Y:%m:%d %H:%M:%S", time.gmtime(owner.t - rng.randint(60, 30 * 86400)))
        return f"IMG_{rng.randint(1000, 9999)}.JPG", docgen.jpeg(POOL, size, rng, when, f"{unique} {topic}")
    title = f"{topic[0].upper()}{topic[1:]} ({unique})"
    meta = doc_meta(rng, owner, kind, title) if kind != "zip" else None
    if kind == "pdf":
        text_bytes = min(size, 120_000)
        lines = [title, ""] + text_lines(rng, owner.lang, max(400, text_bytes - 1500))
        pages = [lines[k:k + 58] for k in range(0, len(lines), 58)]
        images = images_for(rng, size - text_bytes) if size > 150_000 else []
        return f"{stem}-{stamp}.pdf", docgen.pdf(pages, meta, images, hashlib.md5(unique.encode()).digest())
    if kind == "docx":
        # Text deflates about fourfold: the rest of a big document is pictures.
        text_bytes = min(size, 40_000) * 4
        paras = [title] + [p for p in "\n".join(text_lines(rng, owner.lang, text_bytes)).split("\n\n") if p]
        images = images_for(rng, size - 40_000) if size > 60_000 else []
        return f"{stem}-{stamp}.docx", docgen.docx([p.replace("\n", " ") for p in paras], meta, images)
    if kind == "xlsx":
        rows = []
        for r in range(max(5, size // 42)):
            rows.append([f"{rng.choice(CITIES)}", f"{rng.choice(LAST)} {rng.choice(FIRST)}",
                         rng.choice(["Salle", "Transport", "Hôtel", "Impression", "Sono", "Traiteur"]),
                         rng.randint(1, 4000) * 5, round(rng.random() * 1000, 2), 20170000 + r % 1200])
        return f"{stem}-{stamp}.xlsx", docgen.xlsx([title, "Nom", "Poste", "Montant", "TVA", "Date"], rows, meta, "Budget")
    # zip: a folder of office files sent as one archive
    files = []
    parts = rng.randint(2, 5)
    for p in range(parts):
        sub = rng.choice(["docx", "xlsx", "pdf"])
        name, data = attachment(m, sub, max(KINDS[sub][3], size // parts), (key[0], 1000 + key[1] * 10 + p))
        files.append((f"{stem}/{name}", data))
    return f"{stem}.zip", docgen.zip_of(files, iso(owner.t))


# --------------------------------------------------------------------------
# messages (workers)


def hdr(value: str) -> str:
    if value.isascii():
        return value
    return Header(value, "utf-8").encode()


def addr(k: int) -> str:
    p = PEOPLE[k]
    return f"{hdr(p.name)} <{p.addr}>"


def html_of(text: str) -> str:
    import html
    paras = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n" for p in text.split("\n\n"))
    return f'<html><head><meta charset="utf-8"></head><body style="font-family:Calibri,sans-serif">\n{paras}</body></html>\n'


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode()


def build(i: int):
    """Message i, signed if its domain signs, tampered if planned. Returns
    (i, LF bytes, verdict, [(kind, sha256)] of its attachments)."""
    m = PLAN[i]
    rng = random.Random(f"msg/{SEED}/{i}")
    sender = PEOPLE[m.sender]
    prefix = {"new": "", "reply": "Re: " if m.lang == "en" or rng.random() < 0.7 else "RE: ",
              "forward": "TR: " if m.lang == "fr" else "Fwd: "}[m.kind]
    text = full_text(i) + "\n"
    headers = [("From", addr(m.sender)), ("To", ", ".join(addr(x) for x in m.to))]
    if m.cc:
        headers.append(("Cc", ", ".join(addr(x) for x in m.cc)))
    headers += [("Subject", hdr(prefix + m.subject)), ("Date", rfc_date(m.t)), ("Message-ID", msgid(i))]
    if m.kind == "reply":
        headers.append(("In-Reply-To", msgid(m.parent)))
        headers.append(("References", "\n ".join(msgid(r) for r in m.refs)))
    headers.append(("MIME-Version", "1.0"))
    body_part = ("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + text)
    if m.html:
        b = f"alt-{hashlib.md5(f'{SEED}/{i}/a'.encode()).hexdigest()[:20]}"
        body_part = (f'Content-Type: multipart/alternative; boundary="{b}"\n\n--{b}\n' + body_part
                     + f"\n--{b}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                     + html_of(full_text(i)) + f"\n--{b}--\n")
    atts = []
    if m.attachments:
        b = f"mix-{hashlib.md5(f'{SEED}/{i}/m'.encode()).hexdigest()[:20]}"
        parts = [f"--{b}\n" + body_part]
        for kind, size, key in m.attachments:
            name, data = attachment(m, kind, size, key)
            atts.append((kind, hashlib.sha256(data).hexdigest(), len(data)))
            parts.append(f'--{b}\nContent-Type: {MIME[kind]}; name="{name}"\nContent-Disposition: attachment; '
                         f'filename="{name}"\nContent-Transfer-Encoding: base64\n\n' + b64(data))
        headers.append(("Content-Type", f'multipart/mixed; boundary="{b}"'))
        body = "\n".join(parts) + f"--{b}--\n"
    else:
        ct, rest = body_part.split("\n", 1)
        headers.append(("Content-Type", ct.split(": ", 1)[1]))
        if rest.startswith("Content-Transfer-Encoding"):
            cte, rest = rest.split("\n", 1)
            headers.append(("Content-Transfer-Encoding", cte.split(": ", 1)[1]))
        body = rest[1:] if rest.startswith("\n") else rest
    headers.append(("X-Mailer" if rng.random() < 0.5 else "User-Agent", rng.choice(MAILERS)))
    msg = R.crlf("".join(f"{k}: {v}\n" for k, v in headers) + "\n" + body)
    verdict = "unsigned"
    signer = SIGNERS.get(sender.domain)
    if signs(m):
        sel, kind, bits, canon, published = signer[1] if sender.domain == CAMPAIGN and m.t >= ROTATE_AT else signer[0]
        if len(msg) > 64_000 and canon.endswith("/relaxed"):
            # dkimpy's relaxed body canonicalization is a Python loop over
            # lines: simple is as common on big messages and much faster.
            canon = canon.split("/")[0] + "/simple"
        signed = [k for k, _ in headers if k in ("From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To",
                                                 "References", "MIME-Version", "Content-Type")]
        sig = R.sign(msg, KEYS[(sender.domain, sel)], sender.domain, sel, headers=signed, canon=canon, t=m.t)
        received = (f"Received: from mail.{sender.domain} (mail.{sender.domain} [192.0.2.{i % 250 + 1}])\r\n"
                    f"\tby mx.{CAMPAIGN} with ESMTPS id {hashlib.md5(str(i).encode()).hexdigest()[:12]};\r\n"
                    f"\t{rfc_date(m.t + 2)}\r\n").encode()
        msg = received + sig + msg
        verdict = "verified" if published else "key-missing"
        if m.tamper == "body":
            start = msg.index(b"\r\n\r\n") + 4
            if m.attachments or m.html:
                start = msg.index(b"\r\n\r\n", start) + 4  # the text part's own body
            # One letter's case changed in the text: the smallest edit.
            at = msg.index(b" ", start) + 1
            while not msg[at:at + 1].isalpha():
                at += 1
            msg = msg[:at] + msg[at:at + 1].swapcase() + msg[at + 1:]
            verdict = "body-altered"
        elif m.tamper == "header":
            msg = msg.replace(b"\r\nSubject: ", b"\r\nSubject: [EXTERNE] ", 1)
            verdict = "headers-altered"
        if verdict in ("body-altered", "headers-altered") and not published:
            verdict = "key-missing"
    else:
        msg = (f"Received: from smtp.{sender.domain} (smtp.{sender.domain} [198.51.100.{i % 250 + 1}])\r\n"
               f"\tby mx.{CAMPAIGN} with ESMTP id {hashlib.md5(str(i).encode()).hexdigest()[:12]};\r\n"
               f"\t{rfc_date(m.t + 3)}\r\n").encode() + msg
    return i, R.to_lf(msg), verdict, atts


def init_worker(seed, people, plan_, keys, pool):
    global SEED, PEOPLE, PLAN, KEYS, POOL
    SEED, PEOPLE, PLAN, KEYS, POOL = seed, people, plan_, keys, pool


# --------------------------------------------------------------------------
# writing (parent process)


class Store:
    """The dump's mailboxes: maildirs written file by file, mbox files
    appended in message order."""

    def __init__(self, dump: str, mailboxes: int):
        self.dump = dump
        self.n_maildir = maildir_count(mailboxes)
        self.names = [ascii_(PEOPLE[k].addr.split("@")[0]) for k in range(mailboxes)]
        self.mboxes: dict[str, object] = {}
        self.bytes = 0
        for o in range(mailboxes):
            root = os.path.join(dump, self.names[o])
            if o < self.n_maildir:
                for folder in ("", ".Sent", ".Archives", ".Archives.2016", ".Drafts"):
                    for sub in ("cur", "new", "tmp"):
                        os.makedirs(os.path.join(root, folder, sub), exist_ok=True)
            else:
                os.makedirs(os.path.join(root, "Archives.sbd"), exist_ok=True)

    def path(self, o: int, folder: str) -> str:
        name = self.names[o]
        if o < self.n_maildir:
            sub = {"inbox": "", "sent": ".Sent", "archive": ".Archives", "archive2016": ".Archives.2016"}[folder]
            return os.path.join(name, sub, "cur")
        return os.path.join(name, {"inbox": "Inbox", "sent": "Sent", "archive": "Archives",
                                   "archive2016": "Archives.sbd/2016"}[folder])

    def put(self, o: int, folder: str, m: Msg, data: bytes, n: int) -> str:
        rel = self.path(o, folder)
        if o < self.n_maildir:
            flags = "S" if folder != "inbox" or n % 7 else ""
            name = maildir_name(m.t + n % 5, n, flags)
            with open(os.path.join(self.dump, rel, name), "wb") as f:
                f.write(data)
            self.bytes += len(data)
            return f"dump/{rel}/{name}"
        f = self.mboxes.get(rel)
        if f is None:
            f = self.mboxes[rel] = open(os.path.join(self.dump, rel), "wb")
        at = f.tell()
        entry = mbox_entry(PEOPLE[m.sender].addr, m.t, data)
        f.write(entry)
        self.bytes += len(entry)
        return f"dump/{rel}@{at}"

    def close(self):
        for f in self.mboxes.values():
            f.close()


def loose_zip(store: Store) -> tuple[str, int, int]:
    """The archive someone saved among their mail folders: office files,
    read by tamis as loose documents."""
    m = PLAN[len(PLAN) // 3]
    files = []
    for p, kind in enumerate(["docx", "xlsx", "pdf", "docx", "xlsx"]):
        name, data = attachment(m, kind, KINDS[kind][1] // 2, (m.i, 5000 + p))
        files.append((f"Pieces jointes 2016/{name}", data))
    data = docgen.zip_of(files, iso(m.t))
    rel = os.path.join(store.names[0], ".Archives", "pieces-jointes-2016.zip")
    with open(os.path.join(store.dump, rel), "wb") as f:
        f.write(data)
    store.bytes += len(data)
    return f"dump/{rel}", len(files), len(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--preset", choices=sorted(PRESETS), default="1g")
    ap.add_argument("--messages", type=int)
    ap.add_argument("--attachments", type=int)
    ap.add_argument("--gb", type=float, help="total size of the dump, in GB (10^9 bytes)")
    ap.add_argument("--mailboxes", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out")
    a = ap.parse_args()
    p = dict(PRESETS[a.preset])
    for k in ("messages", "attachments", "gb"):
        if getattr(a, k) is not None:
            p[k] = getattr(a, k)
    if a.mailboxes < 1:
        ap.error("--mailboxes must be at least 1")
    params = {"generator": 4, "preset": a.preset, "seed": a.seed, "mailboxes": a.mailboxes, **p}
    base = os.path.abspath(a.out or os.path.join(HERE, "out", f"make-dump-{a.preset}-s{a.seed}"))
    done = os.path.join(base, ".complete")
    if os.path.exists(done):
        with open(done) as f:
            if json.load(f) == params:
                print(base)
                return
    shutil.rmtree(os.path.join(base, "dump"), ignore_errors=True)
    for name in ("keys.zone", "manifest.tsv", "summary.json", ".complete"):
        if os.path.exists(os.path.join(base, name)):
            os.remove(os.path.join(base, name))
    os.makedirs(os.path.join(base, "dump"), exist_ok=True)
    started = time.time()

    global SEED, PEOPLE, PLAN, POOL
    SEED = a.seed
    PEOPLE = make_people(random.Random(f"people/{a.seed}"), a.mailboxes)
    PLAN = plan(a.seed, p["messages"], p["attachments"], a.mailboxes, p["gb"])
    keydir = os.path.join(base, "keys")
    zone = []
    for domain, sels in SIGNERS.items():
        for sel, kind, bits, _c, published in sels:
            key = R.seeded_key(keydir, f"{domain}-{sel}-{kind}{bits}", kind, bits, str(a.seed))
            KEYS[(domain, sel)] = key
            if published:
                zone.append(R.zone_line(f"{sel}._domainkey.{domain}", key.txt_record()))
    with open(os.path.join(base, "keys.zone"), "w") as f:
        f.write("; make-dump.py keys (seed %d): %s rotated from mail2016 to mail2017 on 2017-01-15\n" % (a.seed, CAMPAIGN))
        f.write("\n".join(zone) + "\n")
    POOL = docgen.make_jpeg_pool(a.seed, variants=3 if p["gb"] >= 0.1 else 1)
    if p["gb"] < 0.1:
        POOL = [b for b in POOL if len(b) < 400_000]
    print(f"  planned {len(PLAN)} messages, keys and {len(POOL)} pool images in {time.time() - started:.1f} s",
          file=sys.stderr)

    store = Store(os.path.join(base, "dump"), a.mailboxes)
    verdicts: dict[str, int] = {}
    by_type: dict[str, int] = {}
    distinct: dict[str, str] = {}
    att_bytes = 0
    s = dict(entries=0, unique=0, duplicates=0, maildir_files=0, mbox_entries=0, attachments=0, signed=0, tampered=0,
             threads=0, replies=0, forwards=0, html=0, copies_received=0, copies_crlf=0)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(a.jobs, initializer=init_worker, initargs=(SEED, PEOPLE, PLAN, KEYS, POOL)) as pool, \
            open(os.path.join(base, "manifest.tsv"), "w") as manifest:
        manifest.write("LOCATION\tMESSAGE-ID\tVERDICT\tDUPLICATE-OF\tCOPY\n")
        n_written = 0
        for i, data, verdict, atts in pool.imap(build, range(len(PLAN)), chunksize=8):
            m = PLAN[i]
            s[{"new": "threads", "reply": "replies", "forward": "forwards"}[m.kind]] += 1
            s["html"] += m.html
            first = None
            for o, folder, variant in m.placements:
                copy = data
                if variant == "copy-crlf":
                    copy = data.replace(b"\n", b"\r\n")
                elif variant == "copy-received":
                    copy = (f"Received: from mx.{CAMPAIGN} by imap.{CAMPAIGN} with LMTP id {i:08x};\n"
                            f"\t{rfc_date(m.t + 9)}\n").encode() + data
                loc = store.put(o, folder, m, copy, n_written)
                n_written += 1
                s["entries"] += 1
                s["maildir_files" if o < store.n_maildir else "mbox_entries"] += 1
                # A copy with a header of its own is another message to
                # tamis (a byte changed); the others are the same message.
                new = first is None or variant == "copy-received"
                if new:
                    s["unique"] += 1
                    verdicts[verdict] = verdicts.get(verdict, 0) + 1
                    s["signed"] += verdict != "unsigned"
                    s["tampered"] += verdict in ("body-altered", "headers-altered") or (
                        m.tamper is not None and signs(m))
                    for kind, digest, size in atts:
                        s["attachments"] += 1
                        by_type[kind] = by_type.get(kind, 0) + 1
                        if digest not in distinct:
                            distinct[digest] = kind
                            att_bytes += size
                else:
                    s["duplicates"] += 1
                s["copies_received"] += variant == "copy-received"
                s["copies_crlf"] += variant == "copy-crlf"
                manifest.write(f"{loc}\t{msgid(i)}\t{verdict}\t{first if first and not new else '-'}\t{variant}\n")
                first = first or loc
            if (i + 1) % 1000 == 0:
                el = time.time() - started
                print(f"  {i + 1}/{len(PLAN)} messages, {store.bytes / 1e6:.0f} MB ({(i + 1) / el:.0f}/s)",
                      file=sys.stderr)
    store.close()
    zip_loc, zip_files, _zip_bytes = loose_zip(store)
    distinct_by_type: dict[str, int] = {}
    for kind in distinct.values():
        distinct_by_type[kind] = distinct_by_type.get(kind, 0) + 1
    summary = {
        "parameters": params,
        "messages": s["entries"],
        "maildir_files": s["maildir_files"],
        "mbox_entries": s["mbox_entries"],
        "unique_messages": s["unique"],
        "duplicates": s["duplicates"],
        "copies_with_extra_received": s["copies_received"],
        "copies_with_crlf": s["copies_crlf"],
        "generated_messages": len(PLAN),
        "threads": s["threads"],
        "replies": s["replies"],
        "forwards": s["forwards"],
        "with_html": s["html"],
        "attachments": {"total": s["attachments"], "planned": sum(len(m.attachments) for m in PLAN),
                        "by_type": dict(sorted(by_type.items())),
                        "distinct": len(distinct), "distinct_by_type": dict(sorted(distinct_by_type.items())),
                        "distinct_bytes": att_bytes},
        "loose_files": {"zip": zip_loc, "documents": zip_files},
        "signed": s["signed"],
        "tampered": s["tampered"],
        "verdicts": dict(sorted(verdicts.items())),
        "bytes": store.bytes,
        "seconds": round(time.time() - started, 1),
    }
    with open(os.path.join(base, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(done, "w") as f:
        json.dump(params, f)
    print(f"  done: {s['entries']} messages, {store.bytes / 1e9:.2f} GB in {time.time() - started:.0f} s",
          file=sys.stderr)
    print(base)


if __name__ == "__main__":
    main()
