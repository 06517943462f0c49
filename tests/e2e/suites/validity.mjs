// The Nu Html Checker (vnu.jar, with the machine's Java) over every HTML
// page, stylesheet and SVG of every theme's build, in one Java run started
// at the beginning so it overlaps the browser tests. Errors fail; warnings
// are reported. Every file must be one the checker says it checked (it
// names each on stdout with --verbose; a file it cannot read is only a
// warning), and its exit status must agree with its report.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';

import { java, sites } from '../lib/config.mjs';
import { PAGE_KINDS, htmlFiles } from '../lib/kinds.mjs';

const VNU = path.join(path.dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');

function checkedFiles(out) {
  const assets = fs
    .readdirSync(out, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.css') || f.endsWith('.svg'))
    .map((f) => path.join(out, f));
  return [...htmlFiles(out), ...assets];
}

let validation;
let vnu;

/** Start vnu over every site; the promise resolves to its parsed messages. */
export function startValidation() {
  const files = sites.flatMap(({ out }) => checkedFiles(out));
  validation = new Promise((resolve, reject) => {
    const args = ['-jar', VNU, '--verbose', '--also-check-css', '--also-check-svg', '--format', 'json', ...files];
    const child = (vnu = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (e) => reject(new Error(`cannot run ${java} -jar ${VNU}: ${e.message}`)));
    child.on('close', (code, signal) => {
      try {
        const { messages } = JSON.parse(stderr);
        const checked = new Set(stdout.split('\n').filter(Boolean));
        resolve({ code, signal, files, checked, messages });
      } catch {
        reject(new Error(`vnu exited ${code ?? signal} without a JSON report:\n${stderr.slice(0, 4000)}`));
      }
    });
  });
  // Reported by the test that awaits it, not as an unhandled rejection.
  validation.catch(() => {});
}

/** Stop the checker if it is still running (the run is ending early). */
export function stopValidation() {
  if (vnu && vnu.exitCode === null) vnu.kill('SIGKILL');
}

const where = (m) => `${m.url?.replace(/^file:/, '') ?? '?'}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}`;

export function registerValidityTests() {
  for (const { theme, out } of sites) {
    describe(`Nu Html Checker under the ${theme} theme`, () => {
      test('no errors on any page, stylesheet or image', { timeout: 240_000 }, async (t) => {
        const { code, signal, files, checked, messages } = await validation;
        const mine = files.filter((f) => f.startsWith(out + path.sep));
        for (const { file } of PAGE_KINDS) {
          assert.ok(mine.includes(path.join(out, file)), `${file} was given to the checker`);
        }
        const unchecked = mine.filter((f) => !checked.has(f));
        assert.deepEqual(unchecked, [], 'files the Nu Html Checker did not say it checked');
        // Its exit status agrees with its report (of every theme's files).
        const failed = messages.some((m) => m.type !== 'info');
        assert.equal(signal, null, 'the Nu Html Checker was stopped');
        assert.equal(code, failed ? 1 : 0, `the Nu Html Checker's exit status (errors reported: ${failed})`);
        const inOut = messages.filter((m) => !m.url || decodeURIComponent(new URL(m.url).pathname).startsWith(out + path.sep));
        const errors = inOut.filter((m) => m.type !== 'info');
        const warnings = inOut.filter((m) => m.type === 'info' && m.subType === 'warning');
        for (const w of warnings) t.diagnostic(`warning: ${where(w)}: ${w.message}`);
        t.diagnostic(`${mine.length} files checked, ${errors.length} errors, ${warnings.length} warnings`);
        assert.deepEqual(
          errors.map((m) => `${where(m)}: ${m.message}${m.extract ? ` [${m.extract.trim()}]` : ''}`),
          [],
          'the Nu Html Checker found errors',
        );
      });
    });
  }
}
