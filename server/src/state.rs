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
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: &crate::Config) -> AppState {
        let leptos = LeptosOptions::builder()
            .output_name("limelight")
            .site_root(config.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(config.addr)
            .build();
        AppState {
            db,
            leptos,
            sessions: SessionPolicy::default(),
            cookies: CookieSettings { secure: config.secure_cookies },
        }
    }
}
