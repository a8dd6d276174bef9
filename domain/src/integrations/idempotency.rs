//! `Idempotency-Key`: the first answer to a key is kept for a day and replayed for the same
//! request; the same key with a different request is refused. Keys belong to one token.

use super::tokens::ApiCaller;
use crate::entities::api_idempotency;
use crate::error::Result;
use crate::time::now;
use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

/// How long an answer is kept.
pub const KEEP_HOURS: i64 = 24;

/// What a key has answered before.
pub enum Remembered {
    /// Nothing yet: go ahead.
    New,
    /// This request was answered: replay it.
    Replay { status: u16, body: String },
    /// The key was used for another request.
    Conflict,
}

pub fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

impl ApiCaller {
    pub async fn remembered(&self, key: &str, hash: &str) -> Result<Remembered> {
        let found = api_idempotency::Entity::find()
            .filter(api_idempotency::Column::TokenId.eq(self.token_id))
            .filter(api_idempotency::Column::IdempotencyKey.eq(key))
            .filter(api_idempotency::Column::CreatedAt.gt(now() - Duration::hours(KEEP_HOURS)))
            .one(self.db())
            .await?;
        Ok(match found {
            None => Remembered::New,
            Some(r) if r.request_hash == hash => Remembered::Replay { status: r.status as u16, body: r.body },
            Some(_) => Remembered::Conflict,
        })
    }

    /// Keeps an answer under its key. Two requests racing with one key: the first kept wins, and
    /// the other's answer (to the same, idempotent request) is simply not kept.
    pub async fn remember(&self, key: &str, hash: &str, status: u16, body: &str) -> Result<()> {
        let tx = crate::db::write(self.db()).await?;
        let t = now();
        api_idempotency::Entity::delete_many()
            .filter(api_idempotency::Column::TokenId.eq(self.token_id))
            .filter(api_idempotency::Column::IdempotencyKey.eq(key))
            .filter(api_idempotency::Column::CreatedAt.lte(t - Duration::hours(KEEP_HOURS)))
            .exec(&tx)
            .await?;
        let taken = api_idempotency::Entity::find()
            .filter(api_idempotency::Column::TokenId.eq(self.token_id))
            .filter(api_idempotency::Column::IdempotencyKey.eq(key))
            .one(&tx)
            .await?;
        if taken.is_none() {
            api_idempotency::ActiveModel {
                token_id: Set(self.token_id),
                idempotency_key: Set(key.to_string()),
                request_hash: Set(hash.to_string()),
                status: Set(status as i16),
                body: Set(body.to_string()),
                created_at: Set(t),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
