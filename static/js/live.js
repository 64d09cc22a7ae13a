// The live connection to a workshop, shared by the board, the projector and the participant page.
//
// LiveSession opens the Socket.IO connection (same origin, default transports:
// polling first, then the WebSocket upgrade), keeps the workshop's state
// from `snapshot` and the room's events, and reports the connection state.
// socket.io-client reconnects by itself (backoff with jitter), and again as
// soon as the page is visible or the network is back.
//
// Events are ordered by the rule of ordering.js: each connection's events
// wait for its `snapshot` (or `resynced`, after the server replayed what was
// missed since the last one), then apply if their `seq` is newer, field by
// field, so no order of snapshot, replay and live events loses or brings
// back an item. Each connection sends `since`: the seq of the last snapshot
// or resync.

import { io } from "../vendor/socket.io.esm.min.js";
import { _ } from "./i18n.js";
import { Records, SyncGate, Versions } from "./ordering.js";

/** The kind of contribution each phase collects. */
export const PHASE_KIND = {
  discover: "story",
  dream: "dream",
  design: "proposition",
  deliver: "commitment",
};

const RETRY_AFTER_REFUSAL_MS = [5000, 10000, 30000, 60000];

export class LiveSession extends EventTarget {
  /**
   * @param {number|string} workshopId the workshop to join; the participant
   *   cookie or the facilitator's login session authenticates.
   * @param {{view?: string, io?: Function}} options `view: "screen"` for the
   *   projector: the room's view (names and vote counts as the room sees
   *   them), no controls. `io`: what opens the socket, socket.io-client's
   *   `io` unless a test passes a stand-in.
   */
  constructor(workshopId, options = {}) {
    super();
    this.workshopId = Number(workshopId);
    /**
     * @type {null | {seq, role, workshop, themes: Map, contributions: Map, me, presence,
     *   timer, notes, pairs}} `seq` is the highest seq applied so far.
     */
    this.state = null;
    this.status = "connecting";
    this.statusDetail = "";
    /** Contribution ids this participant wrote (from the snapshot and acks). */
    this.mine = new Set();
    /** client_ids of this participant's own submissions, to recognise their echo. */
    this.ownClientIds = new Set();
    /** Contribution ids this participant voted for. */
    this.voted = new Set();
    this._contributions = new Records();
    this._themes = new Records();
    /** Versions of the workshop's fields (`w.<field>`, `prompt.<phase>`), timer, pairs, notes. */
    this._versions = new Versions();
    /** Deleted themes: id -> {seq, into}, to regroup stories whose older event arrives late. */
    this._deletedThemes = new Map();
    this._presenceVersion = -Infinity;
    /** Set while held events are applied at once: one change event follows. */
    this._quiet = false;
    this._gate = new SyncGate((name, data) => this._apply(name, data), { unordered: ["presence"] });
    this._refusals = 0;
    this._retryTimer = null;
    /** Set when the facilitator removed this participant: no more reconnecting. */
    this.removed = false;
    /**
     * Why this page lost its workshop for good, if it did: "left" (the
     * participant left), "erased" (the facilitator erased them), "deleted"
     * (the workshop was deleted). `removed` is set too.
     */
    this.gone = null;

    this.view = options.view || null;
    // Called as each connection opens, before any of its packets arrive: the
    // gate starts holding that connection's events, and `since` asks for what
    // followed the last snapshot or resync.
    const auth = (callback) => {
      const data = { workshop_id: this.workshopId };
      if (this.view) data.view = this.view;
      const since = this._gate.connecting();
      if (since !== null && this.state) data.since = since;
      callback(data);
    };
    this.socket = (options.io || io)({
      auth,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      randomizationFactor: 0.5,
    });
    this._wire();
  }

  get connected() {
    return this.socket.connected;
  }

  get role() {
    return this.state ? this.state.role : null;
  }

  /** Send a client event; resolves with its ack, or a refusal-shaped object on failure. */
  request(event, payload, timeoutMs = 10000) {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({
          ok: false,
          error: "offline",
          message: _("Not connected. Wait for the connection to come back, then try again."),
        });
        return;
      }
      this.socket.timeout(timeoutMs).emit(event, payload, (error, ack) => {
        if (error) {
          resolve({
            ok: false,
            error: "timeout",
            message: _("The server did not answer in time. Try again in a moment."),
          });
        } else if (ack && typeof ack === "object") {
          resolve(ack);
        } else {
          resolve({ ok: false, error: "invalid_ack", message: _("Unexpected answer from the server.") });
        }
      });
    });
  }

  /** Contributions as a list (optionally of one kind), in id order. */
  contributions(kind) {
    if (!this.state) return [];
    const all = Array.from(this.state.contributions.values());
    return (kind ? all.filter((c) => c.kind === kind) : all).sort((a, b) => a.id - b.id);
  }

  /** Themes in creation order. */
  themes() {
    if (!this.state) return [];
    return Array.from(this.state.themes.values()).sort((a, b) => a.id - b.id);
  }

  /** Change one contribution locally (after an ack that the room event will confirm). */
  patchContribution(id, changes) {
    const item = this.state && this._contributions.patch(id, changes);
    if (item) this._changed("contribution", item);
  }

  /** Record this participant's vote answer (ack of vote/unvote). */
  applyVote(id, votedNow, ack) {
    if (votedNow) this.voted.add(id);
    else this.voted.delete(id);
    const item = this.state && this.state.contributions.get(id);
    if (item) {
      item.voted = votedNow;
      if (typeof ack.votes === "number") item.votes = ack.votes;
    }
    if (item && this.state.me && typeof ack.votes_left === "number") {
      this.state.me.votes_left = { ...this.state.me.votes_left, [item.kind]: ack.votes_left };
    }
    this._changed("vote", item);
  }

  /** Record that a submission was stored as contribution `id`. */
  markMine(id) {
    this.mine.add(id);
    const item = this.state && this.state.contributions.get(id);
    if (item && !item.mine) {
      item.mine = true;
      this._changed("contribution", item);
    }
  }

  // ----- wiring -----

  _wire() {
    const s = this.socket;
    s.on("connect", () => {
      this._refusals = 0;
      this._setStatus("connected");
    });
    s.on("disconnect", (reason) => {
      if (this.removed) {
        this._setStatus(this.gone || "removed");
        return;
      }
      if (reason === "io server disconnect") {
        // The server closed this socket on purpose: ask again (it may refuse).
        window.setTimeout(() => s.connect(), 1000);
      }
      this._setStatus(navigator.onLine === false ? "offline" : "reconnecting");
    });
    s.on("connect_error", (error) => {
      if (this.removed) {
        this._setStatus(this.gone || "removed");
        return;
      }
      if (s.active) {
        // A network failure: the client keeps trying by itself.
        this._setStatus(navigator.onLine === false ? "offline" : "reconnecting");
        return;
      }
      // Refused by the server (e.g. unknown participant): try again later. A
      // server asked for too many snapshots says when to come back; the page
      // keeps its state and outbox meanwhile.
      const busy = error && (error.message === "rate_limited" || error.message === "too_many_connections");
      this._setStatus(busy ? "busy" : "refused", error && error.message);
      let delay = RETRY_AFTER_REFUSAL_MS[Math.min(this._refusals, RETRY_AFTER_REFUSAL_MS.length - 1)];
      const retryAfter = error && error.data && Number(error.data.retry_after);
      if (retryAfter > 0) delay = retryAfter * 1000 + Math.random() * 1000;
      this._refusals += 1;
      window.clearTimeout(this._retryTimer);
      this._retryTimer = window.setTimeout(() => s.connect(), delay);
    });
    window.addEventListener("offline", () => this._setStatus("offline"));
    const wakeUp = () => {
      if (!s.connected && !this.removed) {
        this._setStatus("reconnecting");
        // A sleeping phone's backoff may be long: try now.
        window.clearTimeout(this._retryTimer);
        s.connect();
      }
    };
    window.addEventListener("online", wakeUp);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") wakeUp();
    });

    s.on("snapshot", (data) => this._snapshot(data));
    s.on("resynced", (data) => this._resynced(data));
    for (const name of STATE_EVENTS) s.on(name, (data) => this._gate.receive(name, data));
    // Final, whatever the order: no snapshot follows on this connection.
    s.on("removed", (data) => {
      const reason = data && (data.reason === "left" || data.reason === "erased") ? data.reason : null;
      this._end(reason);
    });
    s.on("workshop_deleted", () => this._end("deleted"));
  }

  /** The server ended this page's part in the workshop: stop reconnecting. */
  _end(gone) {
    this.removed = true;
    this.gone = gone;
    window.clearTimeout(this._retryTimer);
    this.socket.disconnect();
    this._setStatus(gone || "removed");
    this._changed("removed", { gone });
  }

  _setStatus(status, detail = "") {
    if (this.status === status && this.statusDetail === detail) return;
    this.status = status;
    this.statusDetail = detail || "";
    this.dispatchEvent(new CustomEvent("status", { detail: { status, detail } }));
  }

  _changed(type, data) {
    if (this._quiet) return;
    this.dispatchEvent(new CustomEvent("change", { detail: { type, data } }));
  }

  /** Apply the events the gate held, then tell the page once that the whole state may have changed. */
  _settle(release, domEvent, phaseBefore) {
    this._quiet = true;
    try {
      release();
    } finally {
      this._quiet = false;
    }
    this.dispatchEvent(new CustomEvent(domEvent, { detail: this.state }));
    this._changed("snapshot", this.state);
    const phase = this.state.workshop.phase;
    if (phaseBefore !== null && phase !== phaseBefore) this._changed("phase", { phase, previous: phaseBefore });
  }

  /** One held or live event, newer than the base (the gate checked). */
  _apply(name, data) {
    if (!data || typeof data !== "object" || !this.state) return;
    const handler = this._handlers[name];
    if (handler) handler.call(this, data);
  }

  _snapshot(data) {
    if (!data || typeof data !== "object" || !data.workshop) return;
    const phaseBefore = this.state ? this.state.workshop.phase : null;
    const isParticipant = data.role === "participant";
    if (isParticipant) {
      this.mine.clear();
      this.voted.clear();
    }
    const seq = typeof data.seq === "number" ? data.seq : 0;
    const items = Array.isArray(data.contributions) ? data.contributions : [];
    for (const item of items) {
      if (item.mine) this.mine.add(item.id);
      if (item.voted) this.voted.add(item.id);
    }
    this._contributions.reset(items, seq);
    this._themes.reset(Array.isArray(data.themes) ? data.themes : [], seq);
    this._versions.reset(seq);
    this._deletedThemes.clear();
    const presence = data.presence || { joined: 0, online: 0 };
    this._presenceVersion = typeof presence.version === "number" ? presence.version : -Infinity;
    this.state = {
      seq,
      role: data.role,
      workshop: data.workshop,
      themes: this._themes.items,
      contributions: this._contributions.items,
      me: data.me || null,
      presence: { joined: presence.joined, online: presence.online },
      timer: stampTimer(data.timer),
      notes: data.notes || {},
      pairs: data.pairs || { stage: null, pairs: [] },
    };
    this._settle(() => this._gate.snapshot(seq), "snapshot", phaseBefore);
  }

  _resynced(data) {
    if (!this.state || !this._gate.holding) return;
    const phaseBefore = this.state.workshop.phase;
    this._settle(() => this._gate.resynced(data && data.seq), "synced", phaseBefore);
  }

  _bump(seq) {
    if (typeof seq === "number" && seq > this.state.seq) this.state.seq = seq;
  }

  // ----- events (each newer than the base, in any order) -----

  /** Take the workshop's fields that are newer than the ones held; returns those taken. */
  _mergeWorkshop(fields, seq) {
    const taken = {};
    for (const [field, value] of Object.entries(fields)) {
      if (field === "seq") continue;
      if (field === "prompts" && value && typeof value === "object") {
        const prompts = { ...this.state.workshop.prompts };
        let changed = false;
        for (const [phase, list] of Object.entries(value)) {
          if (this._versions.take(`prompt.${phase}`, seq)) {
            prompts[phase] = list;
            changed = true;
          }
        }
        if (changed) taken.prompts = prompts;
      } else if (this._versions.take(`w.${field}`, seq)) {
        taken[field] = value;
      }
    }
    this.state.workshop = { ...this.state.workshop, ...taken };
    return taken;
  }

  _phase(data) {
    const previous = this.state.workshop.phase;
    const fields = { phase: data.phase, votes_revealed: false }; // each round starts secret again
    if (Array.isArray(data.prompts)) fields.prompts = { [data.phase]: data.prompts };
    const taken = this._mergeWorkshop(fields, data.seq);
    this._bump(data.seq);
    if (Object.keys(taken).length) this._changed("phase", { phase: this.state.workshop.phase, previous });
  }

  _workshop(data) {
    const previous = this.state.workshop.phase;
    const before = this.state.workshop.votes_per_participant;
    const taken = this._mergeWorkshop(data, data.seq);
    const me = this.state.me;
    const after = this.state.workshop.votes_per_participant;
    if ("votes_per_participant" in taken && me && me.votes_left && typeof before === "number" && after !== before) {
      // The event does not say how many votes this participant has left: move by the change.
      const left = {};
      for (const [kind, n] of Object.entries(me.votes_left)) left[kind] = Math.max(0, n + after - before);
      me.votes_left = left;
    }
    this._bump(data.seq);
    if (!Object.keys(taken).length) return;
    this._changed("workshop", this.state.workshop);
    if (this.state.workshop.phase !== previous) {
      this._changed("phase", { phase: this.state.workshop.phase, previous });
    }
  }

  /** The theme a story is in at `seq`, following deletions and merges that came later. */
  _liveTheme(themeId, seq) {
    let id = themeId;
    for (let hops = 0; typeof id === "number" && hops < 100; hops += 1) {
      const deleted = this._deletedThemes.get(id);
      if (!deleted || (typeof seq === "number" && deleted.seq <= seq)) break;
      id = deleted.into;
    }
    return id;
  }

  /** Upsert a contribution as this viewer sees it; the room's views drop hidden ones. */
  _upsertContribution(incoming, seq) {
    if (this.state.role !== "facilitator" && incoming.hidden) {
      return this._contributions.remove(incoming.id, seq);
    }
    const fields = { ...incoming };
    if ("theme_id" in fields) fields.theme_id = this._liveTheme(fields.theme_id, seq);
    const item = this._contributions.upsert(incoming.id, fields, seq);
    if (item && this.state.role === "participant") {
      if (this.ownClientIds.has(item.client_id)) this.mine.add(item.id);
      if (incoming.mine) this.mine.add(item.id);
      item.mine = this.mine.has(item.id);
      item.voted = this.voted.has(item.id);
    }
    return Boolean(item);
  }

  _contribution(data) {
    if (typeof data.id !== "number") return;
    const { seq, ...incoming } = data;
    const changed = this._upsertContribution(incoming, seq);
    this._bump(seq);
    if (changed) this._changed("contribution", incoming);
  }

  /** The room's whole list again (sent when what the room may see changed). */
  _contributionsReplaced(data) {
    if (!Array.isArray(data.items)) return;
    const items = data.items.map((incoming) =>
      "theme_id" in incoming ? { ...incoming, theme_id: this._liveTheme(incoming.theme_id, data.seq) } : incoming,
    );
    // The room's list leaves out what waits for approval: keep one's own (pre-moderation).
    const listed = new Set(items.map((item) => item.id));
    for (const item of this._contributions.values()) {
      if (item.mine && item.approved === false && !listed.has(item.id)) items.push({ ...item });
    }
    this._contributions.replaceAll(items, data.seq);
    if (this.state.role === "participant") {
      for (const item of this._contributions.values()) {
        item.mine = this.mine.has(item.id);
        item.voted = this.voted.has(item.id);
      }
    }
    this._bump(data.seq);
    this._changed("contributions", data);
  }

  /** An item left the room: hidden by the facilitator, or (`deleted`) withdrawn or erased. */
  _hidden(data) {
    if (typeof data.id !== "number") return;
    let changed;
    if (data.deleted) {
      // Withdrawn or erased: gone for every viewer, and its votes with it.
      const item = this._contributions.get(data.id);
      const me = this.state.me;
      if (item && me && me.votes_left && this.voted.has(data.id)) {
        me.votes_left = { ...me.votes_left, [item.kind]: (me.votes_left[item.kind] || 0) + 1 };
      }
      this.voted.delete(data.id);
      this.mine.delete(data.id);
      changed = this._contributions.remove(data.id, data.seq);
    } else {
      changed =
        this.state.role === "facilitator"
          ? Boolean(this._contributions.update(data.id, { hidden: true }, data.seq))
          : this._contributions.remove(data.id, data.seq);
    }
    this._bump(data.seq);
    if (changed) this._changed("contribution_hidden", data);
  }

  _theme(data) {
    if (typeof data.id !== "number") return;
    const theme = this._themes.upsert(data.id, { name: data.name }, data.seq);
    this._bump(data.seq);
    if (theme) this._changed("theme", data);
  }

  /** A theme was deleted (its items ungrouped) or merged into another. */
  _themeDeleted(data) {
    if (typeof data.id !== "number") return;
    const into = typeof data.merged_into === "number" ? data.merged_into : null;
    if (typeof data.seq === "number") this._deletedThemes.set(data.id, { seq: data.seq, into });
    this._themes.remove(data.id, data.seq);
    // Stories in the theme until then move with it (unless moved again later).
    for (const item of Array.from(this._contributions.values())) {
      if (item.theme_id === data.id) this._contributions.update(item.id, { theme_id: into }, data.seq);
    }
    this._bump(data.seq);
    this._changed("theme_deleted", data);
  }

  _tally(data) {
    if (typeof data.contribution_id !== "number") return;
    const item = this._contributions.update(data.contribution_id, { votes: data.votes }, data.seq);
    this._bump(data.seq);
    if (item) this._changed("tally", data);
  }

  /** Counts read later carry a higher version; older ones arriving late are skipped. */
  _presence(data) {
    if (typeof data.version === "number") {
      if (data.version <= this._presenceVersion) return;
      this._presenceVersion = data.version;
    }
    this.state.presence = { joined: data.joined, online: data.online };
    this._changed("presence", this.state.presence);
  }

  _timer(data) {
    if (!this._versions.take("timer", data.seq)) return;
    const { seq, ...timer } = data;
    this.state.timer = stampTimer(timer);
    this._bump(seq);
    this._changed("timer", this.state.timer);
  }

  /** This participant's interview pair changed (`pair_id: null`: pairing ended). */
  _pair(data) {
    if (!this.state.me || !this._versions.take("pair", data.seq)) return;
    const { seq, ...pair } = data;
    this.state.me.pair = pair.pair_id ? pair : null;
    this._bump(seq);
    this._changed("pair", this.state.me.pair);
  }

  /** The facilitator's list of interview pairs. */
  _pairs(data) {
    if (!this._versions.take("pairs", data.seq)) return;
    this.state.pairs = { stage: data.stage ?? null, pairs: Array.isArray(data.pairs) ? data.pairs : [] };
    this._bump(data.seq);
    this._changed("pairs", this.state.pairs);
  }

  /** Replace the pairs from an ack (pairing_start answers with them). */
  setPairs(pairs, stage = 0) {
    if (!this.state) return;
    this.state.pairs = { stage, pairs };
    this._changed("pairs", this.state.pairs);
  }

  _notes(data) {
    if (!this._versions.take("notes", data.seq)) return;
    this.state.notes = data.notes || {};
    this._bump(data.seq);
    this._changed("notes", this.state.notes);
  }
}

/** The events that change a session's state, and their handlers. */
const HANDLERS = {
  phase: LiveSession.prototype._phase,
  workshop: LiveSession.prototype._workshop,
  contribution: LiveSession.prototype._contribution,
  contribution_hidden: LiveSession.prototype._hidden,
  contributions: LiveSession.prototype._contributionsReplaced,
  theme: LiveSession.prototype._theme,
  theme_deleted: LiveSession.prototype._themeDeleted,
  tally: LiveSession.prototype._tally,
  presence: LiveSession.prototype._presence,
  timer: LiveSession.prototype._timer,
  pair: LiveSession.prototype._pair,
  pairs: LiveSession.prototype._pairs,
  notes: LiveSession.prototype._notes,
};
const STATE_EVENTS = Object.keys(HANDLERS);
LiveSession.prototype._handlers = HANDLERS;

/** A timer object stamped with this device's clock when it arrived (see timer.js). */
function stampTimer(timer) {
  return timer && typeof timer === "object" ? { ...timer, received_at: Date.now() } : null;
}

/** The visible name of a connection state. */
export function statusLabel(status) {
  switch (status) {
    case "connected":
      return _("Connected");
    case "reconnecting":
      return _("Reconnecting…");
    case "offline":
      return _("Offline");
    case "refused":
      return _("Not connected");
    case "busy":
      return _("The server is busy. Trying again shortly…");
    case "removed":
      return _("You were removed from this workshop.");
    case "left":
      return _("You left this workshop.");
    case "erased":
      return _("Your participation was erased.");
    case "deleted":
      return _("This workshop was deleted.");
    default:
      return _("Connecting…");
  }
}

/** Show the session's connection state in `element` (a role="status" region). */
export function bindStatus(session, element) {
  const show = () => {
    element.dataset.state = session.status;
    const label = statusLabel(session.status);
    if (element.textContent !== label) element.textContent = label;
  };
  session.addEventListener("status", show);
  show();
}
