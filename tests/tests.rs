//! Integration tests: one binary with a module per topic.

mod access;
mod backup;
mod busy_morning;
mod cli;
mod corrections;
mod crash;
mod figures;
mod i18n;
mod import;
mod layout;
mod merges;
mod names;
mod programme;
mod reliability;
mod rights;
mod slips;
mod storage;
mod ui;
