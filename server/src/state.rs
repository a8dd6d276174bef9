use crate::http::cookies::CookieSettings;
use domain::DatabaseConnection;
use domain::auth::SessionPolicy;
use leptos::config::LeptosOptions;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos: LeptosOptions,
    pub sessions: SessionPolicy,
    pub cookies: CookieSettings,
    /// Every email goes through this queue (SMTP when configured, else the outbox folder).
    pub mail: domain::mail::MailQueue,
    pub public_url: String,
    pub msp_time_zone: chrono_tz::Tz,
    pub webhook_every: Option<std::time::Duration>,
    pub mail_every: Option<std::time::Duration>,
    pub trusted_proxies: crate::http::client_addr::TrustedProxies,
    pub header_read_timeout: std::time::Duration,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// The state for a configuration. Fails only on a malformed `LIMELIGHT_MAIL_FROM`.
    pub fn new(db: DatabaseConnection, config: &crate::Config) -> Result<AppState, String> {
        let leptos = LeptosOptions::builder()
            .output_name("limelight")
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(config.addr)
            .build();
        let mailer = match &config.smtp {
            Some(smtp) => domain::mail::Mailer::smtp(&config.mail_from, smtp),
            None => domain::mail::Mailer::outbox(&config.mail_from, &config.data_dir.join("outbox")),
        }
        .map_err(|e| format!("mail settings: {e}"))?;
        Ok(AppState {
            leptos,
            sessions: SessionPolicy::default(),
            cookies: CookieSettings { secure: config.secure_cookies },
            mail: domain::mail::MailQueue::new(db.clone(), mailer),
            db,
            public_url: config.public_url.clone(),
            msp_time_zone: config.msp_time_zone,
            webhook_every: config.webhook_every,
            mail_every: config.mail_every,
            trusted_proxies: config.trusted_proxies.clone(),
            header_read_timeout: config.header_read_timeout,
        })
    }
}
