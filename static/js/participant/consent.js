// The consent choice of the contribution form: use my name, anonymous, or
// not for publication. One's own choice is remembered for the next text.

import { byId, loadJSON, saveJSON } from "../dom.js";

const CHOICES = ["named", "anonymous", "private"];

/** Returns `{checked, value, set, restore, remember}` for the form's consent radios. */
export function initConsent({ storageKey }) {
  const form = byId("compose-form");
  const key = storageKey("consent");

  /** The consent radio that is checked, or "" when none is. */
  function checked() {
    const radio = form.querySelector('input[name="consent"]:checked');
    return radio ? radio.value : "";
  }

  /** Check the consent radio with `value`; "" unchecks them all. */
  function set(value) {
    for (const input of form.querySelectorAll('input[name="consent"]')) {
      input.checked = Boolean(value) && input.value === value;
    }
  }

  return {
    checked,
    value: () => checked() || "anonymous",
    set,
    /** Back to one's own remembered choice. */
    restore() {
      const saved = loadJSON(key, null);
      set(CHOICES.includes(saved) ? saved : "anonymous");
    },
    remember: (value) => saveJSON(key, value),
  };
}
