// The search script in Node.js, as in a page: a small stand-in for the DOM
// (only what search.js uses; `innerHTML` throws, so content can only ever
// become text), and <script> elements that run the index files from disk.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const SCRIPT = new URL('../../src/search/assets/search.js', import.meta.url);

class Node {
  constructor(doc) {
    this.ownerDocument = doc;
    this.childNodes = [];
    this.parentNode = null;
  }
  appendChild(child) {
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  removeChild(child) {
    this.childNodes = this.childNodes.filter((c) => c !== child);
    return child;
  }
  replaceChild(child, old) {
    const at = this.childNodes.indexOf(old);
    if (at < 0) throw new Error('replaceChild: not a child');
    child.parentNode = this;
    this.childNodes[at] = child;
    return old;
  }
  get firstChild() {
    return this.childNodes[0] || null;
  }
  get textContent() {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(text) {
    this.childNodes = [];
    this.appendChild(this.ownerDocument.createTextNode(String(text)));
  }
}

class Text extends Node {
  constructor(doc, text) {
    super(doc);
    this.text = text;
  }
  get textContent() {
    return this.text;
  }
  get outerHTML() {
    return this.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
}

class Element extends Node {
  constructor(doc, name) {
    super(doc);
    this.tagName = name.toUpperCase();
    this.attributes = new Map();
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  hasAttribute(name) {
    return this.attributes.has(name);
  }
  addEventListener(type, listener) {
    this.listeners ??= [];
    this.listeners.push([type, listener]);
  }
  /** Call the listeners of an event of this type, as the browser would. */
  dispatch(type) {
    for (const [t, listener] of this.listeners ?? []) if (t === type) listener({ type, target: this });
  }
  set innerHTML(_) {
    throw new Error('innerHTML used: content must be put in the page as text');
  }
  insertAdjacentHTML() {
    throw new Error('insertAdjacentHTML used: content must be put in the page as text');
  }
  get id() {
    return this.getAttribute('id');
  }
  get textContent() {
    return super.textContent;
  }
  set textContent(text) {
    super.textContent = text;
  }
  get outerHTML() {
    const attrs = [...this.attributes].map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`).join('');
    return `<${this.tagName.toLowerCase()}${attrs}>${this.childNodes.map((c) => c.outerHTML).join('')}</${this.tagName.toLowerCase()}>`;
  }
  /** Every element below, in document order. */
  all() {
    return this.childNodes.flatMap((c) => (c instanceof Element ? [c, ...c.all()] : []));
  }
  find(test) {
    return this.all().filter(test);
  }
}

class Document {
  constructor(onScript) {
    this.readyState = 'complete';
    this.onScript = onScript;
    this.head = new Element(this, 'head');
    this.head.appendChild = (child) => {
      Node.prototype.appendChild.call(this.head, child);
      if (child.tagName === 'SCRIPT') onScript(child);
      return child;
    };
    this.body = new Element(this, 'body');
  }
  createElement(name) {
    return new Element(this, name);
  }
  createTextNode(text) {
    return new Text(this, String(text));
  }
  addEventListener() {}
  getElementById(id) {
    return this.body.all().find((e) => e.id === id) || null;
  }
  querySelector(selector) {
    if (selector === '[data-gazette-search]') return this.body.all().find((e) => e.getAttribute('data-gazette-search') !== null) || null;
    if (selector === 'input[name="q"]') return this.body.all().find((e) => e.tagName === 'INPUT' && e.getAttribute('name') === 'q') || null;
    throw new Error(`selector not supported by the test DOM: ${selector}`);
  }
}

/**
 * A search page at `search/index.html?<query>` of the site in `site` (the
 * index under `site/search/index/`), with search.js run in it. Resolves to
 * {page, loaded, search} once the results are shown; `loaded` lists the
 * index files the page asked for.
 */
export async function openSearchPage(site, query, { perPage = 10, protocol = 'http:' } = {}) {
  const loaded = [];
  let context;
  const doc = new Document((script) => {
    const src = script.src;
    loaded.push(src.replace(/\?.*$/, ''));
    setImmediate(() => {
      const file = path.join(site, 'search', src.replace(/\?.*$/, ''));
      if (!fs.existsSync(file)) return script.onerror();
      vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
      script.onload();
    });
  });
  const root = doc.createElement('div');
  root.setAttribute('data-gazette-search', '');
  root.setAttribute('data-index', 'index/');
  root.setAttribute('data-per-page', String(perPage));
  const input = doc.createElement('input');
  input.setAttribute('name', 'q');
  doc.body.appendChild(input);
  doc.body.appendChild(root);
  context = vm.createContext({
    document: doc,
    location: { search: query, protocol },
    URLSearchParams,
    console,
    setTimeout,
  });
  context.window = context;
  const forbidden = () => {
    throw new Error('the search script must load the index with <script> elements only');
  };
  context.fetch = forbidden;
  context.XMLHttpRequest = forbidden;
  context.WebAssembly = undefined;
  vm.runInContext(fs.readFileSync(SCRIPT, 'utf8'), context, { filename: 'search.js' });
  // search.js starts at once (readyState is "complete"); wait for it.
  await context.gazetteSearch.started;
  return { page: root, input, loaded, search: context.gazetteSearch };
}

export function scriptSource() {
  return fs.readFileSync(SCRIPT, 'utf8');
}
