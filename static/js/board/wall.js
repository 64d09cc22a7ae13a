// The board's live wall: the phase and its prompts, the counts, and the four
// views (stories by theme, dreams, propositions, commitments).

import { byVotes, newestFirst, phaseQuestion, renderPrompts } from "../cards.js";
import { byId, focusMemo, reconcile, restoreFocus, setText } from "../dom.js";
import { _, formatNumber, ngettext } from "../i18n.js";
import { PHASE_KIND } from "../live.js";

const VIEWS = ["story", "dream", "proposition", "commitment"];

/**
 * Wire the view switch; returns `{render, showPhaseView}`. `render()` redraws
 * the header and the wall (not while something is being dragged).
 */
export function initWall(ctx, { cards, themeBoxes, drag }) {
  const { session, body, phaseLabel, act, say } = ctx;
  const ui = {
    title: byId("workshop-title"),
    topic: byId("workshop-topic"),
    phaseName: byId("phase-name"),
    promptTexts: byId("prompt-texts"),
    joined: byId("joined"),
    online: byId("online"),
    themes: byId("themes"),
    ungrouped: byId("ungrouped"),
    ungroupedEmpty: byId("ungrouped-empty"),
    ungroupedCount: byId("ungrouped-count"),
    waitingNote: byId("waiting-note"),
    waitingCount: byId("waiting-count"),
    approveAll: byId("approve-all"),
    dreams: byId("dreams"),
    dreamsEmpty: byId("dreams-empty"),
    propositions: byId("propositions"),
    propositionsEmpty: byId("propositions-empty"),
    commitments: byId("commitments"),
    commitmentsEmpty: byId("commitments-empty"),
    wall: document.querySelector(".board"),
  };
  const viewButtons = Array.from(document.querySelectorAll("[data-view]"));
  let view = PHASE_KIND[body.dataset.phase] || "story";

  function renderView() {
    for (const button of viewButtons) {
      button.setAttribute("aria-pressed", button.dataset.view === view ? "true" : "false");
    }
    for (const panel of document.querySelectorAll("[data-view-panel]")) {
      panel.hidden = panel.dataset.viewPanel !== view;
    }
  }

  /** Show the view of the kind `phase` collects (a phase change moves the wall along). */
  function showPhaseView(phase) {
    if (!PHASE_KIND[phase]) return;
    view = PHASE_KIND[phase];
    renderView();
  }

  for (const button of viewButtons) {
    button.addEventListener("click", () => {
      view = button.dataset.view;
      renderView();
    });
  }

  function renderHeader() {
    const workshop = session.state.workshop;
    setText(ui.title, workshop.title);
    setText(ui.topic, workshop.topic || "");
    ui.topic.hidden = !workshop.topic;
    const phase = workshop.phase;
    setText(ui.phaseName, `${phaseLabel(phase)} · ${phaseQuestion(phase)}`);
    renderPrompts(ui.promptTexts, phase, workshop);
    setText(ui.joined, formatNumber(session.state.presence.joined || 0));
    setText(ui.online, formatNumber(session.state.presence.online || 0));
  }

  function renderCounts() {
    for (const kind of VIEWS) {
      const node = document.querySelector(`[data-count="${kind}"]`);
      const visible = session.contributions(kind).filter((c) => !c.hidden).length;
      setText(node, `(${formatNumber(visible)})`);
    }
    // Pre-moderation: what waits for a look, above the wall whichever view is shown.
    const waiting = session.contributions().filter((c) => c.approved === false && !c.hidden).length;
    ui.waitingNote.hidden = waiting === 0;
    setText(
      ui.waitingCount,
      ngettext(
        "%(num)s contribution waits for your approval before the room sees it.",
        "%(num)s contributions wait for your approval before the room sees them.",
        waiting,
      ),
    );
  }

  ui.approveAll.addEventListener("click", async () => {
    ui.approveAll.disabled = true;
    const ack = await act("approve_all", {});
    ui.approveAll.disabled = false;
    if (ack.ok) {
      for (const item of session.contributions()) {
        if (item.approved === false) item.approved = true;
      }
      say(_("Approved: the room sees them."));
      render();
    }
  });

  function renderWall() {
    if (drag.isDragging()) return;
    const memo = focusMemo(ui.wall);
    reconcile(ui.themes, session.themes(), (t) => `t:${t.id}`, themeBoxes.themeBox);
    drag.dropRemovedLists();
    const ungrouped = session
      .contributions("story")
      .filter((c) => !c.theme_id || !session.state.themes.has(c.theme_id))
      .sort(newestFirst);
    reconcile(ui.ungrouped, ungrouped, (c) => `c:${c.id}`, cards.storyCard);
    ui.ungroupedEmpty.hidden = ungrouped.length > 0;
    setText(ui.ungroupedCount, ngettext("%(num)s story", "%(num)s stories", ungrouped.length));

    for (const [kind, list, empty] of [
      ["dream", ui.dreams, ui.dreamsEmpty],
      ["proposition", ui.propositions, ui.propositionsEmpty],
    ]) {
      const items = session.contributions(kind).sort(byVotes);
      const max = Math.max(0, ...items.map((c) => c.votes || 0));
      reconcile(list, items, (c) => `c:${c.id}`, (item, previous) => cards.rankedCard(item, previous, max));
      empty.hidden = items.length > 0;
    }

    // The room does not see the counts of the round being voted on, until revealed.
    const workshop = session.state.workshop;
    const secret = Boolean(workshop.hide_vote_counts && !workshop.votes_revealed);
    for (const note of document.querySelectorAll("[data-votes-secret]")) {
      const kind = note.closest("[data-view-panel]").dataset.viewPanel;
      note.hidden = !secret || PHASE_KIND[workshop.phase] !== kind;
    }

    const commitments = session.contributions("commitment").sort(newestFirst);
    reconcile(ui.commitments, commitments, (c) => `c:${c.id}`, cards.commitmentRow);
    ui.commitmentsEmpty.hidden = commitments.length > 0;
    restoreFocus(memo);
  }

  function render() {
    renderHeader();
    renderCounts();
    renderWall();
  }

  drag.makeStoryList(ui.ungrouped);
  drag.makeThemeList(ui.themes);
  renderView();
  return { render, showPhaseView };
}
