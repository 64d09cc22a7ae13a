// The facilitator's private notes, one text per phase, saved as they type.

import { byId, setText } from "../dom.js";
import { _ } from "../i18n.js";

const NOTES_DELAY_MS = 800;

/** Wire the notes box; returns its redraw(type). */
export function initNotes({ session, act, phaseLabel }) {
  const ui = {
    text: byId("notes-text"),
    label: byId("notes-phase"),
    status: byId("notes-status"),
  };
  /** The phase whose notes the box holds, and whether it has unsaved typing. */
  let phase = null;
  let dirty = false;
  let timer = null;

  function status(text, state = "") {
    setText(ui.status, text);
    ui.status.dataset.state = state;
  }

  async function save() {
    window.clearTimeout(timer);
    if (!dirty || !phase) return;
    const text = ui.text.value;
    const forPhase = phase;
    dirty = false;
    status(_("Saving…"), "saving");
    const ack = await act("notes_set", { phase: forPhase, text });
    if (ack.ok) {
      if (session.state) session.state.notes = { ...session.state.notes, [forPhase]: text };
      if (!dirty) status(_("Saved"), "saved");
    } else {
      if (forPhase === phase) dirty = true;
      status(_("Not saved. Your notes stay here; they are saved again when you type."), "error");
    }
  }

  function show() {
    if (!session.state) return;
    const current = session.state.workshop.phase;
    if (current !== phase) {
      if (dirty) save();
      phase = current;
      dirty = false;
      ui.text.value = (session.state.notes || {})[phase] || "";
      setText(ui.label, phaseLabel(phase));
      status("");
      return;
    }
    // Another board saved: take its text unless this box has typing of its own.
    const stored = (session.state.notes || {})[phase] || "";
    if (!dirty && ui.text.value !== stored && document.activeElement !== ui.text) ui.text.value = stored;
  }

  ui.text.addEventListener("input", () => {
    dirty = true;
    status(_("Not saved yet"), "dirty");
    window.clearTimeout(timer);
    timer = window.setTimeout(save, NOTES_DELAY_MS);
  });
  ui.text.addEventListener("blur", () => save());
  window.addEventListener("pagehide", () => save());
  return (type) => {
    if (["init", "snapshot", "notes", "phase", "workshop"].includes(type)) show();
  };
}
