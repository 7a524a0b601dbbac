// Entry point: every page is the same shell; the path says which to draw.

import { showDocument } from "./documents.js";
import { h, render, renderError } from "./dom.js";
import { showMessage } from "./message.js";
import { showOverview } from "./overview.js";
import { showSearch } from "./search.js";

function markCurrentNav(section) {
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function route() {
  const path = location.pathname;
  const message = /^\/messages\/([^/]+)\/?$/.exec(path);
  const documentPage = /^\/documents\/([0-9a-fA-F]{64})\/?$/.exec(path);
  if (path === "/") {
    markCurrentNav("overview");
    await showOverview();
  } else if (path === "/search" || path === "/search/") {
    markCurrentNav("search");
    await showSearch();
  } else if (message) {
    markCurrentNav(null);
    await showMessage(encodeURIComponent(decodeURIComponent(message[1])));
  } else if (documentPage) {
    markCurrentNav(null);
    await showDocument(documentPage[1].toLowerCase());
  } else {
    markCurrentNav(null);
    render("Not found", h("h1", {}, "No such page"),
      h("p", {}, "This address is not a page of tamis. "), h("p", {}, h("a", { href: "/" }, "Go to the case overview")));
  }
}

route().catch(renderError).finally(() => {
  document.body.dataset.ready = "true";
});
