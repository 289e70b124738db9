#!/usr/bin/env node
// Writes one browser's manifest.json: extension/manifest.base.json, then the browser's overlay
// (extension/manifest.<browser>.json) merged on top (objects merge key by key; arrays and values
// replace), with "version" taken from Cargo.toml so the crate and the extension share one version.
//
//   node tests/tools/manifest.mjs <chrome|firefox> <out/manifest.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [browser, out] = process.argv.slice(2);
if (!['chrome', 'firefox'].includes(browser) || !out) {
  console.error('usage: manifest.mjs <chrome|firefox> <out/manifest.json>');
  process.exit(2);
}

const readJson = (path) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

function merge(base, overlay) {
  const result = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    result[key] = isObject(value) && isObject(base[key]) ? merge(base[key], value) : value;
  }
  return result;
}

/** The [package] version in Cargo.toml. */
function crateVersion() {
  const toml = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const pkg = toml.split(/^\[/m).find((section) => section.startsWith('package]'));
  const match = pkg && /^version\s*=\s*"([^"]+)"/m.exec(pkg);
  if (!match) throw new Error('no [package] version in Cargo.toml');
  // Extension versions are 1–4 dot-separated integers: drop any pre-release / build suffix.
  return match[1].replace(/[-+].*$/, '');
}

const manifest = merge(readJson('extension/manifest.base.json'), readJson(`extension/manifest.${browser}.json`));
manifest.version = crateVersion();
writeFileSync(out, JSON.stringify(manifest, null, 2) + '\n');
