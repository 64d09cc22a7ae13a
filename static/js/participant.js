// The participant's live page: prompt, contribution box, feed and votes.
//
// Nothing typed may be lost. The text box is saved in localStorage as a
// draft per workshop and phase. A submission gets a client-made id and waits
// in a local outbox ("Sending…") until the server acknowledges it; the
// outbox is sent again after every reconnect (the server stores each
// client_id once). The draft is cleared only when the server confirmed it,
// or when it is safe in the outbox.

import {
  byVotes,
  cardBody,
  cardMeta,
  factorsBlock,
  kindLabel,
  newestFirst,
  phaseLabels,
  phaseQuestion,
  renderPrompts,
  votesSecret,
  votesText,
} from "./cards.js";
import { announce, byId, el, loadJSON, reconcile, replace, saveJSON, setText } from "./dom.js";
import { forgetWorkshop } from "./forget.js";
import { _, formatDate, ngettext } from "./i18n.js";
import { bindStatus, LiveSession, PHASE_KIND } from "./live.js";
import { followUps, memberLabel, pairRoles, roleHint, roleLabel } from "./pairs.js";
import { bindTimer } from "./timer.js";
import { uuid4 } from "./uuid.js";

const MAX_TEXT = 2000;
const ACK_TIMEOUT_MS = 8000;
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

const body = document.body;
const workshopId = Number(body.dataset.workshopId);
const participantId = body.dataset.participantId;
const labels = phaseLabels();

const ui = {
  title: byId("workshop-title"),
  topic: byId("workshop-topic"),
  phaseName: byId("phase-name"),
  conn: byId("conn"),
  announce: byId("announce"),
  errors: byId("errors"),
  prompt: byId("prompt"),
  promptQuestion: byId("prompt-question"),
  promptTexts: byId("prompt-texts"),
  lobby: byId("lobby"),
  closed: byId("closed"),
  compose: byId("compose"),
  form: byId("compose-form"),
  titleInput: byId("c-title"),
  text: byId("c-text"),
  counter: byId("c-text-count"),
  theme: byId("c-theme"),
  owner: byId("c-owner"),
  due: byId("c-due"),
  proposition: byId("c-proposition"),
  send: byId("c-send"),
  outbox: byId("outbox"),
  outboxList: byId("outbox-list"),
  feedSection: byId("feed-section"),
  feed: byId("feed"),
  feedEmpty: byId("feed-empty"),
  voteInfo: byId("vote-info"),
  votesLeft: byId("votes-left"),
  votesHiddenNote: byId("votes-hidden-note"),
  votesChip: byId("votes-chip"),
  timer: byId("timer"),
  removed: byId("removed"),
  gone: byId("gone"),
  factors: byId("c-factors"),
  whose: byId("c-whose"),
  whosePartner: byId("c-whose-partner"),
  whoseSelf: byId("c-whose-self"),
  whosePartnerLabel: byId("c-whose-partner-label"),
  recording: byId("c-recording"),
  textPartnerLabel: byId("c-text-partner-label"),
  consentPartnerLegend: byId("c-consent-partner-legend"),
  pair: byId("pair"),
  pairRole: byId("pair-role"),
  pairRoleHint: byId("pair-role-hint"),
  pairMembers: byId("pair-members"),
  pairQuestions: byId("pair-questions"),
  pairFollowups: byId("pair-followups"),
  pairRecord: byId("pair-record"),
};

const PENDING_KEY = `pc:pending:${workshopId}:${participantId}`;
const CONSENT_KEY = `pc:consent:${workshopId}:${participantId}`;
/** Whose story the form records in the current interview turn: {turn, whose}. */
const WHOSE_KEY = `pc:whose:${workshopId}:${participantId}`;
const draftKey = (phase) => `pc:draft:${workshopId}:${participantId}:${phase}`;

const session = new LiveSession(workshopId);
bindStatus(session, ui.conn);
bindTimer(session, ui.timer, {
  onChange: (status) => {
    ui.timer.hidden = status.state === "stopped" || session.removed;
  },
});

/** The outbox: submissions not yet acknowledged, oldest first. */
let pending = loadJSON(PENDING_KEY, []).filter(
  (entry) => entry && typeof entry.client_id === "string" && entry.payload,
);
for (const entry of pending) session.ownClientIds.add(entry.client_id);
const inFlight = new Set();
const votesInFlight = new Set();

let shownPhase = null;
let busy = false;

function currentPhase() {
  return session.state ? session.state.workshop.phase : body.dataset.phase;
}

// ----- errors and announcements -----

function showError(message) {
  announce(ui.errors, message || _("Something went wrong. Try again."));
}

function clearError() {
  ui.errors.textContent = "";
}

// ----- outbox -----

function savePending() {
  if (session.gone) return;
  saveJSON(PENDING_KEY, pending.length ? pending : null);
}

function removePending(clientId) {
  pending = pending.filter((entry) => entry.client_id !== clientId);
  savePending();
}

async function deliver(entry) {
  if (inFlight.has(entry.client_id)) return;
  inFlight.add(entry.client_id);
  const ack = await session.request("contribute", entry.payload, ACK_TIMEOUT_MS);
  inFlight.delete(entry.client_id);
  handleAck(entry, ack);
}

/** The form still shows what `entry` sent: clear it, or keep what was typed since. */
function releaseForm(entry) {
  if (ui.text.value.trim() === entry.payload.text) clearForm();
  else writeDraft({ ...formToDraft(), sending: null });
}

function handleAck(entry, ack) {
  const formHoldsIt = readDraft(shownPhase).sending === entry.client_id;
  if (ack.ok) {
    removePending(entry.client_id);
    session.markMine(ack.id);
    if (formHoldsIt) releaseForm(entry);
    announce(ui.announce, _("Sent. Thank you!"));
  } else if (TRANSIENT.has(ack.error)) {
    // Kept in the outbox and sent again after the next reconnect.
    if (formHoldsIt) releaseForm(entry);
    if (ack.error === "rate_limited") window.setTimeout(resendOutbox, RATE_LIMIT_RETRY_MS);
    announce(ui.announce, _("Saved on this phone. It will be sent when the connection is back."));
  } else if (formHoldsIt) {
    // Refused: the text stays in the box, so it can be fixed and sent again.
    removePending(entry.client_id);
    writeDraft({ ...formToDraft(), sending: null });
    showError(ack.message);
    ui.text.focus();
  } else if (shownPhase === entry.phase && formIsEmpty()) {
    removePending(entry.client_id);
    fillForm({ ...payloadToDraft(entry.payload), sending: null });
    saveDraftFromForm();
    showError(ack.message);
  } else {
    entry.state = "failed";
    entry.message = ack.message || "";
    savePending();
    showError(ack.message);
  }
  render();
}

async function resendOutbox() {
  for (const entry of [...pending]) {
    if (entry.state === "failed" || !session.connected) continue;
    const stored = session
      .contributions()
      .find((c) => c.client_id === entry.client_id && session.mine.has(c.id));
    if (stored) handleAck(entry, { ok: true, id: stored.id });
    else await deliver(entry);
  }
}

// ----- the contribution form and its draft -----

function readDraft(phase) {
  return phase ? loadJSON(draftKey(phase), {}) || {} : {};
}

function writeDraft(draft) {
  // Once the workshop is gone for this phone, nothing of it is written here again.
  if (!shownPhase || session.gone) return;
  const empty =
    !draft.text &&
    !draft.title &&
    !draft.factors &&
    !draft.owner &&
    !draft.due &&
    !draft.theme_id &&
    !draft.proposition_id &&
    !draft.partner_consent;
  if (empty && !draft.sending) saveJSON(draftKey(shownPhase), null);
  else if (!saveJSON(draftKey(shownPhase), draft)) {
    showError(_("This phone cannot store your draft. Send it before you leave the page."));
  }
}

function formToDraft() {
  return {
    text: ui.text.value,
    title: ui.titleInput.value,
    factors: ui.factors.value,
    partner_consent: recordingPartner() ? checkedConsent() : "",
    owner: ui.owner.value,
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
    due: payload.due || "",
    theme_id: payload.theme_id ? String(payload.theme_id) : "",
    proposition_id: payload.proposition_id ? String(payload.proposition_id) : "",
  };
}

function saveDraftFromForm() {
  writeDraft({ ...formToDraft(), sending: readDraft(shownPhase).sending || null });
}

function fillForm(draft) {
  ui.text.value = draft.text || "";
  ui.titleInput.value = draft.title || "";
  ui.factors.value = draft.factors || "";
  if (recordingPartner()) setConsent(draft.partner_consent || "");
  ui.owner.value = draft.owner || "";
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
  saveJSON(draftKey(shownPhase), null);
  // Each partner's story gets its own answer about the name.
  if (recordingPartner()) setConsent("");
}

function loadDraftFor(phase) {
  const draft = readDraft(phase);
  if (draft.sending && pending.some((entry) => entry.client_id === draft.sending)) {
    // Its text waits in the outbox already; showing it twice would invite a duplicate.
    saveJSON(draftKey(phase), null);
    fillForm({});
    return;
  }
  fillForm(draft);
}

function setSelect(select, value) {
  select.dataset.want = value;
  select.value = value;
  if (select.value !== value) select.value = "";
}

/** The consent radio that is checked, or "" when none is. */
function checkedConsent() {
  const checked = ui.form.querySelector('input[name="consent"]:checked');
  return checked ? checked.value : "";
}

function consent() {
  return checkedConsent() || "anonymous";
}

/** Check the consent radio with `value`; "" unchecks them all. */
function setConsent(value) {
  for (const input of ui.form.querySelectorAll('input[name="consent"]')) {
    input.checked = Boolean(value) && input.value === value;
  }
}

function restoreConsent() {
  const saved = loadJSON(CONSENT_KEY, null);
  setConsent(["named", "anonymous", "private"].includes(saved) ? saved : "anonymous");
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
  const payload = { client_id: uuid4(), kind, text: ui.text.value.trim(), consent: consent() };
  if (kind === "story" && ui.titleInput.value.trim()) payload.title = ui.titleInput.value.trim();
  if (kind === "story" && ui.factors.value.trim()) payload.factors = ui.factors.value.trim();
  const partner = kind === "story" ? recordingPartner() : null;
  if (partner) payload.told_by = partner.participant_id;
  if (kind === "proposition" && ui.theme.value) payload.theme_id = Number(ui.theme.value);
  if (kind === "commitment") {
    if (ui.owner.value.trim()) payload.owner = ui.owner.value.trim();
    if (ui.due.value) payload.due = ui.due.value;
    if (ui.proposition.value) payload.proposition_id = Number(ui.proposition.value);
  }
  return payload;
}

async function onSubmit(event) {
  event.preventDefault();
  if (busy) return;
  clearError();
  const phase = shownPhase;
  const kind = PHASE_KIND[phase];
  if (!kind) return;
  if (!ui.text.value.trim()) {
    showError(_("Write something first."));
    ui.text.focus();
    return;
  }
  const partner = kind === "story" ? recordingPartner() : null;
  if (partner && !checkedConsent()) {
    showError(_("Ask %(name)s whether we may use their name, then choose an answer.", { name: partner.name }));
    ui.form.querySelector('input[name="consent"]').focus();
    return;
  }
  const payload = buildPayload(kind);
  const entry = { client_id: payload.client_id, phase, kind, payload, state: "sending", created: Date.now() };
  if (partner) entry.partner = partner.name;
  pending.push(entry);
  savePending();
  session.ownClientIds.add(entry.client_id);
  writeDraft({ ...formToDraft(), sending: entry.client_id });
  setBusy(true);
  render();
  await deliver(entry);
  setBusy(false);
}

ui.form.addEventListener("submit", onSubmit);
ui.form.addEventListener("input", (event) => {
  if (event.target.name === "consent") return;
  updateCounter();
  saveDraftFromForm();
});
ui.form.addEventListener("change", (event) => {
  if (event.target.name === "whose") {
    setWhose(event.target.value);
    return;
  }
  if (event.target.name === "consent" && !recordingPartner()) saveJSON(CONSENT_KEY, event.target.value);
  else saveDraftFromForm();
});

// ----- paired interviews -----

/** "partner" while the form records the interview partner's story, else "self". */
let mode = "self";
let pairShown = null;
let pairTurnShown = null;

function myPair() {
  return session.state && session.state.me ? session.state.me.pair : null;
}

/** The storyteller this participant interviews in the current turn, if any. */
function interviewPartner() {
  const pair = myPair();
  if (!pair || pair.role !== "interviewer") return null;
  return pairRoles(pair).storyteller;
}

function turnKey(pair) {
  return pair ? `${pair.pair_id}:${pair.stage}` : "";
}

/** The partner whose story the form records now, or null for one's own story. */
function recordingPartner() {
  if (mode !== "partner" || PHASE_KIND[currentPhase()] !== "story") return null;
  return interviewPartner();
}

/** Whose story the form should record: the partner's, unless chosen otherwise in this turn. */
function wantedWhose() {
  const saved = loadJSON(WHOSE_KEY, null);
  if (saved && saved.turn === turnKey(myPair())) return saved.whose === "self" ? "self" : "partner";
  return "partner";
}

function setWhose(whose) {
  saveJSON(WHOSE_KEY, { turn: turnKey(myPair()), whose });
  syncMode();
  const partner = recordingPartner();
  announce(
    ui.announce,
    partner ? _("Recording %(name)s's story", { name: partner.name }) : _("Writing your own story"),
  );
}

/** Show or hide the parts of the form that depend on the kind and on whose story it is. */
function applyVisibility() {
  const kind = PHASE_KIND[currentPhase()] || null;
  for (const node of document.querySelectorAll("#compose [data-kind], #compose [data-mode], #feed-title [data-kind]")) {
    const kindOk = !node.dataset.kind || node.dataset.kind === kind;
    const modeOk = !node.dataset.mode || node.dataset.mode === mode;
    node.hidden = !(kindOk && modeOk);
  }
}

/** Put the form in (or out of) "Recording <partner>'s story" mode. */
function syncMode() {
  const partner = PHASE_KIND[currentPhase()] === "story" && !session.removed ? interviewPartner() : null;
  const before = mode;
  mode = partner ? wantedWhose() : "self";
  ui.whose.hidden = !partner;
  if (partner) {
    const name = { name: partner.name };
    setText(ui.whosePartnerLabel, _("%(name)s's story", name));
    setText(ui.recording, _("Recording %(name)s's story", name));
    setText(ui.textPartnerLabel, _("%(name)s's story", name));
    setText(ui.consentPartnerLegend, _("Ask %(name)s: may we use their name?", name));
    ui.whosePartner.checked = mode === "partner";
    ui.whoseSelf.checked = mode === "self";
  }
  ui.recording.hidden = mode !== "partner";
  ui.compose.classList.toggle("compose--recording", mode === "partner");
  applyVisibility();
  if (before !== mode) {
    // The partner answers for their own story; one's own choice comes back afterwards.
    if (mode === "partner") setConsent(readDraft(shownPhase).partner_consent || "");
    else restoreConsent();
  }
}

function pairMemberItem(label, member) {
  const me = Number(participantId);
  return el(
    "li",
    {},
    el("span", { class: "pair-card__what", text: label }),
    " ",
    el("strong", { text: member.participant_id === me ? _("You") : memberLabel(member) }),
  );
}

function renderPair() {
  const pair = myPair();
  // Interviews belong to Discover; the card waits if the facilitator moves on without ending them.
  const show = Boolean(pair) && !session.removed && currentPhase() === "discover";
  ui.pair.hidden = !show;
  if (!show) {
    pairShown = null;
    pairTurnShown = null;
    return;
  }
  const questions = ((session.state.workshop.prompts || {}).discover || []).filter(Boolean);
  const partner = interviewPartner();
  const collecting = PHASE_KIND[currentPhase()] === "story";
  const signature = JSON.stringify([pair, questions, collecting]);
  if (signature === pairShown) return;
  const newTurn = turnKey(pair) !== pairTurnShown;
  pairShown = signature;
  pairTurnShown = turnKey(pair);
  setText(ui.pairRole, roleLabel(pair.role));
  setText(ui.pairRoleHint, roleHint(pair.role));
  const { interviewer, storyteller, observers } = pairRoles(pair);
  replace(
    ui.pairMembers,
    interviewer ? pairMemberItem(_("Interviewer:"), interviewer) : null,
    storyteller ? pairMemberItem(_("Storyteller:"), storyteller) : null,
    observers.map((member) => pairMemberItem(_("Observer:"), member)),
  );
  replace(ui.pairQuestions, questions.map((text) => el("li", { text })));
  replace(ui.pairFollowups, followUps().map((text) => el("li", { text })));
  ui.pairRecord.hidden = !partner || !collecting;
  if (partner) setText(ui.pairRecord, _("Record %(name)s's story", { name: partner.name }));
  if (newTurn) {
    announce(ui.announce, _("Interview: your role is %(role)s.", { role: roleLabel(pair.role) }));
  }
}

ui.pairRecord.addEventListener("click", () => {
  setWhose("partner");
  ui.compose.scrollIntoView({ block: "start", behavior: "smooth" });
  ui.text.focus({ preventScroll: true });
});

// ----- votes -----

async function toggleVote(item) {
  if (votesInFlight.has(item.id)) return;
  clearError();
  const voting = !session.voted.has(item.id);
  votesInFlight.add(item.id);
  render();
  const ack = await session.request(voting ? "vote" : "unvote", { contribution_id: item.id });
  votesInFlight.delete(item.id);
  if (ack.ok) {
    session.applyVote(item.id, voting, ack);
    announce(ui.announce, voting ? _("Vote given.") : _("Vote withdrawn."));
  } else {
    if (ack.error === "already_voted") session.applyVote(item.id, true, {});
    if (ack.error === "not_voted") session.applyVote(item.id, false, {});
    showError(ack.message);
  }
  render();
}

// ----- rendering -----

function themeName(id) {
  const theme = id && session.state ? session.state.themes.get(id) : null;
  return theme ? theme.name : "";
}

function propositionText(id) {
  const item = id && session.state ? session.state.contributions.get(id) : null;
  return item ? item.text : "";
}

function shorten(text, max = 90) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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

function renderPhase() {
  const phase = currentPhase();
  const removed = session.removed;
  const kind = PHASE_KIND[phase] || null;
  setText(ui.phaseName, labels[phase] || phase);
  for (const node of document.querySelectorAll(".progress [data-phase-label]")) {
    if (node.dataset.phaseLabel === phase) node.setAttribute("aria-current", "step");
    else node.removeAttribute("aria-current");
  }
  setText(ui.promptQuestion, phaseQuestion(phase));
  if (session.state) {
    const prompts = (session.state.workshop.prompts || {})[phase] || [];
    renderPrompts(ui.promptTexts, phase, prompts);
    setText(ui.title, session.state.workshop.title);
    setText(ui.topic, session.state.workshop.topic || "");
    ui.topic.hidden = !session.state.workshop.topic;
    const pageTitle = [session.state.workshop.title, _("Positive Core")].join(" · ");
    if (document.title !== pageTitle) document.title = pageTitle;
  }
  ui.removed.hidden = !removed || Boolean(session.gone);
  ui.gone.hidden = !session.gone;
  for (const node of ui.gone.querySelectorAll("[data-gone]")) node.hidden = node.dataset.gone !== session.gone;
  // During an interview the partner card carries the same questions as the prompt.
  ui.prompt.hidden = removed || (phase === "discover" && Boolean(myPair()));
  ui.lobby.hidden = removed || phase !== "lobby";
  ui.closed.hidden = removed || phase !== "closed";
  ui.compose.hidden = removed || !kind;
  ui.feedSection.hidden = removed || !kind;
  applyVisibility();
  if (phase !== shownPhase) {
    const first = shownPhase === null;
    shownPhase = phase;
    loadDraftFor(phase);
    if (!first) {
      clearError();
      announce(ui.announce, _("Now: %(phase)s", { phase: labels[phase] || phase }));
    }
  }
}

/** The outbox, newest first, on every phase: nothing waiting may be out of sight. */
function renderOutbox() {
  const stored = new Set(
    session.contributions().filter((c) => session.mine.has(c.id)).map((c) => c.client_id),
  );
  const waiting = pending.filter((entry) => !stored.has(entry.client_id)).reverse();
  reconcile(ui.outboxList, waiting, (entry) => `p:${entry.client_id}`, outboxCard);
  ui.outbox.hidden = waiting.length === 0 || session.removed;
}

function renderFeed() {
  const kind = PHASE_KIND[currentPhase()];
  const votable = kind === "dream" || kind === "proposition";
  ui.votesChip.hidden = !votable || !session.state || session.removed;
  if (session.removed) ui.timer.hidden = true;
  if (!kind) return;
  const votesLeft = votable && session.state && session.state.me ? session.state.me.votes_left[kind] ?? 0 : 0;
  const items = session.contributions(kind).sort(votable ? byVotes : newestFirst);
  reconcile(
    ui.feed,
    items,
    (item) => `c:${item.id}`,
    (item, previous) => feedCard(item, previous, votable, votesLeft),
  );
  ui.feedEmpty.hidden = items.length > 0 || !session.state;
  ui.voteInfo.hidden = !votable || !session.state;
  if (votable) {
    setText(
      ui.votesLeft,
      ngettext("You have %(num)s vote left.", "You have %(num)s votes left.", votesLeft),
    );
    setText(ui.votesChip, ngettext("%(num)s vote left", "%(num)s votes left", votesLeft));
    ui.votesHiddenNote.hidden = !votesSecret(items) && !votesHiddenBySettings();
  }
}

/** The facilitator hides the counts of this round (null counts arrive then). */
function votesHiddenBySettings() {
  const workshop = session.state ? session.state.workshop : null;
  return Boolean(workshop && workshop.hide_vote_counts && !workshop.votes_revealed);
}

function outboxCard(entry, previous) {
  const failed = entry.state === "failed";
  const canRetry = failed && PHASE_KIND[currentPhase()] === entry.kind;
  const signature = JSON.stringify([entry.state, entry.message, entry.payload, canRetry]);
  if (previous && previous.dataset.signature === signature) return previous;
  const payload = entry.payload;
  const textId = `outbox-${entry.client_id}`;
  return el(
    "li",
    { class: `card card--mine ${failed ? "card--failed" : "card--pending"}`, dataset: { signature } },
    payload.title ? el("p", { class: "card__title", text: payload.title }) : null,
    el("p", { class: "card__text", id: textId, text: payload.text }),
    el(
      "div",
      { class: "card__meta" },
      el("span", { text: kindLabel(entry.kind) }),
      entry.partner ? el("span", { text: _("%(name)s's story", { name: entry.partner }) }) : null,
      failed
        ? el("span", { class: "badge badge--error", text: _("Not sent") })
        : el("span", { class: "badge badge--pending", text: _("Sending…") }),
      failed && entry.message ? el("span", { text: entry.message }) : null,
    ),
    failed
      ? el(
          "div",
          { class: "card__actions" },
          canRetry
            ? el("button", {
                type: "button",
                class: "btn btn--small",
                "aria-describedby": textId,
                dataset: { focusKey: "retry" },
                text: _("Send again"),
                on: {
                  click: () => {
                    entry.state = "sending";
                    entry.message = "";
                    savePending();
                    clearError();
                    render();
                    deliver(entry);
                  },
                },
              })
            : null,
          el("button", {
            type: "button",
            class: "btn btn--quiet btn--small",
            "aria-describedby": textId,
            dataset: { focusKey: "discard" },
            text: _("Discard"),
            on: {
              click: () => {
                removePending(entry.client_id);
                render();
              },
            },
          }),
        )
      : null,
  );
}

function feedCard(item, previous, votable, votesLeft) {
  const voted = session.voted.has(item.id);
  const busyVote = votesInFlight.has(item.id);
  const mine = session.mine.has(item.id);
  const extra = [];
  if (item.kind === "proposition" && item.theme_id) {
    extra.push(el("span", { text: _("Builds on: %(theme)s", { theme: themeName(item.theme_id) }) }));
  }
  const signature = JSON.stringify([
    item,
    voted,
    busyVote,
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
    cardMeta(item, [mine ? el("span", { class: "badge badge--ok", text: _("Sent") }) : null, extra]),
    votable
      ? el(
          "div",
          { class: "vote-row" },
          el("button", {
            type: "button",
            class: "btn btn--small vote-btn",
            "aria-pressed": voted ? "true" : "false",
            "aria-describedby": textId,
            disabled: busyVote || (!voted && votesLeft === 0),
            dataset: { focusKey: "vote" },
            text: _("Vote"),
            on: { click: () => toggleVote(item) },
          }),
          el("span", { class: "votes", text: votesText(item.votes) }),
        )
      : null,
  );
}

function commitmentDetails(item) {
  const rows = [];
  if (item.owner) rows.push(el("li", { text: _("Who: %(owner)s", { owner: item.owner }) }));
  if (item.due) rows.push(el("li", { text: _("By when: %(date)s", { date: formatDate(item.due) }) }));
  const proposition = propositionText(item.proposition_id);
  if (proposition) rows.push(el("li", { text: _("Delivers: %(proposition)s", { proposition: shorten(proposition, 140) }) }));
  return rows.length ? el("ul", { class: "hint" }, rows) : null;
}

function render() {
  renderPhase();
  syncMode();
  renderPair();
  renderSelects();
  renderOutbox();
  renderFeed();
}

session.addEventListener("change", (event) => {
  render();
  if (event.detail.type === "removed") {
    clearError();
    if (session.gone) {
      // Left, erased or deleted: drafts and the outbox of this workshop must not linger here.
      pending = [];
      forgetWorkshop(workshopId);
      ui.gone.focus();
    } else {
      ui.removed.focus();
    }
  }
});
for (const type of ["snapshot", "synced"]) {
  session.addEventListener(type, () => {
    render();
    resendOutbox();
  });
}

restoreConsent();
render();
updateCounter();
