// The board's participants list: who joined, who is online, and removing someone.

import { byId, el, reconcile, replace, setText } from "../dom.js";
import { _, ngettext } from "../i18n.js";

const ROSTER_DELAY_MS = 600;

/** Wire the participants list; returns its redraw(type). */
export function initRoster({ session, act, say }) {
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
