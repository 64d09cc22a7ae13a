// Drafts: what the contribution box holds, kept on the phone per phase
// until the server confirmed it (or it is safe in the outbox).

import { loadJSON, saveJSON } from "../dom.js";
import { _ } from "../i18n.js";

/**
 * Returns `{phase, setPhase(phase), read(phase), write(draft), clear(phase)}`:
 * `phase()` is the phase whose form the page shows, `write` stores the
 * draft of that phase.
 */
export function initDrafts({ session, storageKey, showError }) {
  const key = (phase) => storageKey("draft", phase);
  let shown = null;

  function read(phase) {
    return phase ? loadJSON(key(phase), {}) || {} : {};
  }

  function write(draft) {
    // Once the workshop is gone for this phone, nothing of it is written here again.
    if (!shown || session.gone) return;
    const empty =
      !draft.text &&
      !draft.title &&
      !draft.factors &&
      !draft.owner &&
      !draft.owner_organisation &&
      !draft.due &&
      !draft.theme_id &&
      !draft.proposition_id &&
      !draft.partner_consent;
    if (empty && !draft.sending) saveJSON(key(shown), null);
    else if (!saveJSON(key(shown), draft)) {
      showError(_("This phone cannot store your draft. Send it before you leave the page."));
    }
  }

  return {
    phase: () => shown,
    setPhase: (phase) => {
      shown = phase;
    },
    read,
    write,
    clear: (phase) => saveJSON(key(phase), null),
  };
}
