// The cards of a programme's dashboard as the server stored them, whatever the order on the wire.
//
// Ordering on the wire: events that arrive before the `programme` snapshot
// wait in a buffer; once the snapshot is applied, an event is applied only if
// its `seq` is newer than its card's (a card's `seq` only grows), and
// applying is an upsert by workshop id, so an event seen twice or late
// changes nothing. After a disconnection, events wait for the next snapshot
// again. No DOM here: the page draws what `onCard` and `onGone` report.

export class ProgrammeState {
  /**
   * @param {number} programmeId the programme this dashboard shows.
   * @param {{onCard?: (card, isNew: boolean) => void, onGone?: (id: number) => void}} hooks
   */
  constructor(programmeId, hooks = {}) {
    this.programmeId = programmeId;
    this.onCard = hooks.onCard || (() => {});
    this.onGone = hooks.onGone || (() => {});
    /** Workshop id -> the newest card applied. */
    this.cards = new Map();
    /** Workshop id -> the seq at which it left the programme. */
    this.departed = new Map();
    this.buffer = [];
    this.ready = false;
  }

  /** The connection dropped: events wait for the next connection's snapshot. */
  disconnected() {
    this.ready = false;
    this.buffer = [];
  }

  /** A `programme` event: every card as the server read it, then what waited for it. */
  snapshot(data) {
    const present = new Set();
    for (const card of data.workshops || []) {
      present.add(card.id);
      const known = this.cards.get(card.id);
      this.departed.delete(card.id);
      // A card never goes back: an event applied before a reconnection may be newer.
      if (known && card.seq < known.seq) continue;
      this.cards.set(card.id, card);
      this.onCard(card, !known);
    }
    for (const id of Array.from(this.cards.keys())) {
      if (!present.has(id)) this._remove(id);
    }
    this.ready = true;
    const waiting = this.buffer;
    this.buffer = [];
    for (const event of waiting) this._apply(event);
    return present;
  }

  /** A `workshop_progress` event. */
  progress(event) {
    if (!this.ready) {
      this.buffer.push(event);
      return;
    }
    this._apply(event);
  }

  _apply(event) {
    const id = event.workshop_id;
    const known = this.cards.get(id);
    if (known && !(event.seq > known.seq)) return; // seen already, or older than what is shown
    if (this.departed.has(id) && event.seq <= this.departed.get(id)) return;
    if (event.programme_id !== this.programmeId) {
      this.departed.set(id, event.seq);
      if (known) this._remove(id);
      return;
    }
    // A workshop new to this page: what this person may do with it is not known yet (null).
    const card = { ...(known || { may: null }), ...event, id };
    this.cards.set(id, card);
    this.onCard(card, !known);
  }

  _remove(id) {
    this.cards.delete(id);
    this.onGone(id);
  }
}
