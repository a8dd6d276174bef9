//! The session cookie (HttpOnly, SameSite=Lax, Path=/) and the two-step cookie (the same, but
//! SameSite=Strict and minutes long); `Secure` and the `__Host-` prefix when the portal is served
//! over HTTPS.

use chrono::{DateTime, Utc};

#[derive(Clone, Debug)]
pub struct CookieSettings {
    pub secure: bool,
}

impl CookieSettings {
    pub fn name(&self) -> &'static str {
        if self.secure { "__Host-limelight_session" } else { "limelight_session" }
    }

    /// The Set-Cookie value for a session token (`None` expiry: a cookie for this browser session).
    pub fn session(&self, token: &str, expires: Option<DateTime<Utc>>) -> String {
        let mut c = format!("{}={token}; Path=/; HttpOnly; SameSite=Lax", self.name());
        if let Some(at) = expires {
            let max_age = (at - Utc::now()).num_seconds().max(0);
            c.push_str(&format!("; Max-Age={max_age}"));
        }
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }

    /// The Set-Cookie value that removes the session cookie.
    pub fn cleared(&self) -> String {
        let mut c = format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", self.name());
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }

    /// The cookie that carries a sign-in between the password and the second step: bound to this
    /// browser, sent only with this site's own requests (SameSite=Strict), gone in minutes.
    pub fn challenge_name(&self) -> &'static str {
        if self.secure { "__Host-limelight_sign_in" } else { "limelight_sign_in" }
    }

    pub fn challenge(&self, token: &str, expires: DateTime<Utc>) -> String {
        let max_age = (expires - Utc::now()).num_seconds().max(0);
        let mut c = format!("{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}", self.challenge_name());
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }

    pub fn challenge_cleared(&self) -> String {
        let mut c = format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", self.challenge_name());
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }

    /// The page to return to after a sign-in's second step (see `return_to`): like the two-step
    /// cookie, for this site's own requests and minutes long.
    pub fn return_to_name(&self) -> &'static str {
        if self.secure { "__Host-limelight_return" } else { "limelight_return" }
    }

    pub fn return_to(&self, path: &str) -> String {
        let mut c = format!("{}={path}; Path=/; HttpOnly; SameSite=Strict; Max-Age=900", self.return_to_name());
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }

    pub fn return_to_cleared(&self) -> String {
        let mut c = format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", self.return_to_name());
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }

    /// The page to return to, checked again (a cookie is the browser's to change).
    pub fn return_to_path(&self, headers: &http::HeaderMap) -> Option<String> {
        find(headers, self.return_to_name()).and_then(|p| super::return_to::parse(&p))
    }

    /// The session token in a request's Cookie headers, if any.
    pub fn token(&self, headers: &http::HeaderMap) -> Option<String> {
        find(headers, self.name())
    }

    /// The two-step token in a request's Cookie headers, if any.
    pub fn challenge_token(&self, headers: &http::HeaderMap) -> Option<String> {
        find(headers, self.challenge_name())
    }
}

fn find(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}
