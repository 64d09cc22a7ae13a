// Grouping the positive core: naming themes, putting stories in them,
// merging and deleting themes. Dragging (drag.js) and the theme boxes
// (theme-box.js) call the same actions as the keyboard controls here.

import { byId, el } from "../dom.js";
import { _ } from "../i18n.js";

/** Pending assignments: arrowing through a closed list sends only the last choice. */
const ASSIGN_DELAY_MS = 400;

/**
 * Wire the "New theme" form; returns the grouping actions
 * `{themeSelect, moveToTheme, mergeThemes, deleteTheme, focusNewTheme}`.
 */
export function initGrouping({ session, act, say, showError }) {
  const form = byId("theme-create");
  const nameBox = byId("theme-name");
  const assignTimers = new Map();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = nameBox.value.trim();
    if (!name) {
      showError(_("Give the theme a name."));
      nameBox.focus();
      return;
    }
    const ack = await act("theme_create", { name });
    if (ack.ok) {
      // Clear the box unless the next name is already being typed.
      if (nameBox.value.trim() === name) nameBox.value = "";
      say(_("Theme added: %(name)s", { name }));
    }
    nameBox.focus();
  });

  function themeOptions(selected, noneLabel) {
    return [
      el("option", { value: "", text: noneLabel, selected: !selected }),
      ...session.themes().map((theme) =>
        el("option", { value: String(theme.id), text: theme.name, selected: theme.id === selected }),
      ),
    ];
  }

  /** The keyboard twin of dragging: a list of themes under a story (or proposition). */
  function themeSelect(item, label, noneLabel) {
    const id = `assign-${item.id}`;
    return el(
      "div",
      { class: "assign" },
      el("label", { for: id, text: label }),
      el(
        "select",
        {
          id,
          // Names the story this select belongs to, for screen readers.
          "aria-describedby": `text-${item.id}`,
          dataset: { focusKey: "assign" },
          on: { change: (event) => assignSoon(item, event.target) },
        },
        themeOptions(item.theme_id, noneLabel),
      ),
    );
  }

  function assignSoon(item, select) {
    window.clearTimeout(assignTimers.get(item.id));
    assignTimers.set(
      item.id,
      window.setTimeout(() => {
        assignTimers.delete(item.id);
        assign(item, select);
      }, ASSIGN_DELAY_MS),
    );
  }

  async function assign(item, select) {
    const themeId = select.value ? Number(select.value) : null;
    const ok = await moveToTheme(item.id, themeId);
    if (ok) {
      // Keyboard users keep working on the same card in its new place.
      const moved = document.getElementById(`assign-${item.id}`);
      const lost = !document.activeElement || document.activeElement === document.body;
      if (moved && lost) moved.focus({ preventScroll: false });
    } else {
      const current = session.state.contributions.get(item.id) || item;
      const shown = document.getElementById(`assign-${item.id}`) || select;
      shown.value = current.theme_id ? String(current.theme_id) : "";
    }
  }

  /**
   * Group contribution `id` under theme `themeId` (null: not grouped). The
   * board shows the move at once and takes it back if the server refuses.
   */
  async function moveToTheme(id, themeId) {
    const item = session.state && session.state.contributions.get(id);
    if (!item) return false;
    const before = item.theme_id ?? null;
    if (before === themeId) return true;
    session.patchContribution(id, { theme_id: themeId });
    const ack = await act("theme_assign", { theme_id: themeId, contribution_id: id });
    if (!ack.ok) {
      session.patchContribution(id, { theme_id: before });
      return false;
    }
    const theme = themeId ? session.state.themes.get(themeId) : null;
    say(theme ? _("Moved to %(theme)s.", { theme: theme.name }) : _("Moved to Not grouped."));
    return true;
  }

  /** Merge theme `fromId` into `intoId` after asking; resolves true when merged. */
  async function mergeThemes(fromId, intoId) {
    const from = session.state.themes.get(fromId);
    const into = session.state.themes.get(intoId);
    if (!from || !into || fromId === intoId) return false;
    const question = _("Merge “%(from)s” into “%(into)s”? Its stories move to “%(into)s” and “%(from)s” is removed.", {
      from: from.name,
      into: into.name,
    });
    if (!window.confirm(question)) return false;
    const ack = await act("theme_merge", { theme_id: fromId, into_id: intoId });
    if (ack.ok) {
      say(_("“%(from)s” merged into “%(into)s”.", { from: from.name, into: into.name }));
      return true;
    }
    return false;
  }

  async function deleteTheme(themeId) {
    const theme = session.state.themes.get(themeId);
    if (!theme) return;
    const question = _("Delete the theme “%(name)s”? Its stories become ungrouped; no story is deleted.", {
      name: theme.name,
    });
    if (!window.confirm(question)) return;
    const ack = await act("theme_delete", { theme_id: themeId });
    if (ack.ok) {
      say(_("Theme deleted: %(name)s", { name: theme.name }));
      nameBox.focus();
    }
  }

  return { themeSelect, moveToTheme, mergeThemes, deleteTheme };
}
