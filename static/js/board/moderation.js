// Moderation on the board's cards: hide and show again, correct a typo.

import { cardBody, factorsBlock } from "../cards.js";
import { el } from "../dom.js";
import { _ } from "../i18n.js";

/**
 * Returns the pieces the wall's cards use: `hideButton`, `editButton`,
 * `bodyOrEditor`, `isEditing(id)`, and `forgetGone()` after a snapshot.
 */
export function initModeration(ctx) {
  const { session, act, say, showError } = ctx;
  /** Contributions being edited: id -> {title, text} as typed so far. */
  const editing = new Map();

  function hideButton(item, textId) {
    return el("button", {
      type: "button",
      class: "btn btn--quiet btn--small",
      "aria-describedby": textId,
      dataset: { focusKey: "hide" },
      text: item.hidden ? _("Unhide") : _("Hide"),
      on: {
        click: async () => {
          const hidden = !item.hidden;
          const ack = await act(hidden ? "hide" : "unhide", { contribution_id: item.id });
          if (ack.ok) {
            session.patchContribution(item.id, { hidden });
            say(hidden ? _("Hidden from participants.") : _("Shown again."));
          }
        },
      },
    });
  }

  function editButton(item, textId) {
    return el("button", {
      type: "button",
      class: "btn btn--quiet btn--small",
      "aria-describedby": textId,
      dataset: { focusKey: "edit" },
      text: _("Edit"),
      on: {
        click: () => {
          editing.set(item.id, { title: item.title || "", text: item.text || "" });
          ctx.render();
          const box = document.getElementById(`edit-text-${item.id}`);
          if (box) box.focus();
        },
      },
    });
  }

  function closeEdit(id) {
    editing.delete(id);
    ctx.render();
    const button = document.querySelector(`[data-key="c:${id}"] [data-focus-key="edit"]`);
    if (button) button.focus();
  }

  /** The inline form that corrects a contribution's text (and a story's title). */
  function editForm(item) {
    const draft = editing.get(item.id);
    const titleId = `edit-title-${item.id}`;
    const textId = `edit-text-${item.id}`;
    const form = el(
      "form",
      { class: "edit-form", novalidate: true },
      item.kind === "story"
        ? el(
            "div",
            { class: "field" },
            el("label", { for: titleId, text: _("Title") }),
            el("input", {
              type: "text",
              id: titleId,
              maxlength: 200,
              autocomplete: "off",
              value: draft.title,
              dataset: { focusKey: "edit-title" },
              on: { input: (event) => (draft.title = event.target.value) },
            }),
          )
        : null,
      el(
        "div",
        { class: "field" },
        el("label", { for: textId, text: _("Text") }),
        el("textarea", {
          id: textId,
          rows: 4,
          maxlength: 2000,
          required: true,
          value: draft.text,
          dataset: { focusKey: "edit-text" },
          on: { input: (event) => (draft.text = event.target.value) },
        }),
      ),
      el(
        "div",
        { class: "btn-row" },
        el("button", { type: "submit", class: "btn btn--primary btn--small", text: _("Save correction") }),
        el("button", {
          type: "button",
          class: "btn btn--quiet btn--small",
          text: _("Cancel"),
          on: { click: () => closeEdit(item.id) },
        }),
      ),
    );
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        closeEdit(item.id);
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = draft.text.trim();
      if (!text) {
        showError(_("The text cannot be empty."));
        document.getElementById(textId)?.focus();
        return;
      }
      const payload = { contribution_id: item.id, text };
      if (item.kind === "story") payload.title = draft.title.trim();
      const ack = await act("edit", payload);
      if (ack.ok) {
        const changes = { text, edited: true };
        if (item.kind === "story") changes.title = payload.title;
        session.patchContribution(item.id, changes);
        say(_("Correction saved. Everyone sees the new text."));
        closeEdit(item.id);
      }
    });
    return form;
  }

  function textParts(item) {
    const [title, text] = cardBody(item);
    text.id = `text-${item.id}`;
    return [title, text];
  }

  /** The card's title and text, or its edit form while it is being corrected. */
  function bodyOrEditor(item) {
    const parts = textParts(item);
    if (!editing.has(item.id)) return { parts, shown: [parts, factorsBlock(item)] };
    // The text stays (visually hidden) so buttons that name it keep their description.
    parts[1].classList.add("visually-hidden");
    if (parts[0]) parts[0].hidden = true;
    return { parts, shown: [parts, editForm(item)] };
  }

  /** Forget edits of contributions a new snapshot no longer holds. */
  function forgetGone() {
    for (const id of Array.from(editing.keys())) {
      if (!session.state.contributions.has(id)) editing.delete(id);
    }
  }

  /** "Approve": a contribution waiting for approval reaches the room. */
  function approveButton(item, textId) {
    if (item.approved !== false) return null;
    return el("button", {
      type: "button",
      class: "btn btn--primary btn--small",
      "aria-describedby": textId,
      dataset: { focusKey: "approve" },
      text: _("Approve"),
      on: {
        click: async () => {
          const ack = await act("approve", { contribution_id: item.id });
          if (ack.ok) {
            session.patchContribution(item.id, { approved: true });
            say(_("Approved: the room sees it."));
          }
        },
      },
    });
  }

  /** The language tag, correctable: what the text is written in. */
  function languageSelect(item, textId) {
    const id = `language-${item.id}`;
    const names = ctx.languageNames;
    return el(
      "div",
      { class: "assign assign--language" },
      el("label", { for: id, text: _("Language") }),
      el(
        "select",
        {
          id,
          "aria-describedby": textId,
          dataset: { focusKey: "language" },
          on: {
            change: async (event) => {
              const language = event.target.value;
              const before = item.language;
              const ack = await act("set_language", { contribution_id: item.id, language });
              if (ack.ok) {
                session.patchContribution(item.id, { language });
                say(_("Language set to %(language)s.", { language: names[language] || language }));
              } else {
                event.target.value = before;
              }
            },
          },
        },
        Object.entries(names).map(([code, name]) =>
          el("option", { value: code, lang: code, text: name, selected: code === item.language }),
        ),
      ),
    );
  }

  return {
    hideButton,
    editButton,
    approveButton,
    languageSelect,
    bodyOrEditor,
    isEditing: (id) => editing.has(id),
    forgetGone,
  };
}
