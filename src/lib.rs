//! bureau-desk: the reception desk of a one-stop information and services bureau for refugees,
//! migrants and third-country nationals.
//!
//! The library holds the domain, storage, the desk's state and commands, the demo generator and
//! the command line; `ui` draws the desk with egui and knows nothing of SQL.

rust_i18n::i18n!("i18n", fallback = "en");

pub mod app;
pub mod cli;
pub mod db;
pub mod demo;
pub mod domain;
pub mod export;
pub mod fonts;
pub mod import;
pub mod keys;
pub mod output;
pub mod single_desk;
pub mod slip;
pub mod ui;

/// The UI languages, each complete in `i18n/`.
pub const UI_LANGUAGES: [&str; 2] = ["bg", "en"];

/// The text of an i18n key in a language, with `%{name}` placeholders filled from `args`.
/// For callers outside this crate (tests, tools); screens use `t!` directly.
pub fn translate(locale: &str, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = rust_i18n::t!(key, locale = locale).into_owned();
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}
