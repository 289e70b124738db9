#!/usr/bin/env node
// Runs `web-ext lint` on an unpacked Firefox build and prints every finding on one readable line
// (web-ext's own table is cut to the terminal width). Exits 1 when there is any error; warnings and
// notices are printed but allowed.
//
//   node tests/tools/web-ext-lint.mjs <dist/firefox>
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webExt = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'web-ext');
const sourceDir = process.argv[2];
if (!sourceDir) {
  console.error('usage: web-ext-lint.mjs <source dir>');
  process.exit(2);
}

let output;
try {
  output = execFileSync(webExt, ['lint', '--source-dir', sourceDir, '--no-config-discovery', '--output', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
  });
} catch (error) {
  output = error.stdout; // non-zero exit when there are errors: the JSON report is still on stdout
}

let report;
try {
  report = JSON.parse(output);
} catch {
  console.error(output);
  console.error('web-ext lint did not produce a JSON report');
  process.exit(1);
}

const { errors, warnings, notices } = report.summary;
console.log(`    web-ext lint: ${errors} errors, ${warnings} warnings, ${notices} notices`);
for (const kind of ['errors', 'warnings', 'notices']) {
  for (const finding of report[kind]) {
    const where = [finding.file, finding.line, finding.column].filter((part) => part !== undefined && part !== null).join(':');
    console.log(`    ${kind.slice(0, -1)} ${finding.code} ${where}: ${finding.message}. ${finding.description}`);
  }
}
if (report.metadata?.unknownMinifiedFiles?.length) {
  console.log(`    note: files the linter takes for minified code: ${report.metadata.unknownMinifiedFiles.join(', ')}`);
}
process.exit(errors > 0 ? 1 : 0);
