//! Where a request comes from, as the front door (`crate::throttle`) counts it: the
//! connection's address, which the server is served with ([`Peer`], on plain TCP and on TLS),
//! IPv6 grouped by its /64 (one home or phone holds a whole /64). `X-Forwarded-For` is
//! believed only when the `trust_forwarded` setting says a proxy in front of the server sets
//! it — otherwise anyone could claim any address — and then only its last entry, the one that
//! proxy added.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::ServerError;
use crate::state::AppState;

/// The address of a connection's other end, as `crate::conn` hands it to every request (in
/// `ConnectInfo`, on plain TCP and on TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub SocketAddr);

/// The source of a request: an IPv4 address or an IPv6 /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source(IpAddr);

impl Source {
    /// The source `ip` belongs to (an IPv4 address written as IPv6 is that IPv4 address).
    pub fn of(ip: IpAddr) -> Source {
        match ip {
            IpAddr::V4(v4) => Source(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Source(IpAddr::V4(v4)),
                None => {
                    let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                    Source(IpAddr::V6(Ipv6Addr::from(prefix)))
                }
            },
        }
    }

    /// What the counters are keyed by.
    pub fn key(&self) -> String {
        self.0.to_string()
    }

    /// A request's source: the forwarded address when trusted and well formed, else the
    /// connection's; a router served without [`Peer`] (in-process tests) counts as one source.
    pub fn of_request(parts: &Parts, trust_forwarded: bool) -> Source {
        let forwarded = trust_forwarded
            .then(|| parts.headers.get_all("x-forwarded-for").iter().next_back())
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<Peer>>()
            .map(|ConnectInfo(Peer(addr))| addr.ip());
        Source::of(
            forwarded
                .or(peer)
                .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        )
    }
}

impl FromRequestParts<AppState> for Source {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Source, ServerError> {
        Ok(Source::of_request(parts, state.settings.trust_forwarded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: &str, forwarded: &[&str]) -> Parts {
        let mut request = axum::http::Request::builder();
        for f in forwarded {
            request = request.header("x-forwarded-for", *f);
        }
        let (mut parts, ()) = request.body(()).expect("request").into_parts();
        parts
            .extensions
            .insert(ConnectInfo(Peer(peer.parse().expect("addr"))));
        parts
    }

    #[test]
    fn the_source_of_a_request() {
        let check = |peer: &str, forwarded: &[&str], trust: bool, expect: &str| {
            let got = Source::of_request(&parts(peer, forwarded), trust).key();
            assert_eq!(got, expect, "{peer} {forwarded:?} trust={trust}");
        };
        check("203.0.113.7:5000", &[], false, "203.0.113.7");
        check("203.0.113.7:5000", &["198.51.100.1"], false, "203.0.113.7");
        check("10.0.0.2:5000", &["198.51.100.1"], true, "198.51.100.1");
        check(
            "10.0.0.2:5000",
            &["1.1.1.1, 198.51.100.1"],
            true,
            "198.51.100.1",
        );
        check(
            "10.0.0.2:5000",
            &["1.1.1.1", "198.51.100.2"],
            true,
            "198.51.100.2",
        );
        check("10.0.0.2:5000", &["não é endereço"], true, "10.0.0.2");
        check("[2001:db8:1:2:3:4:5:6]:443", &[], false, "2001:db8:1:2::");
        check("[::ffff:203.0.113.9]:443", &[], false, "203.0.113.9");
    }
}
