//! Email through the queue: a real SMTP conversation on loopback, and a failed send that is
//! retried and never lost.

use crate::common::*;
use domain::entities::mail_queue;
use domain::mail::{MailQueue, Mailer, SmtpSettings};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message as an SMTP server received it.
#[derive(Clone, Debug)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

/// A small SMTP server speaking just enough of RFC 5321 for one client: it records what it
/// receives.
struct FakeSmtp {
    received: Arc<Mutex<Vec<Received>>>,
}

impl FakeSmtp {
    async fn start(listener: tokio::net::TcpListener) -> FakeSmtp {
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let mut current = Received { from: String::new(), to: Vec::new(), data: String::new() };
                    write.write_all(b"220 fake.test ESMTP\r\n").await.unwrap();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                            b"250 fake.test\r\n"
                        } else if upper.starts_with("MAIL FROM:") {
                            current.from = line[10..].trim().to_string();
                            b"250 OK\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            current.to.push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        } else if upper == "DATA" {
                            write.write_all(b"354 go ahead\r\n").await.unwrap();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                current.data.push_str(&l);
                                current.data.push('\n');
                            }
                            store.lock().unwrap().push(current.clone());
                            current = Received { from: String::new(), to: Vec::new(), data: String::new() };
                            b"250 queued\r\n"
                        } else if upper == "QUIT" {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        write.write_all(reply).await.unwrap();
                    }
                });
            }
        });
        FakeSmtp { received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn settings(port: u16) -> SmtpSettings {
    SmtpSettings { url: format!("smtp://127.0.0.1:{port}"), user: None, password: None }
}

#[tokio::test]
async fn an_invitation_goes_over_smtp_as_a_multipart_message_to_the_invitee() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let smtp = FakeSmtp::start(listener).await;
    let app = spawn_app_with_smtp(settings(port)).await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    let res =
        call(&admin, &app, "portal/invite", &[("email", "new.hire@acme-dental.test"), ("role", "client_user")]).await;
    assert_eq!(res.status(), 200);
    assert!(smtp.received().is_empty(), "the request only queues: the worker sends");
    assert_eq!(app.deliver_mail().await, 1);
    let got = smtp.received();
    assert_eq!(got.len(), 1, "one message over SMTP");
    assert_eq!(got[0].to, vec!["<new.hire@acme-dental.test>".to_string()]);
    assert!(got[0].from.contains("no-reply@limelight.test"));
    let data = &got[0].data;
    assert!(data.contains("multipart/alternative"), "{data}");
    assert!(data.contains("text/plain") && data.contains("text/html"));
    assert!(data.contains("/invite/"));
    assert!(app.outbox().await.is_empty(), "with SMTP configured nothing goes to the outbox");
    let row = mail_queue::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.attempts, row.topic.as_deref()), ("sent", 1, Some("invitation")));
}

#[tokio::test]
async fn a_send_that_fails_is_retried_and_nothing_is_lost() {
    // A port where nothing listens yet: the first attempt fails.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = spawn_app_with_smtp(settings(port)).await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    let res =
        call(&admin, &app, "portal/invite", &[("email", "later@acme-dental.test"), ("role", "client_user")]).await;
    assert_eq!(res.status(), 200, "the invitation is made even though the mail server is down");
    assert_eq!(app.deliver_mail().await, 0, "the mail server is down");
    let row = mail_queue::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.status.as_str(), "queued");
    assert_eq!(row.attempts, 1);
    assert!(row.last_error.is_some());
    assert!(row.next_attempt_at > domain::time::now(), "the next attempt waits (backoff)");
    // Not due yet: nothing is tried.
    let queue = MailQueue::new(
        app.db.clone(),
        Mailer::smtp("Limelight <no-reply@limelight.test>", &settings(port)).unwrap(),
        app.secret_key(),
    );
    assert_eq!(queue.deliver_due().await.unwrap(), 0);
    // The mail server comes back, and the wait is over.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let smtp = FakeSmtp::start(listener).await;
    let mut due: mail_queue::ActiveModel = row.clone().into();
    due.next_attempt_at = Set(domain::time::now() - chrono::Duration::seconds(1));
    due.update(&app.db).await.unwrap();
    assert_eq!(queue.deliver_due().await.unwrap(), 1);
    assert_eq!(queue.deliver_due().await.unwrap(), 0, "sent once");
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["<later@acme-dental.test>".to_string()]);
    let row = mail_queue::Entity::find_by_id(row.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    assert!(row.sent_at.is_some() && row.last_error.is_none());
}

#[tokio::test]
async fn without_smtp_mail_goes_to_the_outbox_through_the_queue() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.signed_in("dana@acme-dental.test").await;
    call(&admin, &app, "portal/invite", &[("email", "box@acme-dental.test"), ("role", "client_user")]).await;
    let mail = app.outbox().await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].contains("To: box@acme-dental.test") && mail[0].contains("multipart/alternative"));
    let row = mail_queue::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.status.as_str(), "sent");
}
