#!/usr/bin/env node
// Throughput of the built wasm engine in Node, driven as the extension drives it: posts in batches of
// 200 (extension/content/scan.js BATCH) through classifyPosts(), a warm-up, then timed rounds of whole
// passes over every post. The posts are the ones the native benchmark parsed, so the two can be divided:
//
//   target/native/deinfluencer-bench --dump-posts target/bench/posts.json   # writes the posts
//   node tests/tools/bench-wasm.mjs target/bench/posts.json [--pkg target/pkg] [--rounds 5] [--round-ms 1000]
//
// Prints one JSON object: posts/s per round and their median, the engine's first build (the first call
// builds it in wasm), compile+instantiate time and the verdict counts (compare with the native run's).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_PKG = join(ROOT, 'target/pkg');
/** Posts per engine call, as the content script batches them. */
export const BATCH = 200;
const VERDICT_KINDS = ['organic', 'disclosed', 'unclear', 'undisclosed'];

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Loads the built module (deinfluencer.js + deinfluencer_bg.wasm from `pkgDir`) and builds the engine.
 * @returns {Promise<{ glue: any, instantiateMs: number, engineBuildMs: number, engine: string }>}
 */
export async function loadWasm(pkgDir = DEFAULT_PKG) {
  const glue = await import(pathToFileURL(join(pkgDir, 'deinfluencer.js')).href);
  const bytes = readFileSync(join(pkgDir, 'deinfluencer_bg.wasm'));
  let t = performance.now();
  await glue.default({ module_or_path: bytes });
  const instantiateMs = performance.now() - t;
  // The engine is built lazily by the first call: this is its cold build, as in a fresh JS realm.
  t = performance.now();
  const engine = glue.engineVersion();
  const engineBuildMs = performance.now() - t;
  return { glue, instantiateMs, engineBuildMs, engine };
}

/** Reads the posts `deinfluencer-bench --dump-posts` wrote and cuts them into engine calls. */
export function loadBatches(postsFile, batch = BATCH) {
  const posts = JSON.parse(readFileSync(postsFile, 'utf8'));
  if (!Array.isArray(posts) || posts.length === 0) throw new Error(`${postsFile} holds no posts`);
  const batches = [];
  for (let start = 0; start < posts.length; start += batch) batches.push(posts.slice(start, start + batch));
  return { posts: posts.length, batches };
}

function pass(glue, batches) {
  for (const batch of batches) {
    const verdicts = glue.classifyPosts(batch, 'en');
    if (verdicts.length !== batch.length) throw new Error(`classifyPosts returned ${verdicts.length} verdicts for ${batch.length} posts`);
  }
}

/** Whole passes over every batch until `minMs` has elapsed; returns posts per second. */
export function timedRound(glue, { posts, batches }, minMs) {
  const start = performance.now();
  let passes = 0;
  do {
    pass(glue, batches);
    passes++;
  } while (performance.now() - start < minMs);
  return (posts * passes * 1000) / (performance.now() - start);
}

/** The same counts deinfluencer-bench prints, so both sides can be shown to agree. */
export function verdictCounts(glue, batches) {
  const counts = Object.fromEntries([...VERDICT_KINDS, 'commercial', 'self_promo', 'evidence'].map((k) => [k, 0]));
  for (const batch of batches) {
    for (const v of glue.classifyPosts(batch, 'en')) {
      counts[v.verdict]++;
      counts.commercial += v.commercial ? 1 : 0;
      counts.self_promo += v.self_promo ? 1 : 0;
      counts.evidence += v.evidence.length;
    }
  }
  return counts;
}

/** The whole wasm benchmark. */
export async function benchWasm({ postsFile, pkgDir = DEFAULT_PKG, rounds = 5, roundMs = 1000, warmupMs = 300 }) {
  const loaded = await loadWasm(pkgDir);
  const data = loadBatches(postsFile);
  timedRound(loaded.glue, data, warmupMs);
  const perRound = [];
  for (let i = 0; i < rounds; i++) perRound.push(timedRound(loaded.glue, data, roundMs));
  return {
    tool: 'bench-wasm',
    engine: loaded.engine,
    posts: data.posts,
    batch: BATCH,
    rounds_posts_per_s: perRound,
    posts_per_s: median(perRound),
    engine_build_cold_ms: loaded.engineBuildMs,
    instantiate_ms: loaded.instantiateMs,
    verdicts: verdictCounts(loaded.glue, data.batches),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : fallback;
  };
  const postsFile = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  if (!postsFile) {
    console.error('usage: node tests/tools/bench-wasm.mjs POSTS.json [--pkg DIR] [--rounds N] [--round-ms MS]');
    console.error('  (write POSTS.json with: target/native/deinfluencer-bench --dump-posts POSTS.json)');
    process.exit(2);
  }
  try {
    const report = await benchWasm({
      postsFile,
      pkgDir: resolve(option('pkg', DEFAULT_PKG)),
      rounds: Number(option('rounds', 5)),
      roundMs: Number(option('round-ms', 1000)),
    });
    console.log(JSON.stringify(report));
  } catch (error) {
    console.error(`bench-wasm: error: ${error?.stack ?? error}`);
    process.exit(1);
  }
}
