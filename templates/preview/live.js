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
})();
