// Live reload for `gazette serve`. The server adds this script to the HTML
// pages it serves; it is never written into a build on disk.
(() => {
  "use strict";
  const events = new EventSource("/__gazette/events");
  let instance = null;
  let overlay = null;

  // The server says hello on every (re)connection; a different instance
  // means it was restarted, and the page may be stale.
  events.addEventListener("hello", (e) => {
    if (instance !== null && instance !== e.data) location.reload();
    instance = e.data;
  });

  events.addEventListener("reload", () => location.reload());

  // Only stylesheets changed: swap them in, keep the page and its scroll.
  // Their names hold a hash of their content, so an edited stylesheet has
  // a new name: read it from the page as rebuilt. Anything unexpected
  // falls back to a reload.
  events.addEventListener("css", async () => {
    hideOverlay();
    let fresh;
    try {
      const response = await fetch(location.href, { cache: "no-store" });
      fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      location.reload();
      return;
    }
    const now = [...document.querySelectorAll('link[rel~="stylesheet"]')];
    const next = [...fresh.querySelectorAll('link[rel~="stylesheet"]')];
    if (now.length !== next.length) {
      location.reload();
      return;
    }
    now.forEach((link, i) => {
      const url = new URL(next[i].getAttribute("href"), location.href);
      url.searchParams.set("gazette-reload", Date.now().toString());
      const swapped = link.cloneNode();
      swapped.href = url.href;
      // The old one goes once the new one applies: no flash of bare page.
      swapped.addEventListener("load", () => link.remove(), { once: true });
      swapped.addEventListener("error", () => location.reload(), { once: true });
      link.after(swapped);
    });
  });

  // The rebuild failed: show why over the page (the last good build stays
  // served underneath); the next successful rebuild reloads the page.
  events.addEventListener("build-error", (e) => showOverlay(e.data));

  function showOverlay(text) {
    hideOverlay();
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1em 1.5em;background:#2b0b0b;color:#ffd9d9;border-bottom:4px solid #e5484d;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 24px #0008";
    const title = document.createElement("strong");
    title.textContent = "Gazette: the rebuild failed. Still showing the last good build.";
    const close = document.createElement("button");
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    close.style.cssText = "float:right;font:inherit;font-size:20px;background:none;border:0;color:inherit;cursor:pointer";
    close.addEventListener("click", hideOverlay);
    const details = document.createElement("pre");
    details.style.cssText = "white-space:pre-wrap;margin:.75em 0 0;font:inherit";
    details.textContent = text; // never parsed as HTML
    overlay.append(close, title, details);
    document.documentElement.append(overlay);
  }

  function hideOverlay() {
    if (overlay) overlay.remove();
    overlay = null;
  }
})();
