// What every part of the board shares: the live session, phase names, and
// the way an action is sent and its refusal shown.

import { phaseLabels } from "../cards.js";
import { announce, byId } from "../dom.js";
import { _ } from "../i18n.js";
import { bindStatus, LiveSession } from "../live.js";

/**
 * The board's context, handed to each part's init function:
 * `{session, body, languageNames, phaseLabel, act, say, showError, clearError, render}`.
 * `render()` redraws the wall; the entry module sets it once every part exists.
 */
export function boardContext() {
  const body = document.body;
  const labels = phaseLabels();
  const errors = byId("errors");
  const announcer = byId("announce");
  const session = new LiveSession(Number(body.dataset.workshopId));
  bindStatus(session, byId("conn"));

  /** The seven languages by code, with their own names (the page's switcher). */
  const languageNames = {};
  for (const link of document.querySelectorAll(".lang-switcher a[hreflang]")) {
    languageNames[link.getAttribute("hreflang")] = link.getAttribute("title") || link.textContent.trim();
  }

  const ctx = {
    session,
    body,
    labels,
    languageNames,
    phaseLabel: (phase) => labels[phase] || phase,
    showError(message) {
      announce(errors, message || _("Something went wrong. Try again."));
    },
    clearError() {
      errors.textContent = "";
    },
    /** Send a facilitator event; show the refusal, if any; resolve with the ack. */
    async act(event, payload) {
      ctx.clearError();
      const ack = await session.request(event, payload);
      if (!ack.ok) ctx.showError(ack.message);
      return ack;
    },
    /** Announce politely to screen readers. */
    say(message) {
      announce(announcer, message);
    },
    render: () => {},
  };
  return ctx;
}
