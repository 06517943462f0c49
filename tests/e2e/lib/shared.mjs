// One browser for the whole run (starting Chromium costs seconds), closed
// at the end by run.mjs; each suite opens its own contexts in it.

import fs from 'node:fs';
import path from 'node:path';

import { launch } from './browser.mjs';

let browser;

export async function getBrowser() {
  browser ??= await launch();
  return browser;
}

export async function closeBrowser() {
  if (browser) await browser.close();
  browser = undefined;
}

/** The site's base URL, read back from the home page's canonical link ('' without one). */
export function baseUrlOf(out) {
  const home = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  return /<link rel="canonical" href="([^"]+)"/.exec(home)?.[1] ?? '';
}

