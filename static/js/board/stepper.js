// The phase stepper: the six phases, "Previous" and "Next".

import { byId } from "../dom.js";
import { _ } from "../i18n.js";

/** Wire the stepper; returns `renderStepper()`, which marks the current phase. */
export function initStepper({ session, body, act, say, phaseLabel }) {
  const buttons = Array.from(document.querySelectorAll(".stepper__list [data-phase]"));
  const phases = buttons.map((button) => button.dataset.phase);
  const prev = byId("phase-prev");
  const next = byId("phase-next");
  let busy = false;

  function currentPhase() {
    return session.state ? session.state.workshop.phase : body.dataset.phase;
  }

  async function setPhase(phase) {
    if (busy || !session.state || phase === session.state.workshop.phase) return;
    busy = true;
    render();
    const ack = await act("set_phase", { phase });
    busy = false;
    if (ack.ok) say(_("Now: %(phase)s", { phase: phaseLabel(phase) }));
    render();
  }

  function step(delta) {
    const target = phases[phases.indexOf(currentPhase()) + delta];
    if (target) setPhase(target);
  }

  function render() {
    const phase = currentPhase();
    const index = phases.indexOf(phase);
    const offline = !session.connected;
    for (const button of buttons) {
      button.setAttribute("aria-pressed", button.dataset.phase === phase ? "true" : "false");
      button.disabled = busy || offline;
    }
    prev.disabled = busy || offline || index <= 0;
    next.disabled = busy || offline || index >= phases.length - 1;
  }

  for (const button of buttons) button.addEventListener("click", () => setPhase(button.dataset.phase));
  prev.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(+1));
  return render;
}
