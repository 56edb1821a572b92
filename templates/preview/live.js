// Live update for `reportgen preview`. The server pushes a "reload" event once a
// rebuild has finished (server-sent events), so the page never polls. The epoch
// the page was built at lets the server tell at once if the page is already stale.
//
// The page is not reloaded: it fetches the new deck and swaps in only what changed
// (the slides whose HTML differs, the bar and its panel, the list of slides, and
// the stylesheets whose version changed), so the reader keeps their place, and
// unchanged slides, charts and fonts are neither rebuilt nor fetched again.
"use strict";
(() => {
  const epoch = document.currentScript ? document.currentScript.dataset.epoch : "";
  const events = new EventSource(`/_preview/events?epoch=${encodeURIComponent(epoch)}`);
  // Each slide's HTML as last shown, by id: a fresh slide is compared with it, not
  // with the live node, which the popover marks (aria-expanded).
  const shown = new Map();
  for (const slide of document.querySelectorAll("main > section.slide")) {
    shown.set(slide.id, slide.outerHTML);
  }
  const stylesheets = (doc) =>
    [...doc.head.querySelectorAll('link[rel="stylesheet"]')].map((link) => link.getAttribute("href"));
  // New stylesheets are loaded before the old ones go, so nothing shows unstyled; each
  // goes where the new page has it, so the cascade keeps its order.
  const swapStyles = async (fresh) => {
    const wanted = stylesheets(fresh);
    const current = [...document.head.querySelectorAll('link[rel="stylesheet"]')];
    const loads = [];
    let after = null;
    for (const href of wanted) {
      let link = current.find((old) => old.getAttribute("href") === href);
      if (!link) {
        link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        const made = link;
        loads.push(new Promise((done) => {
          made.addEventListener("load", done, { once: true });
          made.addEventListener("error", done, { once: true });
        }));
        if (after) after.after(link);
        else if (current.length) current[0].before(link);
        else document.head.append(link);
      }
      after = link;
    }
    await Promise.all(loads);
    const keep = new Set(wanted);
    for (const link of current) {
      if (!keep.has(link.getAttribute("href"))) link.remove();
    }
  };
  // The slides in their new order: an unchanged slide keeps its very node.
  const swapSlides = (main, fresh) => {
    const old = new Map();
    for (const slide of main.querySelectorAll(":scope > section.slide")) old.set(slide.id, slide);
    let previous = main.querySelector(":scope > .preview-top");
    for (const slide of fresh.querySelectorAll("main > section.slide")) {
      const html = slide.outerHTML;
      let node = old.get(slide.id);
      old.delete(slide.id);
      if (!node || shown.get(slide.id) !== html) {
        const made = document.importNode(slide, true);
        if (node) node.replaceWith(made);
        node = made;
        shown.set(slide.id, html);
      }
      if (previous ? previous.nextElementSibling !== node : main.firstElementChild !== node) {
        if (previous) previous.after(node);
        else main.prepend(node);
      }
      previous = node;
    }
    for (const [id, slide] of old) {
      slide.remove();
      shown.delete(id);
    }
  };
  const swapped = (current, fresh) => {
    if (current && fresh && current.innerHTML !== fresh.innerHTML) {
      current.replaceChildren(...[...fresh.childNodes].map((node) => document.importNode(node, true)));
    }
  };
  const apply = async () => {
    const response = await fetch("/", { cache: "no-store" });
    if (!response.ok) throw new Error(`the deck answered ${response.status}`);
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const main = document.querySelector("main");
    const freshMain = fresh.querySelector("main");
    const slides = (doc) => doc.querySelector("main > section.slide") !== null;
    // A deck that appears or goes, or a page of another shape: load it whole.
    if (!main || !freshMain || slides(document) !== slides(fresh)) throw new Error("new shape");
    if (!!document.querySelector("nav.slide-list") !== !!fresh.querySelector("nav.slide-list")) {
      throw new Error("new shape");
    }
    await swapStyles(fresh);
    swapped(document.querySelector(".preview-top"), fresh.querySelector(".preview-top"));
    swapped(document.querySelector("nav.slide-list"), fresh.querySelector("nav.slide-list"));
    swapSlides(main, fresh);
    if (document.title !== fresh.title) document.title = fresh.title;
    document.documentElement.lang = fresh.documentElement.lang;
    if (owner && !owner.isConnected) hide();
    performance.mark("preview-applied");
  };
  // One update at a time; events arriving meanwhile make one more.
  let running = null;
  let again = false;
  const update = async () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await apply();
      } while (again);
    })();
    try {
      await running;
    } catch {
      events.close();
      window.location.reload();
    } finally {
      running = null;
    }
  };
  events.addEventListener("reload", () => {
    performance.mark("preview-event");
    update();
  });
  // A slide jumped to from the list lands below the bar and the error panel, which stay
  // at the top of the window: its scroll margin follows their height (a panel folded,
  // a window resized). Set through the CSSOM, which the page's style-src allows.
  const top = document.querySelector(".preview-top");
  if (top) {
    const follow = () => {
      document.documentElement.style.setProperty("--preview-top", `${top.offsetHeight + 8}px`);
    };
    new ResizeObserver(follow).observe(top);
    follow();
  }
  // A figure's facts and a link to its document, opened by clicking or focusing the figure
  // (a chart value's hotspot, a table cell, a figure in a sentence): its title attribute
  // shows the facts on hover but cannot hold a link. Built with DOM calls from the
  // element's title and data-docs only, never as markup; web links only.
  const popover = document.createElement("div");
  popover.className = "figure-popover";
  popover.setAttribute("role", "dialog");
  popover.hidden = true;
  document.body.append(popover);
  let owner = null;
  const hide = () => {
    if (owner) owner.removeAttribute("aria-expanded");
    owner = null;
    popover.hidden = true;
  };
  const show = (figure) => {
    if (figure === owner) return;
    hide();
    let docs = [];
    try {
      docs = JSON.parse(figure.dataset.docs || "[]");
    } catch {
      docs = [];
    }
    const facts = document.createElement("ul");
    for (const fact of (figure.getAttribute("title") || "").split(" · ")) {
      const item = document.createElement("li");
      item.textContent = fact;
      facts.append(item);
    }
    const links = document.createElement("ul");
    links.className = "figure-popover-docs";
    for (const doc of docs) {
      if (!/^https?:\/\//i.test(doc.url || "")) continue;
      const link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.text;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      const item = document.createElement("li");
      item.append(link);
      links.append(item);
    }
    popover.replaceChildren(facts, ...(links.childElementCount ? [links] : []));
    popover.hidden = false;
    owner = figure;
    figure.setAttribute("aria-expanded", "true");
    // Under the figure, kept inside the window's width.
    const box = figure.getBoundingClientRect();
    const widest = document.documentElement.clientWidth - popover.offsetWidth - 8;
    popover.style.left = `${window.scrollX + Math.max(8, Math.min(box.left, widest))}px`;
    popover.style.top = `${window.scrollY + box.bottom + 4}px`;
  };
  const figureOf = (target) =>
    target instanceof Element ? target.closest(".hotspot, [data-docs][title]") : null;
  document.addEventListener("focusin", (event) => {
    const figure = figureOf(event.target);
    if (figure) show(figure);
    else if (!popover.contains(event.target)) hide();
  });
  document.addEventListener("click", (event) => {
    const figure = figureOf(event.target);
    if (figure) show(figure);
    else if (!popover.contains(event.target)) hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && owner) {
      const figure = owner;
      hide();
      figure.focus();
    }
  });
})();
