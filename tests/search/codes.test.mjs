// The browser's decoders against the index's encodings: the vectors in
// codes.json, which src/search/code.rs checks are what the build writes.
// Run by tests/search.rs (`cargo test --test search`).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';

import { scriptSource } from './harness.mjs';

const CODES = JSON.parse(fs.readFileSync(new URL('./codes.json', import.meta.url), 'utf8'));

// The script with no page: it defines gazetteSearch and waits.
const context = vm.createContext({ console });
vm.runInContext(scriptSource(), context, { filename: 'search.js' });
const decode = context.gazetteSearch.decode;

test('numbers are read back as the index wrote them', () => {
  const text = CODES.numbers.map(([, t]) => t).join('');
  assert.deepEqual(Array.from(decode.numbers(text)), CODES.numbers.map(([n]) => n));
});

test('postings are slots with their weights, light and heavy', () => {
  const p = decode.postings(CODES.postings.text);
  assert.equal(p.size, CODES.postings.slots.length);
  assert.deepEqual(Array.from(p.slots), CODES.postings.slots);
  assert.deepEqual(Array.from(p.weights), CODES.postings.weights);
});

test('a list of slots is read from its gaps', () => {
  assert.deepEqual(Array.from(decode.slots(CODES.slots.text)), CODES.slots.slots);
});

test("a document block gives each article's slot, day (before 1970 too) and word count", () => {
  const b = CODES.block;
  const d = decode.block(b.text, b.first);
  assert.deepEqual(Array.from(d.slots), b.slots);
  assert.deepEqual(Array.from(d.days), b.days);
  assert.deepEqual(Array.from(d.words), b.words);
});
