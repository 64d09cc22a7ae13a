// The phone's phase: the header, the prompt, and which sections the phase
// shows (lobby, form and feed, closed, removed).

import { phaseQuestion, renderPrompts } from "../cards.js";
import { byId, setText } from "../dom.js";
import { _ } from "../i18n.js";
import { PHASE_KIND } from "../live.js";

/** Returns `render()`; on a phase change it shows the form's draft of the new phase. */
export function initPhase(ctx, { drafts, compose, interviews }) {
  const { session, currentPhase, phaseLabel, clearError, say } = ctx;
  const ui = {
    title: byId("workshop-title"),
    topic: byId("workshop-topic"),
    phaseName: byId("phase-name"),
    prompt: byId("prompt"),
    promptQuestion: byId("prompt-question"),
    promptTexts: byId("prompt-texts"),
    lobby: byId("lobby"),
    closed: byId("closed"),
    compose: byId("compose"),
    feedSection: byId("feed-section"),
    removed: byId("removed"),
    gone: byId("gone"),
  };

  return function render() {
    const phase = currentPhase();
    const removed = session.removed;
    const kind = PHASE_KIND[phase] || null;
    setText(ui.phaseName, phaseLabel(phase));
    for (const node of document.querySelectorAll(".progress [data-phase-label]")) {
      if (node.dataset.phaseLabel === phase) node.setAttribute("aria-current", "step");
      else node.removeAttribute("aria-current");
    }
    setText(ui.promptQuestion, phaseQuestion(phase));
    if (session.state) {
      const workshop = session.state.workshop;
      renderPrompts(ui.promptTexts, phase, workshop);
      setText(ui.title, workshop.title);
      setText(ui.topic, workshop.topic || "");
      ui.topic.hidden = !workshop.topic;
      const pageTitle = [workshop.title, _("Positive Core")].join(" · ");
      if (document.title !== pageTitle) document.title = pageTitle;
    }
    ui.removed.hidden = !removed || Boolean(session.gone);
    ui.gone.hidden = !session.gone;
    for (const node of ui.gone.querySelectorAll("[data-gone]")) node.hidden = node.dataset.gone !== session.gone;
    // During an interview the partner card carries the same questions as the prompt.
    ui.prompt.hidden = removed || (phase === "discover" && Boolean(interviews.myPair()));
    ui.lobby.hidden = removed || phase !== "lobby";
    ui.closed.hidden = removed || phase !== "closed";
    ui.compose.hidden = removed || !kind;
    ui.feedSection.hidden = removed || !kind;
    interviews.applyVisibility();
    if (phase !== drafts.phase()) {
      const first = drafts.phase() === null;
      drafts.setPhase(phase);
      compose.loadDraftFor(phase);
      if (!first) {
        clearError();
        compose.clearFormError();
        say(_("Now: %(phase)s", { phase: phaseLabel(phase) }));
      }
    }
  };
}
