//! The sender's HTML, made inert.
//!
//! ammonia keeps a list of harmless tags and attributes and drops the rest;
//! on top of its defaults this configuration:
//! - removes the contents of `script`, `style`, `iframe`, `object`, `svg`…
//!   and not only the tags, so no code or CSS is left behind as text;
//! - allows no `style` attribute and no `class` (nothing that can load a
//!   `url()` or restyle the page into a lookalike);
//! - allows links only to `mailto:` (the link text stays, an `http:`,
//!   `javascript:` or relative `href` is removed), so clicking leaves nothing;
//! - allows images only as `data:` URIs of raster types: a remote image is
//!   a tracking pixel telling the sender that someone is reading the leak.
//!
//! The page shows the result in an `<iframe sandbox>` under
//! [`EMAIL_HTML_CSP`](crate::security::EMAIL_HTML_CSP), which would block any
//! script or remote load that got through anyway.

use ammonia::{Builder, UrlRelative};
use std::borrow::Cow;
use std::sync::LazyLock;

/// Tags removed together with everything inside them.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "template", "svg", "math", "title", "textarea", "select", "audio", "video",
];

/// Image types a browser decodes without running anything (not SVG).
const RASTER_IMAGE_PREFIXES: &[&str] = &[
    "data:image/png",
    "data:image/jpeg",
    "data:image/jpg",
    "data:image/gif",
    "data:image/webp",
    "data:image/bmp",
];

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .add_clean_content_tags(REMOVED_WITH_CONTENT)
        .url_schemes(["mailto", "data"].into_iter().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(keep_attribute);
    builder
});

/// Runs after ammonia's scheme check, so `value` is already a `mailto:` or
/// `data:` URL when the attribute holds one: this narrows each to its place.
fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let lowered = value.trim_start().to_ascii_lowercase();
    let keep = match (element, attribute) {
        ("img", "src") => RASTER_IMAGE_PREFIXES
            .iter()
            .any(|prefix| lowered.starts_with(prefix)),
        ("a", "href") => lowered.starts_with("mailto:"),
        // Any other URL-bearing attribute (cite, …) keeps no data: URL.
        _ => !lowered.starts_with("data:"),
    };
    keep.then_some(Cow::Borrowed(value))
}

/// The sender's HTML with everything active or remote removed.
pub fn sanitize_email_html(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// A standalone document for the message page's sandboxed iframe: the
/// sanitized body under a small stylesheet of ours (the sender's is gone).
pub fn email_html_document(html: &str) -> String {
    let body = sanitize_email_html(html);
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <style>body{{font:15px/1.5 system-ui,sans-serif;color:#1b1f24;background:#fff;\
         margin:12px;overflow-wrap:anywhere}}img{{max-width:100%;height:auto}}\
         table{{max-width:100%;border-collapse:collapse}}a{{color:#0b5394}}\
         a:not([href]){{color:inherit;text-decoration:none}}</style>\
         </head><body>\n{body}\n</body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_their_text_are_removed() {
        let out = sanitize_email_html("<p>hi</p><script>alert('x')</script><noscript>n</noscript>");
        assert_eq!(out, "<p>hi</p>");
    }

    #[test]
    fn event_handlers_and_style_attributes_are_removed() {
        let out = sanitize_email_html(
            r#"<img src="x" onerror="alert(1)"><p style="background:url(http://t.example/x)" onclick="y">t</p>"#,
        );
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("style"), "{out}");
        assert!(!out.contains("t.example"), "{out}");
    }

    #[test]
    fn links_keep_their_text_but_only_mailto_targets() {
        let out = sanitize_email_html(
            r#"<a href="javascript:alert(1)">a</a><a href="http://t.example/">b</a><a href="/local">c</a><a href="mailto:x@y.example">d</a>"#,
        );
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("t.example"), "{out}");
        assert!(!out.contains("/local"), "{out}");
        assert!(out.contains(r#"href="mailto:x@y.example""#), "{out}");
        for text in ["a", "b", "c", "d"] {
            assert!(out.contains(&format!(">{text}</a>")), "{out}");
        }
    }

    #[test]
    fn images_load_only_from_raster_data_uris() {
        let out = sanitize_email_html(concat!(
            r#"<img src="http://t.example/pixel.gif">"#,
            r#"<img src="//t.example/p.gif">"#,
            r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#,
            r#"<img alt="logo" src="data:image/png;base64,iVBORw0KGgo=">"#,
        ));
        assert!(!out.contains("t.example"), "{out}");
        assert!(!out.contains("svg"), "{out}");
        assert!(
            out.contains(r#"src="data:image/png;base64,iVBORw0KGgo=""#),
            "{out}"
        );
    }

    #[test]
    fn forms_frames_and_stylesheets_are_removed() {
        let out = sanitize_email_html(concat!(
            r#"<form action="http://t.example/"><input name="p"><button>Send</button></form>"#,
            r#"<iframe src="http://t.example/"></iframe>"#,
            r#"<style>body{background:url(http://t.example/bg)}</style>"#,
            r#"<link rel="stylesheet" href="http://t.example/s.css">"#,
            r#"<base href="http://t.example/"><meta http-equiv="refresh" content="0;url=http://t.example/">"#,
        ));
        for banned in [
            "<form",
            "<input",
            "<button",
            "<iframe",
            "<style",
            "<link",
            "<base",
            "<meta",
            "t.example",
        ] {
            assert!(!out.contains(banned), "{banned} in {out}");
        }
    }

    #[test]
    fn the_document_wraps_the_sanitized_body() {
        let doc = email_html_document("<b>bold</b><script>x</script>");
        assert!(doc.starts_with("<!DOCTYPE html>"));
        assert!(doc.contains("<b>bold</b>"));
        assert!(!doc.contains("<script"));
    }
}
