// What every part of the participant page shares: the live session, the
// keys of what this phone stores, and the page's alert and status regions.

import { phaseLabels } from "../cards.js";
import { announce, byId } from "../dom.js";
import { _ } from "../i18n.js";
import { bindStatus, LiveSession } from "../live.js";

/**
 * The page's context, handed to each part's init function:
 * `{session, body, workshopId, participantId, phaseLabel, storageKey,
 * currentPhase, showError, clearError, say, render}`. `render()` redraws the
 * page; the entry module sets it once every part exists.
 */
export function participantContext() {
  const body = document.body;
  const workshopId = Number(body.dataset.workshopId);
  const participantId = body.dataset.participantId;
  const labels = phaseLabels();
  const errors = byId("errors");
  const announcer = byId("announce");
  const session = new LiveSession(workshopId);
  bindStatus(session, byId("conn"));

  const ctx = {
    session,
    body,
    workshopId,
    participantId,
    phaseLabel: (phase) => labels[phase] || phase,
    /** The localStorage key of `name` (pending, consent, whose, draft...) for this person. */
    storageKey: (name, ...rest) => ["pc", name, workshopId, participantId, ...rest].join(":"),
    currentPhase: () => (session.state ? session.state.workshop.phase : body.dataset.phase),
    showError(message) {
      announce(errors, message || _("Something went wrong. Try again."));
    },
    clearError() {
      errors.textContent = "";
    },
    /** Announce politely to screen readers. */
    say(message) {
      announce(announcer, message);
    },
    render: () => {},
  };
  return ctx;
}
