// The facilitator's tools beside the wall: timer controls, room settings,
// private notes, paired interviews and the participants list.
//
// Each tool sends a facilitator event through `act` (which shows refusals)
// and redraws from the session's state, which the server's events keep
// current for every open board.

import { byId, el, reconcile, replace, setText } from "./dom.js";
import { _, formatNumber, ngettext } from "./i18n.js";
import { memberLabel, pairRoles } from "./pairs.js";
import { bindTimer } from "./timer.js";

const MIN_MINUTES = 1;
const MAX_MINUTES = 120;
const NOTES_DELAY_MS = 800;
const ROSTER_DELAY_MS = 600;
const VOTING_PHASES = new Set(["dream", "design"]);

/**
 * Wire every tool. `ctx` is `{session, act, say, showError, phaseLabel}`:
 * `act(event, payload)` sends and resolves with the ack (showing a refusal),
 * `say(text)` announces politely, `showError(text)` alerts, `phaseLabel(phase)`
 * names a phase.
 */
export function initTools(ctx) {
  const redraws = [initTimer(ctx), initSettings(ctx), initNotes(ctx), initPairs(ctx), initRoster(ctx)];
  const redraw = (type) => {
    for (const fn of redraws) fn(type);
  };
  ctx.session.addEventListener("change", (event) => redraw(event.detail.type));
  ctx.session.addEventListener("status", () => redraw("status"));
  redraw("init");
}

// ----- timer -----

function initTimer({ session, act, say, showError }) {
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

// ----- settings -----

function initSettings({ session, act, say, showError }) {
  const ui = {
    showNames: byId("set-show-names"),
    hideVotes: byId("set-hide-votes"),
    reveal: byId("set-reveal"),
    votesStatus: byId("votes-status"),
    votesForm: byId("set-votes-form"),
    votes: byId("set-votes"),
  };
  let busy = false;

  function draw() {
    const workshop = session.state ? session.state.workshop : null;
    const offline = !session.connected || !workshop;
    for (const control of [ui.showNames, ui.hideVotes, ui.votes, ...ui.votesForm.querySelectorAll("button")]) {
      control.disabled = busy || offline;
    }
    if (!workshop) return;
    if (!busy) {
      // While a change is on its way, the boxes keep what the facilitator ticked.
      ui.showNames.checked = Boolean(workshop.show_names);
      ui.hideVotes.checked = Boolean(workshop.hide_vote_counts);
    }
    const secret = workshop.hide_vote_counts && !workshop.votes_revealed;
    // Only Dream and Design are voted on: there is nothing to reveal elsewhere.
    ui.reveal.hidden = !secret || !VOTING_PHASES.has(workshop.phase);
    ui.reveal.disabled = busy || offline;
    setText(
      ui.votesStatus,
      !workshop.hide_vote_counts
        ? _("The room sees the vote counts live.")
        : secret
          ? _("The room does not see the vote counts of this round.")
          : _("Vote counts are revealed to the room."),
    );
    if (document.activeElement !== ui.votes) ui.votes.value = String(workshop.votes_per_participant);
  }

  async function change(payload, done, revert) {
    busy = true;
    draw();
    const ack = await act("settings", payload);
    busy = false;
    if (ack.ok) {
      // The room's `workshop` event confirms it; until then the state follows the ack.
      if (session.state) Object.assign(session.state.workshop, payload);
      say(done);
    } else if (revert) revert();
    draw();
  }

  ui.showNames.addEventListener("change", () => {
    const on = ui.showNames.checked;
    change(
      { show_names: on },
      on ? _("Names are shown on phones and the projector.") : _("Names are hidden on phones and the projector."),
    );
  });
  ui.hideVotes.addEventListener("change", () => {
    const on = ui.hideVotes.checked;
    change(
      { hide_vote_counts: on },
      on ? _("Vote counts are hidden until you reveal them.") : _("Vote counts are shown live."),
    );
  });
  ui.reveal.addEventListener("click", async () => {
    await change({ votes_revealed: true }, _("Votes revealed."));
    ui.hideVotes.focus();
  });
  ui.votesForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const votes = Number(ui.votes.value);
    if (!Number.isInteger(votes) || votes < 1 || votes > 20) {
      ui.votes.setAttribute("aria-invalid", "true");
      showError(_("Enter a number of votes from 1 to 20."));
      ui.votes.focus();
      return;
    }
    ui.votes.removeAttribute("aria-invalid");
    change(
      { votes_per_participant: votes },
      ngettext("Each participant has %(num)s vote.", "Each participant has %(num)s votes.", votes),
    );
  });
  return (type) => {
    if (["init", "snapshot", "workshop", "phase", "status"].includes(type)) draw();
  };
}

// ----- notes -----

function initNotes({ session, act, phaseLabel }) {
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

// ----- paired interviews -----

function initPairs({ session, act, say }) {
  const ui = {
    panel: byId("pairs-panel"),
    start: byId("pairs-start"),
    swap: byId("pairs-swap"),
    end: byId("pairs-end"),
    stage: byId("pairs-stage"),
    list: byId("pairs-list"),
    empty: byId("pairs-empty"),
  };
  let busy = false;

  function draw() {
    if (!session.state) return;
    const pairs = session.state.pairs || { stage: null, pairs: [] };
    const active = pairs.stage !== null && pairs.stage !== undefined;
    const phase = session.state.workshop.phase;
    ui.panel.hidden = phase !== "discover" && !active;
    const offline = !session.connected;
    ui.start.disabled = busy || offline;
    setText(ui.start, active ? _("Pair again") : _("Start paired interviews"));
    ui.swap.disabled = busy || offline || !active;
    ui.end.disabled = busy || offline || !active;
    if (active) {
      // Kept apart: the string extractor misses a call nested in another.
      const talking = ngettext("%(num)s group talking.", "%(num)s groups talking.", pairs.pairs.length);
      const turn = _("Turn %(num)s.", { num: formatNumber((pairs.stage || 0) + 1) });
      setText(ui.stage, `${turn} ${talking}`);
    } else {
      setText(ui.stage, "");
    }
    ui.stage.hidden = !active;
    ui.empty.hidden = active;
    reconcile(ui.list, active ? pairs.pairs : [], (pair) => `pair:${pair.pair_id}`, pairItem);
  }

  function pairItem(pair, previous) {
    const signature = JSON.stringify(pair);
    if (previous && previous.dataset.signature === signature) return previous;
    const { interviewer, storyteller, observers } = pairRoles(pair);
    return el(
      "li",
      { class: "pairs-list__item", dataset: { signature } },
      el(
        "p",
        {},
        el("strong", { text: memberLabel(interviewer) }),
        " ",
        el("span", { class: "pairs-list__verb", text: _("interviews") }),
        " ",
        el("strong", { text: memberLabel(storyteller) }),
      ),
      observers.length
        ? el("p", { class: "hint", text: _("Observing: %(names)s", { names: observers.map(memberLabel).join(", ") }) })
        : null,
    );
  }

  async function send(event, done) {
    busy = true;
    draw();
    const ack = await act(event, {});
    busy = false;
    if (ack.ok) {
      if (event === "pairing_start" && Array.isArray(ack.pairs)) session.setPairs(ack.pairs, 0);
      say(done(ack));
    }
    draw();
  }

  ui.start.addEventListener("click", () => {
    const active = session.state && session.state.pairs && session.state.pairs.stage !== null;
    if (active && !window.confirm(_("Pair the participants again? The current pairs end."))) return;
    send("pairing_start", (ack) =>
      ngettext("%(num)s interview group formed.", "%(num)s interview groups formed.", (ack.pairs || []).length),
    );
  });
  ui.swap.addEventListener("click", () => send("pairing_swap", () => _("Roles swapped: storytellers now interview.")));
  ui.end.addEventListener("click", () => {
    if (!window.confirm(_("End the paired interviews for everyone?"))) return;
    send("pairing_end", () => _("Interviews ended."));
  });
  return (type) => {
    if (["init", "snapshot", "pairs", "phase", "workshop", "status"].includes(type)) draw();
  };
}

// ----- participants -----

function initRoster({ session, act, say }) {
  const ui = {
    refresh: byId("roster-refresh"),
    list: byId("roster"),
    status: byId("roster-status"),
  };
  let people = null;
  let timer = null;
  let loading = false;

  async function load() {
    window.clearTimeout(timer);
    if (!session.connected || loading) return;
    loading = true;
    ui.refresh.disabled = true;
    ui.list.setAttribute("aria-busy", "true");
    const ack = await session.request("roster", {});
    loading = false;
    ui.refresh.disabled = false;
    ui.list.removeAttribute("aria-busy");
    if (!ack.ok) {
      setText(ui.status, ack.message || _("The list could not be loaded."));
      return;
    }
    people = ack.participants || [];
    draw();
  }

  function draw() {
    if (!people) return;
    const online = people.filter((p) => p.online).length;
    const joinedText = ngettext("%(num)s joined", "%(num)s joined", people.length);
    const onlineText = ngettext("%(num)s online", "%(num)s online", online);
    setText(ui.status, people.length ? `${joinedText} · ${onlineText}` : _("Nobody has joined yet."));
    reconcile(ui.list, people, (p) => `p:${p.id}`, personItem);
  }

  function personItem(person, previous) {
    const signature = JSON.stringify(person);
    if (previous && previous.dataset.signature === signature) return previous;
    const nameId = `person-${person.id}`;
    const where = [person.organisation, person.region].filter(Boolean).join(", ");
    return el(
      "li",
      { class: "roster__item", dataset: { signature } },
      el(
        "span",
        { class: `presence-dot${person.online ? " presence-dot--on" : ""}`, title: person.online ? _("Online") : _("Offline") },
        el("span", { class: "visually-hidden", text: person.online ? _("Online") : _("Offline") }),
      ),
      el(
        "span",
        { class: "roster__who" },
        el("span", { class: "roster__name", id: nameId, text: person.name }),
        where ? el("span", { class: "hint", text: where }) : null,
      ),
      el("button", {
        type: "button",
        class: "btn btn--quiet btn--small btn--danger",
        "aria-describedby": nameId,
        dataset: { focusKey: "remove" },
        text: _("Remove"),
        on: { click: () => remove(person) },
      }),
    );
  }

  async function remove(person) {
    const question = _("Remove %(name)s from this workshop? Their phone stops receiving updates; what they sent stays.", {
      name: person.name,
    });
    if (!window.confirm(question)) return;
    const ack = await act("participant_remove", { participant_id: person.id });
    if (ack.ok) {
      people = people.filter((p) => p.id !== person.id);
      draw();
      say(_("%(name)s was removed.", { name: person.name }));
      ui.refresh.focus();
      loadSoon();
    }
  }

  function loadSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, ROSTER_DELAY_MS);
  }

  ui.refresh.addEventListener("click", () => load());
  replace(ui.list);
  return (type) => {
    if (type === "snapshot" || type === "presence") loadSoon();
  };
}
