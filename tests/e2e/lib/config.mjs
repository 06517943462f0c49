// What the suite runs against, from the environment. tests/e2e.rs sets all
// of it; README.md ("Browser tests") shows how to set it by hand.
//
//   GAZETTE_E2E_SITES      theme=/abs/output,theme=/abs/output  (built sites, one per theme)
//   GAZETTE_E2E_ARTIFACTS  folder for screenshots (target/e2e)
//   GAZETTE_BIN            the gazette binary (for `gazette serve`)
//   GAZETTE_E2E_SOURCE     the example site's root (copied for `gazette serve`)
//   GAZETTE_E2E_SERVE      0 when the binary was built without its `serve` feature
//   GAZETTE_CHROMIUM       the browser (default /usr/bin/chromium)
//   JAVA                   java for the Nu Html Checker (default: java on PATH)

import path from 'node:path';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with \`cargo test --test e2e\` (see README.md, "Browser tests")`);
  }
  return value;
}

/** @type {{theme: string, out: string}[]} */
export const sites = required('GAZETTE_E2E_SITES')
  .split(',')
  .filter(Boolean)
  .map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`GAZETTE_E2E_SITES: expected theme=/path, got ${pair}`);
    return { theme: pair.slice(0, at), out: path.resolve(pair.slice(at + 1)) };
  });

export const artifacts = path.resolve(required('GAZETTE_E2E_ARTIFACTS'));
export const gazetteBin = process.env.GAZETTE_BIN || '';
export const siteSource = process.env.GAZETTE_E2E_SOURCE ? path.resolve(process.env.GAZETTE_E2E_SOURCE) : '';
/** Whether the binary has `gazette serve` (tests/e2e.rs knows from the build's features; by hand, it has). */
export const serveBuilt = process.env.GAZETTE_E2E_SERVE !== '0';
export { chromiumPath } from './chromium.mjs';
export const java = process.env.JAVA || 'java';
