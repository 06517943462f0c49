// axe-core in a page of the browser suite: the page kinds (suites/pages.mjs)
// and the search results with a filter open (lib/search-journey.mjs).

import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Run axe on the page; return [blocking violations, other violations].
 * `preload: false`: axe would fetch the stylesheets again by
 * XMLHttpRequest, which file:// pages may not do (and the watch would
 * rightly call it a failed request); the browser's own CSSOM is enough.
 */
export async function axe(page, options) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const results = await page.evaluate((opts) => window.axe.run(document, { preload: false, ...opts }), options);
  const describeOne = (v) =>
    `${v.impact} ${v.id}: ${v.help}\n      ${v.nodes
      .slice(0, 5)
      .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`)
      .join('\n      ')}`;
  return [
    results.violations.filter((v) => BLOCKING.has(v.impact)).map(describeOne),
    results.violations.filter((v) => !BLOCKING.has(v.impact)).map((v) => `${v.impact} ${v.id} (${v.nodes.length})`),
  ];
}
