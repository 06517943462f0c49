// Headless Chromium (Debian's, never a downloaded build) and a watch on
// every page: each request, failed request, error response, console error
// and uncaught exception is recorded, so a test can say "this step was
// clean" after every click.

import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';

export { CHROMIUM_ARGS };

export async function launch() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** The `file://` URL of a file or folder, with a trailing slash for folders. */
export function fileUrl(p) {
  const url = pathToFileURL(p).href;
  return fs.existsSync(p) && fs.statSync(p).isDirectory() && !url.endsWith('/') ? `${url}/` : url;
}

/**
 * Does a `file://` URL name a file that exists? A folder does not count,
 * even one with an index.html: opened from disk it shows a folder listing.
 */
export function fileUrlExists(url) {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  const p = fileURLToPath(u);
  return !u.pathname.endsWith('/') && fs.existsSync(p) && fs.statSync(p).isFile();
}

/** Is a `file://` URL a folder (so a link to it shows a folder listing)? */
export function isFolderUrl(url) {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  const p = fileURLToPath(u);
  return u.pathname.endsWith('/') || (fs.existsSync(p) && fs.statSync(p).isDirectory());
}

/**
 * A page with a watch on it.
 *
 * `isLocal(url)` says which requests are the site's own: anything else is
 * recorded as an external request and aborted before it leaves.
 */
export class WatchedPage {
  /** @param {import('playwright-core').BrowserContext} context */
  static async open(context, isLocal) {
    const page = await context.newPage();
    return new WatchedPage(page, isLocal);
  }

  constructor(page, isLocal) {
    this.page = page;
    this.isLocal = isLocal;
    /** Every URL requested, in order. */
    this.requests = [];
    /** Problems since the last `clean()`. */
    this.problems = [];
    /** Status codes that are expected for the next step (a 404 page). */
    this.expectedStatus = new Set();
    /** The status of the last main-frame document response. */
    this.lastDocumentStatus = undefined;
    /** Server-Sent Events streams opened (a preview server's live reload). */
    this.eventStreams = 0;

    page.on('request', (request) => {
      const url = request.url();
      this.requests.push(url);
      if (request.resourceType() === 'eventsource') this.eventStreams += 1;
      if (!this.isLocal(url)) this.problems.push(`external request: ${url}`);
    });
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText ?? 'failed';
      // A navigation that replaces a page still loading aborts its requests;
      // that is the browser's doing, not the site's.
      // The same goes for a live-reload event stream cut by leaving the page.
      if (error === 'net::ERR_ABORTED' && (request.isNavigationRequest() || request.resourceType() === 'eventsource')) {
        return;
      }
      this.problems.push(`failed request: ${request.url()} (${error})`);
    });
    page.on('response', (response) => {
      const status = response.status();
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        this.lastDocumentStatus = status;
      }
      if (status >= 400 && !this.expectedStatus.has(status)) {
        this.problems.push(`HTTP ${status}: ${response.url()}`);
      }
    });
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      // Chromium logs every 4xx response; an expected one is not a problem.
      if ([...this.expectedStatus].some((s) => text.includes(`status of ${s}`))) return;
      const where = message.location()?.url ? ` (${message.location().url})` : '';
      this.problems.push(`console error: ${text}${where}`);
    });
    page.on('pageerror', (error) => this.problems.push(`uncaught exception: ${error.message}`));
  }

  /** Throw if anything went wrong since the last call; then start afresh. */
  assertClean(step) {
    const problems = this.problems.splice(0);
    if (problems.length) {
      throw new Error(`${step}: the page was not clean:\n  ${problems.join('\n  ')}`);
    }
  }

  async goto(url) {
    const response = await this.page.goto(url, { waitUntil: 'load' });
    return response;
  }

  /**
   * Run `action` (a click), wait for the page it leads to, and check that
   * the page exists and loaded cleanly.
   */
  async follow(step, action) {
    const before = this.page.url();
    await Promise.all([
      this.page.waitForURL((u) => u.href !== before, { waitUntil: 'load', timeout: 15_000 }),
      action(),
    ]);
    await this.assertLanded(step);
    return this.page.url();
  }

  /** The current page exists (a file on disk, or a 200 from the server) and loaded cleanly. */
  async assertLanded(step) {
    const url = this.page.url();
    if (url.startsWith('file:')) {
      if (!fileUrlExists(url)) throw new Error(`${step}: landed on ${url}, which is not a file of the output`);
    } else if (this.lastDocumentStatus !== 200) {
      throw new Error(`${step}: ${url} answered ${this.lastDocumentStatus}`);
    }
    const hasMain = await this.page.locator('main').count();
    if (hasMain !== 1) throw new Error(`${step}: ${url} has ${hasMain} <main> elements`);
    this.assertClean(`${step} (${url})`);
  }

  /** Text of the first element matching `selector`, whitespace collapsed. */
  async text(selector) {
    const t = await this.page.locator(selector).first().textContent({ timeout: 5_000 });
    return (t ?? '').replace(/\s+/g, ' ').trim();
  }

  async close() {
    await this.page.close();
  }
}
