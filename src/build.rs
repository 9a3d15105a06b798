//! Rebuilds when a translation file changes (rust-i18n reads them at compile time).
fn main() {
    println!("cargo:rerun-if-changed=i18n");
}
