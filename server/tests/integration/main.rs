//! Integration tests: the real app over HTTP, on SQLite or PostgreSQL (see `common`).

mod account;
mod admin;
mod api;
mod api_writes;
mod auth;
mod calendar;
mod cli;
mod common;
mod dashboard;
mod demo;
mod errors;
mod history;
mod imports;
mod isolation;
mod mail;
mod reset;
mod schema;
mod security;
mod staff;
mod summaries;
mod systems;
mod team;
mod tickets;
mod users;
mod webhooks;
mod xss;
