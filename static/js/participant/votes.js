// Dot votes on the phone: give or withdraw a vote on a dream or proposition.

import { el } from "../dom.js";
import { _ } from "../i18n.js";

/** The note that says why vote buttons are disabled (live.html). */
const NONE_LEFT_NOTE = "votes-none-left";

/** Returns `{voteControl(item, textId, votesLeft), signature(id)}`. */
export function initVotes(ctx) {
  const { session, clearError, say } = ctx;
  const inFlight = new Set();
  /** Refusals by contribution id, shown in that card's vote row. */
  const errors = new Map();

  async function toggle(item) {
    if (inFlight.has(item.id)) return;
    clearError();
    errors.delete(item.id);
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
      errors.set(item.id, ack.message || _("Something went wrong. Try again."));
    }
    ctx.render();
    if (!ack.ok) {
      // The refusal appears beside the button that was pressed: keep the focus there.
      const button = document.querySelector(`[data-key="c:${item.id}"] [data-focus-key="vote"]`);
      if (button) button.focus({ preventScroll: true });
    }
  }

  /** Whether this participant may vote for `item` at all (their own, unless allowed). */
  function ownAndBarred(item) {
    const workshop = session.state ? session.state.workshop : null;
    return session.mine.has(item.id) && !(workshop && workshop.self_votes) && !session.voted.has(item.id);
  }

  /** The vote button of a card, its refusal if any, or why there is none. */
  function voteControl(item, textId, votesLeft) {
    if (ownAndBarred(item)) return el("span", { class: "hint vote-own", text: _("Your own: the others vote on it.") });
    const voted = session.voted.has(item.id);
    const noneLeft = !voted && votesLeft === 0;
    const error = errors.get(item.id);
    const errorId = `vote-error-${item.id}`;
    return [
      el("button", {
        type: "button",
        class: `btn btn--small vote-btn${voted ? " vote-btn--voted" : ""}`,
        "aria-pressed": voted ? "true" : "false",
        "aria-describedby": [textId, noneLeft ? NONE_LEFT_NOTE : null, error ? errorId : null]
          .filter(Boolean)
          .join(" "),
        disabled: inFlight.has(item.id) || noneLeft,
        dataset: { focusKey: "vote" },
        text: voted ? _("Voted") : _("Vote"),
        on: { click: () => toggle(item) },
      }),
      error ? el("span", { class: "vote-error", id: errorId, role: "alert", text: error }) : null,
    ];
  }

  /** What a card's vote control depends on, for its render signature. */
  function signature(item) {
    return [inFlight.has(item.id), errors.get(item.id) || "", ownAndBarred(item)];
  }

  return { voteControl, signature };
}
