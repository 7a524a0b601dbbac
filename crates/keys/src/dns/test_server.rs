//! A DNS responder on 127.0.0.1 serving fixed answers, so `DnsLookup` is
//! tested over real UDP without the internet.

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::TXT;
use hickory_proto::rr::{RData, Record};
use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `split.example`: one TXT record in two character-strings.
/// `servfail.example`: SERVFAIL. `empty.example`: exists, no TXT.
/// Anything else: NXDOMAIN.
pub(super) const SPLIT_CHUNKS: [&str; 2] = [
    "v=DKIM1; k=ed25519; ",
    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
];

pub(super) struct TestServer {
    pub addr: SocketAddr,
    queries: Arc<Mutex<HashMap<String, usize>>>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind test DNS server");
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("read timeout");
        let server = TestServer {
            addr: socket.local_addr().expect("local addr"),
            queries: Arc::default(),
            stop: Arc::default(),
        };
        let (queries, stop) = (Arc::clone(&server.queries), Arc::clone(&server.stop));
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while !stop.load(Ordering::Relaxed) {
                let Ok((len, peer)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                let Ok(query) = Message::from_vec(&buf[..len]) else {
                    continue;
                };
                let reply = answer(&query, &queries);
                let _ = socket.send_to(&reply.to_vec().expect("encode reply"), peer);
            }
        });
        server
    }

    /// How many queries arrived for `name` (no trailing dot).
    pub fn queries_for(&self, name: &str) -> usize {
        let queries = self.queries.lock().expect("query counts");
        queries.get(name).copied().unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn answer(query: &Message, queries: &Mutex<HashMap<String, usize>>) -> Message {
    let mut reply = Message::new();
    reply
        .set_id(query.id())
        .set_message_type(MessageType::Response)
        .set_op_code(query.op_code())
        .set_recursion_desired(query.recursion_desired())
        .set_recursion_available(true)
        .add_queries(query.queries().to_vec());
    let Some(question) = query.queries().first() else {
        reply.set_response_code(ResponseCode::FormErr);
        return reply;
    };
    let name = question.name().to_ascii().to_lowercase();
    let name = name.trim_end_matches('.').to_owned();
    *queries
        .lock()
        .expect("query counts")
        .entry(name.clone())
        .or_default() += 1;
    match name.as_str() {
        "split.example" => {
            let txt = TXT::from_bytes(SPLIT_CHUNKS.iter().map(|c| c.as_bytes()).collect());
            reply.add_answer(Record::from_rdata(
                question.name().clone(),
                300,
                RData::TXT(txt),
            ));
        }
        "servfail.example" => {
            reply.set_response_code(ResponseCode::ServFail);
        }
        "empty.example" => {}
        _ => {
            reply.set_response_code(ResponseCode::NXDomain);
        }
    }
    reply
}
