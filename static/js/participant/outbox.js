// The outbox: submissions not yet acknowledged, kept on the phone.
//
// A submission gets a client-made id and waits here ("Sending…") until the
// server acknowledges it; the outbox is sent again after every reconnect
// (the server stores each client_id once).

import { kindLabel } from "../cards.js";
import { byId, el, loadJSON, reconcile, saveJSON } from "../dom.js";
import { _ } from "../i18n.js";

const ACK_TIMEOUT_MS = 8000;

/**
 * Returns `{add, has, remove, fail, deliver, resend, render}`. `settle(entry,
 * ack)` receives the server's answer to each delivery.
 */
export function initOutbox(ctx, { settle }) {
  const { session, clearError, say } = ctx;
  const ui = {
    outbox: byId("outbox"),
    list: byId("outbox-list"),
    hint: byId("outbox-hint"),
    failedHint: byId("outbox-failed-hint"),
  };
  const key = ctx.storageKey("pending");
  /** Oldest first. */
  let pending = loadJSON(key, []).filter(
    (entry) => entry && typeof entry.client_id === "string" && entry.payload,
  );
  for (const entry of pending) session.ownClientIds.add(entry.client_id);
  const inFlight = new Set();

  function save() {
    if (session.gone) return;
    saveJSON(key, pending.length ? pending : null);
  }

  function add(entry) {
    pending.push(entry);
    save();
    session.ownClientIds.add(entry.client_id);
  }

  function remove(clientId) {
    pending = pending.filter((entry) => entry.client_id !== clientId);
    save();
  }

  /** Keep `entry` as not sent, with the server's reason. */
  function fail(entry, message) {
    entry.state = "failed";
    entry.message = message || "";
    save();
  }

  async function deliver(entry) {
    if (inFlight.has(entry.client_id)) return;
    inFlight.add(entry.client_id);
    const ack = await session.request("contribute", entry.payload, ACK_TIMEOUT_MS);
    inFlight.delete(entry.client_id);
    settle(entry, ack);
  }

  /** Send everything still waiting (after a snapshot or a resync). */
  async function resend() {
    for (const entry of [...pending]) {
      if (entry.state === "failed" || !session.connected) continue;
      const stored = session
        .contributions()
        .find((c) => c.client_id === entry.client_id && session.mine.has(c.id));
      if (stored) settle(entry, { ok: true, id: stored.id });
      else await deliver(entry);
    }
  }

  /** Put a text on the clipboard; pages on a LAN address (no HTTPS) use the older way. */
  async function copyText(entry) {
    const text = [entry.payload.title, entry.payload.text, entry.payload.factors].filter(Boolean).join("\n\n");
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        copied = true;
      }
    } catch {
      copied = false;
    }
    if (!copied) {
      const box = el("textarea", { class: "visually-hidden", readonly: true, "aria-hidden": "true" });
      box.value = text;
      document.body.append(box);
      box.select();
      try {
        copied = document.execCommand("copy");
      } catch {
        copied = false;
      }
      box.remove();
    }
    say(copied ? _("Text copied.") : _("This browser cannot copy: select the text and copy it by hand."));
  }

  function card(entry, previous) {
    const failed = entry.state === "failed";
    const signature = JSON.stringify([entry.state, entry.message, entry.payload]);
    if (previous && previous.dataset.signature === signature) return previous;
    const payload = entry.payload;
    const textId = `outbox-${entry.client_id}`;
    return el(
      "li",
      { class: `card card--mine ${failed ? "card--failed" : "card--pending"}`, dataset: { signature } },
      payload.title ? el("p", { class: "card__title", text: payload.title }) : null,
      el("p", { class: "card__text", id: textId, text: payload.text }),
      el(
        "div",
        { class: "card__meta" },
        el("span", { text: kindLabel(entry.kind) }),
        entry.partner ? el("span", { text: _("%(name)s's story", { name: entry.partner }) }) : null,
        failed
          ? el("span", { class: "badge badge--error", text: _("Not sent") })
          : el("span", { class: "badge badge--pending", text: _("Sending…") }),
        failed && entry.message ? el("span", { text: entry.message }) : null,
      ),
      failed
        ? el(
            "div",
            { class: "card__actions" },
            el("button", {
              type: "button",
              class: "btn btn--small",
              "aria-describedby": textId,
              dataset: { focusKey: "copy" },
              text: _("Copy text"),
              on: { click: () => copyText(entry) },
            }),
            el("button", {
              type: "button",
              class: "btn btn--small",
              "aria-describedby": textId,
              dataset: { focusKey: "retry" },
              text: _("Send again"),
              on: {
                click: () => {
                  entry.state = "sending";
                  entry.message = "";
                  save();
                  clearError();
                  ctx.render();
                  deliver(entry);
                },
              },
            }),
            el("button", {
              type: "button",
              class: "btn btn--quiet btn--small",
              "aria-describedby": textId,
              dataset: { focusKey: "discard" },
              text: _("Discard"),
              on: {
                click: () => {
                  remove(entry.client_id);
                  ctx.render();
                },
              },
            }),
          )
        : null,
    );
  }

  /** The outbox, newest first, on every phase: nothing waiting may be out of sight. */
  function render() {
    if (!pending.length) {
      // Nothing waits: no need to walk every contribution of the room.
      ui.outbox.hidden = true;
      reconcile(ui.list, [], (entry) => `p:${entry.client_id}`, card);
      return;
    }
    const stored = new Set(
      session.contributions().filter((c) => session.mine.has(c.id)).map((c) => c.client_id),
    );
    const waiting = pending.filter((entry) => !stored.has(entry.client_id)).reverse();
    reconcile(ui.list, waiting, (entry) => `p:${entry.client_id}`, card);
    ui.outbox.hidden = waiting.length === 0 || session.removed;
    // Only what was sent and is still on its way is promised to arrive.
    const failed = waiting.some((entry) => entry.state === "failed");
    ui.failedHint.hidden = !failed;
    ui.hint.hidden = failed && waiting.every((entry) => entry.state === "failed");
  }

  return {
    add,
    /** Drop everything waiting (the workshop is gone for this phone). */
    forget: () => {
      pending = [];
    },
    has: (clientId) => pending.some((entry) => entry.client_id === clientId),
    remove,
    fail,
    deliver,
    resend,
    render,
  };
}
