//! Who is calling, by address. Behind a load balancer every request comes from the balancer, so
//! the address a person calls from is in `X-Forwarded-For` or `Forwarded`; but anyone can send
//! those headers, so they are believed only from the proxies the operator names
//! (`LIMELIGHT_TRUSTED_PROXIES`). Read from the right (the nearest hop), the first address that is
//! not a trusted proxy is the caller's. Sign-in throttling and the audit log use it.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// `10.0.0.0/8, 192.0.2.10, 2001:db8::/32`: addresses or CIDR blocks, comma-separated.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let net = part
                .parse::<IpNet>()
                .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{part:?} is not an address or CIDR block (e.g. 10.0.0.0/8)"))?;
            nets.push(net);
        }
        Ok(TrustedProxies(Arc::new(nets)))
    }

    fn trusts(&self, ip: &IpAddr) -> bool {
        let ip = canonical(*ip);
        self.0.iter().any(|n| n.contains(&ip))
    }
}

/// An IPv4 address mapped into IPv6 is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The caller's address, as worked out for this request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The hops a request claims to have passed, nearest last: `Forwarded`'s `for=` when present,
/// else `X-Forwarded-For`.
fn forwarded_hops(headers: &HeaderMap) -> Vec<IpAddr> {
    let forwarded: Vec<IpAddr> = headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').map(str::trim).find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                if !k.trim().eq_ignore_ascii_case("for") {
                    return None;
                }
                let v = v.trim().trim_matches('"');
                // `for="[2001:db8::1]:4711"`, `for=192.0.2.60:80`, `for=192.0.2.60`.
                let host = match v.strip_prefix('[') {
                    Some(rest) => rest.split(']').next()?,
                    None => v.split(':').next().filter(|_| v.matches(':').count() <= 1).unwrap_or(v),
                };
                host.parse().ok()
            })
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect()
}

/// The caller: the peer, unless the peer is a trusted proxy; then the nearest forwarded hop that
/// is not one (or the farthest, if all are).
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.trusts(&peer) {
        return peer;
    }
    let hops = forwarded_hops(headers);
    hops.iter().rev().map(|h| canonical(*h)).find(|h| !trusted.trusts(h)).or(hops.first().copied()).unwrap_or(peer)
}

pub async fn resolve(State(trusted): State<TrustedProxies>, mut req: Request, next: Next) -> Response {
    let mut ip = None;
    if let Some(peer) = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) {
        let addr = client_of(peer, req.headers(), &trusted);
        ip = Some(addr.to_string());
        req.extensions_mut().insert(ClientAddr(addr));
    }
    let user_agent = req.headers().get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
    let client = domain::auth::Client { ip, user_agent };
    // For sessions and pages; and whatever this request puts in the audit log carries its address
    // and browser.
    req.extensions_mut().insert(client.clone());
    domain::audit::in_request(client, next.run(req)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarding_headers_are_believed_only_from_trusted_proxies() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.0.2.10").unwrap();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let xff = headers(&[("x-forwarded-for", "203.0.113.7, 10.1.2.3")]);
        // From the balancer: the nearest untrusted hop.
        assert_eq!(client_of(ip("10.0.0.5"), &xff, &trusted), ip("203.0.113.7"));
        // From anyone else: the header is a claim, not believed.
        assert_eq!(client_of(ip("198.51.100.9"), &xff, &trusted), ip("198.51.100.9"));
        // A spoofed leftmost entry does not win over the hop the balancer saw.
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7")]);
        assert_eq!(client_of(ip("192.0.2.10"), &spoofed, &trusted), ip("203.0.113.7"));
        let fwd = headers(&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.9")]);
        assert_eq!(client_of(ip("10.0.0.5"), &fwd, &trusted), ip("2001:db8::1"));
        assert_eq!(client_of(ip("::ffff:10.0.0.5"), &xff, &trusted), ip("203.0.113.7"));
        // No header: the proxy itself.
        assert_eq!(client_of(ip("10.0.0.5"), &HeaderMap::new(), &trusted), ip("10.0.0.5"));
        assert!(TrustedProxies::parse("10.0.0.0/8, not-an-address").is_err());
    }
}
