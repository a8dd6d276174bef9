use crate::http::cookies::CookieSettings;
use domain::DatabaseConnection;
use domain::auth::SessionPolicy;
use leptos::config::LeptosOptions;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos: LeptosOptions,
    /// The WASM bundle and stylesheet, under a path named by their content.
    pub bundle: crate::http::assets::Bundle,
    pub sessions: SessionPolicy,
    pub cookies: CookieSettings,
    /// Every email goes through this queue (SMTP when configured, else the outbox folder).
    pub mail: domain::mail::MailQueue,
    pub public_url: String,
    pub msp_time_zone: chrono_tz::Tz,
    pub webhook_every: Option<std::time::Duration>,
    pub mail_every: Option<std::time::Duration>,
    /// Whether this process runs the background jobs at all.
    pub background_jobs: bool,
    pub trusted_proxies: crate::http::client_addr::TrustedProxies,
    pub header_read_timeout: std::time::Duration,
    /// How long a request may take to be answered.
    pub deadlines: crate::http::deadline::Deadlines,
    /// The second step of signing in.
    pub two_step: domain::auth::two_step::TwoStep,
    /// `/metrics` is served to requests bearing this, and to nobody when it is unset.
    pub metrics_token: Option<crate::http::metrics::MetricsToken>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl axum::extract::FromRef<AppState> for crate::http::assets::Bundle {
    fn from_ref(state: &AppState) -> Self {
        state.bundle.clone()
    }
}

impl AppState {
    /// The state for a configuration. Fails on a malformed `LIMELIGHT_MAIL_FROM`, or a secret key
    /// file that cannot be read or made, or that others can read.
    pub fn new(db: DatabaseConnection, config: &crate::Config) -> Result<AppState, String> {
        let bundle = crate::http::assets::Bundle::at(&config.site_root);
        let leptos = LeptosOptions::builder()
            .output_name("limelight")
            .site_root(config.site_root.as_str())
            .site_pkg_dir(bundle.pkg_dir())
            .site_addr(config.addr)
            .build();
        let mailer = match &config.smtp {
            Some(smtp) => domain::mail::Mailer::smtp(&config.mail_from, smtp),
            None => domain::mail::Mailer::outbox(&config.mail_from, &config.data_dir.join("outbox")),
        }
        .map_err(|e| format!("mail settings: {e}"))?;
        let key = match &config.secret_key {
            Some(key) => key.clone(),
            None => domain::secrets::SecretKey::from_data_dir(&config.data_dir)
                .map_err(|e| format!("the secret key: {e}"))?,
        };
        let sessions = SessionPolicy::default();
        let mail = domain::mail::MailQueue::new(db.clone(), mailer, key.clone());
        let two_step =
            domain::auth::two_step::TwoStep::new(db.clone(), key, sessions, mail.clone(), &config.public_url);
        Ok(AppState {
            metrics_token: config.metrics_token.clone(),
            two_step,
            leptos,
            bundle,
            sessions,
            cookies: CookieSettings { secure: config.secure_cookies },
            mail,
            db,
            public_url: config.public_url.clone(),
            msp_time_zone: config.msp_time_zone,
            webhook_every: config.webhook_every,
            mail_every: config.mail_every,
            background_jobs: config.background_jobs,
            trusted_proxies: config.trusted_proxies.clone(),
            header_read_timeout: config.header_read_timeout,
            deadlines: crate::http::deadline::Deadlines {
                request: config.request_timeout,
                upload: config.request_timeout.max(std::time::Duration::from_secs(600)),
            },
        })
    }
}
