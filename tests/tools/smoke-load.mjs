#!/usr/bin/env node
// Loads the built wasm module in Node once and calls it, so a module that no longer instantiates
// (e.g. broken by wasm-opt) or an engine that cannot start fails the build instead of the browser.
//
//   node tests/tools/smoke-load.mjs <dir with deinfluencer.js and deinfluencer_bg.wasm>
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? '');

async function step(what, fn) {
  try {
    return await fn();
  } catch (error) {
    console.error(`    smoke load FAILED: ${what}:\n      ${error?.stack ?? error}`);
    process.exit(1);
  }
}

const glue = await step('importing deinfluencer.js', () => import(pathToFileURL(join(dir, 'deinfluencer.js')).href));
await step('instantiating deinfluencer_bg.wasm', () =>
  glue.default({ module_or_path: readFileSync(join(dir, 'deinfluencer_bg.wasm')) }),
);
const version = await step('engineVersion()', () => {
  const version = glue.engineVersion();
  if (typeof version !== 'string' || version.length === 0) throw new Error(`returned ${JSON.stringify(version)}`);
  return version;
});
const verdict = await step('classifyPosts() on a trivial post', () => {
  const verdicts = glue.classifyPosts([{ id: 'smoke', creator: { handle: 'build' }, caption: 'build.sh smoke test' }]);
  const verdict = Array.isArray(verdicts) ? verdicts[0] : undefined;
  if (verdict?.id !== 'smoke' || !['organic', 'disclosed', 'unclear', 'undisclosed'].includes(verdict.verdict)) {
    throw new Error(`returned ${JSON.stringify(verdicts)}`);
  }
  return verdict;
});
console.log(`    smoke load ok: ${version}; a trivial post is "${verdict.verdict}"`);
