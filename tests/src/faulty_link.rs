//! A faulty network between a device and the sync server: a real TCP proxy on 127.0.0.1 that
//! frames each HTTP/1.1 exchange (one per connection: it forces `Connection: close`) and does
//! to the n-th exchange what the test planned — drop the request or the response, send the
//! request twice, deliver it late (after the device gave up: a reordering), delay it, cut or
//! corrupt the request or the response at a byte.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What happens to one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    DropRequest,
    DropResponse,
    Duplicate,
    /// The device gets no answer; the request reaches the server 300 ms later.
    Late,
    Delay(u64),
    CutRequest(usize),
    CutResponse(usize),
    CorruptRequest(usize),
    CorruptResponse(usize),
}

pub struct FaultyLink {
    pub url: String,
    plan: Arc<Mutex<HashMap<usize, Fault>>>,
    exchanges: Arc<AtomicUsize>,
}

impl FaultyLink {
    pub fn start(server: &str) -> FaultyLink {
        let target = server.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let plan: Arc<Mutex<HashMap<usize, Fault>>> = Arc::default();
        let exchanges = Arc::new(AtomicUsize::new(0));
        let (p, n) = (Arc::clone(&plan), Arc::clone(&exchanges));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let index = n.fetch_add(1, Ordering::SeqCst);
                let fault = p.lock().map(|p| p.get(&index).copied()).ok().flatten();
                let target = target.clone();
                std::thread::spawn(move || exchange(client, &target, fault.unwrap_or(Fault::Pass)));
            }
        });
        FaultyLink {
            url,
            plan,
            exchanges,
        }
    }

    /// From now on, the `k`-th next exchange (0 = the next one) gets `fault`; others pass.
    pub fn plan(&self, k: usize, fault: Fault) {
        let base = self.exchanges.load(Ordering::SeqCst);
        if let Ok(mut plan) = self.plan.lock() {
            plan.clear();
            plan.insert(base + k, fault);
        }
    }
}

/// Reads one HTTP message: the head, then a Content-Length body, or (for responses) up to EOF.
fn read_message(stream: &mut TcpStream, to_eof: bool) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if !to_eof {
            if let Some(end) = find(&buf, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if buf.len() >= end + 4 + length {
                    return buf;
                }
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return buf,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// One exchange per connection: the server closes after answering.
fn force_close(request: Vec<u8>) -> Vec<u8> {
    let Some(end) = find(&request, b"\r\n\r\n") else {
        return request;
    };
    let head = String::from_utf8_lossy(&request[..end]);
    let mut lines: Vec<&str> = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    let mut out = lines.join("\r\n").into_bytes();
    out.extend_from_slice(&request[end..]);
    out
}

fn send(target: &str, request: &[u8]) -> Vec<u8> {
    let Ok(mut server) = TcpStream::connect(target) else {
        return Vec::new();
    };
    let _ = server.set_read_timeout(Some(Duration::from_secs(20)));
    if server.write_all(request).is_err() {
        return Vec::new();
    }
    // (No half-close: the server would take it for a client that went away.) A cut request
    // leaves the server waiting for the rest; it gives up when this side closes.
    let complete = find(request, b"\r\n\r\n").is_some_and(|end| {
        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        request.len() >= end + 4 + length
    });
    if !complete {
        let _ = server.set_read_timeout(Some(Duration::from_millis(300)));
    }
    read_message(&mut server, true)
}

fn flip(mut bytes: Vec<u8>, at: usize) -> Vec<u8> {
    if !bytes.is_empty() {
        let i = at.min(bytes.len() - 1);
        bytes[i] ^= 0x20;
    }
    bytes
}

fn exchange(mut client: TcpStream, target: &str, fault: Fault) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(20)));
    let request = force_close(read_message(&mut client, false));
    if request.is_empty() {
        return;
    }
    let response = match fault {
        Fault::DropRequest => Vec::new(),
        Fault::Late => {
            let (target, late) = (target.to_owned(), request.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                send(&target, &late);
            });
            Vec::new()
        }
        Fault::Duplicate => {
            send(target, &request);
            send(target, &request)
        }
        Fault::Delay(ms) => {
            std::thread::sleep(Duration::from_millis(ms));
            send(target, &request)
        }
        Fault::CutRequest(at) => send(target, &request[..at.min(request.len())]),
        Fault::CorruptRequest(at) => send(target, &flip(request, at)),
        Fault::DropResponse => {
            send(target, &request);
            Vec::new()
        }
        Fault::CutResponse(at) => {
            let r = send(target, &request);
            r[..at.min(r.len())].to_vec()
        }
        Fault::CorruptResponse(at) => flip(send(target, &request), at),
        Fault::Pass => send(target, &request),
    };
    let _ = client.write_all(&response);
    let _ = client.shutdown(Shutdown::Both);
}
