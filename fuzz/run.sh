#!/usr/bin/env bash
# Runs each fuzz target for a fixed time (default 60 s each) with cargo fuzz on the stable
# toolchain, and prints what each tried. Usage: fuzz/run.sh [SECONDS]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Whatever a target finds is saved under
# fuzz/artifacts/ and becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# cargo fuzz asks for nightly flags; the stable toolchain takes them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
for target in search_query dates phones register; do
    echo "== $target, ${seconds}s"
    cargo fuzz run --sanitizer none "$target" -- -max_total_time="$seconds" -max_len=256 2>&1 |
        grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs|ERROR|panicked" || true
done
