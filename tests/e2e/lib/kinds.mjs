// Every kind of page Gazette writes, as a page of the example site (the
// repository root). The same list drives layout, accessibility and
// validity checks, so a new page kind is added here once.

import fs from 'node:fs';
import path from 'node:path';

/** @type {{kind: string, file: string}[]} */
export const PAGE_KINDS = [
  { kind: 'article-wire', file: '2025/12/03/washington-and-moscow-talk-but-peace-in-ukraine-still-feels-far-away/index.html' },
  { kind: 'article-markdown', file: '2025/12/03/harbour-bridge-reopens-after-two-years-of-repairs/index.html' },
  { kind: 'home', file: 'index.html' },
  { kind: 'home-page-1', file: 'page/1/index.html' },
  { kind: 'year', file: '2025/index.html' },
  { kind: 'month', file: '2025/12/index.html' },
  { kind: 'day', file: '2025/12/03/index.html' },
  { kind: 'author', file: 'authors/chen-wang/index.html' },
  { kind: 'author-profile', file: 'authors/ingrid-jones/index.html' },
  { kind: 'authors', file: 'authors/index.html' },
  { kind: 'archive', file: 'archive/index.html' },
  { kind: 'corrections', file: 'corrections/index.html' },
  { kind: 'sections', file: 'sections/index.html' },
  { kind: 'section', file: 'sections/city/index.html' },
  { kind: 'tags', file: 'tags/index.html' },
  { kind: 'tag', file: 'tags/council/index.html' },
  { kind: 'places', file: 'places/index.html' },
  { kind: 'place', file: 'places/northport/index.html' },
  { kind: 'stories', file: 'stories/index.html' },
  { kind: 'story', file: 'stories/harbour-plan/index.html' },
  { kind: 'on-this-day', file: 'on-this-day/12-03/index.html' },
  { kind: 'article-in-a-thread', file: '2025/11/18/council-passes-budget-with-late-deal-on-bus-fares/index.html' },
  { kind: '404', file: '404.html' },
  { kind: 'search', file: 'search/index.html' },
];

/** The example site's author whose page is paginated (more than per_page articles). */
export const PAGINATED_AUTHOR = 'Chen Wang';

/** Fail early, naming the file, if the example site lost a page kind. */
export function assertKindsExist(out) {
  const missing = PAGE_KINDS.filter(({ file }) => !fs.existsSync(path.join(out, file)));
  if (missing.length) {
    throw new Error(`${out} lacks page kinds: ${missing.map((m) => `${m.kind} (${m.file})`).join(', ')}`);
  }
}

/** Every .html file under `dir`, sorted. */
export function htmlFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => path.join(dir, f));
}
