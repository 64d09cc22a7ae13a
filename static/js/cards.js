// Pieces of the live pages that the board and the participant page share:
// phase names, prompts, and the parts of a contribution card.

import { el, replace } from "./dom.js";
import { _, locale, ngettext, promptText } from "./i18n.js";

/** Native language names, read from the page's language switcher. */
const LANGUAGE_NAMES = (() => {
  const names = {};
  for (const link of document.querySelectorAll(".lang-switcher a[hreflang], .screen-langs a[hreflang]")) {
    names[link.getAttribute("hreflang")] = link.getAttribute("title") || link.textContent.trim();
  }
  return names;
})();

/** Phase labels as the server rendered them (elements with data-phase-label). */
export function phaseLabels() {
  const labels = {};
  for (const node of document.querySelectorAll("[data-phase-label]")) {
    labels[node.dataset.phaseLabel] = node.textContent.trim();
  }
  return labels;
}

/** The question each phase asks (the 4-D cycle). */
export function phaseQuestion(phase) {
  switch (phase) {
    case "lobby":
      return _("Welcome");
    case "discover":
      return _("The best of what is");
    case "dream":
      return _("What might be");
    case "design":
      return _("What should be");
    case "deliver":
      return _("What will be");
    case "closed":
      return _("Thank you");
    default:
      return "";
  }
}

// What each container shows: pages call renderPrompts on every state update,
// and redrawing the same prompts would lose a reader's place in them.
const shownPrompts = new WeakMap();

/** A workshop's prompts of one phase as this page shows them: `[{text, lang}]`. */
export function phasePrompts(workshop, phase) {
  const entries = ((workshop && workshop.prompts) || {})[phase];
  const fallback = workshop ? workshop.language : null;
  return (Array.isArray(entries) ? entries : [])
    .map((entry) => promptText(entry, fallback))
    .filter((prompt) => prompt.text);
}

/** An element for a prompt, marked with its language when it is not the page's. */
export function promptElement(tag, prompt) {
  return el(tag, { text: prompt.text, lang: prompt.lang && prompt.lang !== locale ? prompt.lang : null });
}

/**
 * Fill `container` with the prompts of `phase` of `workshop` (the interview
 * questions as a numbered list), unless it shows them already.
 */
export function renderPrompts(container, phase, workshop) {
  const prompts = phasePrompts(workshop, phase);
  const signature = JSON.stringify([phase, prompts]);
  if (shownPrompts.get(container) === signature) return;
  shownPrompts.set(container, signature);
  if (!prompts.length) {
    replace(container);
    return;
  }
  if (phase === "discover") {
    replace(container, el("ol", {}, prompts.map((prompt) => promptElement("li", prompt))));
  } else {
    replace(container, prompts.map((prompt) => promptElement("p", prompt)));
  }
}

/** The name of a kind of contribution. */
export function kindLabel(kind) {
  switch (kind) {
    case "story":
      return _("Story");
    case "dream":
      return _("Dream");
    case "proposition":
      return _("Provocative proposition");
    case "commitment":
      return _("Commitment");
    default:
      return kind;
  }
}

/** The small tag naming a contribution's language. */
export function languageTag(code) {
  if (!code) return null;
  const name = LANGUAGE_NAMES[code] || code;
  return el(
    "span",
    { class: "tag", lang: code, title: name },
    el("span", { "aria-hidden": "true", text: code }),
    el("span", { class: "visually-hidden", text: name }),
  );
}

/** Who wrote it: the name where the author chose to sign, else "Anonymous". */
export function authorLine(item) {
  if (item.author) {
    const parts = [el("span", { class: "author", text: item.author })];
    const where = [item.organisation, item.region].filter(Boolean).join(", ");
    if (where) parts.push(el("span", { text: where }));
    return parts;
  }
  return [el("span", { text: _("Anonymous") })];
}

/** The meta line of a card: author, language, consent and moderation markers. */
export function cardMeta(item, extra = []) {
  return el(
    "div",
    { class: "card__meta" },
    authorLine(item),
    languageTag(item.language),
    item.consent === "private"
      ? el("span", {
          class: "badge badge--private",
          title: _("Seen only in this session, never published"),
          text: _("Not for publication"),
        })
      : null,
    item.hidden ? el("span", { class: "badge badge--hidden", text: _("Hidden") }) : null,
    item.approved === false
      ? el("span", {
          class: "badge badge--pending",
          title: _("The facilitator lets it reach the room after a look"),
          text: _("Waiting for approval"),
        })
      : null,
    item.edited
      ? el("span", {
          class: "badge badge--edited",
          title: _("The facilitator corrected this text"),
          text: _("edited"),
        })
      : null,
    item.interview
      ? el("span", { class: "badge", title: _("Recorded by an interview partner"), text: _("Interview") })
      : null,
    extra,
  );
}

/** The title (stories) and text of a contribution, marked with its language. */
export function cardBody(item) {
  return [
    item.title ? el("p", { class: "card__title", lang: item.language || null, text: item.title }) : null,
    el("p", { class: "card__text", lang: item.language || null, text: item.text }),
  ];
}

/** "3 votes"; votes kept secret until revealed (null) show as such. */
export function votesText(n) {
  if (typeof n !== "number") return _("Votes hidden");
  return ngettext("%(num)s vote", "%(num)s votes", n);
}

/** True when the room does not see the vote counts of `items` (they are null). */
export function votesSecret(items) {
  return items.some((item) => typeof item.votes !== "number");
}

/** The life-giving factors of a story ("What made it possible?"), if noted. */
export function factorsBlock(item) {
  if (!item.factors) return null;
  return el(
    "p",
    { class: "card__factors" },
    el("span", { class: "card__factors-label", text: _("What made it possible:") }),
    " ",
    el("span", { lang: item.language || null, text: item.factors }),
  );
}

/** Ranking: most votes first, then the earliest. */
export function byVotes(a, b) {
  return (b.votes || 0) - (a.votes || 0) || a.id - b.id;
}

/** Newest first. */
export function newestFirst(a, b) {
  return b.id - a.id;
}
