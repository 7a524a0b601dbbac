//! What every response carries, and which Host names the server answers to.
//!
//! The pages' policy allows only the server's own scripts, styles, images
//! and frames: no inline script, no remote load, no form submission. The
//! sanitized e-mail HTML gets a stricter one of its own
//! ([`EMAIL_HTML_CSP`]), set by its handler and left alone here.

use axum::extract::Request;
use axum::http::header::{CONTENT_SECURITY_POLICY, HOST, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use crate::error::ApiError;

/// The policy of the UI pages, the API and the downloads.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'none'; \
     base-uri 'none'; frame-ancestors 'self'";

/// The policy of a sanitized e-mail body: nothing may load but inline images,
/// and `sandbox` makes the document script-less and origin-less even when it
/// is opened on its own rather than in the page's sandboxed iframe.
/// `style-src 'unsafe-inline'` is for our own small stylesheet in the
/// document's head; the sanitizer removes every style the sender wrote.
pub const EMAIL_HTML_CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; \
     form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox";

/// The policy of the spread report `tamis spread --case` attached: our own
/// self-contained page (inline styles, inline SVG, no script), served
/// sandboxed so that even a tampered file in the case directory could run
/// nothing and load nothing.
pub const SPREAD_REPORT_CSP: &str =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; \
     form-action 'none'; base-uri 'none'; frame-ancestors 'none'; sandbox";

/// Adds the security headers to every response. A Content-Security-Policy
/// already set (the e-mail HTML's stricter one) is kept.
pub async fn add_security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(PAGE_CSP));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Which `Host` headers the server answers.
///
/// A server on loopback is still reachable from any web page the user
/// visits through DNS rebinding: the page's own domain name is made to
/// resolve to 127.0.0.1, and the browser then treats the case as that
/// page's origin. Such a request always carries the attacker's domain name
/// in `Host`, so a loopback server answers only `localhost` and IP literals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostPolicy {
    /// `localhost` or an IP literal, with any port; a request without `Host`
    /// (HTTP/1.0, tests) cannot come from a rebinding browser and passes.
    LoopbackNames,
    /// Any name: the user bound a non-loopback address on purpose and
    /// reaches it by whatever name the network gives the machine.
    AnyHost,
}

impl HostPolicy {
    pub fn for_addr(addr: SocketAddr) -> Self {
        if addr.ip().is_loopback() {
            HostPolicy::LoopbackNames
        } else {
            HostPolicy::AnyHost
        }
    }

    pub fn allows(self, host: Option<&str>) -> bool {
        match (self, host) {
            (HostPolicy::AnyHost, _) | (_, None) => true,
            (HostPolicy::LoopbackNames, Some(host)) => is_localhost_or_ip_literal(host),
        }
    }
}

/// `host` is a Host header value: a name or IP literal, maybe with `:port`.
fn is_localhost_or_ip_literal(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('[') {
        let Some((literal, after)) = rest.split_once(']') else {
            return false;
        };
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(is_port_number);
        return literal.parse::<Ipv6Addr>().is_ok() && port_ok;
    }
    let name = match host.rsplit_once(':') {
        Some((name, port)) if is_port_number(port) => name,
        Some(_) => return false,
        None => host,
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok()
}

fn is_port_number(digits: &str) -> bool {
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<u16>().is_ok()
}

/// Middleware refusing requests whose Host the policy does not allow.
pub async fn check_host(policy: HostPolicy, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(HOST)
        .map(|value| value.to_str().unwrap_or("\u{fffd}"));
    if policy.allows(host) {
        return next.run(request).await;
    }
    let mut refusal = ApiError::bad_request(format!(
        "this server answers only to localhost or an IP address, not to Host {:?}: \
         that protects the case from web pages that point their own name at this \
         machine (DNS rebinding). Open http://localhost:PORT/ or http://127.0.0.1:PORT/, \
         or serve on a non-loopback --addr to allow other names.",
        host.unwrap_or_default()
    ));
    refusal.status = axum::http::StatusCode::MISDIRECTED_REQUEST;
    refusal.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_server_answers_localhost_and_ip_literals() {
        let policy = HostPolicy::LoopbackNames;
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.0.0.1:41234",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(policy.allows(Some(host)), "{host}");
        }
        assert!(policy.allows(None));
    }

    #[test]
    fn loopback_server_refuses_a_rebound_domain_name() {
        let policy = HostPolicy::LoopbackNames;
        for host in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "[::1",
            "localhost:http",
            "",
        ] {
            assert!(!policy.allows(Some(host)), "{host}");
        }
    }

    #[test]
    fn policy_follows_the_bound_address() {
        assert_eq!(
            HostPolicy::for_addr("127.0.0.1:8080".parse().unwrap()),
            HostPolicy::LoopbackNames
        );
        assert_eq!(
            HostPolicy::for_addr("[::1]:8080".parse().unwrap()),
            HostPolicy::LoopbackNames
        );
        assert_eq!(
            HostPolicy::for_addr("0.0.0.0:8080".parse().unwrap()),
            HostPolicy::AnyHost
        );
    }
}
