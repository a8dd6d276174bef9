//! Parse, don't validate: input from forms and the CLI becomes one of these types or a message
//! that says what is wrong.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

fn invalid<T>(msg: impl Into<String>) -> Result<T, InputError> {
    Err(InputError(msg.into()))
}

/// An email address, trimmed and lower-cased: emails are unique case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, InputError> {
        let e = raw.trim().to_lowercase();
        let Some((local, domain)) = e.split_once('@') else {
            return invalid(format!("{raw:?} is not an email address"));
        };
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains('@')
            || e.len() > 254
            || e.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return invalid(format!("{raw:?} is not an email address"));
        }
        Ok(Email(e))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The passwords attackers try first: the first 100,000 of SecLists' "10 million password list"
/// (OWASP SecLists, CC BY-SA 3.0), those of 8 characters or more, lower-cased (`data/README.md`).
static COMMON: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| include_str!("../data/common-passwords.txt").lines().collect());

/// A password as typed: 8 to 256 bytes, never trimmed, truncated or case-folded, and not one of
/// the most common ones. No composition rules: length and rarity are what make it hard to guess.
#[derive(Clone)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub const MIN_BYTES: usize = 8;
    pub const MAX_BYTES: usize = 256;

    pub fn parse(raw: String) -> Result<Password, InputError> {
        if raw.len() < Self::MIN_BYTES {
            return invalid(format!("the password must be at least {} characters long", Self::MIN_BYTES));
        }
        if raw.len() > Self::MAX_BYTES {
            return invalid(format!("the password must be at most {} bytes long", Self::MAX_BYTES));
        }
        if COMMON.contains(raw.to_lowercase().as_str()) {
            return invalid(
                "this password is one of the most common ones, which attackers try first: please choose another"
                    .to_string(),
            );
        }
        Ok(Password(raw))
    }

    /// The same, for a person: a password that contains their email address (or the part before
    /// the @) or their name is refused too, being the first thing someone who knows them tries.
    pub fn parse_for(raw: String, email: &str, name: &str) -> Result<Password, InputError> {
        let password = Password::parse(raw)?;
        let lower = password.0.to_lowercase();
        let email = email.trim().to_lowercase();
        let local = email.split('@').next().unwrap_or_default().to_string();
        let name = name.trim().to_lowercase();
        let words = name.split(|c: char| !c.is_alphanumeric()).map(str::to_string);
        let personal = [email.clone(), local, name.clone()].into_iter().chain(words);
        if personal.filter(|p| p.chars().count() >= 3).any(|p| lower.contains(&p)) {
            return invalid("the password must not contain your email address or name".to_string());
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A tenant's slug: lower-case letters, digits and single hyphens, 2 to 63 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Slug, InputError> {
        let ok = (2..=63).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if !ok {
            return invalid(format!(
                "{raw:?} is not a valid slug: use 2 to 63 lower-case letters, digits and single hyphens, e.g. \"acme-dental\""
            ));
        }
        Ok(Slug(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name such as `Europe/London`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(pub chrono_tz::Tz);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<TimeZone, InputError> {
        raw.parse::<chrono_tz::Tz>()
            .map(TimeZone)
            .map_err(|_| InputError(format!("{raw:?} is not an IANA time zone (e.g. \"America/New_York\")")))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }
}

/// A name shown to people: trimmed, 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(what: &str, raw: &str) -> Result<DisplayName, InputError> {
        let t = raw.trim();
        if t.is_empty() {
            return invalid(format!("the {what} must not be empty"));
        }
        if t.chars().count() > 200 {
            return invalid(format!("the {what} must be at most 200 characters"));
        }
        if t.chars().any(|c| c.is_control()) {
            return invalid(format!("the {what} must not contain control characters"));
        }
        Ok(DisplayName(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(Email::parse("  Pat@Example.COM ").unwrap().as_str(), "pat@example.com");
        for bad in ["", "pat", "pat@", "@example.com", "pat@example", "pa t@example.com", "a@b@c.com"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_are_bytes_and_kept_as_typed() {
        assert!(Password::parse("1234567".into()).is_err());
        assert_eq!(Password::parse(" Passw0rd ".into()).unwrap().expose(), " Passw0rd ");
        assert!(Password::parse("x".repeat(256)).is_ok());
        assert!(Password::parse("x".repeat(257)).is_err());
        // 4 bytes each: 64 characters are 256 bytes, 65 are too many.
        assert!(Password::parse("😀".repeat(64)).is_ok());
        assert!(Password::parse("😀".repeat(65)).is_err());
        // Common ones, whatever their case.
        assert!(Password::parse("password1".into()).is_err());
        assert!(Password::parse("IloveYou".into()).is_err());
        assert!(Password::parse("quiet tulip harbour".into()).is_ok());
        // Personal ones.
        let mine = |p: &str| Password::parse_for(p.into(), "dana.whitfield@acme-dental.test", "Dana Whitfield");
        assert!(mine("dana.whitfield rocks").is_err());
        assert!(mine("i am WHITFIELD 2026").is_err());
        assert!(mine("quiet tulip harbour").is_ok());
    }

    #[test]
    fn slugs_and_zones() {
        assert!(Slug::parse("acme-dental").is_ok());
        for bad in ["Acme", "-acme", "acme-", "ac--me", "a", "acme dental", "acmé"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        assert!(TimeZone::parse("Europe/London").is_ok());
        assert!(TimeZone::parse("Mars/Olympus").is_err());
    }
}
