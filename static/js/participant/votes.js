// Dot votes on the phone: give or withdraw a vote on a dream or proposition.

import { el } from "../dom.js";
import { _ } from "../i18n.js";

/** Returns `{voteButton(item, textId, votesLeft), isBusy(id)}`. */
export function initVotes(ctx) {
  const { session, clearError, showError, say } = ctx;
  const inFlight = new Set();

  async function toggle(item) {
    if (inFlight.has(item.id)) return;
    clearError();
    const voting = !session.voted.has(item.id);
    inFlight.add(item.id);
    ctx.render();
    const ack = await session.request(voting ? "vote" : "unvote", { contribution_id: item.id });
    inFlight.delete(item.id);
    if (ack.ok) {
      session.applyVote(item.id, voting, ack);
      say(voting ? _("Vote given.") : _("Vote withdrawn."));
    } else {
      if (ack.error === "already_voted") session.applyVote(item.id, true, {});
      if (ack.error === "not_voted") session.applyVote(item.id, false, {});
      showError(ack.message);
    }
    ctx.render();
  }

  function voteButton(item, textId, votesLeft) {
    const voted = session.voted.has(item.id);
    return el("button", {
      type: "button",
      class: "btn btn--small vote-btn",
      "aria-pressed": voted ? "true" : "false",
      "aria-describedby": textId,
      disabled: inFlight.has(item.id) || (!voted && votesLeft === 0),
      dataset: { focusKey: "vote" },
      text: _("Vote"),
      on: { click: () => toggle(item) },
    });
  }

  return { voteButton, isBusy: (id) => inFlight.has(id) };
}
