// One theme of the positive core on the board: its name, its stories, and
// its controls (rename, merge into another theme, delete).

import { newestFirst } from "../cards.js";
import { el, reconcile, setText } from "../dom.js";
import { _, ngettext } from "../i18n.js";
import { wireRenameForm } from "../rename-form.js";

/**
 * Returns `{themeBox, forgetGone}`: `themeBox(theme, previous)` renders a
 * theme for `reconcile`, reusing `previous`; `storyCard` renders its cards.
 */
export function initThemeBoxes(ctx, { grouping, drag, storyCard }) {
  const { session, act, say, showError } = ctx;
  /** Themes whose rename form is open. */
  const renaming = new Set();

  function build(theme) {
    const titleId = `theme-title-${theme.id}`;
    const formId = `theme-rename-${theme.id}`;
    const inputId = `theme-rename-input-${theme.id}`;
    const heading = el("h4", { id: titleId });
    const count = el("span", { class: "badge" });
    const renameButton = el("button", {
      type: "button",
      class: "btn btn--quiet btn--small",
      "aria-expanded": "false",
      "aria-controls": formId,
      "aria-describedby": titleId,
      dataset: { focusKey: "rename" },
      text: _("Rename"),
    });
    const input = el("input", {
      type: "text",
      id: inputId,
      maxlength: 120,
      autocomplete: "off",
      required: true,
      dataset: { focusKey: "rename-input" },
    });
    const form = el(
      "form",
      { class: "inline-form", id: formId, hidden: true },
      el("div", { class: "field" }, el("label", { for: inputId, text: _("New name") }), input),
      el("button", { type: "submit", class: "btn btn--primary btn--small", text: _("Save") }),
      el("button", {
        type: "button",
        class: "btn btn--quiet btn--small",
        text: _("Cancel"),
        dataset: { action: "cancel" },
      }),
    );
    const cards = el("ul", { class: "theme-box__cards", dataset: { themeId: String(theme.id) } });
    const empty = el("p", {
      class: "empty",
      text: _("Drag stories here, or choose this theme under a story."),
    });
    const grip = el("span", {
      class: "theme-grip",
      title: _("Drag onto another theme to merge"),
      "aria-hidden": "true",
    });
    const mergeId = `theme-merge-${theme.id}`;
    const mergeSelect = el("select", { id: mergeId, dataset: { focusKey: "merge-select" } });
    const mergeButton = el("button", {
      type: "button",
      class: "btn btn--quiet btn--small",
      "aria-describedby": titleId,
      dataset: { focusKey: "merge" },
      text: _("Merge"),
    });
    const deleteButton = el("button", {
      type: "button",
      class: "btn btn--quiet btn--small btn--danger",
      "aria-describedby": titleId,
      dataset: { focusKey: "delete" },
      text: _("Delete theme"),
    });
    const tools = el(
      "div",
      { class: "theme-box__tools" },
      el("div", { class: "assign" }, el("label", { for: mergeId, text: _("Merge into…") }), mergeSelect, mergeButton),
      deleteButton,
    );
    const box = el(
      "section",
      { class: "theme-box", "aria-labelledby": titleId, dataset: { themeId: String(theme.id) } },
      el("div", { class: "theme-box__head" }, grip, heading, count, renameButton),
      form,
      cards,
      empty,
      tools,
    );
    box.parts = { heading, count, renameButton, form, input, cards, empty, mergeSelect, mergeButton, deleteButton, tools };
    return box;
  }

  function wire(box, themeId) {
    const { renameButton, form, input, cards, mergeSelect, mergeButton, deleteButton } = box.parts;
    drag.makeStoryList(cards);
    mergeButton.addEventListener("click", async () => {
      const into = Number(mergeSelect.value);
      if (!into) {
        showError(_("Choose the theme to merge into."));
        mergeSelect.focus();
        return;
      }
      if (await grouping.mergeThemes(themeId, into)) {
        const target = document.getElementById(`theme-title-${into}`);
        const next = target && target.closest(".theme-box").querySelector("[data-focus-key='rename']");
        if (next) next.focus();
      }
    });
    deleteButton.addEventListener("click", () => grouping.deleteTheme(themeId));
    wireRenameForm({
      button: renameButton,
      form,
      input,
      currentName: () => session.state.themes.get(themeId)?.name,
      rename: (name) => act("theme_rename", { theme_id: themeId, name }),
      showError,
      say,
      onOpen: () => renaming.add(themeId),
      onClose: () => renaming.delete(themeId),
    });
  }

  /** The "Merge into…" list: every other theme, redrawn only when they change. */
  function updateMergeSelect(box, theme) {
    const { mergeSelect, mergeButton, tools } = box.parts;
    const others = session.themes().filter((t) => t.id !== theme.id);
    const signature = JSON.stringify(others.map((t) => [t.id, t.name]));
    if (mergeSelect.dataset.signature !== signature) {
      const chosen = mergeSelect.value;
      mergeSelect.replaceChildren(
        el("option", { value: "", text: _("Choose a theme") }),
        ...others.map((t) => el("option", { value: String(t.id), text: t.name })),
      );
      mergeSelect.value = others.some((t) => String(t.id) === chosen) ? chosen : "";
      mergeSelect.dataset.signature = signature;
    }
    tools.querySelector(".assign").hidden = others.length === 0;
    mergeButton.disabled = others.length === 0;
  }

  function themeBox(theme, previous) {
    let box = previous;
    if (!box) {
      box = build(theme);
      wire(box, theme.id);
    }
    const { heading, count, cards, empty } = box.parts;
    setText(heading, theme.name);
    updateMergeSelect(box, theme);
    const stories = session
      .contributions("story")
      .filter((c) => c.theme_id === theme.id)
      .sort(newestFirst);
    setText(count, ngettext("%(num)s story", "%(num)s stories", stories.length));
    reconcile(cards, stories, (c) => `c:${c.id}`, storyCard);
    empty.hidden = stories.length > 0;
    return box;
  }

  /** Forget rename forms of themes a new snapshot no longer holds. */
  function forgetGone() {
    for (const id of Array.from(renaming)) {
      if (!session.state.themes.has(id)) renaming.delete(id);
    }
  }

  return { themeBox, forgetGone };
}
