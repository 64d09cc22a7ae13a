// The order of a live workshop's events on a client: the rule every screen follows.
//
// The server joins a socket to its rooms before it reads the socket's
// snapshot, and reads the snapshot as one committed moment stamped with that
// moment's `seq`. So every change after the snapshot reaches the socket as an
// event with a higher `seq`, possibly *before* the snapshot itself, and
// events may overtake each other (two server workers, a replay next to live
// events, a reconnection in the middle). The rule, after Socket.IO's own
// connection-state recovery (at least once, with offsets):
//
// 1. From the start of each connection attempt until its snapshot (or its
//    `resynced`, after a replay), events are held, not applied (`SyncGate`).
// 2. Then the held events, in `seq` order, and every later event are applied
//    only if their `seq` is higher than the snapshot's (or the last resync's).
// 3. Every event is applied idempotently, field by field: a value replaces the
//    one held only if its `seq` is higher (`Versions`), and a removal leaves a
//    tombstone (`Records`). An older event that arrives late can neither undo
//    a newer change nor bring back what was removed.
// 4. A reconnection asks for the events after the last snapshot or resync
//    (`SyncGate.connecting()`), not after the highest `seq` seen: an earlier
//    event may still have been on its way when the connection dropped.
//
// Nothing here knows sockets or the workshop: LiveSession (live.js) builds the
// workshop's screens on it, and any other live client can do the same.

/** The `seq` of an event's payload, or null when it carries none. */
function seqOf(data) {
  return data && typeof data.seq === "number" ? data.seq : null;
}

/**
 * Holds a connection's events until its snapshot or resync, then passes on
 * those newer than it.
 *
 *   const gate = new SyncGate((name, data) => applyToState(name, data));
 *   io({auth: (cb) => cb({since: gate.connecting()})});
 *   socket.on("snapshot", (data) => { replaceState(data); gate.snapshot(data.seq); });
 *   socket.on("resynced", (data) => gate.resynced(data.seq));
 *   socket.onAny((name, data) => gate.receive(name, data));
 */
export class SyncGate {
  /**
   * @param {(name: string, data: any) => void} apply applies one event to the state.
   * @param {{unordered?: Iterable<string>}} options `unordered`: events that are
   *   held like the others but not compared with the snapshot's `seq` (they
   *   order themselves, e.g. `presence` by its own version).
   */
  constructor(apply, options = {}) {
    this._apply = apply;
    this._unordered = new Set(options.unordered || []);
    /** The `seq` up to which the state is complete (snapshot or resync); null before the first. */
    this.base = null;
    /** True from the start of a connection attempt until its snapshot or resync. */
    this.holding = true;
    this._held = [];
  }

  /**
   * A connection attempt starts (call it from the `auth` callback, which runs
   * before any of the new connection's packets arrive). Returns the `since`
   * to send: the seq of the last snapshot or resync, or null for none.
   */
  connecting() {
    // What the previous attempt held is dropped: the new snapshot or replay covers it.
    this.holding = true;
    this._held = [];
    return this.base !== null && this.base > 0 ? this.base : null;
  }

  /** An event arrived: held while syncing, applied if newer than the base, else dropped. */
  receive(name, data) {
    if (this.holding) {
      this._held.push([name, data]);
      return;
    }
    if (this._wanted(name, data)) this._apply(name, data);
  }

  /** The state was just replaced by a snapshot taken at `seq`: apply what came after it. */
  snapshot(seq) {
    this.base = typeof seq === "number" ? seq : 0;
    this._release();
  }

  /** The replay after `since` is complete, up to `seq`: apply what was held. */
  resynced(seq) {
    if (this.base === null) return; // a resync answers a `since`; without a base it is stray
    this._release();
    if (typeof seq === "number" && seq > this.base) this.base = seq;
  }

  /** Forget everything (the state was discarded). */
  reset() {
    this.base = null;
    this.holding = true;
    this._held = [];
  }

  _wanted(name, data) {
    if (this._unordered.has(name)) return true;
    const seq = seqOf(data);
    return seq === null || seq > this.base;
  }

  _release() {
    const held = this._held;
    this._held = [];
    this.holding = false;
    const ordered = [];
    const unordered = [];
    for (const [name, data] of held) {
      if (!this._wanted(name, data)) continue;
      (this._unordered.has(name) || seqOf(data) === null ? unordered : ordered).push([name, data]);
    }
    // Array.prototype.sort is stable: the events of one change keep their order.
    ordered.sort((a, b) => seqOf(a[1]) - seqOf(b[1]));
    for (const [name, data] of ordered) this._apply(name, data);
    for (const [name, data] of unordered) this._apply(name, data);
  }
}

/** The `seq` of the value held for each key; values at or below `floor` came with the snapshot. */
export class Versions {
  constructor() {
    this._seq = new Map();
    this.floor = -Infinity;
  }

  /** Forget every key: the state was replaced by a snapshot taken at `seq`. */
  reset(seq) {
    this._seq.clear();
    this.floor = typeof seq === "number" ? seq : -Infinity;
  }

  has(key) {
    return this._seq.has(key);
  }

  /** The `seq` of the value held for `key` (the floor when none was set since). */
  of(key) {
    const seq = this._seq.get(key);
    return seq === undefined ? this.floor : seq;
  }

  /** True when a value for `key` at `seq` is newer than the one held; it is then recorded. */
  take(key, seq) {
    if (typeof seq !== "number") return true; // an event without seq cannot be ordered
    if (seq <= this.of(key)) return false;
    this._seq.set(key, seq);
    return true;
  }
}

/**
 * Items by id, each field versioned, removals kept as tombstones.
 *
 * `items` holds the items present now. Fields of an item not (or no longer)
 * present are still recorded with their versions, so that an event for an
 * item that has not arrived yet (a vote count overtaking the item itself) is
 * kept until the item comes.
 */
export class Records {
  constructor() {
    /** @type {Map<number, object>} the items present now, by id */
    this.items = new Map();
    this._data = new Map();
    this._versions = new Versions();
    // Ids absent from the last full list (`replaceAll`) are absent at its seq.
    this._listedAt = -Infinity;
  }

  /** Replace everything with a snapshot's items, taken at `seq`. */
  reset(list, seq) {
    this.items.clear();
    this._data.clear();
    this._versions.reset(seq);
    this._listedAt = -Infinity;
    for (const item of list) {
      this._data.set(item.id, item);
      this.items.set(item.id, item);
    }
  }

  get(id) {
    return this.items.get(id);
  }

  has(id) {
    return this.items.has(id);
  }

  values() {
    return this.items.values();
  }

  /** The seq at which `id`'s presence or absence was last decided. */
  _presenceSeq(id) {
    const key = `${id}`;
    return this._versions.has(key) ? this._versions.of(key) : Math.max(this._versions.floor, this._listedAt);
  }

  /**
   * The item `id` exists at `seq` with these fields (all or some of them).
   * Each field is taken if newer than the one held; the item is present from
   * then on unless removed later. Returns the item if anything changed, else null.
   */
  upsert(id, fields, seq) {
    return this._merge(id, fields, seq, true);
  }

  /**
   * Some fields of item `id` changed at `seq` (a vote count, a flag): each is
   * taken if newer; whether the item is present does not change. Returns the
   * item if it is present and anything changed, else null.
   */
  update(id, fields, seq) {
    return this._merge(id, fields, seq, false);
  }

  _merge(id, fields, seq, exists) {
    const old = this._data.get(id) || { id };
    const changes = {};
    let changed = false;
    for (const [field, value] of Object.entries(fields)) {
      if (field === "id" || field === "seq") continue;
      if (!this._versions.take(`${id}.${field}`, seq)) continue;
      changes[field] = value;
      changed = true;
    }
    let present = this.items.has(id);
    if (exists && !present && (typeof seq !== "number" || seq > this._presenceSeq(id))) {
      if (typeof seq === "number") this._versions.take(`${id}`, seq);
      changed = true;
      present = true;
    } else if (exists && typeof seq === "number" && seq > this._presenceSeq(id)) {
      this._versions.take(`${id}`, seq);
    }
    if (!changed) return null;
    const item = { ...old, ...changes };
    this._data.set(id, item);
    if (present) this.items.set(id, item);
    return present ? item : null;
  }

  /** The item `id` is gone at `seq` (hidden, deleted): removed unless it came back later. */
  remove(id, seq) {
    if (typeof seq === "number") {
      if (seq <= this._presenceSeq(id)) return false;
      this._versions.take(`${id}`, seq);
    }
    return this.items.delete(id);
  }

  /** At `seq` the items are exactly `list`: upsert each, remove the others. */
  replaceAll(list, seq) {
    const listed = new Set();
    for (const item of list) {
      listed.add(item.id);
      this.upsert(item.id, item, seq);
    }
    for (const id of Array.from(this._data.keys())) {
      if (!listed.has(id)) this.remove(id, seq);
    }
    if (typeof seq === "number" && seq > this._listedAt) this._listedAt = seq;
  }

  /** Change an item locally (an ack the next event will confirm): no version. */
  patch(id, changes) {
    const item = this.items.get(id);
    if (!item) return null;
    Object.assign(item, changes);
    return item;
  }
}
