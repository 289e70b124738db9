#!/usr/bin/env node
// `./build.sh bench`: every performance figure in one run, as one Markdown table (ready for the README)
// and as JSON in target/bench-report.json. Run after ./build.sh and
// `cargo build --profile native --bin deinfluencer-bench` (build.sh does both).
//
//   node tests/benches/report.mjs [--rounds 5] [--round-ms 1000] [--skip-perf]
//
// Data: $DEINFLUENCER_BENCH_DATA, else ../shared/data/*.jsonl, else the committed fixture (the report says which).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_DIR, machine, perfOverlay, throughput, wasmSize } from './measure.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
/** The overlay run: the 500-card scroll of a feed virtualised like TikTok's. */
const PERF_ARGS = ['--cards', '500', '--virtual', '12'];

const int = (n) => Math.round(n).toLocaleString('en-US');
const fixed = (n, digits = 1) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function log(message) {
  process.stderr.write(`    ${message}\n`);
}

async function main() {
  const rounds = Number(option('rounds', 5));
  const roundMs = Number(option('round-ms', 1000));
  const host = machine();
  log(`machine: ${host.cpu}, ${host.cores} cores, load average ${host.load_average_1m} (other work on the machine slows every figure)`);

  const size = wasmSize();
  log(`wasm: ${int(size.raw)} B raw, ${int(size.gzip)} B by ${size.gzip_by}`);

  log(`throughput: ${rounds} alternating native and wasm rounds of ≥ ${roundMs} ms each…`);
  const speed = await throughput({ rounds, roundMs, judgeOnly: true });
  log(`data: ${speed.native.data.note}: ${int(speed.native.posts)} posts`);

  let perf = { ok: false, reason: 'skipped (--skip-perf)' };
  if (!args.includes('--skip-perf')) {
    log(`overlay: node tests/tools/perf-overlay.mjs ${PERF_ARGS.join(' ')} (about a minute)…`);
    perf = await perfOverlay(PERF_ARGS);
    if (!perf.ok) log(`overlay figures unavailable: ${perf.reason}`);
  }

  const report = {
    date: new Date().toISOString(),
    machine: host,
    data: { ...speed.native.data, posts: speed.native.posts, batch: speed.native.batch },
    engine: speed.native.engine,
    native_posts_per_s: speed.native.posts_per_s,
    native_judge_only_posts_per_s: speed.native.judge_only_posts_per_s,
    wasm_posts_per_s: speed.wasm.posts_per_s,
    native_wasm_ratio: speed.ratio,
    rounds: { native: speed.native.rounds_posts_per_s, wasm: speed.wasm.rounds_posts_per_s, round_ms: roundMs },
    engine_build_ms: {
      native_first: speed.native.engine_build_cold_ms,
      native_again: speed.native.engine_build_warm_ms,
      wasm_first: speed.wasm.engine_build_cold_ms,
      wasm_instantiate: speed.wasm.instantiate_ms,
      wasm_note: 'the first call builds the engine in wasm (a fresh JS realm pays it once); it cannot be rebuilt warm there',
    },
    wasm_bytes: size,
    overlay: perf.ok ? { args: PERF_ARGS, ...perf.perf } : { args: PERF_ARGS, unavailable: perf.reason },
    verdicts: speed.native.verdicts,
  };
  mkdirSync(TARGET_DIR, { recursive: true });
  const out = join(TARGET_DIR, 'bench-report.json');
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  const p = perf.ok ? perf.perf : {};
  const rows = [
    ['native throughput (profile `native`; batches of 200: value → posts → judge → value)', `${int(report.native_posts_per_s)} posts/s`],
    ['native, `Engine::judge` alone (no conversions; for information)', `${int(report.native_judge_only_posts_per_s)} posts/s`],
    ['wasm throughput in Node (`classifyPosts`, release `-Oz` module, batches of 200)', `${int(report.wasm_posts_per_s)} posts/s`],
    ['native ÷ wasm', fixed(report.native_wasm_ratio, 2)],
    ['engine build, native: first in the process / again', `${fixed(report.engine_build_ms.native_first)} ms / ${fixed(report.engine_build_ms.native_again)} ms`],
    ['engine build, wasm: first call (+ compile and instantiate)', `${fixed(report.engine_build_ms.wasm_first)} ms (+ ${fixed(report.engine_build_ms.wasm_instantiate)} ms)`],
    ['`deinfluencer_bg.wasm`', `${int(size.raw)} B raw, ${int(size.gzip)} B ${size.gzip_by}`],
    [
      `card → hint p50 / p95 (500-card scroll, \`perf-overlay.mjs ${PERF_ARGS.join(' ')}\`)`,
      perf.ok ? `${fixed(p.hint_p50_ms)} ms / ${fixed(p.hint_p95_ms)} ms` : 'n/a (see below)',
    ],
    [
      "extension's extra main-thread time on that scroll",
      perf.ok
        ? `+${fixed(p.main_thread_extra_pct)} %` +
          (typeof p.main_thread_extra_ms_per_100_cards === 'number' ? ` (${fixed(p.main_thread_extra_ms_per_100_cards)} ms per 100 cards)` : '')
        : 'n/a (see below)',
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [
    `Benchmark, ${report.date.slice(0, 16).replace('T', ' ')} UTC: ${host.cpu}, ${host.cores} cores (load average ${host.load_average_1m} at the start), ` +
      `${host.rustc}, Node ${host.node}, ${host.chromium}`,
    `Data: ${report.data.note}: ${int(report.data.posts)} posts${report.data.source === 'fixture' ? ' (NOT the development data: throughput is over the small committed sample)' : ''}`,
    '',
    `| ${'Measure'.padEnd(width)} | Value |`,
    `|${'-'.repeat(width + 2)}|---|`,
    ...rows.map(([name, value]) => `| ${name.padEnd(width)} | ${value} |`),
  ];
  if (!perf.ok) lines.push('', `Overlay figures unavailable: ${perf.reason}`);
  lines.push('', `Per round, posts/s: native ${report.rounds.native.map(int).join(', ')}; wasm ${report.rounds.wasm.map(int).join(', ')}`);
  lines.push(`JSON: ${out}`);
  console.log(`\n${lines.join('\n')}`);
}

main().catch((error) => {
  console.error(`\nbench: error: ${error?.message ?? error}`);
  process.exit(1);
});
