//! Live DNS lookups, only when the user opts in (`--dns`): today's DNS says
//! nothing certain about a key used years ago, so its answers carry the
//! server and time they were obtained from.

use crate::lookup::normalize_name;
use crate::{KeyLookup, TxtLookup, TxtRecord};
use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use hickory_resolver::error::{ResolveError, ResolveErrorKind};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::RData;
use hickory_resolver::TokioAsyncResolver;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// TXT records from live DNS, each name asked once per `DnsLookup`.
///
/// Answers are cached for the life of the value, errors included: a run
/// verifying 10,000 messages sees one consistent view of DNS, with one
/// lookup time, and a dead server costs one timeout per name, not one per
/// message. Many threads may look up at once; concurrent lookups of the
/// same name wait for the first.
///
/// `lookup_txt` blocks on its own runtime, so async callers must call it
/// from a blocking thread (`spawn_blocking`), never from a task.
pub struct DnsLookup {
    resolver: TokioAsyncResolver,
    runtime: tokio::runtime::Runtime,
    /// How provenance names the server: `system` or `IP:PORT`.
    server: String,
    cache: Mutex<HashMap<String, Arc<OnceLock<Answer>>>>,
}

/// One name's answer and when it was obtained (Unix seconds).
#[derive(Clone)]
struct Answer {
    lookup: TxtLookup,
    at: i64,
}

/// A record live DNS returned during the run, for writing back to a key
/// store so the next run is reproducible offline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsAnswer {
    pub name: String,
    pub record: String,
    /// Unix seconds.
    pub looked_up_at: i64,
}

impl DnsLookup {
    /// Uses the system's resolver configuration (`/etc/resolv.conf` on Unix).
    pub fn system() -> std::io::Result<DnsLookup> {
        let (config, options) = hickory_resolver::system_conf::read_system_conf()?;
        Self::new(config, options, "system".into())
    }

    /// Asks only `nameserver` (UDP, TCP on truncation), for tests and for
    /// users who want a specific resolver.
    pub fn with_nameserver(nameserver: SocketAddr) -> std::io::Result<DnsLookup> {
        let servers =
            NameServerConfigGroup::from_ips_clear(&[nameserver.ip()], nameserver.port(), true);
        let config = ResolverConfig::from_parts(None, Vec::new(), servers);
        Self::new(config, ResolverOpts::default(), nameserver.to_string())
    }

    fn new(
        config: ResolverConfig,
        mut options: ResolverOpts,
        server: String,
    ) -> std::io::Result<DnsLookup> {
        // Our own cache keeps every answer for the run; a second one inside
        // the resolver would only expire entries by TTL.
        options.cache_size = 0;
        // Verifier threads drive their own lookups in `block_on`; the one
        // worker only runs the I/O driver and timers.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("tamis-dns")
            .enable_all()
            .build()?;
        let resolver = {
            let _inside = runtime.enter();
            TokioAsyncResolver::tokio(config, options)
        };
        Ok(DnsLookup {
            resolver,
            runtime,
            server,
            cache: Mutex::default(),
        })
    }

    /// How provenance names the server: `system` or `IP:PORT`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Every record found so far, by name, in lookup-name order.
    pub fn answers(&self) -> Vec<DnsAnswer> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<DnsAnswer> = cache
            .iter()
            .filter_map(|(name, slot)| Some((name, slot.get()?)))
            .flat_map(|(name, answer)| match &answer.lookup {
                TxtLookup::Found(records) => records
                    .iter()
                    .map(|r| DnsAnswer {
                        name: name.clone(),
                        record: r.value.clone(),
                        looked_up_at: answer.at,
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        out.sort_by(|a, b| (&a.name, &a.record).cmp(&(&b.name, &b.record)));
        out
    }

    fn query(&self, name: &str) -> Answer {
        let now = SystemTime::now();
        let unix = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Answer {
            lookup: self.query_at(name, now),
            at: unix,
        }
    }

    fn query_at(&self, name: &str, now: SystemTime) -> TxtLookup {
        let at = humantime::format_rfc3339_seconds(now);
        let source = format!("dns:{} at {at}", self.server);
        // The trailing dot makes the name absolute, so the system's search
        // domains are never appended to a DKIM name that does not exist.
        let fqdn = format!("{name}.");
        match self.runtime.block_on(self.resolver.txt_lookup(fqdn)) {
            Ok(answer) => TxtLookup::Found(
                answer
                    .as_lookup()
                    .record_iter()
                    .filter_map(|record| match record.data() {
                        Some(RData::TXT(txt)) => Some(TxtRecord {
                            value: String::from_utf8_lossy(&txt.txt_data().concat()).into_owned(),
                            source: source.clone(),
                            ..TxtRecord::default()
                        }),
                        _ => None,
                    })
                    .collect(),
            ),
            Err(error) if is_absent(&error) => TxtLookup::NotFound,
            Err(error) => TxtLookup::Error(format!("{source}: {error}")),
        }
    }
}

/// NXDOMAIN, or a name that exists without TXT records. SERVFAIL and the
/// like come back as the same error kind but mean the server could not say.
fn is_absent(error: &ResolveError) -> bool {
    matches!(
        error.kind(),
        ResolveErrorKind::NoRecordsFound {
            response_code: ResponseCode::NXDomain | ResponseCode::NoError,
            ..
        }
    )
}

impl KeyLookup for DnsLookup {
    fn lookup_txt(&self, name: &str) -> TxtLookup {
        let name = normalize_name(name);
        let slot = {
            // A panic elsewhere while holding the lock cannot leave the map
            // half-updated, so its contents stay usable.
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(cache.entry(name.clone()).or_default())
        };
        slot.get_or_init(|| self.query(&name)).lookup.clone()
    }
}

#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;
