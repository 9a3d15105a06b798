//! Integration tests: one binary with a module per topic.

mod cli;
mod i18n;
mod slips;
mod storage;
mod ui;
