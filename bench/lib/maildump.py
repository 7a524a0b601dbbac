"""Pieces shared by the benchmark dump generators (make-signed-dump.py,
make-dump.py): the campaign vocabulary, paragraphs of it, and how a message
is stored in an mbox (mboxrd) or a maildir."""

from __future__ import annotations

import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "fixtures"))

import dkimref as R  # noqa: E402

WORDS = ("campagne reunion budget militants tract salle meeting programme candidat presse communique "
         "deplacement train hotel facture devis signature conseil region departement commune electeurs "
         "sondage debat television radio reseaux affiche benevoles permanence dons comptes mandataire "
         "transport logistique securite accreditation journaliste interview agenda semaine samedi dimanche "
         "euros valide urgent merci cordialement bonjour equipe projet territoire ecologie emploi sante "
         "education europe jeunesse retraite securite numerique agriculture industrie culture sport").split()


def paragraph(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n_words)]
    lines, line = [], []
    for w in words:
        line.append(w)
        if sum(len(x) + 1 for x in line) > 68:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    text = "\n".join(lines)
    return text[0].upper() + text[1:] + "."


def mbox_entry(sender: str, t: int, msg_lf: bytes) -> bytes:
    """One mboxrd entry: the `From ` separator line, the message with its
    `>*From ` lines escaped, a blank line."""
    stamp = time.strftime("%a %b %e %H:%M:%S %Y", time.gmtime(t))
    return f"From {sender} {stamp}\n".encode() + R.mbox_escape(msg_lf) + b"\n"


def maildir_name(t: int, n: int, flags: str = "S") -> str:
    """A Dovecot-style maildir file name: delivery time, a unique part, flags."""
    return f"{t}.M{n % 1000000}P{1000 + n % 30000}.mail:2,{flags}"
