// The live feed on the phone: the current phase's contributions, newest
// first (ranked by votes while they are voted on), and the votes left.

import { byVotes, cardBody, cardMeta, factorsBlock, newestFirst, votesSecret, votesText } from "../cards.js";
import { byId, el, reconcile, setText } from "../dom.js";
import { _, formatDate, ngettext } from "../i18n.js";
import { PHASE_KIND } from "../live.js";
import { shorten } from "./compose.js";

/** How many cards the feed shows at first, and adds with each "Show more". */
export const FEED_PAGE = 30;

/**
 * Returns `render()`, which redraws the feed and the vote counters.
 *
 * The feed shows the first FEED_PAGE items (newest first, or the most voted
 * while votes run) and more on request: a room of thousands of stories
 * keeps a phone's page small, and each event redraws a few dozen cards.
 */
export function initFeed(ctx, { votes }) {
  const { session, currentPhase } = ctx;
  const ui = {
    feed: byId("feed"),
    feedEmpty: byId("feed-empty"),
    voteInfo: byId("vote-info"),
    votesLeft: byId("votes-left"),
    votesHiddenNote: byId("votes-hidden-note"),
    votesNoneLeft: byId("votes-none-left"),
    votesChip: byId("votes-chip"),
    timer: byId("timer"),
    moreRow: byId("feed-more-row"),
    more: byId("feed-more"),
    moreCount: byId("feed-more-count"),
  };
  let limit = FEED_PAGE;
  let limitKind = null;
  ui.more.addEventListener("click", () => {
    limit += FEED_PAGE;
    ctx.render();
  });

  function themeName(id) {
    const theme = id && session.state ? session.state.themes.get(id) : null;
    return theme ? theme.name : "";
  }

  function propositionText(id) {
    const item = id && session.state ? session.state.contributions.get(id) : null;
    return item ? item.text : "";
  }

  /** The facilitator hides the counts of this round (null counts arrive then). */
  function votesHiddenBySettings() {
    const workshop = session.state ? session.state.workshop : null;
    return Boolean(workshop && workshop.hide_vote_counts && !workshop.votes_revealed);
  }

  function commitmentDetails(item) {
    const rows = [];
    if (item.owner || item.owner_organisation) {
      const who = [item.owner, item.owner_organisation].filter(Boolean).join(", ");
      rows.push(el("li", { text: _("Who: %(owner)s", { owner: who }) }));
    }
    if (item.due) rows.push(el("li", { text: _("By when: %(date)s", { date: formatDate(item.due) }) }));
    const proposition = propositionText(item.proposition_id);
    if (proposition) rows.push(el("li", { text: _("Delivers: %(proposition)s", { proposition: shorten(proposition, 140) }) }));
    return rows.length ? el("ul", { class: "hint" }, rows) : null;
  }

  function feedCard(item, previous, votable, votesLeft) {
    const voted = session.voted.has(item.id);
    const mine = session.mine.has(item.id);
    const extra = [];
    if (item.kind === "proposition" && item.theme_id) {
      extra.push(el("span", { text: _("Builds on: %(theme)s", { theme: themeName(item.theme_id) }) }));
    }
    const signature = JSON.stringify([
      item,
      voted,
      votes.signature(item),
      mine,
      votable,
      votesLeft === 0,
      themeName(item.theme_id),
      propositionText(item.proposition_id),
    ]);
    if (previous && previous.dataset.signature === signature) return previous;
    const textId = `text-${item.id}`;
    const [title, text] = cardBody(item);
    text.id = textId;
    return el(
      "li",
      { class: `card${mine ? " card--mine" : ""}`, dataset: { signature } },
      title,
      text,
      factorsBlock(item),
      item.kind === "commitment" ? commitmentDetails(item) : null,
      cardMeta(item, [mine && item.approved !== false ? el("span", { class: "badge badge--ok", text: _("Sent") }) : null, extra]),
      votable && item.approved !== false
        ? el(
            "div",
            { class: "vote-row" },
            votes.voteControl(item, textId, votesLeft),
            el("span", { class: "votes", text: votesText(item.votes) }),
          )
        : null,
    );
  }

  return function render() {
    const kind = PHASE_KIND[currentPhase()];
    const votable = kind === "dream" || kind === "proposition";
    ui.votesChip.hidden = !votable || !session.state || session.removed;
    if (session.removed) ui.timer.hidden = true;
    if (!kind) return;
    if (kind !== limitKind) {
      limitKind = kind;
      limit = FEED_PAGE;
    }
    const votesLeft = votable && session.state && session.state.me ? session.state.me.votes_left[kind] ?? 0 : 0;
    const items = session.contributions(kind).sort(votable ? byVotes : newestFirst);
    const shown = items.slice(0, limit);
    reconcile(
      ui.feed,
      shown,
      (item) => `c:${item.id}`,
      (item, previous) => feedCard(item, previous, votable, votesLeft),
    );
    ui.feedEmpty.hidden = items.length > 0 || !session.state;
    const hiddenCount = items.length - shown.length;
    ui.moreRow.hidden = hiddenCount <= 0;
    if (hiddenCount > 0) {
      setText(ui.moreCount, ngettext("%(num)s more not shown.", "%(num)s more not shown.", hiddenCount));
    }
    ui.voteInfo.hidden = !votable || !session.state;
    if (votable) {
      setText(ui.votesLeft, ngettext("You have %(num)s vote left.", "You have %(num)s votes left.", votesLeft));
      setText(ui.votesChip, ngettext("%(num)s vote left", "%(num)s votes left", votesLeft));
      ui.votesHiddenNote.hidden = !votesSecret(items) && !votesHiddenBySettings();
    }
    ui.votesNoneLeft.hidden = !votable || votesLeft > 0 || !session.state;
  };
}
