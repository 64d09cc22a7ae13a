// The board's timer panel: quick starts, minutes, pause, resume, extend, stop.
//
// Every screen shows the same countdown (timer.js); this panel only sends the
// facilitator's controls.

import { byId } from "../dom.js";
import { _, ngettext } from "../i18n.js";
import { bindTimer } from "../timer.js";

const MIN_MINUTES = 1;
const MAX_MINUTES = 120;

/** Wire the timer panel; returns its redraw(type), called on every change of the session. */
export function initTimer({ session, act, say, showError }) {
  const ui = {
    root: byId("timer"),
    form: byId("timer-form"),
    minutes: byId("timer-minutes"),
    pause: byId("timer-pause"),
    resume: byId("timer-resume"),
    stop: byId("timer-stop"),
    quick: Array.from(document.querySelectorAll("[data-timer-minutes]")),
    extend: Array.from(document.querySelectorAll("[data-timer-extend]")),
  };
  let busy = false;
  let state = "stopped";

  bindTimer(session, ui.root, {
    onChange: (status) => {
      state = status.state;
      enable();
    },
  });

  function enable() {
    const offline = !session.connected || !session.state;
    for (const button of [...ui.quick, ...ui.form.querySelectorAll("button")]) button.disabled = busy || offline;
    ui.pause.disabled = busy || offline || state !== "running";
    ui.resume.disabled = busy || offline || state !== "paused";
    ui.stop.disabled = busy || offline || state === "stopped";
    for (const button of ui.extend) button.disabled = busy || offline || state === "stopped";
  }

  async function send(event, payload, done) {
    busy = true;
    enable();
    const ack = await act(event, payload);
    busy = false;
    enable();
    if (ack.ok && done) say(done);
    return ack;
  }

  function start(minutes) {
    return send("timer_start", { seconds: minutes * 60 }, ngettext("Timer started: %(num)s minute.", "Timer started: %(num)s minutes.", minutes));
  }

  for (const button of ui.quick) {
    button.addEventListener("click", () => start(Number(button.dataset.timerMinutes)));
  }
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const minutes = Number(ui.minutes.value);
    if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      ui.minutes.setAttribute("aria-invalid", "true");
      showError(_("Enter whole minutes from 1 to 120."));
      ui.minutes.focus();
      return;
    }
    ui.minutes.removeAttribute("aria-invalid");
    start(minutes);
  });
  ui.minutes.addEventListener("input", () => ui.minutes.removeAttribute("aria-invalid"));
  ui.pause.addEventListener("click", () => send("timer_pause", {}, _("Timer paused.")));
  ui.resume.addEventListener("click", () => send("timer_resume", {}, _("Timer resumed.")));
  ui.stop.addEventListener("click", () => send("timer_stop", {}, _("Timer stopped.")));
  for (const button of ui.extend) {
    const minutes = Number(button.dataset.timerExtend);
    button.addEventListener("click", () =>
      send(
        "timer_extend",
        { seconds: minutes * 60 },
        ngettext("%(num)s minute added.", "%(num)s minutes added.", minutes),
      ),
    );
  }
  return (type) => {
    if (type === "status" || type === "snapshot" || type === "init") enable();
  };
}
