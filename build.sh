#!/usr/bin/env bash
# Deinfluencer: set-up, build and checks, in one script.
#
#   ./build.sh          install what is missing, then build dist/chrome, dist/firefox and the store zips
#   ./build.sh test     build, then fmt, clippy, native tests, wasm tests, web-ext lint, end-to-end tests
#   ./build.sh setup    only install what is missing
#   ./build.sh fuzz [S] run every cargo-fuzz target for S seconds (default 1800)
#   ./build.sh bench    build, then one table: native vs wasm posts/s, engine build, wasm size, hint latency
#   ./build.sh eval     run the audit CLI over ../shared/data/*.jsonl (when that directory exists)
#
# Set-up is idempotent: each tool is checked first and installed only when missing or at the wrong
# version, so a second run does no installing and the build itself is incremental.
set -euo pipefail
shopt -s nullglob

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TARGET=wasm32-unknown-unknown
CRATE=deinfluencer
TOOLS_DIR="$ROOT/tests"
NODE_BIN="$TOOLS_DIR/node_modules/.bin"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PKG="$TARGET_DIR/pkg"
DIST="$ROOT/dist"
CHROMIUM=/usr/bin/chromium
FIREFOX=/usr/bin/firefox-esr
# The wasm features rustc enables by default for wasm32-unknown-unknown (rustc --print cfg). wasm-opt
# must be told: the release profile strips the target_features section it would read them from.
WASM_FEATURES=(--enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-multivalue)
# wasm-opt: optimise for size. --low-memory-unused lets it fold a constant added to an address into the
# load's offset; safe here because rustc links wasm32 stack-first (the stack grows down from 1 MiB towards
# 0, data above it), so no address is ever formed by wrapping around 4 GiB into the low 1 KiB (~1.8 KB gzip).
WASM_OPT=(-Oz --low-memory-unused)
# Every zip entry gets this time stamp (the earliest a zip can store), so the zips are reproducible.
ZIP_EPOCH='1980-01-01 00:00:00'

# ---------------------------------------------------------------------------------------------------
# Output, timing, errors

say() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
  printf '\nbuild.sh: error: %s\n' "$*" >&2
  exit 1
}

now_ms() { date +%s%3N; }
fmt_ms() { printf '%d.%d s' $(($1 / 1000)) $((($1 % 1000) / 100)); }

START_MS=$(now_ms)
TIMINGS=()
CURRENT=""

# phase "name" command...: runs one step, names it in the output and records how long it took.
PHASE_T0=0
phase() {
  local name=$1
  shift
  CURRENT=$name
  say "$name"
  PHASE_T0=$(now_ms)
  "$@"
  TIMINGS+=("$(printf '%-34s %10s' "$name" "$(fmt_ms $(($(now_ms) - PHASE_T0)))")")
  CURRENT=""
}

print_timings() {
  ((${#TIMINGS[@]})) || return 0
  say "Timings"
  local line
  for line in "${TIMINGS[@]}"; do info "$line"; done
  info "$(printf '%-34s %10s' total "$(fmt_ms $(($(now_ms) - START_MS)))")"
}

on_exit() {
  local rc=$?
  if ((rc != 0)); then
    if [[ -n $CURRENT ]]; then
      TIMINGS+=("$(printf '%-34s %10s  FAILED' "$CURRENT" "$(fmt_ms $(($(now_ms) - PHASE_T0)))")")
    fi
    print_timings
    printf '\nbuild.sh: FAILED%s (exit %d)\n' "${CURRENT:+ during \"$CURRENT\"}" "$rc" >&2
  fi
}
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------------
# Set-up: install only what is missing

APT_UPDATED=0

# apt_install PACKAGE WHY: install a Debian package, or print the command and stop when we cannot.
apt_install() {
  local package=$1 why=$2
  info "Installing the Debian package '$package': $why"
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    die "'$package' is missing and this script can only install it as root on Debian/Ubuntu. Run:
      sudo apt-get update && sudo apt-get install -y $package
    then run ./build.sh again."
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ((APT_UPDATED == 0)); then
    info "running: apt-get update"
    apt-get update </dev/null
    APT_UPDATED=1
  fi
  info "running: apt-get install -y $package"
  apt-get install -y "$package" </dev/null
}

require_base_tools() {
  if ! command -v cargo >/dev/null || ! command -v rustup >/dev/null; then
    die "cargo and rustup are needed: install Rust from https://rustup.rs, then run ./build.sh again."
  fi
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    die "Node.js 20 or newer (with npm) is needed: install it, then run ./build.sh again."
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  ((major >= 20)) || die "Node.js 20 or newer is needed (found $(node --version))."
}

setup_rust() {
  # Captured first: with pipefail, `rustup … | grep -q` can fail on SIGPIPE when grep exits early.
  local targets components
  targets=$(rustup target list --installed)
  components=$(rustup component list --installed 2>/dev/null || true)
  if grep -qx "$TARGET" <<<"$targets"; then
    info "rust target $TARGET: installed"
  else
    info "rust target $TARGET: missing, installing"
    rustup target add "$TARGET"
  fi
  local component
  for component in rustfmt clippy; do
    if grep -q "^$component" <<<"$components"; then
      info "rust component $component: installed"
    else
      info "rust component $component: missing, installing"
      rustup component add "$component"
    fi
  done
}

# The wasm-bindgen version the crate is locked to (the CLI must match it exactly).
locked_bindgen_version() {
  awk '/^\[\[package\]\]/ { name = "" }
       /^name = / { name = $3 }
       /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

setup_bindgen() {
  [[ -f Cargo.lock ]] || die "Cargo.lock is missing: it pins the wasm-bindgen version."
  local want have="" runner=""
  want=$(locked_bindgen_version)
  [[ -n $want ]] || die "no wasm-bindgen package in Cargo.lock."
  if command -v wasm-bindgen >/dev/null; then have=$(wasm-bindgen --version | awk '{print $2}'); fi
  if command -v wasm-bindgen-test-runner >/dev/null; then
    runner=$(wasm-bindgen-test-runner --version | awk '{print $2}')
  fi
  if [[ $have == "$want" && $runner == "$want" ]]; then
    info "wasm-bindgen-cli $want: installed (same as Cargo.lock)"
  else
    info "wasm-bindgen-cli: have '${have:-none}', Cargo.lock wants $want: installing (takes a few minutes)"
    # Not --locked: a crate pinned in the CLI's own lock file is missing from the registry mirror.
    # --force: also replaces a half-installed CLI of the right version (e.g. no test runner).
    cargo install --force wasm-bindgen-cli --version "$want"
  fi
}

setup_npm() {
  local lock="$TOOLS_DIR/package-lock.json" installed="$TOOLS_DIR/node_modules/.package-lock.json"
  if [[ -f $installed && ! $lock -nt $installed ]]; then
    info "npm dev tools (tests/node_modules): up to date with package-lock.json"
  else
    info "npm dev tools: installing from tests/package-lock.json (npm ci)"
    (cd "$TOOLS_DIR" && npm ci --no-audit --no-fund </dev/null)
  fi
}

setup_system() {
  if [[ -x $CHROMIUM ]]; then
    info "chromium: $CHROMIUM"
  else
    apt_install chromium "the end-to-end tests drive Debian's Chromium ($CHROMIUM) headless with the extension loaded"
  fi
  if [[ -x $FIREFOX ]]; then
    info "firefox-esr: $FIREFOX"
  else
    apt_install firefox-esr "the end-to-end tests drive Debian's Firefox ESR ($FIREFOX) headless with dist/firefox installed"
  fi
  if command -v zip >/dev/null; then
    info "zip: $(command -v zip)"
  else
    apt_install zip "it packs the store zips dist/deinfluencer-chrome.zip and dist/deinfluencer-firefox.zip"
  fi
}

# Fuzzing needs a nightly toolchain (sanitizers) and cargo-fuzz.
setup_fuzz() {
  if rustup toolchain list | grep -q '^nightly'; then
    info "rust nightly (for cargo fuzz): installed"
  else
    info "rust nightly: missing, installing (cargo fuzz needs it for the sanitizers)"
    rustup toolchain install nightly --profile minimal
  fi
  if cargo fuzz --version >/dev/null 2>&1; then
    info "cargo-fuzz: $(cargo fuzz --version)"
  else
    info "cargo-fuzz: missing, installing (takes a few minutes)"
    cargo install cargo-fuzz
  fi
}

setup() {
  require_base_tools
  setup_rust
  setup_bindgen
  setup_npm
  setup_system
  setup_fuzz
}

# ---------------------------------------------------------------------------------------------------
# Build

cargo_build() {
  cargo build --release --locked --target "$TARGET" --lib
}

WASM_IN="$TARGET_DIR/$TARGET/release/$CRATE.wasm"

# wasm-bindgen and wasm-opt, skipped when the compiled module has not changed since the last run.
bindgen_and_opt() {
  [[ -f $WASM_IN ]] || die "cargo produced no $WASM_IN"
  local stamp="$PKG/.built-from"
  local key
  key="$(cksum <"$WASM_IN") $(wasm-bindgen --version) $("$NODE_BIN/wasm-opt" --version) ${WASM_OPT[*]} ${WASM_FEATURES[*]}"
  if [[ -f $stamp && $(<"$stamp") == "$key" && -f $PKG/${CRATE}_bg.wasm ]]; then
    info "the wasm module is unchanged: reusing $PKG"
    return
  fi
  rm -rf "$PKG.tmp"
  wasm-bindgen --target web --no-typescript --out-dir "$PKG.tmp" "$WASM_IN"
  local before after
  before=$(stat -c %s "$PKG.tmp/${CRATE}_bg.wasm")
  "$NODE_BIN/wasm-opt" "${WASM_OPT[@]}" "${WASM_FEATURES[@]}" --strip-debug --strip-producers \
    "$PKG.tmp/${CRATE}_bg.wasm" -o "$PKG.tmp/${CRATE}_bg.wasm"
  after=$(stat -c %s "$PKG.tmp/${CRATE}_bg.wasm")
  info "wasm-opt ${WASM_OPT[*]}: $before -> $after bytes"
  # Lets Node load the glue as an ES module (smoke test, tests); not copied into dist/.
  printf '{ "type": "module" }\n' >"$PKG.tmp/package.json"
  rm -rf "$PKG"
  mv "$PKG.tmp" "$PKG"
  printf '%s' "$key" >"$stamp"
}

smoke_load() {
  node "$TOOLS_DIR/tools/smoke-load.mjs" "$PKG" ||
    die "the optimised wasm module does not instantiate or answer in Node (see above)."
}

assemble() {
  local browser out
  rm -rf "$DIST/chrome" "$DIST/firefox"
  for browser in chrome firefox; do
    out="$DIST/$browser"
    mkdir -p "$out/pkg"
    cp -R extension/. "$out/"
    rm -f "$out"/manifest.*.json
    find "$out" -name '.*' -type f -delete # editor and OS droppings never ship
    cp "$PKG/$CRATE.js" "$PKG/${CRATE}_bg.wasm" "$out/pkg/"
    node "$TOOLS_DIR/tools/manifest.mjs" "$browser" "$out/manifest.json"
    info "dist/$browser: $(find "$out" -type f | wc -l) files"
  done
}

# zip_dir DIR ZIP: a reproducible zip (sorted entries, fixed times and modes, no extra fields).
zip_dir() {
  local dir=$1 zipfile=$2
  rm -f "$zipfile"
  find "$dir" -type d -exec chmod 755 {} + -o -type f -exec chmod 644 {} +
  TZ=UTC find "$dir" -exec touch -h -d "$ZIP_EPOCH" {} +
  (cd "$dir" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | TZ=UTC zip -X -D -9 -q -@ "$zipfile")
  info "$(basename "$zipfile"): $(stat -c %s "$zipfile") bytes, sha256 $(sha256sum "$zipfile" | cut -c1-16)…"
}

package() {
  zip_dir "$DIST/chrome" "$DIST/$CRATE-chrome.zip"
  zip_dir "$DIST/firefox" "$DIST/$CRATE-firefox.zip"
}

print_sizes() {
  local wasm="$DIST/chrome/pkg/${CRATE}_bg.wasm" glue="$DIST/chrome/pkg/$CRATE.js"
  say "Sizes"
  info "$(printf '%-24s %9s bytes raw %9s bytes gzip -9' "${CRATE}_bg.wasm" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)")"
  info "$(printf '%-24s %9s bytes raw %9s bytes gzip -9' "$CRATE.js" "$(stat -c %s "$glue")" "$(gzip -9c "$glue" | wc -c)")"
}

build() {
  phase "set-up (install what is missing)" setup
  phase "cargo build (wasm32, release)" cargo_build
  phase "wasm-bindgen + wasm-opt" bindgen_and_opt
  phase "smoke load in Node" smoke_load
  phase "assemble dist/chrome, dist/firefox" assemble
  phase "store zips" package
  print_sizes
}

# ---------------------------------------------------------------------------------------------------
# Checks

web_ext_lint() {
  # Fails on any error; warnings and notices are printed but allowed.
  node "$TOOLS_DIR/tools/web-ext-lint.mjs" "$DIST/firefox" </dev/null
}

# Each fuzz target for $1 seconds, from the committed seeds (tests/fuzz/seeds/<target>) plus the corpus
# grown by earlier runs (tests/fuzz/corpus/<target>, git-ignored). A crash fails the run and leaves the
# input under tests/fuzz/artifacts/<target>/: turn it into a regression test.
FUZZ_TARGETS=(normalize engine tiktok_json ledger_import audit_line)
fuzz_run() {
  local seconds=$1 target
  for target in "${FUZZ_TARGETS[@]}"; do
    mkdir -p "$ROOT/tests/fuzz/corpus/$target"
    info "fuzzing $target for ${seconds}s"
    local log="$ROOT/tests/fuzz/last-$target.log" extra_seeds=""
    # The TikTok reader also starts from the (anonymised) TikTok fixtures the tests use.
    if [[ $target == tiktok_json ]]; then extra_seeds="$ROOT/tests/fixtures/tiktok"; fi
    if ! cargo +nightly fuzz run --fuzz-dir "$ROOT/tests/fuzz" "$target" \
      "$ROOT/tests/fuzz/corpus/$target" "$ROOT/tests/fuzz/seeds/$target" $extra_seeds \
      -- -max_total_time="$seconds" -rss_limit_mb=2048 </dev/null >"$log" 2>&1; then
      grep -v '^ *[0-9]*: \|^ *at ' "$log" | tail -40 >&2
      die "fuzz target $target failed: the input is under tests/fuzz/artifacts/$target/ (log: $log)"
    fi
    info "$(grep -E '^Done [0-9]+ runs' "$log" | tail -1)"
  done
}

# The native half of the throughput figures (tests/benches/measure.mjs runs it).
build_bench_binary() {
  cargo build --locked --profile native --bin "$CRATE-bench"
}

# tests/budgets.json: first a self-test proving every check fails on an over-budget value, then the
# real measurements (wasm gzip size, native/wasm throughput ratio, hint p95 from a quick overlay run).
check_budgets() {
  build_bench_binary
  node "$TOOLS_DIR/tools/check-budgets.mjs" --self-test </dev/null
  env CHROMIUM="$CHROMIUM" node "$TOOLS_DIR/tools/check-budgets.mjs" </dev/null
}

run_tests() {
  build
  phase "cargo fmt --check" cargo fmt --check
  phase "cargo clippy (native)" cargo clippy --locked --all-targets -- -D warnings
  phase "cargo clippy (wasm32 lib)" cargo clippy --locked --target "$TARGET" --lib -- -D warnings
  phase "cargo test (native)" cargo test --locked
  # Never -q here: cargo would pass it on to wasm-bindgen-test-runner, which rejects it.
  phase "cargo test (wasm32, Node)" cargo test --locked --target "$TARGET"
  phase "web-ext lint dist/firefox" web_ext_lint
  phase "performance budgets" check_budgets
  phase "end-to-end (Chromium)" env CHROMIUM="$CHROMIUM" node --test "$TOOLS_DIR/e2e/"
  phase "end-to-end (Firefox ESR)" env FIREFOX="$FIREFOX" node --test "$TOOLS_DIR/firefox/"
  phase "fuzz smoke (${FUZZ_SMOKE_SECONDS:-12} s per target)" fuzz_run "${FUZZ_SMOKE_SECONDS:-12}"
}

# ---------------------------------------------------------------------------------------------------

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
}

command=${1:-build}
case $command in
  build) build ;;
  setup) phase "set-up (install what is missing)" setup ;;
  test) run_tests ;;
  fuzz)
    require_base_tools
    setup_fuzz
    phase "fuzz (${2:-1800} s per target)" fuzz_run "${2:-1800}"
    ;;
  bench)
    # The criterion benchmarks (engine and ledger) stay available as: cargo bench --bench engine
    build
    phase "native benchmark binary" build_bench_binary
    phase "benchmark (tests/benches/report.mjs)" env CHROMIUM="$CHROMIUM" node "$TOOLS_DIR/benches/report.mjs" "${@:2}" </dev/null
    ;;
  eval)
    require_base_tools
    data_dir="$(cd "$ROOT/.." && pwd)/shared/data"
    data=("$data_dir"/*.jsonl)
    if [[ ! -d $data_dir ]]; then
      say "No evaluation data: ../shared/data does not exist (next to this checkout). Nothing to evaluate."
      exit 0
    fi
    ((${#data[@]})) || die "../shared/data has no *.jsonl files to evaluate."
    phase "eval over ${#data[@]} data sets" cargo run --locked --profile native --bin "$CRATE" -- eval "${data[@]}"
    ;;
  -h | --help | help)
    usage
    exit 0
    ;;
  *)
    usage >&2
    die "unknown command '$command'"
    ;;
esac

print_timings
say "OK: ./build.sh $command"
