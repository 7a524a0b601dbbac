//! Corroboration on real-shaped French and English mail: Gmail, Apple
//! Mail, Thunderbird and Outlook quoting, forwards inline and attached, a
//! doctored copy, and the negatives (unverified quoters, greetings,
//! signature blocks, templates, same-topic messages).

mod common;

use common::{msg, quote, quote_wrapped, reply_to};
use tamis_corroborate::{corroborations, Corroboration, Corroborator, How, Message, Op};

// ---------------------------------------------------------------- texts

const ALICE_TRAITEUR: &str = "Bonjour Paul,

Je te confirme que le traiteur a accepté notre proposition pour le
meeting de Lyon du 4 mars. Il livrera 350 plateaux-repas à la salle
Tony-Garnier avant 11 h, et la facture sera adressée directement à
l'association de financement.

Peux-tu me confirmer le nombre de bénévoles présents pour l'accueil ?

Bien à toi,
Alice
-- 
Alice Martin
Pôle logistique
06 12 34 56 78
";

/// Outlook: one line per paragraph.
const DAVID_VENUE: &str = "Hi Sophie,

Attached is the revised venue contract for the May 2 rally. The hall can now seat 2,800 people instead of 2,500, and the deposit has been lowered to 15% of the total, payable by April 10.

The security plan still needs to be signed by your side before we can confirm the booking with the prefecture. Our insurer also asks for the name of the person in charge of the evacuation on the day.

Best regards,
David Levy
Partner Events Ltd.
";

const JEAN_TRACTS: &str = "Salut Marc,

Les 5 000 tracts pour le marché de samedi sont prêts à l'imprimerie de
la rue Oberkampf. Il faut les récupérer vendredi avant 18 h, sinon ils
ne seront livrés que lundi.

Jean
";

const CLAIRE_INTERVIEW: &str = "Dear Mr. Fontaine,

I am a journalist at Le Quotidien du Centre and would like to interview
the candidate about the agricultural programme during his visit to
Clermont-Ferrand on March 18. Twenty minutes would be enough.

Could you tell me whether this is possible, and whom I should contact?

Kind regards,
Claire Bernard
";

const ROUX_DEVIS: &str = "Madame,

Suite à notre entretien téléphonique, je vous prie de trouver ci-dessous
notre proposition pour l'impression de 2 000 affiches format 120 x 176,
quadrichromie, papier dos bleu : 3 480,00 EUR HT, livraison comprise.

Délai de fabrication : 5 jours ouvrés après validation du BAT.

Salutations distinguées,
Sébastien Roux
Imprimerie Roux & Fils
";

const BANQUE_COMPTE: &str = "Madame la trésorière,

Nous vous confirmons l'ouverture du compte de campagne n° 30004 01234
0001234567 89 au nom de l'association de financement. Les premiers
chèques pourront être déposés à l'agence à partir du lundi 13 mars.

Le plafond des dépôts en espèces reste fixé à 150 EUR par donateur.

Thomas Moreau
Conseiller clientèle associations
";

/// What Isabelle really wrote (only the verified reply quotes it).
const ISABELLE_REAL: &str = "Bonjour Karim,

La facture du traiteur pour la réunion publique de Nevers s'élève à
412,60 EUR TTC. Je l'ai réglée avec la carte de l'association, le
justificatif est dans le classeur bleu.

Merci de l'enregistrer dans les comptes de campagne avant vendredi.

Isabelle
";

/// The dump's copy: the planted forgery's style, a figure changed.
const ISABELLE_FORGED: &str = "Bonjour Karim,

La facture du traiteur pour la réunion publique de Nevers s'élève à
4 126,00 EUR TTC. Je l'ai réglée avec la carte de l'association, le
justificatif est dans le classeur bleu.

Merci de l'enregistrer dans les comptes de campagne avant vendredi.

Isabelle
";

const MAIRE_REAL: &str = "Monsieur le directeur de campagne,

J'ai bien reçu le projet de convention pour la mise à disposition du
gymnase municipal le 22 avril. Je ne signerai pas cette convention en
l'état. Le conseil municipal doit d'abord en délibérer lors de sa séance
du 12 avril, et la question de l'assurance reste à régler.

Mes services restent à votre disposition.

Bernard Chevalier
Maire de Saint-Amand
";

/// The dump's copy: the refusal cut out.
const MAIRE_FORGED: &str = "Monsieur le directeur de campagne,

J'ai bien reçu le projet de convention pour la mise à disposition du
gymnase municipal le 22 avril. Le conseil municipal doit d'abord en
délibérer lors de sa séance du 12 avril, et la question de l'assurance
reste à régler.

Mes services restent à votre disposition.

Bernard Chevalier
Maire de Saint-Amand
";

const PLANNING: &str = "Bonjour à tous,

Voici le planning des déplacements de la semaine prochaine. Lundi :
Rennes, meeting au parc des expositions à 19 h. Mardi : Brest, visite du
port le matin puis rencontre avec les pêcheurs. Mercredi : journée à
Paris, enregistrement de l'émission politique à 20 h 30.

Jeudi et vendredi restent à confirmer selon l'avancement du programme.
Merci de me signaler vos indisponibilités avant dimanche soir.

Hélène
";

const QUESTIONS: &str = "Hi Tom,

A few questions before Thursday's press briefing:

1. Do we have the final figures for the youth employment plan?
2. Who will answer questions on the pension reform costing?
3. Can the briefing room hold the forty accredited journalists?

Thanks,
Rachel
";

const APPLE_HTML: &str = "Bonjour Étienne,

Le car pour les militants partira de la place de la République à 7 h 15
samedi matin. Prévois 52 places, les inscriptions sont closes depuis hier
soir. Le chauffeur a besoin de la liste nominative vendredi midi.

Amitiés,
Mathilde
";

const LONG_MESSAGE: &str = "Bonjour Paul,

Merci pour ton message. Pour la réunion de mardi, il faudra prévoir la
salle du premier étage, le vidéoprojecteur et les badges des nouveaux
bénévoles. Nadia s'occupe des badges, mais elle attend encore la liste
définitive des inscrits.

Merci d'avance,
Alice
";

const SAME_TOPIC: &str = "Bonjour Paul,

Pour le meeting de Lyon du 4 mars, la salle Tony-Garnier nous demande
encore l'attestation d'assurance et le plan de circulation des cars. Le
traiteur n'a rien à voir avec ça, c'est la régie de la salle qui gère.

Alice
";

const COMMANDE_A: &str = "Bonjour,

Votre commande n° 4512 d'un montant de 1 250,00 EUR a été expédiée le
6 mars 2017 par transporteur. Elle vous sera livrée sous 48 heures à
l'adresse de la permanence de campagne.

Le service clients
";

const COMMANDE_B: &str = "Bonjour,

Votre commande n° 4513 d'un montant de 980,00 EUR a été expédiée le
7 mars 2017 par transporteur. Elle vous sera livrée sous 48 heures à
l'adresse de la permanence de campagne.

Le service clients
";

/// A signature block without `-- ` or closing formula, in six messages.
const CLAIRE_SIG: &str = "Claire Dubois
Responsable des relations presse
Campagne présidentielle 2017
99 rue Abbé-Groult, 75015 Paris
Tél. : +33 1 23 45 67 89 | Mobile : +33 6 98 76 54 32

Ce message et les pièces jointes sont confidentiels et réservés à l'usage
exclusif de leurs destinataires. Si vous avez reçu ce message par erreur,
merci d'en avertir immédiatement l'expéditeur et de le détruire.
";

fn claire(text: &str) -> String {
    format!("{text}\n\n{CLAIRE_SIG}")
}

// ---------------------------------------------------------------- corpus

/// The whole mailbox: every case side by side, so that none of them
/// corroborates another by accident.
fn mailbox() -> Vec<Message> {
    let gmail_attr =
        "Le jeu. 2 mars 2017 à 18:42, Alice Martin <alice.martin@campagne.example> a\nécrit :";
    vec![
        // Gmail (French), exact quote with a wrapped attribution line.
        msg(10, false, "<a1@campagne.example>", "Traiteur pour le meeting de Lyon", "alice.martin@campagne.example", ALICE_TRAITEUR),
        reply_to(
            msg(
                11,
                true,
                "<a2@campagne.example>",
                "Re: Traiteur pour le meeting de Lyon",
                "paul.girard@campagne.example",
                &format!(
                    "Bonjour Alice,\n\nNous serons 40 bénévoles, je t'envoie la liste ce soir.\n\nPaul\n\n{gmail_attr}\n\n{}\n",
                    quote(ALICE_TRAITEUR)
                ),
            ),
            "<a1@campagne.example>",
            &["<a1@campagne.example>"],
        ),
        // Thunderbird (English) quoting Outlook's long lines re-wrapped at
        // 72 columns, no thread headers.
        msg(20, false, "<b1@partner.example>", "Venue contract for May 2", "d.levy@partner.example", DAVID_VENUE),
        msg(
            21,
            true,
            "<b2@campagne.example>",
            "Re: Venue contract for May 2",
            "sophie.blanc@campagne.example",
            &format!(
                "Hi David,\n\nThanks, we will sign the security plan on Monday. The person in charge\nof the evacuation will be Marc Petit.\n\nSophie\n\nOn 28/03/2017 16:05, David Levy wrote:\n{}\n",
                quote_wrapped(DAVID_VENUE, 72)
            ),
        ),
        // Nested: a verified reply quoting an unverified reply quoting the
        // original (`> >`).
        msg(30, false, "<c1@campagne.example>", "Tracts pour samedi", "jean.dupont@campagne.example", JEAN_TRACTS),
        reply_to(
            msg(
                31,
                false,
                "<c2@campagne.example>",
                "Re: Tracts pour samedi",
                "marc.petit@campagne.example",
                &format!(
                    "Je passe les prendre vendredi à 17 h avec la camionnette de la\npermanence. Qui peut m'aider à les charger ?\n\nMarc\n\nLe 1 mars 2017 à 09:15, Jean Dupont <jean.dupont@campagne.example> a écrit :\n{}\n",
                    quote(JEAN_TRACTS)
                ),
            ),
            "<c1@campagne.example>",
            &["<c1@campagne.example>"],
        ),
        reply_to(
            msg(
                32,
                true,
                "<c3@campagne.example>",
                "Re: Tracts pour samedi",
                "lea.roussel@campagne.example",
                &format!("Je viens avec toi, Marc, j'ai ma voiture.\n\nLéa\n\nLe 1 mars 2017 à 10:02, Marc Petit <marc.petit@campagne.example> a écrit :\n{}\n", quote(&mailbox_body_31())),
            ),
            "<c2@campagne.example>",
            &["<c1@campagne.example>", "<c2@campagne.example>"],
        ),
        // Gmail (English) inline forward.
        msg(40, false, "<d1@medias.example>", "Interview request", "claire.bernard@medias.example", CLAIRE_INTERVIEW),
        msg(
            41,
            true,
            "<d2@campagne.example>",
            "Fwd: Interview request",
            "p.fontaine@campagne.example",
            &format!(
                "Hugo, can you handle this one? The visit schedule is still open.\n\n---------- Forwarded message ---------\nFrom: Claire Bernard <claire.bernard@medias.example>\nDate: Mon, Mar 6, 2017 at 9:47 AM\nSubject: Interview request\nTo: <p.fontaine@campagne.example>\n\n\n{CLAIRE_INTERVIEW}"
            ),
        ),
        // Outlook (French): a forward (TR:) below -----Message d'origine-----,
        // and a reply (RE:) below an underscore rule and a header block.
        msg(50, false, "<e1@imprimerie.example>", "Devis affiches", "s.roux@imprimerie.example", ROUX_DEVIS),
        msg(
            51,
            true,
            "<e2@campagne.example>",
            "TR: Devis affiches",
            "n.girard@campagne.example",
            &format!(
                "Pour validation, le devis de l'imprimeur.\r\n\r\nNathalie\r\n\r\n-----Message d'origine-----\r\nDe : Sébastien Roux [mailto:s.roux@imprimerie.example] \r\nEnvoyé : lundi 6 mars 2017 11:20\r\nÀ : Nathalie Girard\r\nObjet : Devis affiches\r\n\r\n{}",
                ROUX_DEVIS.replace('\n', "\r\n")
            ),
        ),
        reply_to(
            msg(
                52,
                true,
                "<e3@campagne.example>",
                "RE: Devis affiches",
                "n.girard@campagne.example",
                &format!(
                    "Monsieur,\n\nLe devis est validé, vous recevrez le bon de commande signé demain.\n\nCordialement,\nNathalie Girard\n\n________________________________\nDe : Sébastien Roux <s.roux@imprimerie.example>\nEnvoyé : lundi 6 mars 2017 11:20\nÀ : Nathalie Girard <n.girard@campagne.example>\nObjet : Devis affiches\n\n{ROUX_DEVIS}"
                ),
            ),
            "<e1@imprimerie.example>",
            &[],
        ),
        // Forwarded as an attachment (message/rfc822).
        msg(60, false, "<f1@banque.example>", "Ouverture du compte de campagne", "t.moreau@banque.example", BANQUE_COMPTE),
        Message {
            forwarded: vec![BANQUE_COMPTE.to_string()],
            ..msg(61, true, "<f2@campagne.example>", "Fwd: Ouverture du compte de campagne", "tresorerie@campagne.example", "Pour archivage, voir le message joint.\n")
        },
        // A doctored copy: the figure changed (412,60 -> 4 126,00), next to
        // the genuine copy (the recipient's, same Message-ID).
        msg(69, false, "<g1@campagne.example>", "Facture traiteur Nevers", "Isabelle Laurent <i.laurent@campagne.example>", ISABELLE_REAL),
        msg(70, false, "<g1@campagne.example>", "Facture traiteur Nevers", "i.laurent@campagne.example", ISABELLE_FORGED),
        reply_to(
            msg(
                71,
                true,
                "<g2@campagne.example>",
                "Re: Facture traiteur Nevers",
                "karim.benali@campagne.example",
                &format!("C'est enregistré, merci.\n\nKarim\n\nLe 9 mars 2017 à 14:31, Isabelle Laurent <i.laurent@campagne.example> a écrit :\n{}\n", quote(ISABELLE_REAL)),
            ),
            "<g1@campagne.example>",
            &["<g1@campagne.example>"],
        ),
        // A doctored copy: a sentence removed.
        msg(72, false, "<h1@saint-amand.example>", "Convention gymnase", "maire@saint-amand.example", MAIRE_FORGED),
        msg(
            73,
            true,
            "<h2@campagne.example>",
            "TR: Convention gymnase",
            "direction@campagne.example",
            &format!(
                "Le maire refuse de signer pour l'instant, il faut trouver une autre salle.\n\n-------- Message transféré --------\nSujet : \tConvention gymnase\nDate : \tMon, 3 Apr 2017 10:12:44 +0200\nDe : \tMaire de Saint-Amand <maire@saint-amand.example>\nPour : \tdirection@campagne.example\n\n{MAIRE_REAL}"
            ),
        ),
        // A trimmed quote: the replier kept the first paragraph and cut.
        msg(74, false, "<i1@campagne.example>", "Planning", "helene.vidal@campagne.example", PLANNING),
        msg(
            75,
            true,
            "<i2@campagne.example>",
            "Re: Planning",
            "chauffeur@campagne.example",
            &format!(
                "Le 4 mars 2017 à 19:03, Hélène Vidal <helene.vidal@campagne.example> a écrit :\n{}\n> [...]\n\nBien noté pour lundi à Rennes, je prends le minibus.\n",
                quote(PLANNING.split("\n\nJeudi").next().unwrap())
            ),
        ),
        // Interleaved answers (Outlook inline style with `>`).
        msg(80, false, "<j1@campagne.example>", "Press briefing", "rachel.cohen@campagne.example", QUESTIONS),
        msg(
            81,
            true,
            "<j2@campagne.example>",
            "Re: Press briefing",
            "tom.martin@campagne.example",
            &interleaved_answer(),
        ),
        // Apple Mail HTML body as text: the blockquote lost its `>`.
        msg(82, false, "<k1@campagne.example>", "Car samedi", "mathilde.fabre@campagne.example", APPLE_HTML),
        msg(
            83,
            true,
            "<k2@campagne.example>",
            "Re: Car samedi",
            "etienne.garnier@campagne.example",
            &format!("Parfait, je t'envoie la liste jeudi soir.\n\nÉtienne\n\nLe 7 mars 2017 à 08:55, Mathilde Fabre <mathilde.fabre@campagne.example> a écrit :\n\n{APPLE_HTML}"),
        ),
        // Negatives.
        // An unverified reply quoting Alice's message exactly.
        reply_to(
            msg(90, false, "<n1@campagne.example>", "Re: Traiteur pour le meeting de Lyon", "nadia.said@campagne.example", &format!("Super !\n\n{gmail_attr}\n{}\n", quote(ALICE_TRAITEUR))),
            "<a1@campagne.example>",
            &[],
        ),
        // A verified reply quoting only the greeting and the closing.
        msg(91, false, "<n2@campagne.example>", "Réunion de mardi", "alice.martin@campagne.example", LONG_MESSAGE),
        reply_to(
            msg(
                92,
                true,
                "<n3@campagne.example>",
                "Re: Réunion de mardi",
                "paul.girard@campagne.example",
                "Je m'en occupe.\n\nLe 6 mars 2017 à 08:12, Alice Martin <alice.martin@campagne.example> a écrit :\n> Bonjour Paul,\n>\n> Merci pour ton message.\n> [...]\n> Merci d'avance,\n> Alice\n",
            ),
            "<n2@campagne.example>",
            &["<n2@campagne.example>"],
        ),
        // Same topic, same names and places as Alice's message 10.
        msg(95, false, "<n5@campagne.example>", "Meeting de Lyon", "alice.martin@campagne.example", SAME_TOPIC),
        // A template: two notifications with other figures, one quoted.
        msg(96, false, "<o1@boutique.example>", "Votre commande 4512", "noreply@boutique.example", COMMANDE_A),
        msg(97, false, "<o2@boutique.example>", "Votre commande 4513", "noreply@boutique.example", COMMANDE_B),
        msg(
            98,
            true,
            "<o3@campagne.example>",
            "TR: Votre commande 4512",
            "logistique@campagne.example",
            &format!("Les kakémonos arrivent jeudi.\n\nBegin forwarded message:\n\nFrom: noreply@boutique.example\nSubject: Votre commande 4512\nDate: 6 March 2017 at 17:02:11 CET\nTo: logistique@campagne.example\n\n{COMMANDE_A}"),
        ),
        // Six messages sharing one signature block; a verified reply quotes
        // one of them.
        msg(100, false, "<p1@campagne.example>", "Salle jeudi", "claire.dubois@campagne.example", &claire("OK pour jeudi, je réserve la salle.")),
        msg(101, false, "<p2@campagne.example>", "Accréditations", "claire.dubois@campagne.example", &claire("Bonjour Paul,\n\nLes accréditations pour le débat télévisé du 20 mars doivent parvenir\nà la chaîne avant mercredi midi. Il nous manque encore les photos\nd'identité de trois membres de l'équipe.")),
        msg(102, true, "<p3@campagne.example>", "Communiqué", "claire.dubois@campagne.example", &claire("Le communiqué sur le financement de la campagne partira à 16 h, relu\npar le service juridique.")),
        msg(103, false, "<p4@campagne.example>", "Revue de presse", "claire.dubois@campagne.example", &claire("La revue de presse de ce matin est en ligne sur l'intranet.")),
        msg(104, false, "<p5@campagne.example>", "Déjeuner presse", "claire.dubois@campagne.example", &claire("Le déjeuner avec la presse régionale est décalé à 13 h 30.")),
        msg(
            105,
            true,
            "<p6@campagne.example>",
            "Re: Accréditations",
            "paul.girard@campagne.example",
            &format!(
                "Je t'envoie les photos dans l'heure.\n\nPaul\n\nLe 13 mars 2017 à 11:20, Claire Dubois <claire.dubois@campagne.example> a écrit :\n{}\n",
                quote(&claire("Bonjour Paul,\n\nLes accréditations pour le débat télévisé du 20 mars doivent parvenir\nà la chaîne avant mercredi midi. Il nous manque encore les photos\nd'identité de trois membres de l'équipe."))
            ),
        ),
    ]
}

fn mailbox_body_31() -> String {
    format!(
        "Je passe les prendre vendredi à 17 h avec la camionnette de la\npermanence. Qui peut m'aider à les charger ?\n\nMarc\n\nLe 1 mars 2017 à 09:15, Jean Dupont <jean.dupont@campagne.example> a écrit :\n{}\n",
        quote(JEAN_TRACTS)
    )
}

fn interleaved_answer() -> String {
    "Hi Rachel,\n\nAnswers below.\n\n\
     On Tue, Mar 14, 2017 at 8:02 AM, Rachel Cohen <rachel.cohen@campagne.example> wrote:\n\
     > Hi Tom,\n\
     >\n\
     > A few questions before Thursday's press briefing:\n\
     >\n\
     > 1. Do we have the final figures for the youth employment plan?\n\
     \n\
     Yes, the costing team sent them last night.\n\
     \n\
     > 2. Who will answer questions on the pension reform costing?\n\
     \n\
     Jean-Luc will.\n\
     \n\
     > 3. Can the briefing room hold the forty accredited journalists?\n\
     \n\
     Only thirty-five seats; we are moving to the large room.\n\
     \n\
     > Thanks,\n\
     > Rachel\n\
     \n\
     Tom\n"
        .to_string()
}

fn find(all: &[Corroboration], message: i64, by: i64) -> &Corroboration {
    all.iter()
        .find(|c| c.message == message && c.by == by)
        .unwrap_or_else(|| panic!("{message} by {by} not found in {all:#?}"))
}

// ---------------------------------------------------------------- tests

#[test]
fn the_whole_mailbox() {
    let all = corroborations(&mailbox());
    let got: Vec<(i64, i64, How, bool)> = all
        .iter()
        .map(|c| (c.message, c.by, c.how, c.differences.is_empty()))
        .collect();
    assert_eq!(
        got,
        [
            (10, 11, How::Quoted, true),
            (20, 21, How::Quoted, true),
            (30, 32, How::Quoted, true),
            (31, 32, How::Quoted, true),
            (40, 41, How::Forwarded, true),
            (50, 51, How::Forwarded, true),
            (50, 52, How::Quoted, true),
            (60, 61, How::Attached, true),
            (69, 71, How::Quoted, true),
            (70, 71, How::Quoted, false),
            (72, 73, How::Forwarded, false),
            (74, 75, How::Quoted, true),
            (80, 81, How::Quoted, true),
            (82, 83, How::Quoted, true),
            (96, 98, How::Forwarded, true),
            (101, 105, How::Quoted, true),
        ],
        "{all:#?}"
    );
    // Deterministic: same input, same output, whatever the thread count.
    assert_eq!(all, corroborations(&mailbox()));
}

#[test]
fn exact_quote_gmail() {
    let all = corroborations(&mailbox());
    let c = find(&all, 10, 11);
    assert!(c.is_exact(), "{c:#?}");
    assert_eq!(c.coverage, 1.0);
    assert_eq!(c.depth, 1);
    assert!(
        c.quoted
            .starts_with("> Bonjour Paul,\n>\n> Je te confirme que le traiteur"),
        "{}",
        c.quoted
    );
    // the signature is not the message's own text, but it is quoted
    assert!(c
        .quoted
        .contains("> Peux-tu me confirmer le nombre de bénévoles présents pour l'accueil ?"));
    assert_eq!(
        c.attribution.as_deref(),
        Some("Le jeu. 2 mars 2017 à 18:42, Alice Martin <alice.martin@campagne.example> a écrit :")
    );
    assert_eq!(c.own_words, c.matched_words);
}

#[test]
fn rewrapped_at_72_columns() {
    let all = corroborations(&mailbox());
    let c = find(&all, 20, 21);
    assert!(c.is_exact(), "{c:#?}");
    assert!(
        c.quoted.lines().all(|l| l.chars().count() <= 72),
        "{}",
        c.quoted
    );
    assert_eq!(
        c.attribution.as_deref(),
        Some("On 28/03/2017 16:05, David Levy wrote:")
    );
}

#[test]
fn nested_quotes() {
    let all = corroborations(&mailbox());
    let direct = find(&all, 31, 32);
    assert_eq!(direct.depth, 1);
    assert!(direct.is_exact(), "{direct:#?}");
    let nested = find(&all, 30, 32);
    assert_eq!(nested.depth, 2);
    assert!(nested.is_exact(), "{nested:#?}");
    assert!(
        nested.quoted.starts_with(">> Salut Marc,"),
        "{}",
        nested.quoted
    );
    assert_eq!(
        nested.attribution.as_deref(),
        Some("Le 1 mars 2017 à 09:15, Jean Dupont <jean.dupont@campagne.example> a écrit :")
    );
    // Marc's reply is not verified: it corroborates nothing.
    assert!(!all.iter().any(|c| c.by == 31));
}

#[test]
fn forwards_inline_outlook_and_attached() {
    let all = corroborations(&mailbox());
    let gmail = find(&all, 40, 41);
    assert!(gmail.is_exact());
    assert!(gmail
        .attribution
        .as_deref()
        .unwrap()
        .starts_with("---------- Forwarded message --------- From: Claire Bernard"));
    let outlook_fwd = find(&all, 50, 51);
    assert_eq!(outlook_fwd.how, How::Forwarded);
    assert!(outlook_fwd.is_exact(), "{outlook_fwd:#?}");
    let outlook_reply = find(&all, 50, 52);
    assert_eq!(outlook_reply.how, How::Quoted);
    assert!(outlook_reply.is_exact(), "{outlook_reply:#?}");
    assert!(outlook_reply
        .attribution
        .as_deref()
        .unwrap()
        .starts_with("________________________________ De : Sébastien Roux"));
    let attached = find(&all, 60, 61);
    assert_eq!(attached.how, How::Attached);
    assert!(attached.is_exact(), "{attached:#?}");
    assert!(attached.quoted.starts_with("Madame la trésorière,"));
    assert_eq!(attached.attribution, None);
}

#[test]
fn changed_figure_is_shown() {
    let all = corroborations(&mailbox());
    let c = find(&all, 70, 71);
    assert_eq!(c.how, How::Quoted);
    assert!(c.coverage < 1.0 && c.coverage > 0.9, "{}", c.coverage);
    assert_eq!(c.differences.len(), 2, "{:#?}", c.differences);
    let (removed, added) = (&c.differences[0], &c.differences[1]);
    assert_eq!((removed.op, removed.text.as_str()), (Op::Removed, "412,60"));
    assert_eq!((added.op, added.text.as_str()), (Op::Added, "4 126,00"));
    assert_eq!(removed.before, "publique de Nevers s'élève à");
    assert_eq!(removed.after, "EUR TTC. Je l'ai réglée");
    assert_eq!(added.before, removed.before);
    assert!(c.quoted.contains("> 412,60 EUR TTC."));
    assert!(c.unquoted.is_empty());
    // what the lead stores: the JSON of the differences
    let json = serde_json::to_value(&c.differences).unwrap();
    assert_eq!(json[0]["op"], "removed");
    assert_eq!(json[1]["text"], "4 126,00");
}

#[test]
fn removed_sentence_is_shown() {
    let all = corroborations(&mailbox());
    let c = find(&all, 72, 73);
    assert_eq!(c.how, How::Forwarded);
    assert_eq!(c.coverage, 1.0);
    assert_eq!(c.differences.len(), 1, "{:#?}", c.differences);
    assert_eq!(c.differences[0].op, Op::Removed);
    assert_eq!(
        c.differences[0].text,
        "Je ne signerai pas cette convention en l'état"
    );
}

#[test]
fn trimmed_quote_and_interleaved_answers() {
    let all = corroborations(&mailbox());
    let trimmed = find(&all, 74, 75);
    assert!(trimmed.differences.is_empty(), "{trimmed:#?}");
    assert!(
        trimmed.coverage < 1.0 && trimmed.coverage >= 0.6,
        "{}",
        trimmed.coverage
    );
    assert_eq!(
        trimmed.unquoted,
        ["Jeudi et vendredi restent à confirmer selon l'avancement du programme. Merci de me signaler vos indisponibilités avant dimanche soir. Hélène"]
    );
    assert!(!trimmed.is_exact());
    let inter = find(&all, 80, 81);
    assert!(inter.is_exact(), "{inter:#?}");
    // the span runs from the first quoted line to the last, answers included
    assert!(inter.quoted.contains("Jean-Luc will."));
    let html = find(&all, 82, 83);
    assert!(html.is_exact(), "{html:#?}");
}

#[test]
fn unverified_reply_greeting_and_same_topic_do_not_corroborate() {
    let all = corroborations(&mailbox());
    assert!(
        !all.iter().any(|c| c.by == 90),
        "an unverified message corroborates nothing"
    );
    assert!(
        !all.iter().any(|c| c.message == 91),
        "a greeting and a closing prove nothing"
    );
    assert!(
        !all.iter().any(|c| c.message == 95),
        "same topic, other text"
    );
    assert!(
        !all.iter().any(|c| c.message == 97),
        "a template with other figures"
    );
}

#[test]
fn a_shared_signature_block_does_not_corroborate() {
    let all = corroborations(&mailbox());
    let claire: Vec<(i64, i64)> = all
        .iter()
        .filter(|c| c.message >= 100)
        .map(|c| (c.message, c.by))
        .collect();
    assert_eq!(claire, [(101, 105)]);
    assert!(find(&all, 101, 105).is_exact());
}

#[test]
fn a_signature_block_of_two_messages_quoted_from_a_third() {
    // Two messages of one sender in the dump, and a verified reply quoting a
    // third one that the dump does not hold: the shared end of the two is
    // her signature, and it is all they share with the quote.
    let from = "Claire Dubois <claire.dubois@campagne.example>";
    let m1 = msg(
        1,
        false,
        "<r1@campagne.example>",
        "Salle jeudi",
        from,
        &claire("OK pour jeudi, je réserve la salle."),
    );
    let m2 = msg(
        2,
        false,
        "<r2@campagne.example>",
        "Revue de presse",
        from,
        &claire("La revue de presse de ce matin est en ligne sur l'intranet."),
    );
    let third = claire("Bonjour Paul,\n\nLes accréditations pour le débat télévisé du 20 mars doivent parvenir\nà la chaîne avant mercredi midi.");
    let v = msg(3, true, "<r3@campagne.example>", "Re: Accréditations", "paul.girard@campagne.example", &format!("Merci.\n\nLe 13 mars 2017 à 11:20, Claire Dubois <claire.dubois@campagne.example> a écrit :\n{}\n", quote(&third)));
    assert!(corroborations(&[m1.clone(), m2.clone(), v.clone()]).is_empty());
    // The third one, when the dump holds it, is corroborated exactly.
    let m3 = msg(
        4,
        false,
        "<r4@campagne.example>",
        "Accréditations",
        from,
        &third,
    );
    let all = corroborations(&[m1, m2, v, m3]);
    assert_eq!(
        all.iter()
            .map(|c| (c.message, c.by, c.is_exact()))
            .collect::<Vec<_>>(),
        [(4, 3, true)]
    );
}

#[test]
fn two_messages_with_one_signature() {
    // Only two messages: the block is not yet boilerplate by count, the
    // closing formula over it is what keeps it out.
    let sig = "Best regards,\nBob Harris\nHead of Digital\nCampaign Headquarters\n99 Example Street, Springfield\nPhone +1 555 0100 | Mobile +1 555 0199\nThis e-mail and any attachments are confidential and intended solely for\nthe addressee. If you received it in error, please delete it.\n";
    let m = msg(
        1,
        false,
        "<q1@example.com>",
        "Slides",
        "bob@example.com",
        &format!("Slides are ready.\n\n{sig}"),
    );
    let v = msg(
        2,
        true,
        "<q2@example.com>",
        "Website",
        "bob@example.com",
        &format!("The website goes live tonight at 9 pm, after the final check.\n\n{sig}"),
    );
    assert!(corroborations(&[m.clone(), v.clone()]).is_empty());
    // A verified reply quoting another of Bob's messages (sig included).
    let other = format!("The website goes live tonight at 9 pm, after the final check.\n\n{sig}");
    let w = msg(
        3,
        true,
        "<q3@example.com>",
        "Re: Website",
        "ann@example.com",
        &format!(
            "Great.\n\nOn Mon, Mar 6, 2017 at 10:00 AM, Bob Harris <bob@example.com> wrote:\n{}\n",
            quote(&other)
        ),
    );
    assert!(corroborations(&[m, v, w]).is_empty());
}

#[test]
fn verified_quoting_a_verified_message_corroborates_nothing() {
    let mut mb = mailbox();
    for m in &mut mb {
        m.verified = true;
    }
    assert!(corroborations(&mb).is_empty());
}

#[test]
fn empty_and_hostile_input() {
    assert!(corroborations(&[]).is_empty());
    let deep = format!(
        "{}\n",
        (0..5000)
            .map(|i| format!("{} mot{i} suivant{i} encore{i}", ">".repeat(i % 40)))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let v = msg(2, true, "", "Re:", "x", &deep);
    let m = msg(1, false, "", "x", "y", &deep.replace('>', ""));
    let _ = corroborations(&[m, v]);
}

#[test]
fn message_by_message_gives_the_same_result() {
    // The mailbox after more than a batch of unrelated messages (1,024),
    // some of them long, so that they are parsed in several batches and
    // the mailbox in the last one, left to `finish`.
    let mut all = Vec::new();
    let filler = "Le comité se réunira jeudi pour arrêter le calendrier des réunions publiques de la rentrée, salle des fêtes.";
    for k in 0..1_500i64 {
        let body = format!("{} {k}\n", filler.repeat(1 + k as usize % 40));
        all.push(msg(
            10_000 + k,
            k % 3 == 0,
            "",
            "Calendrier",
            "comite@example.org",
            &body,
        ));
    }
    all.extend(mailbox());
    let expected = corroborations(&all);
    assert!(!expected.is_empty());

    let mut corroborator = Corroborator::new();
    for m in all.iter().cloned() {
        corroborator.push(m);
    }
    let mut fetched = Vec::new();
    let got = corroborator
        .finish(|id| {
            fetched.push(id);
            Ok::<_, ()>(all.iter().find(|m| m.id == id).cloned())
        })
        .unwrap();
    assert_eq!(got, expected);
    // Only the messages of the corroborations are read again.
    let mut wanted: Vec<i64> = got.iter().flat_map(|c| [c.message, c.by]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    fetched.sort_unstable();
    assert_eq!(fetched, wanted);

    // A message gone by then: its corroborations are left out.
    let gone = expected[0].message;
    let mut corroborator = Corroborator::new();
    for m in all.iter().cloned() {
        corroborator.push(m);
    }
    let got = corroborator
        .finish(|id| Ok::<_, ()>(all.iter().find(|m| m.id == id && id != gone).cloned()))
        .unwrap();
    let rest: Vec<&Corroboration> = expected.iter().filter(|c| c.message != gone).collect();
    assert_eq!(got.iter().collect::<Vec<_>>(), rest);
    // And an error stops it.
    let mut corroborator = Corroborator::new();
    for m in all.iter().cloned() {
        corroborator.push(m);
    }
    assert_eq!(
        corroborator.finish(|_| Err::<Option<Message>, _>("no database")),
        Err("no database")
    );
}
