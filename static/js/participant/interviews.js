// Paired interviews on the phone: the interview card (role, partner, guide)
// and the form's "Recording <partner>'s story" mode.

import { phasePrompts, promptElement } from "../cards.js";
import { byId, el, loadJSON, replace, saveJSON, setText } from "../dom.js";
import { _ } from "../i18n.js";
import { PHASE_KIND } from "../live.js";
import { followUps, memberLabel, pairRoles, roleHint, roleLabel } from "../pairs.js";

/**
 * Returns `{recordingPartner, syncMode, applyVisibility, renderPair, myPair}`.
 * `recordingPartner()` is the partner whose story the form records now, or
 * null while one writes one's own.
 */
export function initInterviews(ctx, { drafts, consent }) {
  const { session, participantId, currentPhase, say } = ctx;
  const ui = {
    compose: byId("compose"),
    text: byId("c-text"),
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
  /** Whose story the form records in the current interview turn: {turn, whose}. */
  const whoseKey = ctx.storageKey("whose");
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
    const saved = loadJSON(whoseKey, null);
    if (saved && saved.turn === turnKey(myPair())) return saved.whose === "self" ? "self" : "partner";
    return "partner";
  }

  function setWhose(whose) {
    saveJSON(whoseKey, { turn: turnKey(myPair()), whose });
    syncMode();
    const partner = recordingPartner();
    say(partner ? _("Recording %(name)s's story", { name: partner.name }) : _("Writing your own story"));
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
      if (mode === "partner") consent.set(drafts.read(drafts.phase()).partner_consent || "");
      else consent.restore();
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
    const questions = phasePrompts(session.state.workshop, "discover");
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
    replace(ui.pairQuestions, questions.map((prompt) => promptElement("li", prompt)));
    replace(ui.pairFollowups, followUps().map((text) => el("li", { text })));
    ui.pairRecord.hidden = !partner || !collecting;
    if (partner) setText(ui.pairRecord, _("Record %(name)s's story", { name: partner.name }));
    if (newTurn) say(_("Interview: your role is %(role)s.", { role: roleLabel(pair.role) }));
  }

  ui.pairRecord.addEventListener("click", () => {
    setWhose("partner");
    ui.compose.scrollIntoView({ block: "start", behavior: "smooth" });
    ui.text.focus({ preventScroll: true });
  });
  byId("compose-form").addEventListener("change", (event) => {
    if (event.target.name === "whose") setWhose(event.target.value);
  });

  return { recordingPartner, syncMode, applyVisibility, renderPair, myPair };
}
