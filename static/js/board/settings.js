// The board's room settings: names on the room's screens, secret vote
// counts and their reveal (beside the ranked lists), votes for one's own,
// pre-moderation, keeping the timer across phases, votes per participant.

import { byId, setText } from "../dom.js";
import { _, ngettext } from "../i18n.js";

const VOTING_PHASES = new Set(["dream", "design"]);

/** Wire the room settings; returns their redraw(type). */
export function initSettings({ session, act, say, showError }) {
  const ui = {
    showNames: byId("set-show-names"),
    hideVotes: byId("set-hide-votes"),
    selfVotes: byId("set-self-votes"),
    premoderation: byId("set-premoderation"),
    keepTimer: byId("set-keep-timer"),
    reveal: Array.from(document.querySelectorAll("[data-reveal]")),
    votesStatus: byId("votes-status"),
    votesForm: byId("set-votes-form"),
    votes: byId("set-votes"),
  };
  let busy = false;

  function draw() {
    const workshop = session.state ? session.state.workshop : null;
    const offline = !session.connected || !workshop;
    const boxes = [ui.showNames, ui.hideVotes, ui.selfVotes, ui.premoderation, ui.keepTimer];
    for (const control of [...boxes, ui.votes, ...ui.votesForm.querySelectorAll("button")]) {
      control.disabled = busy || offline;
    }
    if (!workshop) return;
    if (!busy) {
      // While a change is on its way, the boxes keep what the facilitator ticked.
      ui.showNames.checked = Boolean(workshop.show_names);
      ui.hideVotes.checked = Boolean(workshop.hide_vote_counts);
      ui.selfVotes.checked = Boolean(workshop.self_votes);
      ui.premoderation.checked = Boolean(workshop.premoderation);
      ui.keepTimer.checked = Boolean(workshop.keep_timer);
    }
    const secret = workshop.hide_vote_counts && !workshop.votes_revealed;
    // Only Dream and Design are voted on: there is nothing to reveal elsewhere.
    for (const button of ui.reveal) {
      button.hidden = !secret || !VOTING_PHASES.has(workshop.phase);
      button.disabled = busy || offline;
    }
    setText(
      ui.votesStatus,
      !workshop.hide_vote_counts
        ? _("The room sees the vote counts live.")
        : secret
          ? _("The room does not see the vote counts of this round.")
          : _("Vote counts are revealed to the room."),
    );
    if (document.activeElement !== ui.votes) ui.votes.value = String(workshop.votes_per_participant);
  }

  async function change(payload, done, revert) {
    busy = true;
    draw();
    const ack = await act("settings", payload);
    busy = false;
    if (ack.ok) {
      // The room's `workshop` event confirms it; until then the state follows the ack.
      if (session.state) Object.assign(session.state.workshop, payload);
      say(done);
    } else if (revert) revert();
    draw();
  }

  ui.showNames.addEventListener("change", () => {
    const on = ui.showNames.checked;
    change(
      { show_names: on },
      on ? _("Names are shown on phones and the projector.") : _("Names are hidden on phones and the projector."),
    );
  });
  ui.hideVotes.addEventListener("change", () => {
    const on = ui.hideVotes.checked;
    change(
      { hide_vote_counts: on },
      on ? _("Vote counts are hidden until you reveal them.") : _("Vote counts are shown live."),
    );
  });
  for (const button of ui.reveal) {
    button.addEventListener("click", async () => {
      await change({ votes_revealed: true }, _("Votes revealed."));
      // The notice goes with the secret: the list it revealed is next.
      const list = button.closest("[data-view-panel]")?.querySelector(".ranked");
      if (list) {
        list.setAttribute("tabindex", "-1");
        list.focus();
      }
    });
  }
  ui.selfVotes.addEventListener("change", () => {
    const on = ui.selfVotes.checked;
    change(
      { self_votes: on },
      on ? _("Participants may vote for their own contributions.") : _("Participants vote for what others wrote."),
    );
  });
  ui.premoderation.addEventListener("change", () => {
    const on = ui.premoderation.checked;
    change(
      { premoderation: on },
      on
        ? _("New contributions wait for your approval.")
        : _("New contributions reach the room at once. Those waiting still need your approval."),
    );
  });
  ui.keepTimer.addEventListener("change", () => {
    const on = ui.keepTimer.checked;
    change(
      { keep_timer: on },
      on ? _("The timer keeps running when the phase changes.") : _("A phase change stops the timer."),
    );
  });
  ui.votesForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const votes = Number(ui.votes.value);
    if (!Number.isInteger(votes) || votes < 1 || votes > 20) {
      ui.votes.setAttribute("aria-invalid", "true");
      showError(_("Enter a number of votes from 1 to 20."));
      ui.votes.focus();
      return;
    }
    ui.votes.removeAttribute("aria-invalid");
    change(
      { votes_per_participant: votes },
      ngettext("Each participant has %(num)s vote.", "Each participant has %(num)s votes.", votes),
    );
  });
  return (type) => {
    if (["init", "snapshot", "workshop", "phase", "status"].includes(type)) draw();
  };
}
