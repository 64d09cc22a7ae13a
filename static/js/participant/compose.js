// The contribution form: its draft, its selects, Send, and what the form
// does with the server's answer.
//
// Nothing typed may be lost. The text box is saved as a draft per phase
// (drafts.js). A submission goes to the outbox (outbox.js) first; the draft
// is cleared only when the server confirmed it, or when it is safe there.

import { byVotes } from "../cards.js";
import { announce, byId, el, setText } from "../dom.js";
import { _, ngettext } from "../i18n.js";
import { PHASE_KIND } from "../live.js";
import { uuid4 } from "../uuid.js";

const MAX_TEXT = 2000;
/** Refusals worth retrying later: the connection, not the content, failed. */
const TRANSIENT = new Set([
  "timeout",
  "offline",
  "unauthorized",
  "internal_error",
  "invalid_ack",
  "rate_limited",
]);
/** After a rate_limited answer, the outbox is tried again this much later. */
const RATE_LIMIT_RETRY_MS = 10000;

/** The start of a long text, for a select's option. */
export function shorten(text, max = 90) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Wire the form; returns `{settle, loadDraftFor, renderSelects, updateCounter}`.
 * `settle(entry, ack)` handles the server's answer to a sent entry.
 */
export function initCompose(ctx, { drafts, consent, interviews, outbox }) {
  const { session, showError, clearError, say } = ctx;
  const ui = {
    form: byId("compose-form"),
    titleInput: byId("c-title"),
    text: byId("c-text"),
    counter: byId("c-text-count"),
    theme: byId("c-theme"),
    owner: byId("c-owner"),
    ownerOrganisation: byId("c-owner-organisation"),
    due: byId("c-due"),
    proposition: byId("c-proposition"),
    send: byId("c-send"),
    factors: byId("c-factors"),
    error: byId("c-error"),
  };
  let busy = false;

  /**
   * Show a refusal next to Send, where the eyes are, and announce it. `field`
   * gets the focus without scrolling the message out of view.
   */
  function formError(message, field = null) {
    ui.error.hidden = false;
    announce(ui.error, message || _("Something went wrong. Try again."));
    if (field) field.focus({ preventScroll: true });
    ui.error.scrollIntoView({ block: "nearest" });
  }

  function clearFormError() {
    ui.error.hidden = true;
    ui.error.textContent = "";
  }

  function formToDraft() {
    return {
      text: ui.text.value,
      title: ui.titleInput.value,
      factors: ui.factors.value,
      partner_consent: interviews.recordingPartner() ? consent.checked() : "",
      owner: ui.owner.value,
      owner_organisation: ui.ownerOrganisation.value,
      due: ui.due.value,
      theme_id: ui.theme.value,
      proposition_id: ui.proposition.value,
    };
  }

  function payloadToDraft(payload) {
    return {
      text: payload.text || "",
      title: payload.title || "",
      factors: payload.factors || "",
      partner_consent: payload.told_by ? payload.consent || "" : "",
      owner: payload.owner || "",
      owner_organisation: payload.owner_organisation || "",
      due: payload.due || "",
      theme_id: payload.theme_id ? String(payload.theme_id) : "",
      proposition_id: payload.proposition_id ? String(payload.proposition_id) : "",
    };
  }

  function saveDraftFromForm() {
    drafts.write({ ...formToDraft(), sending: drafts.read(drafts.phase()).sending || null });
  }

  function setSelect(select, value) {
    select.dataset.want = value;
    select.value = value;
    if (select.value !== value) select.value = "";
  }

  function fillForm(draft) {
    ui.text.value = draft.text || "";
    ui.titleInput.value = draft.title || "";
    ui.factors.value = draft.factors || "";
    if (interviews.recordingPartner()) consent.set(draft.partner_consent || "");
    ui.owner.value = draft.owner || "";
    ui.ownerOrganisation.value = draft.owner_organisation || "";
    ui.due.value = draft.due || "";
    setSelect(ui.theme, draft.theme_id || "");
    setSelect(ui.proposition, draft.proposition_id || "");
    updateCounter();
  }

  function formIsEmpty() {
    return !ui.text.value.trim();
  }

  function clearForm() {
    fillForm({});
    drafts.clear(drafts.phase());
    // Each partner's story gets its own answer about the name.
    if (interviews.recordingPartner()) consent.set("");
  }

  /** Show the draft of `phase` (the form's phase has just become `phase`). */
  function loadDraftFor(phase) {
    const draft = drafts.read(phase);
    if (draft.sending && outbox.has(draft.sending)) {
      // Its text waits in the outbox already; showing it twice would invite a duplicate.
      drafts.clear(phase);
      fillForm({});
      return;
    }
    fillForm(draft);
  }

  function updateCounter() {
    const left = MAX_TEXT - ui.text.value.length;
    setText(ui.counter, ngettext("%(num)s character left", "%(num)s characters left", left));
  }

  function setBusy(value) {
    busy = value;
    ui.send.disabled = value;
    ui.form.setAttribute("aria-busy", value ? "true" : "false");
    setText(ui.send, value ? _("Sending…") : _("Send"));
  }

  function buildPayload(kind) {
    const payload = {
      client_id: uuid4(),
      kind,
      text: ui.text.value.trim(),
      consent: consent.value(),
      // The server stores what was written while its phase was open, even if it arrives later.
      written_at: new Date().toISOString(),
    };
    if (kind === "story" && ui.titleInput.value.trim()) payload.title = ui.titleInput.value.trim();
    if (kind === "story" && ui.factors.value.trim()) payload.factors = ui.factors.value.trim();
    const partner = kind === "story" ? interviews.recordingPartner() : null;
    if (partner) payload.told_by = partner.participant_id;
    if (kind === "proposition" && ui.theme.value) payload.theme_id = Number(ui.theme.value);
    if (kind === "commitment") {
      if (ui.owner.value.trim()) payload.owner = ui.owner.value.trim();
      if (ui.ownerOrganisation.value.trim()) payload.owner_organisation = ui.ownerOrganisation.value.trim();
      if (ui.due.value) payload.due = ui.due.value;
      if (ui.proposition.value) payload.proposition_id = Number(ui.proposition.value);
    }
    return payload;
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    clearError();
    clearFormError();
    const phase = drafts.phase();
    const kind = PHASE_KIND[phase];
    if (!kind) return;
    if (!ui.text.value.trim()) {
      formError(_("Write something first."), ui.text);
      return;
    }
    const partner = kind === "story" ? interviews.recordingPartner() : null;
    if (partner && !consent.checked()) {
      formError(
        _("Ask %(name)s whether we may use their name, then choose an answer.", { name: partner.name }),
        ui.form.querySelector('input[name="consent"]'),
      );
      return;
    }
    const payload = buildPayload(kind);
    const entry = { client_id: payload.client_id, phase, kind, payload, state: "sending", created: Date.now() };
    if (partner) entry.partner = partner.name;
    outbox.add(entry);
    drafts.write({ ...formToDraft(), sending: entry.client_id });
    setBusy(true);
    ctx.render();
    await outbox.deliver(entry);
    setBusy(false);
  }

  /** The form still shows what `entry` sent: clear it, or keep what was typed since. */
  function releaseForm(entry) {
    if (ui.text.value.trim() === entry.payload.text) clearForm();
    else drafts.write({ ...formToDraft(), sending: null });
  }

  /** What the form and the outbox do with the server's answer to `entry`. */
  function settle(entry, ack) {
    const formHoldsIt = drafts.read(drafts.phase()).sending === entry.client_id;
    if (ack.ok) {
      outbox.remove(entry.client_id);
      session.markMine(ack.id);
      if (formHoldsIt) releaseForm(entry);
      say(_("Sent. Thank you!"));
    } else if (TRANSIENT.has(ack.error)) {
      // Kept in the outbox and sent again after the next reconnect.
      if (formHoldsIt) releaseForm(entry);
      if (ack.error === "rate_limited") {
        window.setTimeout(outbox.resend, RATE_LIMIT_RETRY_MS);
        // Not an error of the text: said next to Send, and it is sent again by itself.
        if (formHoldsIt) formError(ack.message);
      }
      say(_("Saved on this phone. It will be sent when the connection is back."));
    } else if (formHoldsIt) {
      // Refused: the text stays in the box, so it can be fixed and sent again.
      outbox.remove(entry.client_id);
      drafts.write({ ...formToDraft(), sending: null });
      formError(ack.message, ui.text);
    } else if (drafts.phase() === entry.phase && formIsEmpty()) {
      outbox.remove(entry.client_id);
      fillForm({ ...payloadToDraft(entry.payload), sending: null });
      saveDraftFromForm();
      formError(ack.message);
    } else {
      // Neither in the form nor storable: it stays in the outbox, to copy or discard.
      outbox.fail(entry, ack.message);
      showError(ack.message);
    }
    ctx.render();
  }

  function fillSelect(select, options) {
    const signature = JSON.stringify(options);
    if (select.dataset.signature === signature) return;
    select.dataset.signature = signature;
    const want = select.value || select.dataset.want || "";
    const first = select.options[0];
    select.replaceChildren(first, ...options.map(([value, label]) => el("option", { value, text: label })));
    setSelect(select, want);
  }

  /** The themes a proposition may build on, and the propositions a commitment may deliver. */
  function renderSelects() {
    if (!session.state) return;
    fillSelect(
      ui.theme,
      session.themes().map((t) => [String(t.id), t.name]),
    );
    fillSelect(
      ui.proposition,
      session
        .contributions("proposition")
        .sort(byVotes)
        .map((p) => [String(p.id), shorten(p.text)]),
    );
  }

  ui.form.addEventListener("submit", onSubmit);
  ui.form.addEventListener("input", (event) => {
    if (event.target.name === "consent") return;
    updateCounter();
    saveDraftFromForm();
  });
  ui.form.addEventListener("change", (event) => {
    // "whose" belongs to the interview mode (interviews.js).
    if (event.target.name === "whose") return;
    if (event.target.name === "consent" && !interviews.recordingPartner()) consent.remember(event.target.value);
    else saveDraftFromForm();
  });

  return { settle, loadDraftFor, renderSelects, updateCounter, clearFormError };
}
