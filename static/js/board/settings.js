// The board's room settings: names on the room's screens, secret vote
// counts and their reveal, votes per participant.

import { byId, setText } from "../dom.js";
import { _, ngettext } from "../i18n.js";

const VOTING_PHASES = new Set(["dream", "design"]);

/** Wire the room settings; returns their redraw(type). */
export function initSettings({ session, act, say, showError }) {
  const ui = {
    showNames: byId("set-show-names"),
    hideVotes: byId("set-hide-votes"),
    reveal: byId("set-reveal"),
    votesStatus: byId("votes-status"),
    votesForm: byId("set-votes-form"),
    votes: byId("set-votes"),
  };
  let busy = false;

  function draw() {
    const workshop = session.state ? session.state.workshop : null;
    const offline = !session.connected || !workshop;
    for (const control of [ui.showNames, ui.hideVotes, ui.votes, ...ui.votesForm.querySelectorAll("button")]) {
      control.disabled = busy || offline;
    }
    if (!workshop) return;
    if (!busy) {
      // While a change is on its way, the boxes keep what the facilitator ticked.
      ui.showNames.checked = Boolean(workshop.show_names);
      ui.hideVotes.checked = Boolean(workshop.hide_vote_counts);
    }
    const secret = workshop.hide_vote_counts && !workshop.votes_revealed;
    // Only Dream and Design are voted on: there is nothing to reveal elsewhere.
    ui.reveal.hidden = !secret || !VOTING_PHASES.has(workshop.phase);
    ui.reveal.disabled = busy || offline;
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
  ui.reveal.addEventListener("click", async () => {
    await change({ votes_revealed: true }, _("Votes revealed."));
    ui.hideVotes.focus();
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
