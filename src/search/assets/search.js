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
 * loaded. Every text from the index is put in the page as text, never as
 * HTML.
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

  /** The numbers of an encoded text. */
  function numbers(text) {
    var out = [];
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var v = DIGIT[text.charCodeAt(i)];
      if (v >= 32) {
        n = n * 32 + (v - 32);
      } else {
        out.push(n * 32 + v);
        n = 0;
      }
    }
    return out;
  }

  /** A posting list: Map of slot → weight. */
  function postings(text) {
    var list = numbers(text);
    var map = new Map();
    var slot = -1;
    for (var i = 0; i < list.length; i++) {
      var v = list[i];
      slot += Math.floor(v / 4) + 1;
      var low = v % 4;
      map.set(slot, low < 3 ? low + 1 : list[++i] + 4);
    }
    return map;
  }

  /** A list of slots (gaps), as an array. */
  function slots(text) {
    var list = numbers(text);
    var slot = -1;
    for (var i = 0; i < list.length; i++) {
      slot += list[i] + 1;
      list[i] = slot;
    }
    return list;
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

  /** The postings of a term (Map slot → weight), or an empty map. */
  function postingsOf(root, term) {
    return shard(root, term).then(function (data) {
      if (!data) return new Map();
      var i = lowerBound(data.terms, term, 1);
      if (data.terms[i] !== term) return new Map();
      var name = 't/' + term;
      if (!decoded.has(name)) decoded.set(name, postings(data.post[i]));
      return decoded.get(name);
    });
  }

  /** The articles (Map slot → weight) a query word finds: the union of its terms'. */
  function matchesOf(root, word) {
    return termsOf(root, word).then(function (terms) {
      return Promise.all(terms.map(function (t) { return postingsOf(root, t); })).then(function (lists) {
        lists.sort(function (a, b) { return b.size - a.size; });
        lists = lists.slice(0, MAX_EXPANSION);
        if (lists.length === 1) return { word: word, terms: terms, docs: lists[0] };
        var union = new Map();
        lists.forEach(function (list) {
          list.forEach(function (w, slot) { union.set(slot, Math.max(w, union.get(slot) || 0)); });
        });
        return { word: word, terms: terms, docs: union };
      });
    });
  }

  /** Date and length of every article in the blocks of these slots (null: all): Map slot → {days, words}. */
  function documents(root, wanted) {
    var blocks = new Set(wanted ? [] : root.blocks);
    (wanted || []).forEach(function (slot) { blocks.add(Math.floor(slot / Math.pow(2, root.block_bits))); });
    return Promise.all(Array.from(blocks).map(function (b) {
      return get('d', b, root.key).then(function (text) { return [b, text]; });
    })).then(function (loaded) {
      // Only the articles asked for: a block holds thousands.
      var want = wanted && new Set(wanted);
      var docs = new Map();
      loaded.forEach(function (pair) {
        if (typeof pair[1] !== 'string') return;
        var list = numbers(pair[1]);
        var slot = pair[0] * Math.pow(2, root.block_bits) - 1;
        for (var i = 0; i + 2 < list.length; i += 3) {
          slot += list[i] + 1;
          if (want && !want.has(slot)) continue;
          var z = list[i + 1];
          docs.set(slot, { days: z % 2 ? -(z + 1) / 2 : z / 2, words: list[i + 2] });
        }
      });
      return docs;
    });
  }

  /** Every facet's values, each with its slots (sorted): [{name, values: [{slug, label, total, slots}]}]. */
  function facets(root) {
    return Promise.all(root.facets.map(function (facet) {
      return get('f', facet.name, root.key).then(function (list) {
        var bySlug = new Map();
        for (var i = 0; list && i + 1 < list.length; i += 2) bySlug.set(list[i], list[i + 1]);
        return {
          name: facet.name,
          values: facet.values.map(function (v) {
            var key = 'f/' + facet.name + '/' + v[0];
            if (!decoded.has(key)) decoded.set(key, slots(bySlug.get(v[0]) || ''));
            return { slug: v[0], label: v[1], total: v[2], slots: decoded.get(key) };
          })
        };
      });
    }));
  }

  var yearOfDay = new Map();

  /** The year of a day (days since 1970-01-01), remembered: a query may ask for thousands. */
  function yearOf(days) {
    var y = yearOfDay.get(days);
    if (y === undefined) {
      y = new Date(days * 86400000).getUTCFullYear();
      yearOfDay.set(days, y);
    }
    return y;
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
   * Search: the results of one page and the counts of every filter.
   * Resolves to {params, words, total, pages, results: [{slot, score, days,
   * meta}], facets: [{name, values: [{slug, label, count, selected}]}], marks}.
   *
   * With `later`, when no filter is in use (so the results do not depend on
   * the facet files), the facet files are not waited for: `facets` holds the
   * years only, and `moreFacets()` resolves to every filter's counts.
   */
  function query(p, perPage, later) {
    perPage = perPage || 20;
    return get('root', '').then(function (root) {
      if (!root || root.version !== 1) throw new Error('the search index is missing or from another version of Gazette');
      var words = queryWords(p.q);
      var filtered = Object.keys(p.filters).length > 0;
      if (!words.length && !filtered) return outcome(p, words, [], [], root, [], perPage);
      var deferred = later && !filtered;
      return Promise.all([Promise.all(words.map(function (w) { return matchesOf(root, w); })), deferred ? [] : facets(root)])
        .then(function (loaded) {
          var matches = loaded[0];
          var allFacets = loaded[1];
          var candidates = candidatesOf(matches, allFacets, p, root);
          return documents(root, candidates).then(function (docs) {
            return rank(p, words, matches, allFacets, candidates, docs, root, perPage, deferred);
          });
        });
    });
  }

  /** The slots that every query word finds (or every article, with no words). */
  function candidatesOf(matches, allFacets, p, root) {
    if (matches.length) {
      var sorted = matches.slice().sort(function (a, b) { return a.docs.size - b.docs.size; });
      var out = [];
      sorted[0].docs.forEach(function (_, slot) {
        if (sorted.every(function (m) { return m.docs.has(slot); })) out.push(slot);
      });
      return out;
    }
    // No words but filters: every article of the first filter that has values.
    for (var i = 0; i < allFacets.length; i++) {
      var wanted = p.filters[allFacets[i].name];
      if (wanted) {
        var set = new Set();
        allFacets[i].values.forEach(function (v) {
          if (wanted.indexOf(v.slug) >= 0) v.slots.forEach(function (s) { set.add(s); });
        });
        return Array.from(set);
      }
    }
    return null; // every article: the blocks say which
  }

  /** Does an article pass the filters in use, but the one named `except`? (slot, except) → boolean. */
  function filterTest(p, allFacets, docs) {
    // Per filter, the slots it allows.
    var allowed = {};
    allFacets.forEach(function (f) {
      var wanted = p.filters[f.name];
      if (!wanted) return;
      var set = new Set();
      f.values.forEach(function (v) {
        if (wanted.indexOf(v.slug) >= 0) v.slots.forEach(function (s) { set.add(s); });
      });
      allowed[f.name] = set;
    });
    var years = p.filters.year ? p.filters.year.map(Number) : null;
    return function (slot, except) {
      if (except !== 'year' && years && years.indexOf(yearOf(docs.get(slot).days)) < 0) return false;
      for (var name in allowed) {
        if (name !== except && !allowed[name].has(slot)) return false;
      }
      return true;
    };
  }

  /** The counts of each filter's values among `known` (slots), under the other filters in use. */
  function counts(p, allFacets, known, docs, root, passes) {
    var counted = [{ name: 'year', values: root.years.map(function (y) {
      return { slug: String(y[0]), label: String(y[0]), count: 0 };
    }) }];
    var yearIndex = new Map(root.years.map(function (y, i) { return [y[0], i]; }));
    known.forEach(function (slot) {
      if (passes(slot, 'year')) counted[0].values[yearIndex.get(yearOf(docs.get(slot).days))].count++;
    });
    allFacets.forEach(function (f) {
      // The articles under the other filters, marked; then each value counts
      // its marked slots: one pass over the facet, whatever the number of results.
      var under = new Uint8Array(root.slots + 1);
      known.forEach(function (slot) { if (passes(slot, f.name)) under[slot] = 1; });
      counted.push({ name: f.name, values: f.values.map(function (v) {
        var n = 0;
        for (var i = 0; i < v.slots.length; i++) n += under[v.slots[i]] || 0;
        return { slug: v.slug, label: v.label, count: n };
      }) });
    });
    counted.forEach(function (f) {
      var wanted = p.filters[f.name] || [];
      f.values.forEach(function (v) { v.selected = wanted.indexOf(v.slug) >= 0; });
    });
    return counted;
  }

  function rank(p, words, matches, allFacets, candidates, docs, root, perPage, deferred) {
    if (candidates === null) candidates = Array.from(docs.keys());
    var known = candidates.filter(function (slot) { return docs.has(slot); });
    var passes = filterTest(p, allFacets, docs);
    var counted = counts(p, allFacets, known, docs, root, passes);

    var N = root.docs;
    var idf = matches.map(function (m) {
      var df = m.docs.size;
      return Math.log(1 + (N - df + 0.5) / (df + 0.5));
    });
    var avg = root.avg_words || 1;
    var results = known.filter(function (slot) { return passes(slot, null); }).map(function (slot) {
      var doc = docs.get(slot);
      var score = 0;
      var headline = 0;
      matches.forEach(function (m, i) {
        var w = m.docs.get(slot);
        var tf = w % HEADLINE;
        if (w >= HEADLINE) headline++;
        score += idf[i] * (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * doc.words / avg));
      });
      return { slot: slot, headline: headline, score: score, days: doc.days };
    });
    var bySort = {
      relevance: function (a, b) {
        return b.headline - a.headline || b.score - a.score || b.days - a.days || a.slot - b.slot;
      },
      newest: function (a, b) { return b.days - a.days || a.slot - b.slot; },
      oldest: function (a, b) { return a.days - b.days || a.slot - b.slot; }
    };
    results.sort(bySort[words.length ? p.sort : (p.sort === 'oldest' ? 'oldest' : 'newest')]);
    return outcome(p, words, results, matches, root, counted, perPage).then(function (out) {
      if (deferred) {
        out.moreFacets = function () {
          return facets(root).then(function (all) { return counts(p, all, known, docs, root, filterTest(p, all, docs)); });
        };
      }
      return out;
    });
  }

  /** The page of results asked for, with their metadata loaded. */
  function outcome(p, words, results, matches, root, counted, perPage) {
    var pages = Math.max(1, Math.ceil(results.length / perPage));
    var page = Math.min(p.page, pages);
    var shown = results.slice((page - 1) * perPage, page * perPage);
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
        params: p, words: words, total: results.length, page: page, pages: pages, perPage: perPage,
        results: withMeta.filter(function (r) { return r.meta; }),
        facets: counted,
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

  function facetList(doc, p, facet) {
    var shown = facet.values.filter(function (v) { return v.count > 0 || v.selected; });
    if (!shown.length) return null;
    return el(doc, 'section', { class: 'search-facet' }, [
      el(doc, 'h2', {}, [TEXT.facet[facet.name] || facet.name]),
      el(doc, 'ul', {}, shown.map(function (v) {
        return el(doc, 'li', {}, [link(doc, p, toggled(p, facet.name, v.slug), v.label, v.selected), ' (' + v.count + ')']);
      }))
    ]);
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

  /** Show an outcome in `root`: status, filters, sort, results, pages. */
  function render(root, out) {
    var doc = root.ownerDocument;
    var p = out.params;
    var status = doc.getElementById('search-status');
    var first = (out.page - 1) * out.perPage + 1;
    status.textContent = !out.words.length && !Object.keys(p.filters).length ? TEXT.prompt
      : out.total === 0 ? TEXT.none(p.q)
        : TEXT.found(out.total, p.q, first, first + out.results.length - 1);
    var body = doc.getElementById('search-body');
    while (body.firstChild) body.removeChild(body.firstChild);
    if (!out.total) return;
    var nav = body.appendChild(el(doc, 'nav', { id: 'search-facets', class: 'search-facets', 'aria-label': TEXT.filters }));
    if (!out.moreFacets) fillFacets(nav, p, out.facets);
    body.appendChild(el(doc, 'p', { class: 'search-sort' }, [TEXT.sort + ': '].concat(
      SORTS.map(function (s, i) {
        return [i ? ' · ' : '', link(doc, p, { sort: s }, TEXT[s], s === p.sort)];
      }).reduce(function (a, b) { return a.concat(b); }, []).filter(Boolean))));
    body.appendChild(el(doc, 'ol', { id: 'search-results', start: String(first) },
      out.results.map(function (r) { return resultItem(doc, r, out.marks); })));
    if (out.pages > 1) body.appendChild(pager(doc, out));
  }

  /** Put the filters, with their counts, in `nav` (what was there goes). */
  function fillFacets(nav, p, facetCounts) {
    while (nav.firstChild) nav.removeChild(nav.firstChild);
    facetCounts.forEach(function (f) {
      var list = facetList(nav.ownerDocument, p, f);
      if (list) nav.appendChild(list);
    });
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

    /** Search for a URL query string and show it; a later search wins. */
    function show(search) {
      var mine = ++latest;
      var p = parseParams(search);
      if (input) input.value = p.q;
      status.textContent = p.q ? TEXT.searching : '';
      body.setAttribute('aria-busy', 'true');
      // The results first; the filters' counts, which need every facet file, after.
      var done = query(p, perPage, true).then(function (out) {
        if (mine !== latest) return;
        render(root, out);
        body.removeAttribute('aria-busy');
        if (out.total && out.moreFacets) {
          return out.moreFacets().then(function (facetCounts) {
            var nav = document.getElementById('search-facets');
            if (mine === latest && nav) fillFacets(nav, p, facetCounts);
          });
        }
      }).catch(function (e) {
        if (mine !== latest) return;
        status.textContent = TEXT.failed + e.message;
        body.removeAttribute('aria-busy');
      });
      // Settles once this search is shown, its filters' counts too.
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
