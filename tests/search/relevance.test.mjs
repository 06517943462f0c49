// Relevance: for many stories of a generated archive, a query of the
// distinctive words of the headline puts that story in the top three
// (run by tests/search.rs, which builds the index and picks the cases).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { openSearchPage } from './harness.mjs';

const SITE = process.env.GAZETTE_SEARCH_SITE;
const CASES = process.env.GAZETTE_SEARCH_CASES;
if (!SITE || !CASES) throw new Error('run by `cargo test --test search` (GAZETTE_SEARCH_SITE, GAZETTE_SEARCH_CASES)');

test("a headline's distinctive words find its story in the top three", async () => {
  const cases = JSON.parse(fs.readFileSync(CASES, 'utf8'));
  const { search } = await openSearchPage(SITE, '');
  const misses = [];
  for (const c of cases) {
    const out = await search.query(search.parseParams('?q=' + encodeURIComponent(c.q)), 3);
    const top = out.results.map((r) => r.meta.url);
    if (!top.includes(c.url)) {
      misses.push(`${c.q} → not "${c.headline}" but ${out.results.map((r) => `"${r.meta.headline}"`).join(', ')} (of ${out.total})`);
    }
  }
  console.log(`${cases.length - misses.length} of ${cases.length} stories in the top three`);
  assert.deepEqual(misses, []);
});
