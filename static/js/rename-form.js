// The inline rename form behind a theme's "Rename" button, on the workshop's board and the synthesis board.
//
// The button opens and closes it (aria-expanded follows); Escape and Cancel close it and give the
// focus back to the button; Save sends the trimmed name and closes once the server agreed.

import { _ } from "./i18n.js";

/**
 * Wire `form` (with `input` and a `[data-action="cancel"]` button) to `button`.
 * `currentName()` fills the input as it opens; `rename(name)` sends the name and resolves to the
 * server's ack; `onOpen` and `onClose` let the page know the theme is being renamed.
 */
export function wireRenameForm({ button, form, input, currentName, rename, showError, say, onOpen, onClose }) {
  const close = () => {
    onClose?.();
    form.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  };
  button.addEventListener("click", () => {
    if (!form.hidden) {
      close();
      return;
    }
    onOpen?.();
    input.value = currentName() || "";
    form.hidden = false;
    button.setAttribute("aria-expanded", "true");
    input.focus();
    input.select();
  });
  form.querySelector('[data-action="cancel"]').addEventListener("click", close);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) {
      showError(_("Give the theme a name."));
      input.focus();
      return;
    }
    const ack = await rename(name);
    if (ack.ok) {
      say(_("Theme renamed: %(name)s", { name }));
      close();
    } else {
      input.focus();
    }
  });
}
