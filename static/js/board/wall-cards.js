// The cards of the board's wall: a story, a ranked dream or proposition,
// a commitment's table row. Each carries its moderation controls.

import { cardMeta, votesText } from "../cards.js";
import { el } from "../dom.js";
import { _, formatDate } from "../i18n.js";

/** Returns `{storyCard, rankedCard, commitmentRow}`, each `(item, previous, ...)` for `reconcile`. */
export function initWallCards({ session }, { moderation, grouping }) {
  const { hideButton, editButton, approveButton, languageSelect, bodyOrEditor, isEditing } = moderation;

  /** Markers only the facilitator needs: it arrived after its phase. */
  function boardMeta(item) {
    return cardMeta(item, [
      item.late
        ? el("span", {
            class: "badge badge--late",
            title: _("Written while its phase was open, received after the workshop moved on"),
            text: _("Late"),
          })
        : null,
    ]);
  }

  /** Approve, correct, tag, hide: the same tools on every card. */
  function tools(item, textId, ...first) {
    return el(
      "div",
      { class: "card__actions" },
      approveButton(item, textId),
      first,
      isEditing(item.id) ? null : editButton(item, textId),
      languageSelect(item, textId),
      hideButton(item, textId),
    );
  }

  function themesSignature() {
    return session.themes().map((t) => [t.id, t.name]);
  }

  function cardShell(tag, item, signature, ...children) {
    return el(
      tag,
      { class: `card${item.hidden ? " card--hidden" : ""}`, dataset: { signature } },
      ...children,
    );
  }

  function storyCard(item, previous) {
    const signature = JSON.stringify([item, themesSignature(), isEditing(item.id)]);
    if (previous && previous.dataset.signature === signature) return previous;
    const { parts, shown } = bodyOrEditor(item);
    const card = cardShell(
      "li",
      item,
      signature,
      shown,
      boardMeta(item),
      tools(item, parts[1].id, grouping.themeSelect(item, _("Theme"), _("Not grouped"))),
    );
    card.classList.add("card--draggable");
    return card;
  }

  function rankedCard(item, previous, max) {
    const signature = JSON.stringify([
      item,
      max,
      item.kind === "proposition" ? themesSignature() : 0,
      isEditing(item.id),
    ]);
    if (previous && previous.dataset.signature === signature) return previous;
    const { parts, shown } = bodyOrEditor(item);
    const share = max > 0 ? Math.round(((item.votes || 0) / max) * 100) : 0;
    const fill = el("div", { class: "votebar__fill" });
    fill.style.width = `${share}%`;
    return cardShell(
      "li",
      item,
      signature,
      shown,
      el(
        "div",
        { class: "votebar" },
        el("div", { class: "votebar__track", "aria-hidden": "true" }, fill),
        el("span", { class: "votebar__count", text: votesText(item.votes) }),
      ),
      boardMeta(item),
      tools(
        item,
        parts[1].id,
        item.kind === "proposition" ? grouping.themeSelect(item, _("Builds on theme"), _("No theme")) : null,
      ),
    );
  }

  function commitmentRow(item, previous) {
    const proposition = item.proposition_id ? session.state.contributions.get(item.proposition_id) : null;
    const signature = JSON.stringify([item, proposition ? proposition.text : null, isEditing(item.id)]);
    if (previous && previous.dataset.signature === signature) return previous;
    const { parts, shown } = bodyOrEditor(item);
    return el(
      "tr",
      { class: item.hidden ? "is-hidden" : null, dataset: { signature } },
      el("td", { "data-label": _("What") }, el("div", {}, shown, boardMeta(item))),
      el("td", { "data-label": _("Who"), text: [item.owner, item.owner_organisation].filter(Boolean).join(", ") || "—" }),
      el(
        "td",
        { "data-label": _("By when") },
        item.due ? el("time", { datetime: item.due, text: formatDate(item.due) }) : "—",
      ),
      el(
        "td",
        { "data-label": _("Proposition") },
        el("span", { lang: proposition ? proposition.language : null, text: proposition ? proposition.text : "—" }),
      ),
      el("td", {}, tools(item, parts[1].id)),
    );
  }

  return { storyCard, rankedCard, commitmentRow };
}
