//! Where a sign-in returns to: the page someone asked for before signing in (a link in an email,
//! say). Only a path of this portal's own signed-in area is kept, and only one the role that
//! signs in can have (`/portal/…` for clients, `/msp/…` for staff); anything else goes home, so
//! the parameter cannot send anyone to another site. Between the password and the second step it
//! waits in a short-lived cookie, like the sign-in itself.

use domain::vocabulary::Role;

const MAX_LEN: usize = 300;

/// A local path of the signed-in area, checked: `/portal` or `/msp`, then `/`, `?` or nothing,
/// in a small set of characters (no `//`, no backslash, nothing a cookie or a header could split).
pub fn parse(text: &str) -> Option<String> {
    let ok_chars = text.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.?=&%".contains(c));
    let area = ["/portal", "/msp"].iter().any(|a| {
        text.strip_prefix(a).is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
    });
    // Escaped dots and slashes would read as `..` or `/` to the browser, leaving the area.
    let lower = text.to_ascii_lowercase();
    let escaped = ["%2e", "%2f", "%5c"].iter().any(|e| lower.contains(e));
    (ok_chars && area && !escaped && text.len() <= MAX_LEN && !text.contains("//") && !text.contains("/."))
        .then(|| text.to_string())
}

/// The path if this role may have it, else `None` (the role's home).
pub fn for_role(path: Option<String>, role: Role) -> Option<String> {
    let area = if role.is_client() { "/portal" } else { "/msp" };
    path.filter(|p| p == area || p.starts_with(&format!("{area}/")) || p.starts_with(&format!("{area}?")))
}

/// `/login`, carrying the path to come back to.
pub fn login_page(query: &str, path: Option<&str>) -> String {
    match path {
        Some(p) => {
            let next: String = form_urlencoded::byte_serialize(p.as_bytes()).collect();
            if query.is_empty() { format!("/login?next={next}") } else { format!("/login?{query}&next={next}") }
        }
        None if query.is_empty() => "/login".to_string(),
        None => format!("/login?{query}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_the_signed_in_area_are_kept() {
        for good in ["/portal", "/portal/approvals/12", "/msp/work/3", "/portal?x=1"] {
            assert_eq!(parse(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "https://evil.example/portal",
            "//evil.example/portal",
            "/portalx",
            "/portal/../login",
            "/login",
            "/portal\\evil",
            "/portal/a b",
            "/portal/a;b",
            "/portal/%2e%2e/msp/x",
            "/portal/%2E%2E%2Fmsp",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_role_returns_only_to_its_own_area() {
        let p = |s: &str| Some(s.to_string());
        assert_eq!(for_role(p("/portal/approvals/1"), Role::ClientUser), p("/portal/approvals/1"));
        assert_eq!(for_role(p("/msp/work/1"), Role::ClientAdmin), None);
        assert_eq!(for_role(p("/portal/approvals/1"), Role::Tech), None);
        assert_eq!(login_page("failed", Some("/portal/approvals/1")), "/login?failed&next=%2Fportal%2Fapprovals%2F1");
    }
}
