// Partner links, on the board and the dashboard: create (with an expiry),
// copy, show as a QR code, revoke, and see which links are live.
//
// Each `[data-share-panel]` talks to /workshops/<id>/shares with the login
// session; changes send the page's CSRF token (<meta name="csrf-token">).
// The server keeps only a digest of each link: the full address (to copy or
// show as a QR code) is known just after it was created; listed links show
// their first characters.
// On the dashboard a panel sits in a closed <details> and loads when opened.

import { announce, el, replace, setText } from "./dom.js";
import { _, formatDate } from "./i18n.js";

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || "";

/** A JSON call to the page's own routes: `{ok, status, data}`, never a throw. */
async function call(method, url, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    const response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    return { ok: response.ok, status: response.status, data };
  } catch {
    return {
      ok: false,
      status: 0,
      data: { message: _("Not connected. Wait for the connection to come back, then try again.") },
    };
  }
}

/** Put `text` on the clipboard; a page on a LAN address (no HTTPS) uses the older way. */
async function copy(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall back below.
  }
  const box = el("textarea", { class: "visually-hidden", readonly: true, "aria-hidden": "true" });
  box.value = text;
  document.body.append(box);
  box.select();
  let done = false;
  try {
    done = document.execCommand("copy");
  } catch {
    done = false;
  }
  box.remove();
  return done;
}

class SharePanel {
  constructor(root) {
    this.root = root;
    this.base = `/workshops/${root.dataset.workshopId}/shares`;
    this.form = root.querySelector("[data-share-create]");
    this.expiry = this.form.querySelector('input[name="expires_on"]');
    this.error = root.querySelector("[data-share-error]");
    this.list = root.querySelector("[data-share-list]");
    this.empty = root.querySelector("[data-share-empty]");
    this.status = el("p", { class: "visually-hidden", role: "status" });
    root.append(this.status);
    this.links = null;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.create();
    });
  }

  say(message) {
    announce(this.status, message);
  }

  fail(result) {
    const message = (result.data && result.data.message) || _("Something went wrong. Try again.");
    this.error.hidden = false;
    announce(this.error, message);
  }

  clearError() {
    this.error.hidden = true;
    this.error.textContent = "";
  }

  async load() {
    const result = await call("GET", this.base);
    if (!result.ok) {
      this.fail(result);
      return;
    }
    this.links = result.data.shares || [];
    this.draw();
  }

  async create() {
    this.clearError();
    const button = this.form.querySelector('button[type="submit"]');
    button.disabled = true;
    const body = this.expiry.value ? { expires_on: this.expiry.value } : {};
    const result = await call("POST", this.base, body);
    button.disabled = false;
    if (!result.ok) {
      this.fail(result);
      this.expiry.focus();
      return;
    }
    this.links = [result.data, ...(this.links || [])];
    this.expiry.value = "";
    this.draw();
    this.say(_("Partner link created."));
    this.list.querySelector("[data-focus-key='copy']")?.focus();
  }

  async revoke(link) {
    if (!window.confirm(_("Revoke this link? The partner can no longer open it or download anything."))) return;
    this.clearError();
    const result = await call("DELETE", `${this.base}/${encodeURIComponent(link.id)}`);
    if (!result.ok && result.status !== 404) {
      this.fail(result);
      return;
    }
    this.links = this.links.filter((other) => other.id !== link.id);
    this.draw();
    this.say(_("Link revoked."));
    this.expiry.focus();
  }

  item(link) {
    const urlId = `share-url-${link.id}`;
    const expiry = el(
      "p",
      { class: "hint" },
      link.expires_at
        ? _("Works until %(date)s.", { date: formatDate(link.expires_at.slice(0, 10)) })
        : _("Works until you revoke it."),
    );
    const revoke = el("button", {
      type: "button",
      class: "btn btn--small btn--quiet btn--danger",
      "aria-describedby": urlId,
      text: _("Revoke"),
      on: { click: () => this.revoke(link) },
    });
    if (!link.url) {
      // Listed later: only the link's first characters are known.
      return el(
        "li",
        { class: "share-item" },
        el("span", { class: "share-url", id: urlId, text: _("Partner link %(hint)s…", { hint: link.hint }) }),
        expiry,
        el("p", {
          class: "hint",
          text: _("The full link is shown only when it is made. To share it again, create a new one."),
        }),
        el("div", { class: "btn-row" }, revoke),
      );
    }
    const qr = el("img", {
      class: "share-qr",
      alt: _("QR code of the partner link"),
      width: 200,
      height: 200,
      hidden: true,
    });
    const qrButton = el("button", {
      type: "button",
      class: "btn btn--small btn--quiet",
      "aria-expanded": "false",
      "aria-describedby": urlId,
      text: _("QR code"),
    });
    qrButton.addEventListener("click", () => {
      const open = qr.hidden;
      if (open && !qr.getAttribute("src")) qr.src = `${this.base}/${encodeURIComponent(link.token)}/qr.svg`;
      qr.hidden = !open;
      qrButton.setAttribute("aria-expanded", open ? "true" : "false");
    });
    return el(
      "li",
      { class: "share-item" },
      el("a", { class: "share-url", id: urlId, href: link.url, target: "_blank", rel: "noopener", text: link.url }),
      expiry,
      el(
        "div",
        { class: "btn-row" },
        el("button", {
          type: "button",
          class: "btn btn--small",
          "aria-describedby": urlId,
          dataset: { focusKey: "copy" },
          text: _("Copy link"),
          on: {
            click: async () => {
              const done = await copy(link.url);
              this.say(done ? _("Link copied.") : _("This browser cannot copy: select the link and copy it by hand."));
            },
          },
        }),
        qrButton,
        revoke,
      ),
      qr,
    );
  }

  draw() {
    const links = this.links || [];
    replace(this.list, links.map((link) => this.item(link)));
    this.empty.hidden = links.length > 0;
    setText(this.form.querySelector('button[type="submit"]'), links.length ? _("Create another link") : _("Create a link"));
  }
}

for (const root of document.querySelectorAll("[data-share-panel]")) {
  const panel = new SharePanel(root);
  const details = root.closest("[data-share-details]");
  if (details) {
    // The dashboard loads a workshop's links when its panel is first opened.
    details.addEventListener("toggle", () => {
      if (details.open && panel.links === null) panel.load();
    });
  } else {
    panel.load();
  }
}
