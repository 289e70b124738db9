// The measurements shared by the benchmark report (tests/benches/report.mjs, `./build.sh bench`) and the
// budget check (tests/tools/check-budgets.mjs, `./build.sh test`): wasm size, native vs wasm throughput
// over the same posts, the overlay's hint latency (tests/tools/perf-overlay.mjs) and the machine.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { loadBatches, loadWasm, median, timedRound, verdictCounts } from '../tools/bench-wasm.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TARGET_DIR = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
export const PKG = join(TARGET_DIR, 'pkg');
/** The native benchmark binary, built by `cargo build --profile native --bin deinfluencer-bench`. */
export const NATIVE_BENCH = join(TARGET_DIR, 'native', 'deinfluencer-bench');
/** The module that ships (what the browser downloads and the store measures). */
export const SHIPPED_WASM = join(ROOT, 'dist/chrome/pkg/deinfluencer_bg.wasm');
const POSTS_FILE = join(TARGET_DIR, 'bench', 'posts.json');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Raw and gzip bytes of the shipped wasm module. GNU `gzip -9`, as ./build.sh prints it; Node's zlib
 * (level 9, which comes out about 2 % larger) only where there is no gzip command.
 */
export function wasmSize(file = SHIPPED_WASM) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run ./build.sh first`);
  const bytes = readFileSync(file);
  try {
    const gzipped = execFileSync('gzip', ['-9c', file], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    return { raw: bytes.length, gzip: gzipped.length, gzip_by: 'gzip -9' };
  } catch {
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, gzip_by: 'zlib level 9 (no gzip command)' };
  }
}

/** Runs a command, resolving with its stdout; rejects with the tail of its output when it fails. */
function run(command, args, { timeoutMs = 600_000, env = process.env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolvePromise({ stdout, stderr });
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n      ');
      reject(new Error(`${command} ${args.join(' ')} ${signal ? `was killed (${signal}, time limit ${timeoutMs / 1000} s)` : `exited with ${code}`}:\n      ${tail}`));
    });
  });
}

/**
 * The native benchmark kept running (`--serve`): `report` is its first JSON line, `round()` asks for
 * one more timed round and resolves with its posts/s, `close()` ends it.
 */
async function serveNative(args) {
  if (!existsSync(NATIVE_BENCH)) {
    throw new Error(`${NATIVE_BENCH} is missing: build it with cargo build --locked --profile native --bin deinfluencer-bench`);
  }
  const child = spawn(NATIVE_BENCH, [...args, '--serve'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.on('error', (error) => (stderr += error.message));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`deinfluencer-bench --serve stopped: ${stderr.trim() || 'no output'}`);
    return JSON.parse(value);
  };
  const close = () => {
    child.stdin.end();
    child.kill();
  };
  try {
    const report = await next();
    return {
      report,
      round: async () => {
        child.stdin.write('round\n');
        return (await next()).posts_per_s;
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

function sameVerdicts(native, wasm) {
  const keys = Object.keys(native);
  const differ = keys.filter((k) => native[k] !== wasm[k]);
  if (differ.length) {
    throw new Error(
      `native and wasm judged the benchmark posts differently (${differ.map((k) => `${k}: ${native[k]} vs ${wasm[k]}`).join(', ')}): ` +
        'the two throughputs are not comparable (is target/pkg built from the same sources?)',
    );
  }
}

/**
 * Native and wasm posts/s over the same posts, batched alike. The native binary parses the data and
 * writes the posts; the wasm side judges exactly those. Both report verdict counts, which must agree.
 * Rounds alternate (native, wasm, native…; medians of each), so load from elsewhere on the machine
 * hits both sides alike. `judgeOnly`: also time the native engine alone, without the value conversions.
 */
export async function throughput({ rounds = 5, roundMs = 1000, judgeOnly = false } = {}) {
  const server = await serveNative([
    ...['--rounds', '1', '--round-ms', String(roundMs), '--dump-posts', POSTS_FILE],
    ...['--judge-only-ms', judgeOnly ? String(roundMs) : '0'],
  ]);
  try {
    return await alternateRounds(server, { rounds, roundMs });
  } finally {
    server.close();
  }
}

async function alternateRounds(server, { rounds, roundMs }) {
  const native = server.report;
  const loaded = await loadWasm(PKG);
  const data = loadBatches(POSTS_FILE);
  const counts = verdictCounts(loaded.glue, data.batches);
  sameVerdicts(native.verdicts, counts);
  timedRound(loaded.glue, data, 300);
  const nativeRounds = [native.posts_per_s];
  const wasmRounds = [timedRound(loaded.glue, data, roundMs)];
  for (let i = 1; i < rounds; i++) {
    nativeRounds.push(await server.round());
    wasmRounds.push(timedRound(loaded.glue, data, roundMs));
  }
  const nativeMedian = median(nativeRounds);
  const wasmMedian = median(wasmRounds);
  return {
    native: { ...native, rounds_posts_per_s: nativeRounds, posts_per_s: nativeMedian },
    wasm: {
      engine: loaded.engine,
      posts: data.posts,
      rounds_posts_per_s: wasmRounds,
      posts_per_s: wasmMedian,
      engine_build_cold_ms: loaded.engineBuildMs,
      instantiate_ms: loaded.instantiateMs,
      verdicts: counts,
    },
    ratio: nativeMedian / wasmMedian,
  };
}

/**
 * Runs tests/tools/perf-overlay.mjs and parses its final `PERF_JSON {...}` line. Resolves with
 * `{ ok: true, perf }`, or `{ ok: false, reason }` when the script fails or prints no such line.
 */
export async function perfOverlay(args = [], timeoutMs = 600_000) {
  let stdout;
  try {
    ({ stdout } = await run(process.execPath, [join(ROOT, 'tests/tools/perf-overlay.mjs'), ...args], { timeoutMs, env: { ...process.env, CHROMIUM } }));
  } catch (error) {
    return { ok: false, reason: `tests/tools/perf-overlay.mjs failed: ${error.message}` };
  }
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('PERF_JSON '));
  if (!line) return { ok: false, reason: 'tests/tools/perf-overlay.mjs printed no "PERF_JSON {...}" line (an older version of the script?)' };
  try {
    return { ok: true, perf: JSON.parse(line.slice('PERF_JSON '.length)) };
  } catch (error) {
    return { ok: false, reason: `tests/tools/perf-overlay.mjs printed an unreadable PERF_JSON line: ${error.message}` };
  }
}

function firstLine(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return 'not found';
  }
}

/** What the numbers were measured on. */
export function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus() is all there is
  }
  return {
    cpu,
    cores: cpus().length,
    load_average_1m: Number(loadavg()[0].toFixed(2)),
    rustc: firstLine('rustc', ['--version']),
    node: process.version,
    chromium: firstLine(CHROMIUM, ['--version']),
  };
}
