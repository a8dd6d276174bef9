//! The test harness: the real app on port 0 with a fresh database per test, SQLite or PostgreSQL
//! by `LIMELIGHT_TEST_DB` (`sqlite`, the default, or `postgres`).

use domain::DatabaseConnection;
use domain::db::DbConfig;
use domain::input::Password;
use domain::operator::Operator;
use reqwest::redirect::Policy;
use server::{AppState, Config};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

pub const PASSWORD: &str = "correct horse battery";
/// The user agent of the harness's browser.
pub const TEST_BROWSER: &str = "limelight-tests/1.0";
/// What a scrape of `/metrics` must bear.
pub const METRICS_TOKEN: &str = "metrics-token-for-the-tests";

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn postgres_base() -> String {
    std::env::var("LIMELIGHT_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn use_postgres() -> bool {
    std::env::var("LIMELIGHT_TEST_DB").is_ok_and(|v| v == "postgres")
}

/// A fresh, empty database; removed when dropped.
pub struct TestDb {
    pub config: DbConfig,
    pub dir: PathBuf,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let unique = format!("{}_{}_{}", std::process::id(), n, rand_suffix());
        let dir = std::env::temp_dir().join(format!("limelight-test-{unique}"));
        std::fs::create_dir_all(&dir).unwrap();
        if use_postgres() {
            let name = format!("limelight_test_{unique}");
            let admin = domain::db::connect(&DbConfig::new(format!("{}/postgres", postgres_base()))).await.unwrap();
            use sea_orm::ConnectionTrait;
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
            admin.close().await.ok();
            TestDb { config: DbConfig::new(format!("{}/{name}", postgres_base())), dir, pg_name: Some(name) }
        } else {
            TestDb { config: DbConfig::sqlite_file(&dir.join("limelight.db")), dir, pg_name: None }
        }
    }

    pub async fn connect(&self) -> DatabaseConnection {
        domain::db::connect(&self.config).await.expect("connect to the test database")
    }
}

fn rand_suffix() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.pg_name.take() {
            // Drop runs outside async: a short-lived runtime on its own thread drops the database.
            let base = postgres_base();
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async move {
                    use sea_orm::ConnectionTrait;
                    if let Ok(admin) = domain::db::connect(&DbConfig::new(format!("{base}/postgres"))).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    /// The test's own connection to the app's database (the server has its own pool).
    pub db: DatabaseConnection,
    /// The server's own pool (closing it makes the database unreachable for the server).
    pub server_db: DatabaseConnection,
    /// The server runs on its own multi-threaded runtime, as in production: leptos 0.8's server
    /// rendering can stall on a single-threaded runtime (leptos issue 4647).
    server: Option<tokio::runtime::Runtime>,
    /// Where the server sends its mail (SMTP when set, else the outbox).
    smtp: Option<domain::mail::SmtpSettings>,
    /// The statements the server's pool has run (pages' costs: `queries_for`).
    queries: std::sync::Arc<Statements>,
    /// The authenticators the harness set up for staff (and anyone else who needed one), by email.
    authenticators: std::sync::Mutex<std::collections::HashMap<String, Authenticator>>,
    /// Kept so the database lives as long as the app.
    _test_db: TestDb,
}

/// An authenticator app, as the harness set one up through the real setup pages.
#[derive(Clone, Debug)]
pub struct Authenticator {
    /// The key as the setup page shows it.
    pub secret: String,
    pub recovery_codes: Vec<String>,
    /// The newest step whose code the harness has used (the server takes each step once).
    last_step: i64,
}

impl Authenticator {
    /// The code for now, or for the next step (the server allows one step of drift) when now's
    /// was used; after that, a recovery code: never a code the server has already taken.
    pub fn next_code(&mut self) -> String {
        let current = chrono::Utc::now().timestamp() / 30;
        let step = current.max(self.last_step + 1);
        if step > current + 1 {
            return self.recovery_codes.pop().expect("the harness ran out of recovery codes");
        }
        self.last_step = step;
        let at = chrono::DateTime::from_timestamp(step * 30, 0).unwrap();
        domain::auth::two_step::code_at(&self.secret, at).unwrap()
    }
}

/// The `Location` of a redirect.
pub fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// The recovery codes on a page (`XXXXX-XXXXX`).
pub fn recovery_codes_in(html: &str) -> Vec<String> {
    // Only the list the person reads: elsewhere the page carries random text (a CSP nonce, the
    // data serialised for hydration) that can look like a code by chance.
    let list = html.split_once(r#"id="recovery-codes""#).unwrap_or_else(|| panic!("no recovery codes in {html}")).1;
    let list = list.split_once("</ol>").expect("the list of recovery codes ends").0;
    list.split("<code>").skip(1).map(|item| item.split_once("</code>").expect("a code ends").0.to_string()).collect()
}

/// The authenticator key on the setup page.
pub fn setup_key_in(html: &str) -> String {
    let at = html.find("id=\"two-step-key\"").expect("the setup page shows the key");
    let start = at + html[at..].find('>').unwrap() + 1;
    let rest = &html[start..];
    let end = rest.find("</code>").unwrap();
    let mut key = rest[..end].to_string();
    // Hydration markers, should the renderer put any in.
    while let (Some(a), Some(b)) = (key.find("<!--"), key.find("-->")) {
        key.replace_range(a..b + 3, "");
    }
    key.trim().to_string()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(rt) = self.server.take() {
            rt.shutdown_background();
        }
    }
}

/// Starts the app on 127.0.0.1:0 against a fresh, migrated database.
pub async fn spawn_app() -> TestApp {
    start(false, None).await
}

/// The app with a configuration of the test's choosing (the rest as `spawn_app`'s).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    start_with(false, None, adjust).await
}

/// The app sending its mail to this SMTP server.
pub async fn spawn_app_with_smtp(smtp: domain::mail::SmtpSettings) -> TestApp {
    start(false, Some(smtp)).await
}

/// The app served on the test's own single-threaded runtime, where anything that blocks a worker
/// blocks every request: for the test that hashing never does. (Plain routes only: leptos pages
/// can stall on one worker.)
pub async fn spawn_app_on_one_worker() -> TestApp {
    start(true, None).await
}

async fn start(on_this_runtime: bool, smtp: Option<domain::mail::SmtpSettings>) -> TestApp {
    start_with(on_this_runtime, smtp, |_| {}).await
}

async fn start_with(
    on_this_runtime: bool,
    smtp: Option<domain::mail::SmtpSettings>,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    captured_logs();
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    domain::db::migrate(&db).await.expect("migrate");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config {
        data_dir: test_db.dir.clone(),
        database: test_db.config.clone(),
        addr,
        secure_cookies: false,
        site_root: test_db.dir.join("site").display().to_string(),
        public_url: format!("http://{addr}"),
        mail_from: "Limelight <no-reply@limelight.test>".into(),
        msp_time_zone: chrono_tz::UTC,
        // Webhook tests send the due deliveries themselves: no worker of the server races them.
        webhook_every: None,
        // Nor do mail tests race a worker: they send the queue themselves (`deliver_mail`).
        mail_every: None,
        trusted_proxies: Default::default(),
        header_read_timeout: std::time::Duration::from_secs(10),
        request_timeout: std::time::Duration::from_secs(30),
        migrate_on_start: true,
        background_jobs: true,
        // The key file in the test's data directory, made on first start as in production.
        secret_key: None,
        smtp: smtp.clone(),
        metrics_token: Some(server::http::metrics::MetricsToken(METRICS_TOKEN.into())),
    };
    adjust(&mut config);
    let server = (!on_this_runtime).then(server::cli::runtime);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let queries = std::sync::Arc::new(Statements::default());
    let counter = queries.clone();
    let task = async move {
        // The server's pool belongs to the server's runtime.
        let mut db = domain::db::connect(&config.database).await.expect("connect");
        db.set_metric_callback(move |info| {
            use std::sync::atomic::Ordering::SeqCst;
            // Their text only while a test reads it: every other test's statements stay cheap.
            if counter.recording.load(SeqCst) {
                counter.sql.lock().unwrap().push(info.statement.sql.clone());
            }
        });
        let state = AppState::new(db.clone(), &config).unwrap();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let serving = server::http::serve(listener, state);
        let _ = ready_tx.send(db);
        serving.await
    };
    match &server {
        Some(rt) => drop(rt.spawn(task)),
        None => drop(tokio::spawn(task)),
    }
    let server_db = ready_rx.await.expect("the server started");
    TestApp { addr, db, server_db, server, smtp, queries, authenticators: Default::default(), _test_db: test_db }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn browser() -> reqwest::Client {
    // A request that hangs fails the test instead of the whole run.
    reqwest::Client::builder()
        .cookie_store(true)
        // A browser names itself; the audit log keeps the name.
        .user_agent(TEST_BROWSER)
        .redirect(Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

impl TestApp {
    /// Sends the queued mail, as the server's worker would (the test server runs none, so this
    /// is the only sender and nothing races it); answers how many were sent.
    pub async fn deliver_mail(&self) -> usize {
        let from = "Limelight <no-reply@limelight.test>";
        let mailer = match &self.smtp {
            Some(smtp) => domain::mail::Mailer::smtp(from, smtp).unwrap(),
            None => domain::mail::Mailer::outbox(from, &self._test_db.dir.join("outbox")).unwrap(),
        };
        domain::mail::MailQueue::new(self.db.clone(), mailer, self.secret_key()).deliver_due().await.unwrap()
    }

    /// The installation's key, as the server made it in the test's data directory.
    pub fn secret_key(&self) -> domain::secrets::SecretKey {
        domain::secrets::SecretKey::from_data_dir(&self._test_db.dir).unwrap()
    }

    /// The messages in the outbox, oldest first (the queue sent first).
    pub async fn outbox(&self) -> Vec<String> {
        self.deliver_mail().await;
        let dir = self._test_db.dir.join("outbox");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files.into_iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The installation's operator, as at the command line: test set-up acts through it.
    pub fn operator(&self) -> Operator {
        Operator::for_command_line(self.db.clone())
    }

    pub async fn add_tenant(&self, slug: &str) -> i64 {
        let new = domain::tenants::NewTenant::parse(slug, &format!("Tenant {slug}"), "America/New_York").unwrap();
        self.operator().add_tenant(new).await.unwrap().id
    }

    pub async fn add_user(&self, email: &str, role: &str, tenant: Option<&str>) -> i64 {
        let new = domain::users::NewUser::parse(email, role, tenant, None, PASSWORD.into()).unwrap();
        self.operator().add_user(new).await.unwrap().id
    }

    /// POSTs the login form; answers the response (a 303 either way).
    pub async fn post_login(&self, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        client.post(self.url("/login")).form(&[("email", email), ("password", password)]).send_or_fail().await
    }

    /// The password, then the second step where there is one: the final answer (303 home with the
    /// session cookie, or the password's refusal).
    pub async fn log_in(&self, c: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        let res = self.post_login(c, email, password).await;
        let to = location(&res);
        match self.second_step(c, email, &to).await {
            Some(done) => done,
            None => res,
        }
    }

    /// A signed-in browser: the password, then the second step where there is one (staff set up
    /// an authenticator through the real pages at their first sign-in).
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let c = browser();
        let res = self.post_login(&c, email, PASSWORD).await;
        assert_eq!(res.status(), 303);
        let to = location(&res);
        assert_ne!(to, "/login?failed", "login of {email} failed");
        self.second_step(&c, email, &to).await;
        c
    }

    /// Takes a browser that was sent to `to` after its password through the second step, if `to`
    /// is one: setting up an authenticator, or typing its code. Answers the final response.
    pub async fn second_step(&self, c: &reqwest::Client, email: &str, to: &str) -> Option<reqwest::Response> {
        let res = match to {
            "/login/setup" => self.set_up_authenticator(c, email).await,
            "/login/code" => {
                let code = self.next_code(email);
                c.post(self.url("/login/code")).form(&[("code", code.as_str())]).send_or_fail().await
            }
            _ => return None,
        };
        assert_eq!(res.status(), 303, "the second step of {email}");
        assert!(!location(&res).starts_with("/login"), "the second step of {email} went to {}", location(&res));
        Some(res)
    }

    /// A code from the authenticator the harness set up for this person.
    pub fn next_code(&self, email: &str) -> String {
        self.authenticators
            .lock()
            .unwrap()
            .get_mut(email)
            .unwrap_or_else(|| panic!("the harness set up no authenticator for {email}"))
            .next_code()
    }

    /// The authenticator the harness set up for this person.
    pub fn authenticator(&self, email: &str) -> Option<Authenticator> {
        self.authenticators.lock().unwrap().get(email).cloned()
    }

    /// Sets up an authenticator through the pages a person sees (the browser is at `/login/setup`),
    /// keeps its key and recovery codes, and answers the final step's response.
    pub async fn set_up_authenticator(&self, c: &reqwest::Client, email: &str) -> reqwest::Response {
        let page = c.get(self.url("/login/setup")).send_or_fail().await;
        assert_eq!(page.status(), 200, "the setup page for {email}");
        let secret = setup_key_in(&page.text().await.unwrap());
        let step = chrono::Utc::now().timestamp() / 30;
        let code =
            domain::auth::two_step::code_at(&secret, chrono::DateTime::from_timestamp(step * 30, 0).unwrap()).unwrap();
        let res = c.post(self.url("/login/setup")).form(&[("code", code.as_str())]).send_or_fail().await;
        assert_eq!(location(&res), "/login/recovery-codes", "the first code of {email}");
        let page = c.get(self.url("/login/recovery-codes")).send_or_fail().await;
        assert_eq!(page.status(), 200);
        let recovery_codes = recovery_codes_in(&page.text().await.unwrap());
        assert_eq!(recovery_codes.len(), 10, "ten recovery codes for {email}");
        self.authenticators
            .lock()
            .unwrap()
            .insert(email.to_string(), Authenticator { secret, recovery_codes, last_step: step });
        c.post(self.url("/login/recovery-codes")).send_or_fail().await
    }

    /// The id of the user with this email (which must exist).
    pub async fn user_id(&self, email: &str) -> i64 {
        use domain::entities::user;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        user::Entity::find().filter(user::Column::Email.eq(email)).one(&self.db).await.unwrap().unwrap().id
    }

    /// The statements (their SQL) the server runs to answer a GET of `path` with 200 (asked
    /// twice, counted the second time: the first may refresh the session). Only meaningful with
    /// the background jobs off, which would be counted too.
    pub async fn queries_for(&self, c: &reqwest::Client, path: &str) -> Vec<String> {
        use std::sync::atomic::Ordering::SeqCst;
        let q = &self.queries;
        assert_eq!(c.get(self.url(path)).send_or_fail().await.status(), 200, "{path}");
        q.sql.lock().unwrap().clear();
        q.recording.store(true, SeqCst);
        let res = c.get(self.url(path)).send_or_fail().await;
        assert_eq!(res.status(), 200, "{path}");
        res.bytes().await.unwrap();
        q.recording.store(false, SeqCst);
        std::mem::take(&mut *q.sql.lock().unwrap())
    }

    /// Copies a client (its tenant, systems, coverage, work and tickets) under a new slug: more
    /// clients of the same shape, for tests of how a page grows with their number.
    pub async fn copy_client(&self, from: &str, to: &str) {
        use domain::entities::{coverage, system, tenant, ticket, work_entry};
        use sea_orm::ActiveValue::{NotSet, Set};
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
        let db = &self.db;
        let source = tenant::Entity::find().filter(tenant::Column::Slug.eq(from)).one(db).await.unwrap().unwrap();
        let mut t = source.clone().into_active_model().reset_all();
        (t.id, t.slug, t.name) = (NotSet, Set(to.into()), Set(format!("{} {to}", source.name)));
        let id = t.insert(db).await.unwrap().id;
        let mut systems = std::collections::HashMap::new();
        for s in system::Entity::find().filter(system::Column::TenantId.eq(source.id)).all(db).await.unwrap() {
            let old = s.id;
            let mut s = s.into_active_model().reset_all();
            (s.id, s.tenant_id) = (NotSet, Set(id));
            systems.insert(old, s.insert(db).await.unwrap().id);
        }
        for c in coverage::Entity::find().filter(coverage::Column::TenantId.eq(source.id)).all(db).await.unwrap() {
            let system = c.system_id.map(|s| systems[&s]);
            let mut c = c.into_active_model().reset_all();
            (c.id, c.tenant_id, c.system_id) = (NotSet, Set(id), Set(system));
            c.insert(db).await.unwrap();
        }
        for w in work_entry::Entity::find().filter(work_entry::Column::TenantId.eq(source.id)).all(db).await.unwrap() {
            let mut w = w.into_active_model().reset_all();
            (w.id, w.tenant_id, w.ticket_id, w.import_key) = (NotSet, Set(id), Set(None), Set(None));
            w.insert(db).await.unwrap();
        }
        for k in ticket::Entity::find().filter(ticket::Column::TenantId.eq(source.id)).all(db).await.unwrap() {
            let mut k = k.into_active_model().reset_all();
            (k.id, k.tenant_id, k.requester_id) = (NotSet, Set(id), Set(None));
            k.insert(db).await.unwrap();
        }
    }

    /// Seeds the demo into this app's database.
    pub async fn seed_demo(&self) {
        domain::demo::seed(&self.db, Password::parse(PASSWORD.into()).unwrap()).await.unwrap();
    }
}

/// The statements a test server's pool runs: their SQL while a test records them.
#[derive(Default)]
pub struct Statements {
    recording: std::sync::atomic::AtomicBool,
    sql: std::sync::Mutex<Vec<String>>,
}

/// Calls a server function the way the browser does: a urlencoded POST.
pub async fn call(client: &reqwest::Client, app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(app.url(&format!("/api/{endpoint}"))).form(form).send_or_fail().await
}

/// A done, client-visible work entry to insert; tests set what they care about.
pub fn work_entry(tenant_id: i64, performed_by: i64, title: &str) -> domain::entities::work_entry::ActiveModel {
    use sea_orm::Set;
    let now = domain::time::now();
    domain::entities::work_entry::ActiveModel {
        tenant_id: Set(tenant_id),
        category: Set("patch".parse().unwrap()),
        title: Set(title.into()),
        details: Set(String::new()),
        why_it_matters: Set(String::new()),
        state: Set("done".parse().unwrap()),
        started_at: Set(now),
        duration_minutes: Set(30),
        after_hours: Set(false),
        proactive: Set(true),
        visibility: Set("client".parse().unwrap()),
        performed_by: Set(performed_by),
        shadowed_by: Set(None),
        vendor_name: Set(None),
        vendor_case_ref: Set(None),
        ticket_id: Set(None),
        highlight: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Sends a request and fails the test, naming the URL, when it cannot be sent or gets no answer
/// within the client's timeout. Nothing is retried: a page that hangs is a bug to find.
pub trait SendOrFail {
    fn send_or_fail(self) -> impl std::future::Future<Output = reqwest::Response>;
}

impl SendOrFail for reqwest::RequestBuilder {
    async fn send_or_fail(self) -> reqwest::Response {
        let what = self.try_clone().and_then(|b| b.build().ok()).map(|r| format!("{} {}", r.method(), r.url()));
        match self.send().await {
            Ok(res) => res,
            Err(e) if e.is_timeout() => panic!("no answer within the timeout: {}", what.unwrap_or_default()),
            Err(e) => panic!("request failed: {}: {e}", what.unwrap_or_default()),
        }
    }
}

/// What the servers of this test process log, from the first call on (one subscriber for the
/// process; tests pick their own lines out by request id).
pub fn captured_logs() -> &'static std::sync::Mutex<Vec<u8>> {
    use std::sync::{Mutex, OnceLock};
    static LOGS: OnceLock<&'static Mutex<Vec<u8>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs: &'static Mutex<Vec<u8>> = Box::leak(Box::new(Mutex::new(Vec::new())));
        let writer = move || LogWriter(logs);
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("warn,server::http::request_span=info"))
            .with_ansi(false)
            .with_writer(writer)
            .try_init();
        logs
    })
}

pub struct LogWriter(&'static std::sync::Mutex<Vec<u8>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
