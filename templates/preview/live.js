// Live reload for `reportgen preview`. The server pushes a "reload" event once a
// rebuild has finished (server-sent events), so the page never polls. The epoch
// the page was built at lets the server tell at once if the page is already stale.
"use strict";
(() => {
  const epoch = document.currentScript ? document.currentScript.dataset.epoch : "";
  const events = new EventSource(`/_preview/events?epoch=${encodeURIComponent(epoch)}`);
  events.addEventListener("reload", () => {
    events.close();
    window.location.reload();
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
