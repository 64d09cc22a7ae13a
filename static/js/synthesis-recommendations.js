// The synthesis board's recommendations: numbered, each with its common themes and its evidence.
//
// Coordinators write and edit them in a form whose draft lives here until it
// is saved, so the live updates of the board (another coordinator's change,
// a new story in a running workshop) never take what is being typed: the
// form's lists of themes and evidence are redrawn from the synthesis, its
// choices kept. Evidence is any story, proposition, commitment or dream of
// the programme's workshops that may be published, each shown with where it
// comes from and in which language.

import { el, redrawNeeded, setText } from "./dom.js";
import { _, ngettext } from "./i18n.js";

const SNIPPET = 140;

function snippet(item) {
  const text = item.title ? `${item.title}: ${item.text}` : item.text;
  return text.length <= SNIPPET ? text : `${text.slice(0, SNIPPET - 1).trimEnd()}…`;
}

function regionsText(n) {
  return ngettext("Evidence from %(num)s region", "Evidence from %(num)s regions", n);
}

/**
 * @param {{canEdit: boolean, act: Function, say: Function, showError: Function,
 *   getState: () => object, origin: Function, kindLabel: Function, regionName: Function}} board
 */
export function initRecommendations(board) {
  const list = document.getElementById("recommendation-list");
  const empty = document.getElementById("recommendations-empty");
  const newBox = document.getElementById("recommendation-new");
  const newForm = document.getElementById("recommendation-new-form");
  /** Drafts by key ("new" or a recommendation's id): what the form holds until saved. */
  const drafts = new Map();
  /** Forms by key, kept across redraws. */
  const forms = new Map();

  function state() {
    return board.getState();
  }

  function candidates() {
    const s = state();
    return [...s.stories, ...s.propositions, ...s.commitments, ...s.dreams];
  }

  // ----- the form -----

  function draftFor(key, recommendation) {
    if (!drafts.has(key)) {
      drafts.set(key, {
        title: recommendation ? recommendation.title : "",
        text: recommendation ? recommendation.text : "",
        themes: new Set(recommendation ? recommendation.programme_theme_ids : []),
        evidence: recommendation ? [...recommendation.evidence_ids] : [],
        filter: "",
      });
    }
    return drafts.get(key);
  }

  function formFor(key, recommendation) {
    let form = forms.get(key);
    if (form) return form;
    const draft = draftFor(key, recommendation);
    const prefix = `rec-${key}`;
    const title = el("input", {
      type: "text",
      id: `${prefix}-title`,
      maxlength: 200,
      autocomplete: "off",
      required: true,
      value: draft.title,
      on: { input: (event) => (draft.title = event.target.value) },
    });
    const text = el("textarea", {
      id: `${prefix}-text`,
      rows: 5,
      maxlength: 10000,
      required: true,
      value: draft.text,
      on: { input: (event) => (draft.text = event.target.value) },
    });
    const themes = el("div", { class: "checks" });
    const filter = el("input", {
      type: "search",
      id: `${prefix}-filter`,
      autocomplete: "off",
      value: draft.filter,
      on: {
        input: (event) => {
          draft.filter = event.target.value;
          filterEvidence(form, draft);
        },
      },
    });
    const chosen = el("p", { class: "hint", "aria-live": "polite" });
    const evidence = el("ul", { class: "evidence-picker" });
    const saveButton = el("button", { type: "submit", class: "btn btn--primary", text: _("Save recommendation") });
    form = el(
      "form",
      { class: "form recommendation-form", novalidate: true, dataset: { key } },
      el("div", { class: "field" }, el("label", { for: title.id, text: _("Title") }), title),
      el("div", { class: "field" }, el("label", { for: text.id, text: _("Text") }), text),
      el("fieldset", { class: "field" }, el("legend", { text: _("Common themes") }), themes),
      el(
        "fieldset",
        { class: "field" },
        el("legend", { text: _("Evidence") }),
        el("p", { class: "hint", text: _("Stories, propositions, commitments and dreams of the programme's workshops that may be published.") }),
        el("label", { for: filter.id, text: _("Find evidence") }),
        filter,
        chosen,
        evidence,
      ),
      el(
        "div",
        { class: "btn-row" },
        saveButton,
        el("button", {
          type: "button",
          class: "btn btn--quiet",
          text: _("Cancel"),
          on: { click: () => close(key) },
        }),
      ),
    );
    form.parts = { themes, evidence, chosen, title, text };
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close(key);
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(key);
    });
    forms.set(key, form);
    return form;
  }

  function filterEvidence(form, draft) {
    const words = draft.filter.trim().toLowerCase();
    for (const item of form.parts.evidence.children) {
      item.hidden = Boolean(words) && !item.dataset.search.includes(words) && !item.querySelector("input").checked;
    }
  }

  /** Redraw a form's lists from the synthesis, keeping the draft's choices. */
  function fillForm(form, key) {
    const draft = drafts.get(key);
    const s = state();
    const { themes, evidence, chosen } = form.parts;
    const themeSignature = JSON.stringify([s.programme_themes.map((t) => [t.id, t.name]), [...draft.themes]]);
    if (redrawNeeded(themes, themeSignature)) {
      themes.replaceChildren(
        ...(s.programme_themes.length
          ? s.programme_themes.map((theme) => {
              const id = `rec-${key}-theme-${theme.id}`;
              return el(
                "div",
                { class: "check" },
                el("input", {
                  type: "checkbox",
                  id,
                  checked: draft.themes.has(theme.id),
                  on: {
                    change: (event) => {
                      if (event.target.checked) draft.themes.add(theme.id);
                      else draft.themes.delete(theme.id);
                    },
                  },
                }),
                el("label", { for: id, text: theme.name }),
              );
            })
          : [el("p", { class: "empty", text: _("No common themes yet.") })]),
      );
    }
    const items = candidates();
    // What was chosen and may no longer be published drops out of the draft too.
    const available = new Set(items.map((item) => item.id));
    draft.evidence = draft.evidence.filter((id) => available.has(id));
    const evidenceSignature = JSON.stringify(items.map((i) => [i.id, i.text, i.title, i.author]));
    if (redrawNeeded(evidence, evidenceSignature)) {
      evidence.replaceChildren(
        ...items.map((item) => {
          const id = `rec-${key}-evidence-${item.id}`;
          const label = el(
            "label",
            { for: id },
            el("span", { class: "evidence__kind", text: board.kindLabel(item.kind) }),
            " ",
            el("span", { lang: item.language, text: snippet(item) }),
            " ",
            board.origin(item),
          );
          return el(
            "li",
            { dataset: { search: `${item.title} ${item.text} ${board.regionName(item.region_id)}`.toLowerCase() } },
            el("input", {
              type: "checkbox",
              id,
              value: String(item.id),
              on: {
                change: (event) => {
                  if (event.target.checked) {
                    if (!draft.evidence.includes(item.id)) draft.evidence.push(item.id);
                  } else {
                    draft.evidence = draft.evidence.filter((other) => other !== item.id);
                  }
                  setText(chosen, chosenText(draft));
                },
              },
            }),
            label,
          );
        }),
      );
    }
    for (const input of evidence.querySelectorAll("input")) input.checked = draft.evidence.includes(Number(input.value));
    setText(chosen, chosenText(draft));
    filterEvidence(form, draft);
  }

  function chosenText(draft) {
    return ngettext("%(num)s piece of evidence chosen.", "%(num)s pieces of evidence chosen.", draft.evidence.length);
  }

  function close(key) {
    drafts.delete(key);
    const form = forms.get(key);
    forms.delete(key);
    if (key === "new") {
      newBox.open = false;
      newForm.replaceChildren();
      newBox.querySelector("summary").focus();
      return;
    }
    if (form) form.remove();
    render();
    document.querySelector(`[data-key="r:${key}"] [data-focus-key="edit"]`)?.focus();
  }

  async function save(key) {
    const draft = drafts.get(key);
    const form = forms.get(key);
    const title = draft.title.trim();
    const text = draft.text.trim();
    if (!title) {
      board.showError(_("Give the recommendation a title."));
      form.parts.title.focus();
      return;
    }
    if (!text) {
      board.showError(_("Write the recommendation's text."));
      form.parts.text.focus();
      return;
    }
    const payload = {
      title,
      text,
      programme_theme_ids: [...draft.themes].filter((id) => state().programme_themes.some((t) => t.id === id)),
      evidence_ids: draft.evidence,
    };
    const ack =
      key === "new"
        ? await board.act("recommendation_create", payload)
        : await board.act("recommendation_update", { recommendation_id: Number(key), ...payload });
    if (!ack.ok) return;
    board.say(key === "new" ? _("Recommendation added: %(title)s", { title }) : _("Recommendation saved: %(title)s", { title }));
    close(key);
  }

  // ----- the list -----

  async function move(recommendation, number) {
    const ack = await board.act("recommendation_update", { recommendation_id: recommendation.id, number });
    if (ack.ok) {
      board.say(_("“%(title)s” is now number %(number)s.", { title: recommendation.title, number }));
      const target = document.querySelector(`[data-key="r:${recommendation.id}"] [data-focus-key="${number === 1 ? "down" : "up"}"]`);
      target?.focus();
    }
  }

  async function remove(recommendation) {
    const question = _("Delete the recommendation “%(title)s”? The ones after it move up a number.", { title: recommendation.title });
    if (!window.confirm(question)) return;
    const ack = await board.act("recommendation_delete", { recommendation_id: recommendation.id });
    if (ack.ok) board.say(_("Recommendation deleted: %(title)s", { title: recommendation.title }));
  }

  function evidenceItem(item) {
    return el(
      "li",
      { class: "evidence" },
      el("span", { class: "evidence__kind", text: board.kindLabel(item.kind) }),
      " ",
      item.title ? el("strong", { lang: item.language, text: `${item.title}: ` }) : null,
      el("span", { lang: item.language, text: item.text }),
      " ",
      item.author ? el("span", { class: "author", text: `— ${item.author}` }) : null,
      " ",
      board.origin(item),
    );
  }

  function entry(recommendation, count) {
    const s = state();
    const key = String(recommendation.id);
    const titleId = `rec-title-${recommendation.id}`;
    const names = recommendation.programme_theme_ids
      .map((id) => s.programme_themes.find((t) => t.id === id))
      .filter(Boolean)
      .map((t) => el("span", { class: "badge", text: t.name }));
    const node = el(
      "li",
      { class: "recommendation panel", "aria-labelledby": titleId, dataset: { key: `r:${recommendation.id}` } },
      el(
        "h3",
        { id: titleId },
        el("span", { class: "recommendation__number", text: `${recommendation.number}.` }),
        " ",
        recommendation.title,
      ),
      el("p", { class: "recommendation__text", text: recommendation.text }),
      names.length ? el("p", { class: "recommendation__themes" }, el("span", { class: "label", text: `${_("Common themes")}: ` }), names) : null,
      el("p", {}, el("span", { class: "badge badge--span", text: regionsText(recommendation.regions) })),
      recommendation.evidence.length
        ? el("ul", { class: "evidence-list" }, recommendation.evidence.map(evidenceItem))
        : el("p", { class: "empty", text: _("No evidence linked yet.") }),
    );
    if (!board.canEdit) return node;
    if (forms.has(key)) {
      const form = forms.get(key);
      fillForm(form, key);
      node.append(form);
      return node;
    }
    const tools = el(
      "div",
      { class: "btn-row" },
      el("button", {
        type: "button",
        class: "btn btn--small",
        "aria-describedby": titleId,
        dataset: { focusKey: "edit" },
        text: _("Edit"),
        on: {
          click: () => {
            const form = formFor(key, recommendation);
            render();
            form.parts.title.focus();
          },
        },
      }),
      el("button", {
        type: "button",
        class: "btn btn--quiet btn--small",
        "aria-describedby": titleId,
        dataset: { focusKey: "up" },
        disabled: recommendation.number === 1,
        text: _("Move up"),
        on: { click: () => move(recommendation, recommendation.number - 1) },
      }),
      el("button", {
        type: "button",
        class: "btn btn--quiet btn--small",
        "aria-describedby": titleId,
        dataset: { focusKey: "down" },
        disabled: recommendation.number === count,
        text: _("Move down"),
        on: { click: () => move(recommendation, recommendation.number + 1) },
      }),
      el("button", {
        type: "button",
        class: "btn btn--quiet btn--small btn--danger",
        "aria-describedby": titleId,
        dataset: { focusKey: "delete" },
        text: _("Delete"),
        on: { click: () => remove(recommendation) },
      }),
    );
    node.append(tools);
    return node;
  }

  function render() {
    const s = state();
    if (!s) return;
    // Forms of recommendations deleted meanwhile go too.
    for (const key of Array.from(forms.keys())) {
      if (key !== "new" && !s.recommendations.some((r) => String(r.id) === key)) {
        forms.delete(key);
        drafts.delete(key);
      }
    }
    const active = document.activeElement;
    const keep = active && list.contains(active) && active.closest("form") ? active : null;
    const signature = JSON.stringify([s.recommendations, s.programme_themes.map((t) => [t.id, t.name]), [...forms.keys()]]);
    if (redrawNeeded(list, signature)) {
      const count = s.recommendations.length;
      list.replaceChildren(...s.recommendations.map((r) => entry(r, count)));
    } else {
      for (const [key, form] of forms) if (key !== "new") fillForm(form, key);
    }
    if (keep && keep.isConnected && document.activeElement !== keep) keep.focus({ preventScroll: true });
    empty.hidden = s.recommendations.length > 0;
    if (newBox && newBox.open) {
      const form = formFor("new", null);
      if (!newForm.contains(form)) newForm.replaceChildren(form);
      fillForm(form, "new");
    }
  }

  if (newBox) {
    newBox.addEventListener("toggle", () => {
      if (newBox.open && state()) {
        render();
        forms.get("new")?.parts.title.focus();
      }
    });
  }

  return { render };
}
