//! Configuration from the environment (all documented in the README).

use domain::db::DbConfig;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `LIMELIGHT_DATA_DIR`, default `./data`: the SQLite file and the mail outbox live here.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `postgres://…` for PostgreSQL, `sqlite://…` for another SQLite file; default
    /// `<data dir>/limelight.db`.
    pub database: DbConfig,
    /// `LIMELIGHT_ADDR` (or leptos' `LEPTOS_SITE_ADDR`), default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// Served over HTTPS: the session cookie gets `Secure` and the `__Host-` prefix. On by default
    /// when `LIMELIGHT_PUBLIC_URL` is `https://…`; `LIMELIGHT_SECURE_COOKIES` sets it either way.
    pub secure_cookies: bool,
    /// `LEPTOS_SITE_ROOT`, default `target/site`: the built WASM bundle and CSS.
    pub site_root: String,
    /// `LIMELIGHT_PUBLIC_URL`, default `http://<listen address>`: the portal's address in emails.
    pub public_url: String,
    /// `LIMELIGHT_MAIL_FROM`, default `Limelight <no-reply@limelight.invalid>`.
    pub mail_from: String,
    /// `LIMELIGHT_TIME_ZONE`, default `UTC`: the MSP's own time zone, what "today" means on the
    /// staff overview (clients' pages use each client's time zone).
    pub msp_time_zone: chrono_tz::Tz,
    /// How often this process sends the webhook deliveries that are due (5 s); `None` runs no
    /// webhook worker here (tests send them themselves, so no other process races them).
    pub webhook_every: Option<std::time::Duration>,
    /// How often the mail worker looks for due mail besides being woken (`None`: no worker, for
    /// tests that send the queue themselves).
    pub mail_every: Option<std::time::Duration>,
    /// `LIMELIGHT_SMTP_URL` (`smtp://host:25`, `smtp://host:587?tls=required` for STARTTLS,
    /// `smtps://host:465` for implicit TLS), with `LIMELIGHT_SMTP_USER` and
    /// `LIMELIGHT_SMTP_PASSWORD`; unset: emails go to `<data dir>/outbox` as `.eml` files.
    pub smtp: Option<domain::mail::SmtpSettings>,
    /// `LIMELIGHT_TRUSTED_PROXIES`: the load balancers (addresses or CIDR blocks) whose
    /// `X-Forwarded-For` / `Forwarded` name the caller; nobody else's are believed.
    pub trusted_proxies: crate::http::client_addr::TrustedProxies,
    /// `LIMELIGHT_BACKGROUND_JOBS` (default true): this process takes its turn at the background
    /// jobs (mail, webhooks, monthly drafts, housekeeping). False for a process that only serves.
    pub background_jobs: bool,
    /// `LIMELIGHT_MIGRATE_ON_START` (default true): `serve` brings the schema up to date first.
    /// False for a server whose database role may not change the schema (see the README).
    pub migrate_on_start: bool,
    /// A connection must send a request's headers within this (10 s), or it is closed.
    pub header_read_timeout: std::time::Duration,
    /// `LIMELIGHT_REQUEST_TIMEOUT` (seconds, default 30): a request not answered by then gets 408
    /// (uploads get at least 10 minutes).
    pub request_timeout: std::time::Duration,
    /// `LIMELIGHT_SECRET_KEY` (64 hex digits): seals TOTP secrets. Unset: the key in
    /// `<data dir>/secret.key`, made on first start, readable by its owner alone.
    pub secret_key: Option<domain::secrets::SecretKey>,
    /// `LIMELIGHT_METRICS_TOKEN`: `/metrics` is served to requests bearing it; unset, not at all.
    pub metrics_token: Option<crate::http::metrics::MetricsToken>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &str) -> bool {
    env(name).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
}

/// `Secure` `__Host-` cookies: as `LIMELIGHT_SECURE_COOKIES` says, else whenever the portal's
/// public address is HTTPS.
fn secure_cookies(setting: Option<&str>, public_url: &str) -> bool {
    match setting {
        Some(v) => matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"),
        None => public_url.starts_with("https://"),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let data_dir = PathBuf::from(env("LIMELIGHT_DATA_DIR").unwrap_or_else(|| "data".into()));
        let mut database = match env("DATABASE_URL") {
            Some(url) => DbConfig::new(url),
            None => DbConfig::sqlite_file(&data_dir.join("limelight.db")),
        };
        database.log_statements = flag("LIMELIGHT_LOG_SQL");
        if let Some(n) = env("LIMELIGHT_DB_CONNECTIONS") {
            database.max_connections =
                n.parse().map_err(|_| format!("LIMELIGHT_DB_CONNECTIONS must be a number, not {n:?}"))?;
        }
        let addr_text =
            env("LIMELIGHT_ADDR").or_else(|| env("LEPTOS_SITE_ADDR")).unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text
            .parse()
            .map_err(|_| format!("the listen address {addr_text:?} is not of the form 127.0.0.1:3000"))?;
        let zone = env("LIMELIGHT_TIME_ZONE").unwrap_or_else(|| "UTC".into());
        let msp_time_zone = zone
            .parse()
            .map_err(|_| format!("LIMELIGHT_TIME_ZONE {zone:?} is not an IANA time zone like Europe/London"))?;
        let smtp = env("LIMELIGHT_SMTP_URL").map(|url| domain::mail::SmtpSettings {
            url,
            user: env("LIMELIGHT_SMTP_USER"),
            password: env("LIMELIGHT_SMTP_PASSWORD"),
        });
        let public_url = env("LIMELIGHT_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}"));
        let trusted_proxies =
            crate::http::client_addr::TrustedProxies::parse(&env("LIMELIGHT_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|e| format!("LIMELIGHT_TRUSTED_PROXIES: {e}"))?;
        let request_timeout = match env("LIMELIGHT_REQUEST_TIMEOUT") {
            Some(v) => std::time::Duration::from_secs(
                v.parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("LIMELIGHT_REQUEST_TIMEOUT must be a number of seconds, not {v:?}"))?,
            ),
            None => std::time::Duration::from_secs(30),
        };
        let secret_key = env("LIMELIGHT_SECRET_KEY")
            .map(|k| domain::secrets::SecretKey::parse(&k))
            .transpose()
            .map_err(|e| format!("LIMELIGHT_SECRET_KEY: {e}"))?;
        let metrics_token = match env("LIMELIGHT_METRICS_TOKEN") {
            Some(t) if t.trim().len() < 16 => {
                return Err(
                    "LIMELIGHT_METRICS_TOKEN must be at least 16 characters (try `openssl rand -hex 24`)".into()
                );
            }
            t => t.map(|t| crate::http::metrics::MetricsToken(t.trim().to_string())),
        };
        Ok(Config {
            metrics_token,
            request_timeout,
            secret_key,
            background_jobs: env("LIMELIGHT_BACKGROUND_JOBS").is_none_or(|_| flag("LIMELIGHT_BACKGROUND_JOBS")),
            migrate_on_start: env("LIMELIGHT_MIGRATE_ON_START").is_none_or(|_| flag("LIMELIGHT_MIGRATE_ON_START")),
            header_read_timeout: std::time::Duration::from_secs(10),
            trusted_proxies,
            smtp,
            msp_time_zone,
            webhook_every: Some(std::time::Duration::from_secs(5)),
            mail_every: Some(std::time::Duration::from_secs(15)),
            data_dir,
            database,
            addr,
            secure_cookies: secure_cookies(env("LIMELIGHT_SECURE_COOKIES").as_deref(), &public_url),
            site_root: env("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            public_url,
            mail_from: env("LIMELIGHT_MAIL_FROM").unwrap_or_else(|| "Limelight <no-reply@limelight.invalid>".into()),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cookies_are_secure_by_default_behind_https() {
        use super::secure_cookies;
        assert!(secure_cookies(None, "https://portal.example.com"));
        assert!(!secure_cookies(None, "http://127.0.0.1:3000"));
        assert!(!secure_cookies(Some("false"), "https://portal.example.com"));
        assert!(secure_cookies(Some("true"), "http://10.0.0.5:3000"));
    }
}
