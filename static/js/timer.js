// The facilitator's countdown, shown the same way on the board, the phones
// and the projector.
//
// The server keeps the timer and sends `{state, duration, remaining, ends_at,
// server_time}` (in the snapshot and the `timer` event). Every screen
// computes what is left from `ends_at` and the offset between the server's
// clock and its own, measured when the object arrived (live.js stamps
// `received_at`), so a phone whose clock is wrong still agrees with the room.
//
// Markup (the clock has role="timer", which is aria-live off; the status
// region announces only "Time is up"):
//   <div class="timer" data-timer data-state="stopped">
//     <span class="timer__clock" role="timer" data-timer-clock>–:––</span>
//     <span class="timer__label" data-timer-label></span>
//     <span class="visually-hidden" role="status" data-timer-announce></span>
//   </div>

import { setText } from "./dom.js";
import { _ } from "./i18n.js";

const TICK_MS = 1000;
/** Seconds left under which the clock shows its "hurry" colour. */
export const LAST_MINUTE = 60;

/**
 * Milliseconds since the epoch of an ISO 8601 timestamp, or NaN.
 *
 * Python writes microseconds ("…:07.512345+00:00"); some browsers parse only
 * milliseconds, so the fraction is cut to three digits first.
 */
export function parseTime(value) {
  if (typeof value !== "string" || !value) return Number.NaN;
  const normal = value.replace(/(\.\d{3})\d+/, "$1").replace(/\.(\d{1,2})(?!\d)/, (m, d) => `.${d.padEnd(3, "0")}`);
  return Date.parse(normal);
}

/** Server clock minus this device's clock, in ms, measured when `timer` arrived. */
export function clockOffset(timer) {
  if (!timer) return 0;
  const server = parseTime(timer.server_time);
  const received = typeof timer.received_at === "number" ? timer.received_at : Date.now();
  return Number.isNaN(server) ? 0 : server - received;
}

/**
 * The timer as this device sees it at `now` (ms): `{state, remaining}` with
 * `remaining` in ms (null when stopped). A running timer whose end has passed
 * is `finished`: the server does not send an event when time runs out.
 */
export function timerStatus(timer, now = Date.now()) {
  if (!timer || !timer.state || timer.state === "stopped") return { state: "stopped", remaining: null };
  if (timer.state === "paused") {
    return { state: "paused", remaining: Math.max(0, Number(timer.remaining) || 0) * 1000 };
  }
  if (timer.state === "finished") return { state: "finished", remaining: 0 };
  const ends = parseTime(timer.ends_at);
  let remaining;
  if (Number.isNaN(ends)) {
    // No end time: count down from what the server said was left.
    const received = typeof timer.received_at === "number" ? timer.received_at : now;
    remaining = (Number(timer.remaining) || 0) * 1000 - (now - received);
  } else {
    remaining = ends - (now + clockOffset(timer));
  }
  if (remaining <= 0) return { state: "finished", remaining: 0 };
  return { state: "running", remaining };
}

/** "4:05", "1:02:03"; whole seconds rounded up, so 0:00 means the time is up. */
export function formatClock(ms) {
  const total = Math.max(0, Math.ceil((ms || 0) / 1000 - 1e-6));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** The words under the clock. */
export function timerLabel(state) {
  switch (state) {
    case "running":
      return _("Time left");
    case "paused":
      return _("Paused");
    case "finished":
      return _("Time is up");
    default:
      return _("No timer running");
  }
}

/**
 * Keep one timer display (see the markup above) in step with `getTimer()`.
 *
 * Call `update()` whenever the timer object changes; the display ticks by
 * itself every second while the timer runs. `onChange(status)` is called
 * after each redraw (the board enables its buttons with it).
 */
export class TimerDisplay {
  constructor(root, getTimer, { onChange = null } = {}) {
    this.root = root;
    this.getTimer = getTimer;
    this.onChange = onChange;
    this.clock = root.querySelector("[data-timer-clock]");
    this.label = root.querySelector("[data-timer-label]");
    this.announcer = root.querySelector("[data-timer-announce]");
    this.bar = root.querySelector("[data-timer-bar]");
    this._interval = null;
    this._align = null;
    this._announcedFor = null;
    this._lastKey = null;
    this.status = { state: "stopped", remaining: null };
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) this.update();
    });
  }

  /** Redraw now and (re)start the ticking in step with the timer's seconds. */
  update() {
    this._draw();
    window.clearTimeout(this._align);
    window.clearInterval(this._interval);
    this._interval = null;
    if (this.status.state !== "running") return;
    // Tick just after the displayed second changes, then every second.
    const untilNext = (this.status.remaining % TICK_MS) + 20;
    this._align = window.setTimeout(() => {
      this._draw();
      if (this.status.state === "running") {
        this._interval = window.setInterval(() => {
          this._draw();
          if (this.status.state !== "running") window.clearInterval(this._interval);
        }, TICK_MS);
      }
    }, untilNext);
  }

  _draw() {
    const timer = this.getTimer();
    const status = timerStatus(timer);
    this.status = status;
    const root = this.root;
    root.dataset.state = status.state;
    const urgent = status.state === "running" && status.remaining <= LAST_MINUTE * 1000;
    root.classList.toggle("timer--urgent", urgent);
    setText(this.clock, status.state === "stopped" ? "–:––" : formatClock(status.remaining));
    if (this.label) setText(this.label, timerLabel(status.state));
    if (this.bar) {
      const duration = timer && timer.duration ? timer.duration * 1000 : 0;
      const share = duration && status.remaining !== null ? Math.min(1, status.remaining / duration) : 0;
      this.bar.style.width = `${(share * 100).toFixed(2)}%`;
    }
    // Announce "Time is up" once per countdown (known by its end time).
    const key = timer ? `${timer.ends_at || ""}|${timer.duration || ""}` : null;
    if (status.state === "finished") {
      if (this.announcer && this._announcedFor !== key && this._lastKey !== null) {
        this.announcer.textContent = _("Time is up");
      }
      this._announcedFor = key;
    } else if (this.announcer && this.announcer.textContent) {
      this.announcer.textContent = "";
    }
    this._lastKey = key;
    if (this.onChange) this.onChange(status);
  }
}

/** Show `session`'s timer in `root`, redrawn on every snapshot and `timer` event. */
export function bindTimer(session, root, options = {}) {
  const display = new TimerDisplay(root, () => (session.state ? session.state.timer : null), options);
  session.addEventListener("change", (event) => {
    const type = event.detail.type;
    if (type === "timer" || type === "snapshot") display.update();
  });
  display.update();
  return display;
}
