// A programme dashboard's cards as the server stored them, by the rule of ordering.js.
//
// The `programme` snapshot lists every card; `workshop_progress` brings one.
// Each card carries its own `seq` (its workshop's), so cards order
// themselves: the gate holds each connection's events until its snapshot
// (`unordered`: they are not compared with a seq of the snapshot's, which
// has none), and Records keeps, per workshop, the newest card, field by
// field, and a tombstone for one that left the programme, so a late older
// event neither rolls a card back nor brings a departed workshop back.
// No DOM here: the page draws what `onCard` and `onGone` report.

import { Records, SyncGate } from "./ordering.js";

export class ProgrammeCards {
  /**
   * @param {number} programmeId the programme this dashboard shows.
   * @param {{onCard?: (card, isNew: boolean) => void, onGone?: (id: number) => void}} hooks
   */
  constructor(programmeId, hooks = {}) {
    this.programmeId = programmeId;
    this.onCard = hooks.onCard || (() => {});
    this.onGone = hooks.onGone || (() => {});
    this._records = new Records();
    this._gate = new SyncGate((_name, event) => this._apply(event), { unordered: ["workshop_progress"] });
  }

  /** Workshop id -> its newest card. */
  get cards() {
    return this._records.items;
  }

  /** True from the start of a connection attempt until its snapshot. */
  get holding() {
    return this._gate.holding;
  }

  /** A connection attempt starts (the socket's `auth` callback): events wait for its snapshot. */
  connecting() {
    this._gate.connecting();
  }

  /** A `workshop_progress` event. */
  progress(event) {
    this._gate.receive("workshop_progress", event);
  }

  /** A `programme` event: every card as the server read it, then what waited for it. Returns the ids. */
  snapshot(data) {
    const before = new Set(this._records.items.keys());
    this._records.reset([], null);
    const present = new Set();
    for (const card of data.workshops || []) {
      present.add(card.id);
      this._records.upsert(card.id, card, card.seq);
      const shown = this._records.get(card.id);
      shown.seq = card.seq;
      this.onCard(shown, !before.has(card.id));
    }
    for (const id of before) {
      if (!present.has(id)) this.onGone(id);
    }
    this._gate.snapshot(0);
    return present;
  }

  _apply(event) {
    const id = event && event.workshop_id;
    if (typeof id !== "number" || typeof event.seq !== "number") return;
    if (event.programme_id !== this.programmeId) {
      // Moved to another programme (or none): gone here, unless it comes back later.
      if (this._records.remove(id, event.seq)) this.onGone(id);
      return;
    }
    const isNew = !this._records.has(id);
    const card = this._records.upsert(id, { ...event, id }, event.seq);
    if (!card) return; // seen already, or older than what is shown
    // A workshop new to this page: what this person may do with it is not known yet (null).
    if (!("may" in card)) card.may = null;
    card.seq = Math.max(card.seq ?? -Infinity, event.seq);
    this.onCard(card, isNew);
  }
}
