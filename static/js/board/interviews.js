// The board's paired interviews panel: start, swap roles, end, and the pairs.

import { byId, el, reconcile, setText } from "../dom.js";
import { _, formatNumber, ngettext } from "../i18n.js";
import { memberLabel, pairRoles } from "../pairs.js";

/** Wire the paired interviews panel; returns its redraw(type). */
export function initPairs({ session, act, say }) {
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
