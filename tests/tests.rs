//! Integration tests: one binary with a module per topic.

mod access;
mod backup;
mod cli;
mod figures;
mod i18n;
mod rights;
mod slips;
mod storage;
mod ui;
