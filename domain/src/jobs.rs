//! The background job runner. Every server process runs one; a job runs in one process at a time
//! however many share the database, because a run first takes the job's lease: one conditional
//! UPDATE, so two processes never both win it. The holder renews the lease while it works; a
//! holder that dies stops renewing, and its lease runs out after [`LEASE`] for another to take.
//!
//! The schedule is shared too (`next_run_at`): a job due hourly runs hourly in total, not hourly
//! per process. Each run is recorded (started, finished, outcome, what it did, its error) for the
//! MSP admins at `/msp/admin/jobs`, and counted in `/metrics`. A failed run is retried after a
//! wait that doubles with each failure in a row (10 s, 20 s, 40 s … at most an hour), and logged:
//! never silently skipped. A run its process did not live to finish is marked interrupted by the
//! process that takes the job over.

use crate::entities::{job_lease, job_run};
use crate::error::Result;
use crate::time::now;
use chrono::{DateTime, Utc};
type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};
use vocabulary::{Job, JobOutcome};

/// How long a lease holds without renewal: how soon a dead process's job is taken over.
pub const LEASE: Duration = Duration::from_secs(60);
/// How often a running job renews its lease.
const RENEW: Duration = Duration::from_secs(20);
/// How often the runner looks for due jobs.
const TICK: Duration = Duration::from_secs(1);

/// The error of a run stopped because its process no longer held the lease.
const LOST: &str = "stopped: its process could not renew the lease in time, and another took the job";

/// What a run did, in a number: messages sent, drafts made, rows forgotten.
pub type Items = usize;
type Work = Arc<dyn Fn() -> BoxFuture<std::result::Result<Items, String>> + Send + Sync>;

struct Task {
    job: Job,
    every: Duration,
    work: Work,
    /// Woken (an email was just queued): run now if nobody else is, whatever the schedule.
    wake: Option<Arc<Notify>>,
}

/// The wait before the attempt after `failures` failed runs in a row: 10 s, doubling, at most
/// an hour.
pub fn retry_after(failures: i32) -> Duration {
    let doublings = (failures.max(1) - 1).min(12) as u32;
    Duration::from_secs(10u64 << doublings).min(Duration::from_secs(3600))
}

/// This process's name in leases and runs: host, process id, and a few random letters (a process
/// id comes back after a restart).
fn holder_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    format!("{host}:{}:{}", std::process::id(), &crate::auth::session::new_token()[..6])
}

fn after(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// The jobs of this process, and the lease and schedule they share with the others.
pub struct Runner {
    db: DatabaseConnection,
    holder: String,
    tasks: Vec<Task>,
}

impl Runner {
    pub fn new(db: DatabaseConnection) -> Runner {
        Runner { db, holder: holder_name(), tasks: Vec::new() }
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Adds a job, due every `every`; `work` answers how much it did, or why it failed.
    pub fn add<F, Fut>(mut self, job: Job, every: Duration, wake: Option<Arc<Notify>>, work: F) -> Runner
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = std::result::Result<Items, String>> + Send + 'static,
    {
        let work: Work = Arc::new(move || Box::pin(work()));
        self.tasks.push(Task { job, every, work, wake });
        self
    }

    /// Runs due jobs until `stop` turns true; a run under way is finished first (a job's own
    /// steps are transactions, so stopping between runs is stopping at a safe point). Database
    /// trouble is logged and tried again next tick.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let woken = Arc::new(Notify::new());
        let flags: Vec<Arc<std::sync::atomic::AtomicBool>> = self.tasks.iter().map(|_| Default::default()).collect();
        for (task, flag) in self.tasks.iter().zip(&flags) {
            if let Some(wake) = task.wake.clone() {
                let (flag, woken) = (flag.clone(), woken.clone());
                tokio::spawn(async move {
                    loop {
                        wake.notified().await;
                        flag.store(true, std::sync::atomic::Ordering::SeqCst);
                        woken.notify_one();
                    }
                });
            }
        }
        let mut known = false;
        while !*stop.borrow() {
            // One read a tick; a write only for a job that looks due (on SQLite every write
            // statement takes the database's one write lock, even one that changes nothing).
            let leases = match self.leases(&mut known).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %crate::error::cause_chain(&e), "could not read the job leases");
                    Vec::new()
                }
            };
            let t = now();
            for (task, flag) in self.tasks.iter().zip(&flags) {
                if *stop.borrow() {
                    break;
                }
                let forced = flag.swap(false, std::sync::atomic::Ordering::SeqCst);
                let Some(lease) = leases.iter().find(|l| l.job == task.job.as_str()) else { continue };
                let free = lease.lease_until.is_none_or(|until| until < t);
                if !free || !(forced || lease.next_run_at <= t) {
                    // Woken while another process sends: that process's run may have missed what
                    // was just queued, so this one tries again next tick.
                    if forced {
                        flag.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                    continue;
                }
                match self.try_run(task, forced).await {
                    Ok(None) if forced => flag.store(true, std::sync::atomic::Ordering::SeqCst),
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(job = %task.job, error = %crate::error::cause_chain(&e), "could not start a job");
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = woken.notified() => {}
                _ = stop.changed() => {}
            }
        }
        self.release_all().await;
    }

    /// Every job's lease row, each made (due at once) the first time.
    async fn leases(&self, known: &mut bool) -> Result<Vec<job_lease::Model>> {
        if !*known {
            let t = now();
            for task in &self.tasks {
                self.ensure_row(task.job, t).await?;
            }
            *known = true;
        }
        Ok(job_lease::Entity::find().all(&self.db).await?)
    }

    /// Runs `job` now if this process can take its lease and (unless `forced`) it is due;
    /// answers how the run went, or `None` when it did not run here.
    pub async fn run_now(&self, job: Job, forced: bool) -> Result<Option<JobOutcome>> {
        let task = self.tasks.iter().find(|t| t.job == job).expect("a job this runner has");
        self.try_run(task, forced).await
    }

    async fn try_run(&self, task: &Task, forced: bool) -> Result<Option<JobOutcome>> {
        let t = now();
        self.ensure_row(task.job, t).await?;
        // The lease: free (never held, released, or run out), and the job due unless forced.
        let free =
            Condition::any().add(job_lease::Column::LeaseUntil.is_null()).add(job_lease::Column::LeaseUntil.lt(t));
        let mut won = job_lease::Entity::update_many()
            .col_expr(job_lease::Column::Holder, Expr::value(self.holder.clone()))
            .col_expr(job_lease::Column::LeaseUntil, Expr::value(after(t, LEASE)))
            .filter(job_lease::Column::Job.eq(task.job.as_str()))
            .filter(free);
        if !forced {
            won = won.filter(job_lease::Column::NextRunAt.lte(t));
        }
        if won.exec(&self.db).await?.rows_affected != 1 {
            return Ok(None);
        }
        Ok(Some(self.run_holding(task, t).await))
    }

    async fn ensure_row(&self, job: Job, t: DateTime<Utc>) -> Result<()> {
        job_lease::Entity::insert(job_lease::ActiveModel {
            job: Set(job.as_str().to_string()),
            holder: Set(None),
            lease_until: Set(None),
            next_run_at: Set(t),
            failures: Set(0),
        })
        .on_conflict(OnConflict::column(job_lease::Column::Job).do_nothing().to_owned())
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// One run, under the lease just won: recorded, renewed while it works, released after.
    async fn run_holding(&self, task: &Task, started: DateTime<Utc>) -> JobOutcome {
        let job = task.job;
        // Whatever run of this job is still marked running belongs to a holder whose lease ran out.
        let interrupted = job_run::Entity::update_many()
            .col_expr(job_run::Column::Outcome, Expr::value(JobOutcome::Interrupted))
            .col_expr(job_run::Column::FinishedAt, Expr::value(started))
            .col_expr(
                job_run::Column::Error,
                Expr::value("its process stopped before the run finished; the job was taken over"),
            )
            .filter(job_run::Column::Job.eq(job))
            .filter(job_run::Column::Outcome.eq(JobOutcome::Running))
            .exec(&self.db)
            .await;
        if let Ok(r) = &interrupted {
            if r.rows_affected > 0 {
                tracing::warn!(job = %job, "took over a job whose last run was interrupted");
                metrics::counter!("limelight_job_runs_total", "job" => job.as_str(), "outcome" => "interrupted")
                    .increment(r.rows_affected);
            }
        }
        let run = job_run::ActiveModel {
            job: Set(job),
            holder: Set(self.holder.clone()),
            started_at: Set(started),
            finished_at: Set(None),
            outcome: Set(JobOutcome::Running),
            items: Set(0),
            error: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await;

        if let Err(e) = &run {
            tracing::error!(job = %job, error = %e, "could not record the start of a job's run");
        }
        let clock = std::time::Instant::now();
        // Its own task: a panic in the work is a failed run, not the end of this runner.
        let mut work = tokio::spawn((task.work)());
        let result = loop {
            tokio::select! {
                r = &mut work => break r.unwrap_or_else(|e| Err(format!("the job panicked: {e}"))),
                _ = tokio::time::sleep(RENEW) => {
                    if !self.renew(job).await {
                        // Another process holds it now (this one could not renew in time): two
                        // must never work at once, so this run stops here.
                        work.abort();
                        break Err(LOST.to_string());
                    }
                }
            }
        };
        metrics::histogram!("limelight_job_run_duration_seconds", "job" => job.as_str())
            .record(clock.elapsed().as_secs_f64());

        let finished = now();
        let lease = job_lease::Entity::find_by_id(job.as_str()).one(&self.db).await.ok().flatten();
        let failures = lease.map_or(0, |l| l.failures);
        let (outcome, items, error, failures, next) = match result {
            Ok(items) => (JobOutcome::Succeeded, items, None, 0, after(finished, task.every)),
            Err(e) if e == LOST => (JobOutcome::Interrupted, 0, Some(e), failures, finished),
            Err(e) => {
                let failures = failures + 1;
                let wait = retry_after(failures);
                tracing::error!(job = %job, failures, retry_in = ?wait, error = %e, "a background job failed; it will be retried");
                (JobOutcome::Failed, 0, Some(e), failures, after(finished, wait))
            }
        };
        metrics::counter!("limelight_job_runs_total", "job" => job.as_str(), "outcome" => outcome.as_str())
            .increment(1);
        if let Ok(run) = run {
            let mut done: job_run::ActiveModel = run.into();
            done.finished_at = Set(Some(finished));
            done.outcome = Set(outcome);
            done.items = Set(items.min(i32::MAX as usize) as i32);
            done.error = Set(error.map(|e| e.chars().take(2000).collect()));
            if let Err(e) = done.update(&self.db).await {
                tracing::error!(job = %job, error = %e, "could not record how a job's run went");
            }
        }
        let released = job_lease::Entity::update_many()
            .col_expr(job_lease::Column::Holder, Expr::value(Option::<String>::None))
            .col_expr(job_lease::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(job_lease::Column::NextRunAt, Expr::value(next))
            .col_expr(job_lease::Column::Failures, Expr::value(failures))
            .filter(job_lease::Column::Job.eq(job.as_str()))
            .filter(job_lease::Column::Holder.eq(self.holder.as_str()))
            .exec(&self.db)
            .await;
        if let Err(e) = released {
            // The lease runs out on its own; the job waits at most that long.
            tracing::error!(job = %job, error = %e, "could not release a job's lease");
        }
        outcome
    }

    /// Extends this process's lease on `job`; answers false once it is no longer this process's.
    /// A renewal that fails for a moment (the database restarting) is tried again next time: the
    /// lease is good for three renewals.
    async fn renew(&self, job: Job) -> bool {
        let renewed = job_lease::Entity::update_many()
            .col_expr(job_lease::Column::LeaseUntil, Expr::value(after(now(), LEASE)))
            .filter(job_lease::Column::Job.eq(job.as_str()))
            .filter(job_lease::Column::Holder.eq(self.holder.as_str()))
            .exec(&self.db)
            .await;
        match renewed {
            Ok(r) if r.rows_affected == 0 => {
                tracing::error!(job = %job, "lost a job's lease to another process; this run stops");
                false
            }
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(job = %job, error = %e, "could not renew a job's lease");
                true
            }
        }
    }

    /// On the way out: nothing of this process's is held (a run under way has finished).
    async fn release_all(&self) {
        let _ = job_lease::Entity::update_many()
            .col_expr(job_lease::Column::Holder, Expr::value(Option::<String>::None))
            .col_expr(job_lease::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(job_lease::Column::Holder.eq(self.holder.as_str()))
            .exec(&self.db)
            .await;
    }
}

/// Runs that did nothing are kept two days, the rest thirty.
pub async fn forget_old_runs(db: &DatabaseConnection) -> Result<u64> {
    let t = now();
    let idle = job_run::Entity::delete_many()
        .filter(job_run::Column::StartedAt.lt(t - chrono::Duration::days(2)))
        .filter(job_run::Column::Items.eq(0))
        .filter(job_run::Column::Outcome.eq(JobOutcome::Succeeded))
        .exec(db)
        .await?;
    let old = job_run::Entity::delete_many()
        .filter(job_run::Column::StartedAt.lt(t - chrono::Duration::days(30)))
        .exec(db)
        .await?;
    Ok(idle.rows_affected + old.rows_affected)
}

/// One run of a job.
#[derive(Clone, Debug)]
pub struct Run {
    pub job: Job,
    pub holder: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: JobOutcome,
    pub items: i32,
    pub error: Option<String>,
}

impl From<job_run::Model> for Run {
    fn from(r: job_run::Model) -> Run {
        Run {
            job: r.job,
            holder: r.holder,
            started_at: r.started_at,
            finished_at: r.finished_at,
            outcome: r.outcome,
            items: r.items,
            error: r.error,
        }
    }
}

/// A job as the admins' page shows it.
#[derive(Clone, Debug)]
pub struct JobState {
    pub job: Job,
    pub holder: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub next_run_at: Option<DateTime<Utc>>,
    pub failures: i32,
    pub last: Option<Run>,
    pub last_success: Option<DateTime<Utc>>,
}

/// Every job, and the recent runs worth reading (those that did something, failed, or were
/// interrupted), newest first.
pub async fn overview(db: &DatabaseConnection, recent: u64) -> Result<(Vec<JobState>, Vec<Run>)> {
    let leases = job_lease::Entity::find().all(db).await?;
    let mut states = Vec::new();
    for &job in Job::ALL {
        let lease = leases.iter().find(|l| l.job == job.as_str());
        let last = job_run::Entity::find()
            .filter(job_run::Column::Job.eq(job))
            .order_by_desc(job_run::Column::Id)
            .one(db)
            .await?
            .map(Run::from);
        let last_success = job_run::Entity::find()
            .select_only()
            .column(job_run::Column::FinishedAt)
            .filter(job_run::Column::Job.eq(job))
            .filter(job_run::Column::Outcome.eq(JobOutcome::Succeeded))
            .order_by_desc(job_run::Column::Id)
            .into_tuple::<Option<DateTime<Utc>>>()
            .one(db)
            .await?
            .flatten();
        states.push(JobState {
            job,
            holder: lease.and_then(|l| l.holder.clone()),
            lease_until: lease.and_then(|l| l.lease_until),
            next_run_at: lease.map(|l| l.next_run_at),
            failures: lease.map_or(0, |l| l.failures),
            last,
            last_success,
        });
    }
    let runs = job_run::Entity::find()
        .filter(
            Condition::any().add(job_run::Column::Items.gt(0)).add(job_run::Column::Outcome.ne(JobOutcome::Succeeded)),
        )
        .order_by_desc(job_run::Column::Id)
        .limit(recent)
        .all(db)
        .await?
        .into_iter()
        .map(Run::from)
        .collect();
    Ok((states, runs))
}

impl crate::staff::admin::Admin {
    /// The background jobs and their recent runs (`/msp/admin/jobs`).
    pub async fn jobs(&self) -> Result<(Vec<JobState>, Vec<Run>)> {
        overview(self.db(), 50).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_after_failures_doubles_from_ten_seconds_to_an_hour() {
        let waits: Vec<u64> = [0, 1, 2, 3, 8, 9, 10, 50].iter().map(|&f| retry_after(f).as_secs()).collect();
        assert_eq!(waits, [10, 10, 20, 40, 1280, 2560, 3600, 3600]);
    }
}
