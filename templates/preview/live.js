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
})();
