/* Gazette search: searches the site's index in the browser.
 *
 * The index (written by `gazette build`, format in docs/search.md) is a
 * set of scripts, each calling gazetteSearch.add(kind, id, data); this
 * script loads the ones a query needs with <script> elements, never
 * fetch or compiled modules, so search works from file://, from any host or
 * sub-path, and under `gazette serve`. The page's URL is the whole state
 * (q, year, author, place, section, tag, sort, page): links to results
 * work, and Back goes back. A new search from the page's own form, a
 * filter, a sort or another page of results changes that URL (History API)
 * and searches again without loading the page: the index files loaded stay
 * loaded. The filters are disclosures: all but the year load their facet
 * file only when the reader opens one (or uses it). Every text from the
 * index is put in the page as text, never as HTML.
 *
 * The text rules (folding, word boundaries, CJK pairs) and the encodings
 * are those of src/search/text.rs and src/search/code.rs.
 */
(function (global) {
  'use strict';

  // ---- Encodings (src/search/code.rs) ----

  var LAST = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
  var MORE = 'WXYZabcdefghijklmnopqrstuvwxyz-_';
  var DIGIT = new Int8Array(128).fill(-1);
  for (var d = 0; d < 32; d++) {
    DIGIT[LAST.charCodeAt(d)] = d;
    DIGIT[MORE.charCodeAt(d)] = 32 + d;
  }

  /**
   * The numbers of a run of base-32 digits (src/search/code.rs): each number
   * is its continuation digits (`MORE`), then one last digit (`LAST`), most
   * significant first. A Float64Array: every number stays exact.
   */
  function numbers(text) {
    var out = new Float64Array(text.length);
    var n = 0;
    var v = 0;
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      v = v * 32 + (d & 31);
      if (d < 32) {
        out[n++] = v;
        v = 0;
      }
    }
    return out.subarray(0, n);
  }

  /**
   * A posting list, decoded once: {slots: Int32Array (increasing), weights:
   * Uint16Array (the same order), size}. Typed arrays, not a Map: a common
   * word has a posting for almost every article. Each posting is the gap
   * from the slot before times four plus its weight less one (weights 1–3),
   * or plus three, then the weight less four.
   */
  function postings(text) {
    var list = numbers(text);
    var slots = new Int32Array(list.length);
    var weights = new Uint16Array(list.length);
    var n = 0;
    var slot = -1;
    for (var i = 0; i < list.length; i++) {
      var v = list[i];
      slot += Math.floor(v / 4) + 1;
      slots[n] = slot;
      var low = v % 4;
      weights[n++] = low < 3 ? low + 1 : list[++i] + 4;
    }
    return { slots: slots.slice(0, n), weights: weights.slice(0, n), size: n };
  }

  /** A list of slots (gaps), as an Int32Array. */
  function slots(text) {
    var list = numbers(text);
    var out = new Int32Array(list.length);
    var slot = -1;
    for (var i = 0; i < list.length; i++) {
      slot += list[i] + 1;
      out[i] = slot;
    }
    return out;
  }

  /**
   * A document block: for each of its articles (by increasing slot), the gap
   * since the previous slot, its day (signed) and its word count. Decoded
   * into {slots, days, words}, typed arrays in slot order.
   */
  function blockOf(text, first) {
    var list = numbers(text);
    var n = Math.floor(list.length / 3);
    var out = { slots: new Int32Array(n), days: new Int32Array(n), words: new Uint32Array(n) };
    var slot = first - 1;
    for (var i = 0; i < n; i++) {
      var day = list[3 * i + 1];
      slot += list[3 * i] + 1;
      out.slots[i] = slot;
      out.days[i] = day % 2 ? -(day + 1) / 2 : day / 2;
      out.words[i] = list[3 * i + 2];
    }
    return out;
  }

  /** The shard of a term among `count` (a power of two). */
  function shardOf(term, count) {
    var take = CJK_START.test(term) ? 1 : 3;
    var hash = 0x811c9dc5;
    var i = 0;
    for (var c of term) {
      if (i++ === take) break;
      hash = Math.imul(hash ^ c.codePointAt(0), 0x01000193) >>> 0;
    }
    return ((hash ^ (hash >>> 16)) >>> 0) & (count - 1);
  }

  /** Compare strings by code point, as the index sorts them (UTF-8 bytes). */
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        // Surrogates (U+D800–DFFF) stand for code points above U+FFFF.
        if (x >= 0xd800 && y >= 0xd800) {
          x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
          y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length;
  }

  /** The first index in sorted `list` (every `step`-th item from 0) not before `key`. */
  function lowerBound(list, key, step) {
    var lo = 0;
    var hi = list.length / step;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(list[mid * step], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ---- Text rules (src/search/text.rs) ----

  var CJK_CHARS = '\\u1100-\\u11FF\\u3040-\\u30FF\\u3130-\\u318F\\u31F0-\\u31FF\\u3400-\\u4DBF\\u4E00-\\u9FFF' +
    '\\uA960-\\uA97F\\uAC00-\\uD7AF\\uF900-\\uFAFF\\uFF66-\\uFF9F\\u{20000}-\\u{2FA1F}';
  var CJK_START = new RegExp('^[' + CJK_CHARS + ']', 'u');
  var WORD_CHAR = '[\\p{L}\\p{N}\\p{M}\\p{Pc}]';
  // A Unicode word, near enough (UAX #29): letters and digits, joined by an
  // apostrophe or full stop between them, or a comma between digits.
  var TOKENS = new RegExp('([' + CJK_CHARS + ']+)|(' + WORD_CHAR + '+(?:(?:[\'’.:·]|(?<=\\p{N})[,;](?=\\p{N}))' +
    WORD_CHAR + '+)*)', 'gu');
  var MAX_WORD_CHARS = 40;
  var PLAIN = { 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'ı': 'i', 'ς': 'σ', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th' };
  var MARKS_OF_LATIN_OR_GREEK = /([\u0041-\u024F\u1E00-\u1EFF\u0370-\u03FF])\p{M}+/gu;

  /** A word folded as the index folds it: lowercase, plain apostrophes, no accents on Latin or Greek letters. */
  function fold(word) {
    var lower = word.toLowerCase().replace(/’/g, "'");
    // eslint-disable-next-line no-control-regex
    if (/^[\u0000-\u007f]*$/.test(lower)) return lower;
    return lower.normalize('NFD').replace(MARKS_OF_LATIN_OR_GREEK, '$1')
      .replace(/[øłđðıςßæœþ]/g, function (c) { return PLAIN[c]; }).normalize('NFC');
  }

  /** Each token of a text, with where it is: {text, start, end, cjk}. */
  function tokens(text) {
    var out = [];
    TOKENS.lastIndex = 0;
    var m;
    while ((m = TOKENS.exec(text))) {
      var s = m[0];
      if (m[1]) {
        out.push({ text: s, start: m.index, end: m.index + s.length, cjk: true });
      } else if (Array.from(s).length <= MAX_WORD_CHARS) {
        out.push({ text: s, start: m.index, end: m.index + s.length, cjk: false });
      }
    }
    return out;
  }

  /** The words of a query, folded, without repeats; a CJK run as its pairs. */
  function queryWords(q) {
    var seen = new Set();
    tokens(q || '').forEach(function (t) {
      if (!t.cjk) {
        seen.add(fold(t.text));
        return;
      }
      var chars = Array.from(t.text);
      if (chars.length === 1) seen.add(chars[0]);
      for (var i = 0; i + 1 < chars.length; i++) seen.add(chars[i] + chars[i + 1]);
    });
    return Array.from(seen);
  }

  // ---- The index, loaded file by file ----

  var store = new Map();
  var pending = new Map();
  var options = { base: 'index/', loadScript: loadScript };

  /** Called by every index file. */
  function add(kind, id, data) {
    store.set(kind + '/' + id, data);
  }

  /** Run a script; resolves (true or false) once it ran or failed. */
  function loadScript(src) {
    return new Promise(function (resolve) {
      var script = document.createElement('script');
      script.onload = function () { resolve(true); };
      script.onerror = function () { resolve(false); };
      script.src = src;
      document.head.appendChild(script);
    });
  }

  /** The data of an index file, loading it once; undefined if it cannot be. */
  function get(kind, id, key) {
    var name = kind + '/' + id;
    if (store.has(name)) return Promise.resolve(store.get(name));
    if (!pending.has(name)) {
      var file = id === '' ? kind + '.js' : name + '.js';
      var local = typeof location !== 'undefined' && location.protocol === 'file:';
      var src = options.base + file + (key && !local ? '?v=' + key : '');
      pending.set(name, options.loadScript(src).then(function () { return store.get(name); }));
    }
    return pending.get(name);
  }

  /** The shard data holding `term`, or undefined when there is none. */
  function shard(root, term) {
    var n = shardOf(term, root.shards.length);
    return root.shards[n] ? get('t', n, root.key) : Promise.resolve(undefined);
  }

  /** The most terms one prefix may stand for; the most common are kept. */
  var MAX_EXPANSION = 64;

  /** The terms a query word stands for: itself or its stem when the index
   * has seen it, else every term of a word it begins (`elect` → election). */
  function termsOf(root, word) {
    return shard(root, word).then(function (data) {
      if (!data) return [];
      var found = [];
      var forms = data.forms;
      var stemOf = function (i) {
        var to = forms[i * 2 + 1];
        return typeof to === 'number' ? data.terms[to] : to;
      };
      var t = lowerBound(data.terms, word, 1);
      var f = lowerBound(forms, word, 2);
      if (data.terms[t] === word) found.push(word);
      for (var i = f; i * 2 < forms.length && forms[i * 2] === word; i++) found.push(stemOf(i));
      var prefixes = Array.from(word).length >= 3 || CJK_START.test(word);
      if (found.length || !prefixes) return Array.from(new Set(found));
      for (var j = t; j < data.terms.length && data.terms[j].startsWith(word); j++) found.push(data.terms[j]);
      for (var k = f; k * 2 < forms.length && forms[k * 2].startsWith(word); k++) found.push(stemOf(k));
      return Array.from(new Set(found));
    });
  }

  var decoded = new Map();

  var NONE = { slots: new Int32Array(0), weights: new Uint16Array(0), size: 0 };

  /** The postings of a term ({slots, weights, size}), or an empty list. */
  function postingsOf(root, term) {
    return shard(root, term).then(function (data) {
      if (!data) return NONE;
      var i = lowerBound(data.terms, term, 1);
      if (data.terms[i] !== term) return NONE;
      var name = 't/' + term;
      if (!decoded.has(name)) decoded.set(name, postings(data.post[i]));
      return decoded.get(name);
    });
  }

  /** The articles a query word finds ({slots, weights, size}): the union of its terms', the highest weight of each. */
  function matchesOf(root, word) {
    return termsOf(root, word).then(function (terms) {
      return Promise.all(terms.map(function (t) { return postingsOf(root, t); })).then(function (lists) {
        lists.sort(function (a, b) { return b.size - a.size; });
        lists = lists.slice(0, MAX_EXPANSION);
        if (lists.length === 1) return { word: word, terms: terms, docs: lists[0] };
        return { word: word, terms: terms, docs: union(lists, root.slots) };
      });
    });
  }

  /** The union of posting lists, each slot with its highest weight; `space`: one more than the highest slot. */
  function union(lists, space) {
    var all = 0;
    lists.forEach(function (l) { all += l.size; });
    var best = new Uint16Array(space + 1);
    var order = new Int32Array(all);
    var n = 0;
    lists.forEach(function (l) {
      for (var i = 0; i < l.size; i++) {
        var s = l.slots[i];
        if (!best[s]) order[n++] = s;
        if (l.weights[i] > best[s]) best[s] = l.weights[i];
      }
    });
    order = order.slice(0, n).sort();
    var weights = new Uint16Array(n);
    for (var i = 0; i < n; i++) weights[i] = best[order[i]];
    return { slots: order, weights: weights, size: n };
  }

  /** The first index of `list` (increasing) from `from` holding `slot` or more: a galloping search. */
  function seek(list, slot, from) {
    var step = 1;
    var hi = from;
    while (hi < list.length && list[hi] < slot) {
      from = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > list.length) hi = list.length;
    while (from < hi) {
      var mid = (from + hi) >> 1;
      if (list[mid] < slot) from = mid + 1;
      else hi = mid;
    }
    return from;
  }

  /**
   * The articles every word finds: {slots (increasing), weights: for each
   * word (in query order), its weight in each}. The shortest list first,
   * each next one searched for what is left.
   */
  function intersect(matches) {
    var order = matches.map(function (_, i) { return i; })
      .sort(function (a, b) { return matches[a].docs.size - matches[b].docs.size || a - b; });
    var first = matches[order[0]].docs;
    var slots = first.slots;
    var weights = [];
    weights[order[0]] = first.weights;
    for (var j = 1; j < order.length; j++) {
      var list = matches[order[j]].docs;
      var keep = new Int32Array(slots.length);
      var mine = new Uint16Array(slots.length);
      var n = 0;
      var at = 0;
      for (var k = 0; k < slots.length && at < list.size; k++) {
        at = seek(list.slots, slots[k], at);
        if (at < list.size && list.slots[at] === slots[k]) {
          keep[n] = k;
          mine[n++] = list.weights[at];
        }
      }
      var kept = new Int32Array(n);
      for (var m = 0; m < n; m++) kept[m] = slots[keep[m]];
      for (var w = 0; w < j; w++) {
        var before = weights[order[w]];
        var now = new Uint16Array(n);
        for (var c = 0; c < n; c++) now[c] = before[keep[c]];
        weights[order[w]] = now;
      }
      weights[order[j]] = mine.slice(0, n);
      slots = kept;
    }
    return { slots: slots, weights: weights };
  }

  /** A document block, decoded once. */
  function blockData(root, b, text) {
    var name = 'd/' + b;
    if (!decoded.has(name)) decoded.set(name, blockOf(text, b * Math.pow(2, root.block_bits)));
    return decoded.get(name);
  }

  /**
   * The articles among `found` ({slots (increasing), weights}; null: every
   * article) that the document blocks hold, with their day and word count:
   * {slots, days, words, weights}, in slot order.
   */
  function documents(root, found) {
    var size = Math.pow(2, root.block_bits);
    var wanted = [];
    if (!found) {
      wanted = root.blocks.slice();
    } else {
      for (var i = 0; i < found.slots.length; i++) {
        var b = Math.floor(found.slots[i] / size);
        if (wanted[wanted.length - 1] !== b) wanted.push(b);
      }
    }
    return Promise.all(wanted.map(function (b) {
      return get('d', b, root.key).then(function (text) { return typeof text === 'string' ? blockData(root, b, text) : null; });
    })).then(function (blocks) {
      if (!found) {
        // Every article of every block.
        var all = 0;
        blocks.forEach(function (d) { all += d ? d.slots.length : 0; });
        var every = { slots: new Int32Array(all), days: new Int32Array(all), words: new Uint32Array(all), weights: [] };
        var at = 0;
        blocks.forEach(function (d) {
          if (!d) return;
          every.slots.set(d.slots, at);
          every.days.set(d.days, at);
          every.words.set(d.words, at);
          at += d.slots.length;
        });
        return every;
      }
      // Walk the blocks beside the slots found (both in slot order): a block holds thousands.
      var count = found.slots.length;
      var keep = new Int32Array(count);
      var days = new Int32Array(count);
      var words = new Uint32Array(count);
      var n = 0;
      var k = 0;
      blocks.forEach(function (d, i) {
        var end = (wanted[i] + 1) * size;
        if (!d) {
          while (k < count && found.slots[k] < end) k++;
          return;
        }
        var at = 0;
        for (; k < count && found.slots[k] < end; k++) {
          at = seek(d.slots, found.slots[k], at);
          if (at < d.slots.length && d.slots[at] === found.slots[k]) {
            keep[n] = k;
            days[n] = d.days[at];
            words[n++] = d.words[at];
          }
        }
      });
      var slots = new Int32Array(n);
      for (var m = 0; m < n; m++) slots[m] = found.slots[keep[m]];
      var weights = found.weights.map(function (list) {
        var now = new Uint16Array(n);
        for (var c = 0; c < n; c++) now[c] = list[keep[c]];
        return now;
      });
      return { slots: slots, days: days.slice(0, n), words: words.slice(0, n), weights: weights };
    });
  }

  /** A facet's values, each with its slots (increasing), its file loaded once: {name, values: [{slug, label, total, slots}]}. */
  function facetOf(root, facet) {
    return get('f', facet.name, root.key).then(function (list) {
      var key = 'f/' + facet.name;
      if (!decoded.has(key)) {
        var bySlug = new Map();
        for (var i = 0; list && i + 1 < list.length; i += 2) bySlug.set(list[i], list[i + 1]);
        decoded.set(key, {
          name: facet.name,
          values: facet.values.map(function (v) {
            return { slug: v[0], label: v[1], total: v[2], slots: slots(bySlug.get(v[0]) || '') };
          })
        });
      }
      return decoded.get(key);
    });
  }

  /** The year of a day (days since 1970-01-01), by arithmetic (the proleptic Gregorian calendar). */
  function yearOf(days) {
    var z = days + 719468;
    var era = Math.floor(z / 146097);
    var doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153);
    return yoe + era * 400 + (mp >= 10 ? 1 : 0);
  }

  // ---- Searching ----

  var FILTERS = ['year', 'author', 'place', 'section', 'tag'];
  var SORTS = ['relevance', 'newest', 'oldest'];

  /** What the URL asks for: {q, filters: {name: [values]}, sort, page}. */
  function parseParams(search) {
    var params = new URLSearchParams(search);
    var filters = {};
    FILTERS.forEach(function (name) {
      var values = params.getAll(name).filter(Boolean);
      if (values.length) filters[name] = values;
    });
    var sort = params.get('sort');
    var page = parseInt(params.get('page') || '1', 10);
    return {
      q: (params.get('q') || '').trim(),
      filters: filters,
      sort: SORTS.indexOf(sort) >= 0 ? sort : 'relevance',
      page: page > 0 ? page : 1
    };
  }

  /** The URL query string for these parameters. */
  function paramsString(p) {
    var params = new URLSearchParams();
    if (p.q) params.set('q', p.q);
    FILTERS.forEach(function (name) {
      (p.filters[name] || []).forEach(function (v) { params.append(name, v); });
    });
    if (p.sort !== 'relevance') params.set('sort', p.sort);
    if (p.page > 1) params.set('page', String(p.page));
    return '?' + params.toString();
  }

  var K1 = 1.2;
  var B = 0.75;
  // A weight is 64 × (times in the headline) + weighted count elsewhere
  // (src/search/text.rs). Results whose headline holds more of the query's
  // words come first; among those, BM25 over the rest of the article.
  var HEADLINE = 64;

  /**
   * Search: the results of one page. Resolves to {params, words, total,
   * page, pages, perPage, results: [{slot, score, days, meta}], facets,
   * filters, counts, marks}: `facets` holds the years' counts
   * ([{name: 'year', values: [{slug, label, count, selected}]}]), `filters`
   * the names of the other facets with values, and `counts(name)` resolves
   * to a facet's counts the same way, loading its file. Only the facet files
   * of the filters in use are loaded for the results.
   */
  function query(p, perPage) {
    perPage = perPage || 20;
    return get('root', '').then(function (root) {
      if (!root || root.version !== 1) throw new Error('the search index is missing or from another version of Gazette');
      var words = queryWords(p.q);
      var filtered = Object.keys(p.filters).length > 0;
      if (!words.length && !filtered) return outcome(p, words, [], 0, [], root, [], perPage, null);
      var inUse = root.facets.filter(function (f) { return p.filters[f.name]; });
      return Promise.all([
        Promise.all(words.map(function (w) { return matchesOf(root, w); })),
        Promise.all(inUse.map(function (f) { return facetOf(root, f); }))
      ]).then(function (loaded) {
        var matches = loaded[0];
        var used = loaded[1];
        return documents(root, candidatesOf(matches, used, p)).then(function (known) {
          return rank(p, words, matches, used, known, root, perPage);
        });
      });
    });
  }

  /** The slots every query word finds, with their weights (or, with no words, those of the first facet filter; null: every article). */
  function candidatesOf(matches, used, p) {
    if (matches.length) return intersect(matches);
    // No words but filters: every article of the first facet filter in use.
    for (var i = 0; i < used.length; i++) {
      var wanted = p.filters[used[i].name];
      var all = [];
      used[i].values.forEach(function (v) {
        if (wanted.indexOf(v.slug) >= 0) all.push(v.slots);
      });
      var n = 0;
      all.forEach(function (s) { n += s.length; });
      var joined = new Int32Array(n);
      n = 0;
      all.forEach(function (s) { joined.set(s, n); n += s.length; });
      joined.sort();
      var unique = 0;
      for (var j = 0; j < joined.length; j++) {
        if (!j || joined[j] !== joined[j - 1]) joined[unique++] = joined[j];
      }
      return { slots: joined.slice(0, unique), weights: [] };
    }
    return null; // every article: the blocks say which
  }

  /**
   * Does the `k`-th known article pass the filters in use, but the one named
   * `except`? (k, except) → boolean; `all` is true when no filter is in use.
   */
  function filterTest(p, used, known, root) {
    // Per facet filter, the slots it allows, marked.
    var allowed = [];
    used.forEach(function (f) {
      var wanted = p.filters[f.name];
      var mark = new Uint8Array(root.slots + 1);
      f.values.forEach(function (v) {
        if (wanted.indexOf(v.slug) < 0) return;
        for (var i = 0; i < v.slots.length; i++) mark[v.slots[i]] = 1;
      });
      allowed.push({ name: f.name, mark: mark });
    });
    var years = p.filters.year ? p.filters.year.map(Number) : null;
    var test = function (k, except) {
      if (years && except !== 'year' && years.indexOf(yearOf(known.days[k])) < 0) return false;
      for (var i = 0; i < allowed.length; i++) {
        if (allowed[i].name !== except && !allowed[i].mark[known.slots[k]]) return false;
      }
      return true;
    };
    test.all = !years && !allowed.length;
    return test;
  }

  /** The counts of a facet's values among the known articles, under the other filters in use. */
  function countsOf(p, facet, known, passes, root) {
    // The articles under the other filters, marked; then each value counts
    // its marked slots: one pass over the facet, whatever the number of results.
    var under = new Uint8Array(root.slots + 1);
    for (var k = 0; k < known.slots.length; k++) {
      if (passes.all || passes(k, facet.name)) under[known.slots[k]] = 1;
    }
    var wanted = p.filters[facet.name] || [];
    return {
      name: facet.name,
      values: facet.values.map(function (v) {
        var n = 0;
        for (var i = 0; i < v.slots.length; i++) n += under[v.slots[i]];
        return { slug: v.slug, label: v.label, count: n, selected: wanted.indexOf(v.slug) >= 0 };
      })
    };
  }

  /** The years' counts among the known articles, under the other filters in use. */
  function yearCounts(p, known, passes, root) {
    var wanted = p.filters.year || [];
    var values = root.years.map(function (y) {
      return { slug: String(y[0]), label: String(y[0]), count: 0, selected: wanted.indexOf(String(y[0])) >= 0 };
    });
    var newest = root.years.length ? root.years[0][0] : 0;
    var at = new Map(root.years.map(function (y, i) { return [y[0], i]; }));
    for (var k = 0; k < known.slots.length; k++) {
      if (!passes.all && !passes(k, 'year')) continue;
      var year = yearOf(known.days[k]);
      // Years are newest first, most often one after another.
      var i = newest - year;
      if (!root.years[i] || root.years[i][0] !== year) i = at.get(year);
      if (i !== undefined) values[i].count++;
    }
    return { name: 'year', values: values };
  }

  /**
   * The first `k` of `items` in the order `before` gives (a comparison), in
   * that order: a heap of the best `k` so far, not a sort of them all (a
   * common word finds most of the archive, and a page shows 20).
   */
  function firstOf(items, k, before) {
    if (k >= items.length / 2) return Array.from(items).sort(before).slice(0, k);
    // A heap whose top is the last of the best so far.
    var heap = new Int32Array(k);
    var size = 0;
    for (var i = 0; i < items.length; i++) {
      var x = items[i];
      var at;
      if (size < k) {
        at = size++;
        while (at > 0) {
          var up = (at - 1) >> 1;
          if (before(heap[up], x) >= 0) break;
          heap[at] = heap[up];
          at = up;
        }
        heap[at] = x;
      } else if (before(x, heap[0]) < 0) {
        at = 0;
        for (;;) {
          var child = 2 * at + 1;
          if (child >= size) break;
          if (child + 1 < size && before(heap[child + 1], heap[child]) > 0) child++;
          if (before(heap[child], x) <= 0) break;
          heap[at] = heap[child];
          at = child;
        }
        heap[at] = x;
      }
    }
    return Array.from(heap.subarray(0, size)).sort(before);
  }

  function rank(p, words, matches, used, known, root, perPage) {
    var passes = filterTest(p, used, known, root);
    var n = known.slots.length;
    // The known articles passing every filter, by their place in `known`.
    var kept = new Int32Array(n);
    var total = 0;
    for (var k = 0; k < n; k++) {
      if (passes.all || passes(k, null)) kept[total++] = k;
    }
    kept = kept.subarray(0, total);

    var N = root.docs;
    var idf = matches.map(function (m) {
      var df = m.docs.size;
      return Math.log(1 + (N - df + 0.5) / (df + 0.5));
    });
    var avg = root.avg_words || 1;
    var headlines = new Uint16Array(n);
    var scores = new Float64Array(n);
    if (words.length) {
      for (var t = 0; t < total; t++) {
        var at = kept[t];
        var score = 0;
        var headline = 0;
        for (var i = 0; i < matches.length; i++) {
          var w = known.weights[i][at];
          var tf = w % HEADLINE;
          if (w >= HEADLINE) headline++;
          score += idf[i] * (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * known.words[at] / avg));
        }
        headlines[at] = headline;
        scores[at] = score;
      }
    }
    var days = known.days;
    var slotOf = known.slots;
    var bySort = {
      relevance: function (a, b) {
        return headlines[b] - headlines[a] || scores[b] - scores[a] || days[b] - days[a] || slotOf[a] - slotOf[b];
      },
      newest: function (a, b) { return days[b] - days[a] || slotOf[a] - slotOf[b]; },
      oldest: function (a, b) { return days[a] - days[b] || slotOf[a] - slotOf[b]; }
    };
    var sort = bySort[words.length ? p.sort : (p.sort === 'oldest' ? 'oldest' : 'newest')];
    var pages = Math.max(1, Math.ceil(total / perPage));
    var page = Math.min(p.page, pages);
    var shown = firstOf(kept, page * perPage, sort).slice((page - 1) * perPage).map(function (k) {
      return { slot: slotOf[k], headline: headlines[k], score: scores[k], days: days[k] };
    });
    var facetCounts = function (name) {
      var facet = root.facets.filter(function (f) { return f.name === name; })[0];
      if (!facet) return Promise.resolve({ name: name, values: [] });
      return facetOf(root, facet).then(function (f) { return countsOf(p, f, known, passes, root); });
    };
    return outcome(p, words, shown, total, matches, root, [yearCounts(p, known, passes, root)], perPage, facetCounts);
  }

  /** The page of results asked for (`shown`, of `total`), with their metadata loaded. */
  function outcome(p, words, shown, total, matches, root, counted, perPage, facetCounts) {
    var pages = Math.max(1, Math.ceil(total / perPage));
    var page = Math.min(p.page, pages);
    return Promise.all(shown.map(function (r) {
      return get('m', Math.floor(r.slot / Math.pow(2, root.chunk_bits)), root.key).then(function (chunk) {
        var record = (chunk || []).find(function (m) { return m[0] === r.slot; });
        r.meta = record && {
          headline: record[1], url: record[2], date: record[3], dateText: record[4],
          byline: record[5], dateline: record[6], excerpt: record[7], facets: record[8]
        };
        return r;
      });
    })).then(function (withMeta) {
      var terms = new Set();
      matches.forEach(function (m) { m.terms.forEach(function (t) { terms.add(t); }); });
      return {
        params: p, words: words, total: total, page: page, pages: pages, perPage: perPage,
        results: withMeta.filter(function (r) { return r.meta; }),
        facets: counted,
        filters: root.facets.filter(function (f) { return f.values.length; }).map(function (f) { return f.name; }),
        counts: facetCounts || function (name) { return Promise.resolve({ name: name, values: [] }); },
        marks: marker(root, words, terms)
      };
    });
  }

  /** Which parts of a text to mark: [start, end] ranges of the words the query found. */
  function marker(root, words, terms) {
    var cjk = words.filter(function (w) { return CJK_START.test(w); });
    return function (text) {
      var ranges = [];
      tokens(text).forEach(function (t) {
        if (t.cjk) {
          cjk.forEach(function (w) {
            for (var at = t.text.indexOf(w); at >= 0; at = t.text.indexOf(w, at + 1)) {
              ranges.push([t.start + at, t.start + at + w.length]);
            }
          });
          return;
        }
        var word = fold(t.text);
        if (terms.has(word) || words.some(function (w) { return word.startsWith(w); }) || terms.has(loadedStem(root, word))) {
          ranges.push([t.start, t.end]);
        }
      });
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      return ranges;
    };
  }

  /** The term of a folded word, when its shard is loaded already. */
  function loadedStem(root, word) {
    var data = store.get('t/' + shardOf(word, root.shards.length));
    if (!data) return undefined;
    var f = lowerBound(data.forms, word, 2);
    if (data.forms[f * 2] !== word) return undefined;
    var to = data.forms[f * 2 + 1];
    return typeof to === 'number' ? data.terms[to] : to;
  }

  // ---- The page ----

  var TEXT = {
    searching: 'Searching…',
    prompt: 'Type words to search the archive.',
    none: function (q) { return 'No articles found for “' + q + '”.'; },
    found: function (n, q, from, to) {
      var what = n === 1 ? '1 article' : thousands(n) + ' articles';
      return what + (q ? ' found for “' + q + '”' : '') + (n > to - from + 1 ? ', ' + from + '–' + to + ' shown.' : '.');
    },
    failed: 'Search failed: ',
    sort: 'Sort by', relevance: 'relevance', newest: 'newest first', oldest: 'oldest first',
    pages: 'Pages of results', previous: 'Previous', next: 'Next', filters: 'Filter results',
    counting: 'Counting…', noValue: 'None among these results.', countFailed: 'Could not count: ',
    facet: { year: 'Year', author: 'Author', place: 'Place', section: 'Section', tag: 'Tag' }
  };

  /** 12345 → "12,345" (toLocaleString would load the locale data first: slow on a first call). */
  function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
  }

  function el(doc, name, attrs, children) {
    var node = doc.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
    });
    return node;
  }

  /** Text with the given ranges in <mark>, as nodes. */
  function marked(doc, text, ranges) {
    var out = [];
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      if (r[0] > at) out.push(text.slice(at, r[0]));
      out.push(el(doc, 'mark', {}, [text.slice(r[0], r[1])]));
      at = r[1];
    });
    if (at < text.length) out.push(text.slice(at));
    return out;
  }

  /** A link's target as given, or null when it is not a page of the site or the web. */
  function safeHref(url) {
    return /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^https?:/i.test(url) ? null : url;
  }

  function link(doc, p, change, label, current) {
    var next = Object.assign({}, p, { filters: Object.assign({}, p.filters), page: 1 }, change);
    var attrs = { href: paramsString(next) };
    if (current) attrs['aria-current'] = 'true';
    return el(doc, 'a', attrs, [label]);
  }

  function toggled(p, name, slug) {
    var values = (p.filters[name] || []).slice();
    var i = values.indexOf(slug);
    if (i >= 0) values.splice(i, 1);
    else values.push(slug);
    var filters = Object.assign({}, p.filters);
    if (values.length) filters[name] = values;
    else delete filters[name];
    return { filters: filters };
  }

  function resultItem(doc, r, marks) {
    var m = r.meta;
    var href = safeHref(m.url);
    var headline = marked(doc, m.headline, marks(m.headline));
    var about = [el(doc, 'time', { datetime: m.date }, [m.dateText])];
    if (m.byline) about.push(' · ', m.byline);
    if (m.dateline) about.push(' · ', m.dateline);
    return el(doc, 'li', {}, [
      el(doc, 'h2', {}, [href === null ? el(doc, 'span', {}, headline) : el(doc, 'a', { href: href }, headline)]),
      el(doc, 'p', { class: 'search-about' }, about),
      el(doc, 'p', { class: 'search-excerpt' }, marked(doc, m.excerpt, marks(m.excerpt)))
    ]);
  }

  /** A facet's values among the results, as filter links with their counts (or a note that there are none). */
  function facetList(doc, p, facet) {
    var shown = facet.values.filter(function (v) { return v.count > 0 || v.selected; });
    if (!shown.length) return el(doc, 'p', { class: 'search-facet-note' }, [TEXT.noValue]);
    return el(doc, 'ul', {}, shown.map(function (v) {
      return el(doc, 'li', {}, [link(doc, p, toggled(p, facet.name, v.slug), v.label, v.selected), ' (' + v.count + ')']);
    }));
  }

  function pager(doc, out) {
    var p = out.params;
    var items = [];
    if (out.page > 1) items.push(link(doc, p, { page: out.page - 1 }, TEXT.previous));
    for (var n = Math.max(1, out.page - 4); n <= Math.min(out.pages, out.page + 4); n++) {
      items.push(link(doc, p, { page: n }, String(n), n === out.page));
    }
    if (out.page < out.pages) items.push(link(doc, p, { page: out.page + 1 }, TEXT.next));
    return el(doc, 'nav', { class: 'search-pages', 'aria-label': TEXT.pages }, [
      el(doc, 'ul', {}, items.map(function (a) { return el(doc, 'li', {}, [a]); }))
    ]);
  }

  /**
   * Show an outcome in `root`: status, filters, sort, results, pages.
   * `open` says which filters the reader has open ({name: true}; the year
   * when not given), and learns when one is opened or closed. Resolves once
   * every open filter shows its counts.
   */
  function render(root, out, open) {
    open = open || { year: true };
    var doc = root.ownerDocument;
    var p = out.params;
    var status = doc.getElementById('search-status');
    var first = (out.page - 1) * out.perPage + 1;
    status.textContent = !out.words.length && !Object.keys(p.filters).length ? TEXT.prompt
      : out.total === 0 ? TEXT.none(p.q)
        : TEXT.found(out.total, p.q, first, first + out.results.length - 1);
    var body = doc.getElementById('search-body');
    while (body.firstChild) body.removeChild(body.firstChild);
    if (!out.total) return Promise.resolve();
    var nav = body.appendChild(el(doc, 'nav', { id: 'search-facets', class: 'search-facets', 'aria-label': TEXT.filters }));
    var counted = ['year'].concat(out.filters).map(function (name) { return filterGroup(nav, out, name, open); });
    body.appendChild(el(doc, 'p', { class: 'search-sort' }, [TEXT.sort + ': '].concat(
      SORTS.map(function (s, i) {
        return [i ? ' · ' : '', link(doc, p, { sort: s }, TEXT[s], s === p.sort)];
      }).reduce(function (a, b) { return a.concat(b); }, []).filter(Boolean))));
    body.appendChild(el(doc, 'ol', { id: 'search-results', start: String(first) },
      out.results.map(function (r) { return resultItem(doc, r, out.marks); })));
    if (out.pages > 1) body.appendChild(pager(doc, out));
    return Promise.all(counted);
  }

  /**
   * A filter as a disclosure (<details>, opened by a click or the
   * keyboard): its values and their counts for the current results are
   * shown once it is open, which loads its facet file then (the years come
   * with the results). A filter in use is open. Resolves once the counts
   * are shown, if it is open.
   */
  function filterGroup(nav, out, name, open) {
    var doc = nav.ownerDocument;
    var p = out.params;
    var attrs = { class: 'search-facet', 'data-facet': name };
    if (p.filters[name] || open[name]) attrs.open = '';
    var group = nav.appendChild(el(doc, 'details', attrs, [el(doc, 'summary', {}, [TEXT.facet[name] || name])]));
    var shown;
    var fill = function () {
      if (shown) return shown;
      group.setAttribute('aria-busy', 'true');
      var note = group.appendChild(el(doc, 'p', { class: 'search-facet-note' }, [TEXT.counting]));
      var counts = name === 'year' ? Promise.resolve(out.facets[0]) : out.counts(name);
      shown = counts.then(function (facet) {
        group.replaceChild(facetList(doc, p, facet), note);
      }, function (e) {
        note.textContent = TEXT.countFailed + e.message;
      }).then(function () {
        group.removeAttribute('aria-busy');
      });
      return shown;
    };
    group.addEventListener('toggle', function () {
      var isOpen = group.hasAttribute('open');
      open[name] = isOpen;
      // Opened by the reader: the page is done once its counts are shown.
      if (isOpen && !shown) global.gazetteSearch.searched = fill();
    });
    // The years cost nothing more: shown at once, open or not.
    return attrs.open !== undefined || name === 'year' ? fill() : Promise.resolve();
  }

  /** Is `url` this page (its path, whatever its query)? */
  function thisPage(url) {
    var path = function (u) { return new URL(u, location.href).pathname.replace(/\/index\.html$/, '/'); };
    return path(url) === path(location.href);
  }

  /**
   * Search the page's URL and show the results in the element marked
   * `data-gazette-search`. Then, where the browser has the History API, a
   * new search from the page's own form, a link of the results (a filter,
   * a sort, a page) and Back or Forward search again in the page, with the
   * URL changed as a page load would: the index files loaded stay loaded.
   */
  function start() {
    var root = document.querySelector('[data-gazette-search]');
    if (!root) return Promise.resolve();
    options.base = root.getAttribute('data-index') || options.base;
    var perPage = parseInt(root.getAttribute('data-per-page') || '20', 10) || 20;
    var input = document.querySelector('input[name="q"]');
    var status = el(document, 'p', { id: 'search-status', role: 'status', 'aria-live': 'polite' });
    var body = el(document, 'div', { id: 'search-body' });
    root.appendChild(status);
    root.appendChild(body);
    var latest = 0;
    // The filters the reader has open, kept from search to search in the page.
    var open = { year: true };

    /** Search for a URL query string and show it; a later search wins. */
    function show(search) {
      var mine = ++latest;
      var p = parseParams(search);
      if (input) input.value = p.q;
      status.textContent = p.q ? TEXT.searching : '';
      body.setAttribute('aria-busy', 'true');
      var done = query(p, perPage).then(function (out) {
        if (mine !== latest) return;
        var counted = render(root, out, open);
        body.removeAttribute('aria-busy');
        return counted;
      }).catch(function (e) {
        if (mine !== latest) return;
        status.textContent = TEXT.failed + e.message;
        body.removeAttribute('aria-busy');
      });
      // Settles once this search is shown, the counts of its open filters
      // too (a filter opened later replaces it, until its counts are shown).
      global.gazetteSearch.searched = done;
      return done;
    }

    var started = show(location.search);
    if (typeof history === 'undefined' || !history.pushState) return started;
    var go = function (search) {
      history.pushState(null, '', search);
      show(search);
    };
    Array.prototype.forEach.call(document.forms, function (form) {
      if (form.method !== 'get' || !form.elements.q || !thisPage(form.action)) return;
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        go('?' + new URLSearchParams(new FormData(form)).toString());
      });
    });
    body.addEventListener('click', function (e) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      var a = e.target.closest('a');
      var href = a && a.getAttribute('href');
      if (!href || href.charAt(0) !== '?') return;
      e.preventDefault();
      go(href);
      window.scrollTo(0, 0);
    });
    window.addEventListener('popstate', function () { show(location.search); });
    return started;
  }

  global.gazetteSearch = {
    add: add,
    start: start,
    query: query,
    render: render,
    parseParams: parseParams,
    paramsString: paramsString,
    queryWords: queryWords,
    fold: fold,
    shardOf: shardOf,
    /** The index's decoders (for tests: tests/search/codes.test.mjs). */
    decode: { numbers: numbers, postings: postings, slots: slots, block: blockOf },
    /** Where index files are and how to load them (for tests). */
    configure: function (o) { Object.assign(options, o); }
  };

  // Search once the page is there; `started` settles when the results are shown.
  if (typeof document !== 'undefined' && document.querySelector) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { global.gazetteSearch.started = start(); });
    } else {
      global.gazetteSearch.started = start();
    }
  }
})(typeof window !== 'undefined' ? window : globalThis);
