//! Gmail labels and thread ids of messages exported by Google Takeout, from
//! whole messages shaped as Takeout writes them (CRLF, the two X-GM fields
//! first), with label values as real exports carry them.

use tamis_content::extract;

fn takeout(labels_field: &str) -> Vec<u8> {
    format!(
        "X-GM-THRID: 1566540367457427330\r\n\
         {labels_field}\r\n\
         Delivered-To: claire.dubois@campagne.example.fr\r\n\
         From: Paul Mercier <paul.mercier@campagne.example.fr>\r\n\
         To: Claire Dubois <claire.dubois@campagne.example.fr>\r\n\
         Subject: Budget meeting de Lyon\r\n\
         Date: Mon, 03 Apr 2017 09:12:00 +0200\r\n\
         Message-ID: <m01.1491203520@horizon-commun.example.fr>\r\n\
         \r\n\
         Bonjour Claire,\r\n"
    )
    .into_bytes()
}

fn labels_of(labels_field: &str) -> Vec<String> {
    let content = extract(&takeout(labels_field));
    assert!(content.problems.is_empty(), "{:?}", content.problems);
    assert_eq!(
        content.gmail_thread_id.as_deref(),
        Some("1566540367457427330")
    );
    content.gmail_labels
}

#[test]
fn takeout_labels_as_english_and_french_exports_write_them() {
    assert_eq!(
        labels_of("X-Gmail-Labels: Inbox,Important,\"Label, with comma\",Ouvert"),
        ["Inbox", "Important", "Label, with comma", "Ouvert"]
    );
    assert_eq!(
        labels_of("X-Gmail-Labels: Archived,Category Updates,Opened"),
        ["Archived", "Category Updates", "Opened"]
    );
    assert_eq!(labels_of("X-Gmail-Labels: Spam,Opened"), ["Spam", "Opened"]);
    assert_eq!(labels_of("X-Gmail-Labels: Trash"), ["Trash"]);
}

#[test]
fn non_ascii_labels_encoded_whole_or_raw() {
    // Takeout encodes the whole value as one word, commas inside it.
    assert_eq!(
        labels_of("X-Gmail-Labels: =?UTF-8?Q?=C3=85pnet,Kategori:_Reklame?="),
        ["Åpnet", "Kategori: Reklame"]
    );
    assert_eq!(
        labels_of("X-Gmail-Labels: =?UTF-8?Q?Odesl=C3=A1no,Nep=C5=99e=C4=8Dten=C3=A9?="),
        ["Odesláno", "Nepřečtené"]
    );
    // Quoting inside the encoded word.
    assert_eq!(
        labels_of(
            "X-Gmail-Labels: =?UTF-8?Q?Bo=C3=AEte_de_r=C3=A9ception,\"R=C3=A9unions,_Lyon\",Ouvert?="
        ),
        ["Boîte de réception", "Réunions, Lyon", "Ouvert"]
    );
    // Base64 words, and raw UTF-8.
    assert_eq!(
        labels_of("X-Gmail-Labels: =?UTF-8?B?SW5ib3gsUsOpdW5pb25z?="),
        ["Inbox", "Réunions"]
    );
    assert_eq!(
        labels_of("X-Gmail-Labels: Inbox,Réunions,Ouvert"),
        ["Inbox", "Réunions", "Ouvert"]
    );
}

#[test]
fn folded_fields_are_unfolded() {
    assert_eq!(
        labels_of("X-Gmail-Labels: Inbox,Important,\r\n Opened,Category Updates"),
        ["Inbox", "Important", "Opened", "Category Updates"]
    );
}

#[test]
fn messages_outside_takeout_have_neither() {
    let content =
        extract(b"From: a@example.org\r\nTo: b@example.org\r\nSubject: s\r\n\r\nbody\r\n");
    assert!(content.gmail_labels.is_empty());
    assert_eq!(content.gmail_thread_id, None);
    assert!(content.problems.is_empty());
}

#[test]
fn a_hostile_thread_id_is_not_recorded_and_is_said() {
    let bytes = String::from_utf8(takeout("X-Gmail-Labels: Inbox"))
        .unwrap()
        .replace("1566540367457427330", "<script>1</script>");
    let content = extract(bytes.as_bytes());
    assert_eq!(content.gmail_thread_id, None);
    assert_eq!(content.gmail_labels, ["Inbox"]);
    assert_eq!(content.problems.len(), 1);
    assert!(
        content.problems[0].contains("X-GM-THRID"),
        "{:?}",
        content.problems
    );
}

#[test]
fn the_first_labels_field_counts_and_the_body_does_not() {
    let bytes = String::from_utf8(takeout("X-Gmail-Labels: Inbox\r\nX-Gmail-Labels: Spam"))
        .unwrap()
        .replace("Bonjour Claire,", "X-Gmail-Labels: Trash");
    assert_eq!(extract(bytes.as_bytes()).gmail_labels, ["Inbox"]);
}

#[test]
fn labels_survive_a_json_round_trip_and_old_json_still_reads() {
    let content = extract(&takeout("X-Gmail-Labels: Inbox,\"a, b\""));
    let json = serde_json::to_value(&content).unwrap();
    assert_eq!(json["gmail_labels"], serde_json::json!(["Inbox", "a, b"]));
    assert_eq!(json["gmail_thread_id"], "1566540367457427330");
    let mut old = json.clone();
    old.as_object_mut().unwrap().remove("gmail_labels");
    old.as_object_mut().unwrap().remove("gmail_thread_id");
    let back: tamis_findings::MessageContent = serde_json::from_value(old).unwrap();
    assert!(back.gmail_labels.is_empty());
    assert_eq!(back.gmail_thread_id, None);
}
