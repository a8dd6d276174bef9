//! The background job runner: one holder at a time across processes (here, two runners on one
//! database, as two processes would be), a dead holder's lease running out, failed runs recorded
//! and retried with growing waits, and all of it shown to MSP admins at `/msp/admin/jobs`.

use crate::common::*;
use domain::entities::{job_lease, job_run};
use domain::jobs::Runner;
use domain::vocabulary::{Job, JobOutcome};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const HOUR: Duration = Duration::from_secs(3600);

/// A runner with one job that counts its runs and takes a moment.
fn counting(app: &TestApp, job: Job, runs: Arc<AtomicUsize>) -> Runner {
    Runner::new(app.db.clone()).add(job, HOUR, None, move || {
        let runs = runs.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Ok(runs.fetch_add(1, Ordering::SeqCst) + 1)
        }
    })
}

async fn lease(app: &TestApp, job: Job) -> job_lease::Model {
    job_lease::Entity::find_by_id(job.as_str()).one(&app.db).await.unwrap().unwrap()
}

async fn set_lease(app: &TestApp, job: Job, change: impl FnOnce(&mut job_lease::ActiveModel)) {
    let mut l: job_lease::ActiveModel = lease(app, job).await.into();
    change(&mut l);
    l.update(&app.db).await.unwrap();
}

fn ago(seconds: i64) -> chrono::DateTime<chrono::Utc> {
    domain::time::now() - chrono::Duration::seconds(seconds)
}

#[tokio::test]
async fn one_holder_at_a_time_and_a_dead_holders_lease_runs_out() {
    let app = spawn_app_with(|c| c.background_jobs = false).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let (a, b) = (counting(&app, Job::CoverageGaps, runs.clone()), counting(&app, Job::CoverageGaps, runs.clone()));
    assert_ne!(a.holder(), b.holder());

    // Both due at once: one runs it, the other finds it held.
    let (ra, rb) = tokio::join!(a.run_now(Job::CoverageGaps, false), b.run_now(Job::CoverageGaps, false));
    let outcomes = [ra.unwrap(), rb.unwrap()];
    assert!(outcomes.contains(&Some(JobOutcome::Succeeded)) && outcomes.contains(&None), "{outcomes:?}");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    // Done, it is not due again for an hour, whoever asks; released, it can be run on demand.
    let l = lease(&app, Job::CoverageGaps).await;
    assert_eq!((l.holder, l.lease_until, l.failures), (None, None, 0));
    assert!(l.next_run_at > ago(-3500), "next run {}", l.next_run_at);
    assert_eq!(b.run_now(Job::CoverageGaps, false).await.unwrap(), None);
    assert_eq!(b.run_now(Job::CoverageGaps, true).await.unwrap(), Some(JobOutcome::Succeeded));

    // A process dies mid-run: its lease and its run stay behind.
    set_lease(&app, Job::CoverageGaps, |l| {
        l.holder = Set(Some("gone:4242:abcdef".into()));
        l.lease_until = Set(Some(ago(-50)));
        l.next_run_at = Set(ago(10));
    })
    .await;
    let dead = job_run::ActiveModel {
        job: Set(Job::CoverageGaps),
        holder: Set("gone:4242:abcdef".into()),
        started_at: Set(ago(10)),
        finished_at: Set(None),
        outcome: Set(JobOutcome::Running),
        items: Set(0),
        error: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    // While its lease holds, nobody else runs the job, not even on demand.
    assert_eq!(a.run_now(Job::CoverageGaps, true).await.unwrap(), None);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    // Once it has run out, another takes the job over and marks the dead run interrupted.
    set_lease(&app, Job::CoverageGaps, |l| l.lease_until = Set(Some(ago(1)))).await;
    assert_eq!(a.run_now(Job::CoverageGaps, false).await.unwrap(), Some(JobOutcome::Succeeded));
    let dead = job_run::Entity::find_by_id(dead.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(dead.outcome, JobOutcome::Interrupted);
    assert!(dead.finished_at.is_some() && dead.error.unwrap().contains("taken over"));
}

#[tokio::test]
async fn a_failed_run_is_recorded_retried_with_growing_waits_and_shown_to_admins() {
    let app = spawn_app_with(|c| c.background_jobs = false).await;
    app.seed_demo().await;
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = attempts.clone();
    let runner =
        Runner::new(app.db.clone()).add(Job::MonthlyDrafts, HOUR, None, move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 2 { Err("the database said no (attempt {n})".replace("{n}", &n.to_string())) } else { Ok(3) }
            }
        });

    let before = (runs_counted(&app, "failed").await, runs_counted(&app, "succeeded").await);
    assert_eq!(runner.run_now(Job::MonthlyDrafts, false).await.unwrap(), Some(JobOutcome::Failed));
    let l = lease(&app, Job::MonthlyDrafts).await;
    assert_eq!(l.failures, 1);
    let wait = (l.next_run_at - domain::time::now()).num_seconds();
    assert!((8..=10).contains(&wait), "first retry in {wait} s, not 10");
    // Not skipped, not hurried: not due until the wait is over.
    assert_eq!(runner.run_now(Job::MonthlyDrafts, false).await.unwrap(), None);
    set_lease(&app, Job::MonthlyDrafts, |l| l.next_run_at = Set(ago(1))).await;
    assert_eq!(runner.run_now(Job::MonthlyDrafts, false).await.unwrap(), Some(JobOutcome::Failed));
    let l = lease(&app, Job::MonthlyDrafts).await;
    let wait = (l.next_run_at - domain::time::now()).num_seconds();
    assert_eq!(l.failures, 2);
    assert!((18..=20).contains(&wait), "second retry in {wait} s, not 20");
    set_lease(&app, Job::MonthlyDrafts, |l| l.next_run_at = Set(ago(1))).await;
    assert_eq!(runner.run_now(Job::MonthlyDrafts, false).await.unwrap(), Some(JobOutcome::Succeeded));
    let l = lease(&app, Job::MonthlyDrafts).await;
    assert_eq!(l.failures, 0, "a success clears the failures");
    assert_eq!(attempts.load(Ordering::SeqCst), 3);

    // The admins see each run: the failures with their errors, the success with what it did.
    let morgan = app.signed_in("morgan@limelight.test").await;
    let page = morgan.get(app.url("/msp/admin/jobs")).send_or_fail().await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Drafting last month&#x27;s summaries") || page.contains("Drafting last month's summaries"));
    assert!(
        page.contains("the database said no (attempt 0)") && page.contains("the database said no (attempt 1)"),
        "{page}"
    );
    assert!(page.contains("Succeeded") && page.contains("Failed"));
    // A tech is not an admin: the page is not there for them.
    let sam = app.signed_in("sam@limelight.test").await;
    assert_eq!(sam.get(app.url("/msp/admin/jobs")).send_or_fail().await.status(), 404);

    // And the monitoring counts them (the counters are the process's: other tests' servers
    // count there too, so this test counts what its own runs added).
    let after = (runs_counted(&app, "failed").await, runs_counted(&app, "succeeded").await);
    assert!(after.0 >= before.0 + 2 && after.1 > before.1, "counted {before:?} then {after:?}");
}

/// `limelight_job_runs_total` for the monthly drafts with this outcome, as `/metrics` says.
async fn runs_counted(app: &TestApp, outcome: &str) -> u64 {
    let metrics =
        browser().get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send_or_fail().await.text().await.unwrap();
    let series = format!(r#"limelight_job_runs_total{{job="monthly_drafts",outcome="{outcome}"}} "#);
    metrics.lines().find_map(|l| l.strip_prefix(series.as_str())).map_or(0, |n| n.trim().parse().unwrap())
}

#[tokio::test]
async fn a_job_that_panics_is_a_failed_run_and_the_runner_goes_on() {
    let app = spawn_app_with(|c| c.background_jobs = false).await;
    let runner = Runner::new(app.db.clone()).add(Job::Housekeeping, HOUR, None, || async {
        if domain::time::now().timestamp() > 0 {
            panic!("a bug in the job");
        }
        Ok(0)
    });
    assert_eq!(runner.run_now(Job::Housekeeping, false).await.unwrap(), Some(JobOutcome::Failed));
    let run = job_run::Entity::find().all(&app.db).await.unwrap().pop().unwrap();
    assert!(run.error.unwrap().contains("panicked"));
    // The lease was released, and the job is due again after its wait, like any failure.
    let l = lease(&app, Job::Housekeeping).await;
    assert_eq!((l.holder, l.failures), (None, 1));
    set_lease(&app, Job::Housekeeping, |l| l.next_run_at = Set(ago(1))).await;
    assert_eq!(runner.run_now(Job::Housekeeping, false).await.unwrap(), Some(JobOutcome::Failed));
}
