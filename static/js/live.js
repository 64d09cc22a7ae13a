// The live connection to a workshop, shared by the board and the participant page.
//
// LiveSession opens the Socket.IO connection (same origin, default transports:
// polling first, then the WebSocket upgrade), keeps the workshop's state
// from `snapshot` and the room's events, and reports the connection state.
// socket.io-client reconnects by itself (backoff with jitter), and again as
// soon as the page is visible or the network is back. Each connection sends
// the last `seq` seen: the server replays only the missed events (then
// `resynced`), or sends a fresh `snapshot`, which replaces the whole state.
//
// Events carry the workshop's `seq`. The snapshot contains every change up
// to its own seq, so older events are skipped; per item, an event older than
// the last one applied is skipped too (events may overtake each other).

import { io } from "../vendor/socket.io.esm.min.js";
import { _ } from "./i18n.js";

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
   * @param {{view?: string}} options `view: "screen"` for the projector: the
   *   room's view (names and vote counts as the room sees them), no controls.
   */
  constructor(workshopId, options = {}) {
    super();
    this.workshopId = Number(workshopId);
    /**
     * @type {null | {seq, role, workshop, themes: Map, contributions: Map, me, presence,
     *   timer, notes, pairs}}
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
    this._baseSeq = -1;
    this._seqOf = new Map();
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
    // A function, so every reconnection sends the seq seen so far.
    const auth = (callback) => {
      const data = { workshop_id: this.workshopId };
      if (this.view) data.view = this.view;
      if (this.state && this.state.seq > 0) data.since = this.state.seq;
      callback(data);
    };
    this.socket = io({
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
    const item = this.state && this.state.contributions.get(id);
    if (!item) return;
    Object.assign(item, changes);
    this._changed("contribution", item);
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
        this._setStatus("removed");
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
        this._setStatus("removed");
        return;
      }
      if (s.active) {
        // A network failure: the client keeps trying by itself.
        this._setStatus(navigator.onLine === false ? "offline" : "reconnecting");
        return;
      }
      // Refused by the server (e.g. unknown participant): try again later.
      this._setStatus("refused", error && error.message);
      const delay = RETRY_AFTER_REFUSAL_MS[Math.min(this._refusals, RETRY_AFTER_REFUSAL_MS.length - 1)];
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
    s.on("resynced", (data) => {
      if (!this.state) return;
      this._bump(data && data.seq);
      this.dispatchEvent(new CustomEvent("synced", { detail: this.state }));
    });
    s.on("phase", (data) => this._phase(data));
    s.on("workshop", (data) => this._workshop(data));
    s.on("contribution", (data) => this._contribution(data));
    s.on("contribution_hidden", (data) => this._hidden(data));
    s.on("contributions", (data) => this._contributionsReplaced(data));
    s.on("theme", (data) => this._theme(data));
    s.on("theme_deleted", (data) => this._themeDeleted(data));
    s.on("tally", (data) => this._tally(data));
    s.on("presence", (data) => this._presence(data));
    s.on("timer", (data) => this._timer(data));
    s.on("pair", (data) => this._pair(data));
    s.on("pairs", (data) => this._pairs(data));
    s.on("notes", (data) => this._notes(data));
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
    this.dispatchEvent(new CustomEvent("change", { detail: { type, data } }));
  }

  /** True when an event for `key` with `seq` is newer than what the state holds. */
  _fresh(key, seq) {
    if (!this.state) return false;
    if (typeof seq !== "number") return true;
    if (seq <= this._baseSeq) return false;
    const last = this._seqOf.get(key);
    if (last !== undefined && seq < last) return false;
    this._seqOf.set(key, seq);
    return true;
  }

  _snapshot(data) {
    if (!data || typeof data !== "object" || !data.workshop) return;
    const contributions = new Map();
    const isParticipant = data.role === "participant";
    if (isParticipant) {
      this.mine.clear();
      this.voted.clear();
    }
    for (const item of data.contributions || []) {
      contributions.set(item.id, item);
      if (item.mine) this.mine.add(item.id);
      if (item.voted) this.voted.add(item.id);
    }
    this.state = {
      seq: data.seq,
      role: data.role,
      workshop: data.workshop,
      themes: new Map((data.themes || []).map((t) => [t.id, t])),
      contributions,
      me: data.me || null,
      presence: data.presence || { joined: 0, online: 0 },
      timer: stampTimer(data.timer),
      notes: data.notes || {},
      pairs: data.pairs || { stage: null, pairs: [] },
    };
    this._baseSeq = typeof data.seq === "number" ? data.seq : -1;
    this._seqOf.clear();
    this.dispatchEvent(new CustomEvent("snapshot", { detail: this.state }));
    this._changed("snapshot", this.state);
  }

  _phase(data) {
    if (!data || !this._fresh("workshop", data.seq)) return;
    const previous = this.state.workshop.phase;
    this.state.workshop.phase = data.phase;
    // The server starts each voting round secret again (if counts are hidden).
    if (data.phase !== previous) this.state.workshop.votes_revealed = false;
    if (Array.isArray(data.prompts)) {
      this.state.workshop.prompts = { ...this.state.workshop.prompts, [data.phase]: data.prompts };
    }
    this._bump(data.seq);
    this._changed("phase", { phase: data.phase, previous });
  }

  _workshop(data) {
    if (!data || !this._fresh("workshop", data.seq)) return;
    const previous = this.state.workshop.phase;
    const { seq, ...workshop } = data;
    const me = this.state.me;
    const before = this.state.workshop.votes_per_participant;
    const after = workshop.votes_per_participant;
    if (me && me.votes_left && typeof before === "number" && typeof after === "number" && after !== before) {
      // The event does not say how many votes this participant has left: move by the change.
      const left = {};
      for (const [kind, n] of Object.entries(me.votes_left)) left[kind] = Math.max(0, n + after - before);
      me.votes_left = left;
    }
    this.state.workshop = { ...this.state.workshop, ...workshop };
    this._bump(seq);
    this._changed("workshop", this.state.workshop);
    if (workshop.phase && workshop.phase !== previous) {
      this._changed("phase", { phase: workshop.phase, previous });
    }
  }

  _contribution(data) {
    if (!data || typeof data.id !== "number" || !this._fresh(`c:${data.id}`, data.seq)) return;
    const { seq, ...incoming } = data;
    if (this.state.role !== "facilitator" && incoming.hidden) {
      this.state.contributions.delete(incoming.id);
    } else {
      const old = this.state.contributions.get(incoming.id);
      const item = { ...(old || {}), ...incoming };
      if (this.state.role === "participant") {
        if (this.ownClientIds.has(item.client_id)) this.mine.add(item.id);
        item.mine = Boolean((old && old.mine) || this.mine.has(item.id));
        item.voted = this.voted.has(item.id);
      }
      this.state.contributions.set(item.id, item);
    }
    this._bump(seq);
    this._changed("contribution", incoming);
  }

  /** The room's whole list again (sent when what the room may see changed). */
  _contributionsReplaced(data) {
    if (!data || !Array.isArray(data.items) || !this._fresh("contributions", data.seq)) return;
    const contributions = new Map();
    for (const incoming of data.items) {
      const old = this.state.contributions.get(incoming.id);
      const item = { ...(old || {}), ...incoming };
      if (this.state.role === "participant") {
        item.mine = this.mine.has(item.id);
        item.voted = this.voted.has(item.id);
      }
      contributions.set(item.id, item);
    }
    this.state.contributions = contributions;
    this._bump(data.seq);
    this._changed("contributions", data);
  }

  /** An item left the room: hidden by the facilitator, or (`deleted`) withdrawn or erased. */
  _hidden(data) {
    if (!data || typeof data.id !== "number" || !this._fresh(`c:${data.id}`, data.seq)) return;
    if (data.deleted) {
      const item = this.state.contributions.get(data.id);
      const me = this.state.me;
      // Its votes were deleted with it: a vote spent on it comes back.
      if (item && me && me.votes_left && this.voted.has(data.id)) {
        me.votes_left = { ...me.votes_left, [item.kind]: (me.votes_left[item.kind] || 0) + 1 };
      }
      this.voted.delete(data.id);
      this.mine.delete(data.id);
      this.state.contributions.delete(data.id);
    } else if (this.state.role !== "facilitator") {
      this.state.contributions.delete(data.id);
    } else {
      const item = this.state.contributions.get(data.id);
      if (item) item.hidden = true;
    }
    this._bump(data.seq);
    this._changed("contribution_hidden", data);
  }

  _theme(data) {
    if (!data || typeof data.id !== "number" || !this._fresh(`t:${data.id}`, data.seq)) return;
    this.state.themes.set(data.id, { id: data.id, name: data.name });
    this._bump(data.seq);
    this._changed("theme", data);
  }

  /** A theme was deleted (its items ungrouped) or merged into another. */
  _themeDeleted(data) {
    if (!data || typeof data.id !== "number" || !this._fresh(`t:${data.id}`, data.seq)) return;
    this.state.themes.delete(data.id);
    const into = typeof data.merged_into === "number" ? data.merged_into : null;
    for (const item of this.state.contributions.values()) {
      if (item.theme_id === data.id) item.theme_id = into;
    }
    this._bump(data.seq);
    this._changed("theme_deleted", data);
  }

  _tally(data) {
    if (!data || !this._fresh(`c:${data.contribution_id}`, data.seq)) return;
    const item = this.state.contributions.get(data.contribution_id);
    if (item) item.votes = data.votes;
    this._bump(data.seq);
    this._changed("tally", data);
  }

  _presence(data) {
    if (!data || !this.state) return;
    const last = this._seqOf.get("presence");
    if (typeof data.seq === "number" && last !== undefined && data.seq < last) return;
    if (typeof data.seq === "number") this._seqOf.set("presence", data.seq);
    this.state.presence = { joined: data.joined, online: data.online };
    this._changed("presence", this.state.presence);
  }

  _timer(data) {
    if (!data || !this._fresh("timer", data.seq)) return;
    const { seq, ...timer } = data;
    this.state.timer = stampTimer(timer);
    this._bump(seq);
    this._changed("timer", this.state.timer);
  }

  /** This participant's interview pair changed (`pair_id: null`: pairing ended). */
  _pair(data) {
    if (!data || !this.state.me || !this._fresh("pair", data.seq)) return;
    const { seq, ...pair } = data;
    this.state.me.pair = pair.pair_id ? pair : null;
    this._bump(seq);
    this._changed("pair", this.state.me.pair);
  }

  /** The facilitator's list of interview pairs. */
  _pairs(data) {
    if (!data || !this._fresh("pairs", data.seq)) return;
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
    if (!data || !this._fresh("notes", data.seq)) return;
    this.state.notes = data.notes || {};
    this._bump(data.seq);
    this._changed("notes", this.state.notes);
  }

  _bump(seq) {
    if (typeof seq === "number" && seq > this.state.seq) this.state.seq = seq;
  }
}

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
