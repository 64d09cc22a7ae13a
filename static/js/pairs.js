// Paired appreciative interviews, as the board and the phones show them.
//
// A pair (event `pair`, `me.pair`, the board's `pairs`) is
// `{pair_id, stage, role, interviewer_id, storyteller_id, members: [{participant_id,
// name, organisation, region}]}`. In a trio the third member observes.

import { _ } from "./i18n.js";

/** The follow-up prompts of an appreciative interview (their one copy: the server has none). */
export function followUps() {
  return [_("Tell me more…"), _("What made that possible?"), _("Who else was involved?")];
}

/** "Ana (Kreativ e.V., Chemnitz)", or just the name. */
export function memberLabel(member) {
  if (!member) return "";
  const where = [member.organisation, member.region].filter(Boolean).join(", ");
  return where ? `${member.name} (${where})` : member.name;
}

/** The member with `id` in `pair`, if any. */
export function memberOf(pair, id) {
  return (pair && pair.members ? pair.members : []).find((m) => m.participant_id === id) || null;
}

/** Who interviews, who tells, who observes in `pair` now. */
export function pairRoles(pair) {
  const interviewer = memberOf(pair, pair.interviewer_id);
  const storyteller = memberOf(pair, pair.storyteller_id);
  const observers = (pair.members || []).filter(
    (m) => m.participant_id !== pair.interviewer_id && m.participant_id !== pair.storyteller_id,
  );
  return { interviewer, storyteller, observers };
}

/** The name of a role in an interview. */
export function roleLabel(role) {
  switch (role) {
    case "interviewer":
      return _("Interviewer");
    case "storyteller":
      return _("Storyteller");
    case "observer":
      return _("Observer");
    default:
      return "";
  }
}

/** What the role asks of this participant now. */
export function roleHint(role) {
  switch (role) {
    case "interviewer":
      return _("Ask the questions below, listen, and record your partner's story.");
    case "storyteller":
      return _("Tell your partner about a high point. They record your story.");
    case "observer":
      return _("Listen and note what made the story possible. Your turn comes with the next swap.");
    default:
      return "";
  }
}
