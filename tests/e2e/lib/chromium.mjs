// Which Chromium the browser suite (and bench/search-browser.mjs) runs, and
// with which flags. Nothing here reads the suite's other settings, so a
// benchmark can import it without them.

/** Debian's Chromium, never a downloaded build (GAZETTE_CHROMIUM overrides it). */
export const chromiumPath = process.env.GAZETTE_CHROMIUM || '/usr/bin/chromium';

/**
 * The flags this machine needs (no sandbox as root, no GPU, and no
 * background traffic: the network is closed). Playwright adds a fresh
 * `--user-data-dir` (a new temporary profile) to every launch itself.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
