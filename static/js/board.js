// The facilitator's live board: phases, join code, the wall, themes and moderation.
//
// Every action is a Socket.IO event answered by an ack; refusals show their
// `message` in the page's alert region. The room's events (which this board
// receives too) keep the wall up to date.

import {
  byVotes,
  cardBody,
  cardMeta,
  newestFirst,
  phaseLabels,
  phaseQuestion,
  renderPrompts,
  votesText,
} from "./cards.js";
import { announce, byId, el, focusMemo, reconcile, restoreFocus, setText } from "./dom.js";
import { _, formatDate, formatNumber, ngettext } from "./i18n.js";
import { bindStatus, LiveSession, PHASE_KIND } from "./live.js";

const body = document.body;
const workshopId = Number(body.dataset.workshopId);
const labels = phaseLabels();
const phaseButtons = Array.from(document.querySelectorAll(".stepper__list [data-phase]"));
const PHASES = phaseButtons.map((button) => button.dataset.phase);
const VIEWS = ["story", "dream", "proposition", "commitment"];

const ui = {
  title: byId("workshop-title"),
  topic: byId("workshop-topic"),
  conn: byId("conn"),
  announce: byId("announce"),
  errors: byId("errors"),
  prev: byId("phase-prev"),
  next: byId("phase-next"),
  phaseName: byId("phase-name"),
  promptTexts: byId("prompt-texts"),
  joined: byId("joined"),
  online: byId("online"),
  themeCreate: byId("theme-create"),
  themeName: byId("theme-name"),
  themes: byId("themes"),
  ungrouped: byId("ungrouped"),
  ungroupedEmpty: byId("ungrouped-empty"),
  dreams: byId("dreams"),
  dreamsEmpty: byId("dreams-empty"),
  propositions: byId("propositions"),
  propositionsEmpty: byId("propositions-empty"),
  commitments: byId("commitments"),
  commitmentsEmpty: byId("commitments-empty"),
  wall: document.querySelector(".board"),
};

const session = new LiveSession(workshopId);
bindStatus(session, ui.conn);

let view = PHASE_KIND[body.dataset.phase] || "story";
let phaseBusy = false;
let promptsShown = null;
/** Themes whose rename form is open. */
const renaming = new Set();

function showError(message) {
  announce(ui.errors, message || _("Something went wrong. Try again."));
}

function clearError() {
  ui.errors.textContent = "";
}

/** Send a facilitator event; show the refusal, if any; resolve with the ack. */
async function act(event, payload) {
  clearError();
  const ack = await session.request(event, payload);
  if (!ack.ok) showError(ack.message);
  return ack;
}

// ----- phases -----

async function setPhase(phase) {
  if (phaseBusy || !session.state || phase === session.state.workshop.phase) return;
  phaseBusy = true;
  renderStepper();
  const ack = await act("set_phase", { phase });
  phaseBusy = false;
  if (ack.ok) announce(ui.announce, _("Now: %(phase)s", { phase: labels[phase] || phase }));
  renderStepper();
}

for (const button of phaseButtons) {
  button.addEventListener("click", () => setPhase(button.dataset.phase));
}
ui.prev.addEventListener("click", () => step(-1));
ui.next.addEventListener("click", () => step(+1));

function step(delta) {
  const index = PHASES.indexOf(currentPhase());
  const target = PHASES[index + delta];
  if (target) setPhase(target);
}

function currentPhase() {
  return session.state ? session.state.workshop.phase : body.dataset.phase;
}

function renderStepper() {
  const phase = currentPhase();
  const index = PHASES.indexOf(phase);
  const offline = !session.connected;
  for (const button of phaseButtons) {
    button.setAttribute("aria-pressed", button.dataset.phase === phase ? "true" : "false");
    button.disabled = phaseBusy || offline;
  }
  ui.prev.disabled = phaseBusy || offline || index <= 0;
  ui.next.disabled = phaseBusy || offline || index >= PHASES.length - 1;
}

// ----- wall views -----

const viewButtons = Array.from(document.querySelectorAll("[data-view]"));
for (const button of viewButtons) {
  button.addEventListener("click", () => {
    view = button.dataset.view;
    renderView();
  });
}

function renderView() {
  for (const button of viewButtons) {
    button.setAttribute("aria-pressed", button.dataset.view === view ? "true" : "false");
  }
  for (const panel of document.querySelectorAll("[data-view-panel]")) {
    panel.hidden = panel.dataset.viewPanel !== view;
  }
}

// ----- themes -----

ui.themeCreate.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = ui.themeName.value.trim();
  if (!name) {
    showError(_("Give the theme a name."));
    ui.themeName.focus();
    return;
  }
  const ack = await act("theme_create", { name });
  if (ack.ok) {
    // Clear the box unless the next name is already being typed.
    if (ui.themeName.value.trim() === name) ui.themeName.value = "";
    announce(ui.announce, _("Theme added: %(name)s", { name }));
  }
  ui.themeName.focus();
});

function themeOptions(selected, noneLabel) {
  return [
    el("option", { value: "", text: noneLabel, selected: !selected }),
    ...session.themes().map((theme) =>
      el("option", { value: String(theme.id), text: theme.name, selected: theme.id === selected }),
    ),
  ];
}

function themeSelect(item, label, noneLabel) {
  const id = `assign-${item.id}`;
  return el(
    "div",
    { class: "assign" },
    el("label", { for: id, text: label }),
    el(
      "select",
      {
        id,
        dataset: { focusKey: "assign" },
        on: { change: (event) => assignSoon(item, event.target) },
      },
      themeOptions(item.theme_id, noneLabel),
    ),
  );
}

/** Pending assignments by contribution id: arrowing through a closed list sends only the last choice. */
const assignTimers = new Map();
const ASSIGN_DELAY_MS = 400;

function assignSoon(item, select) {
  window.clearTimeout(assignTimers.get(item.id));
  assignTimers.set(
    item.id,
    window.setTimeout(() => {
      assignTimers.delete(item.id);
      assign(item, select);
    }, ASSIGN_DELAY_MS),
  );
}

async function assign(item, select) {
  const themeId = select.value ? Number(select.value) : null;
  const ack = await act("theme_assign", { theme_id: themeId, contribution_id: item.id });
  if (ack.ok) {
    session.patchContribution(item.id, { theme_id: themeId });
    const theme = themeId ? session.state.themes.get(themeId) : null;
    announce(
      ui.announce,
      theme ? _("Moved to %(theme)s.", { theme: theme.name }) : _("Moved to Not grouped."),
    );
    // Keyboard users keep working on the same card in its new place.
    const moved = document.getElementById(`assign-${item.id}`);
    const lost = !document.activeElement || document.activeElement === document.body;
    if (moved && lost) moved.focus({ preventScroll: false });
  } else {
    const current = session.state.contributions.get(item.id) || item;
    const shown = document.getElementById(`assign-${item.id}`) || select;
    shown.value = current.theme_id ? String(current.theme_id) : "";
  }
}

function themeBox(theme, previous) {
  let box = previous;
  if (!box) {
    const titleId = `theme-title-${theme.id}`;
    const formId = `theme-rename-${theme.id}`;
    const inputId = `theme-rename-input-${theme.id}`;
    const heading = el("h4", { id: titleId });
    const count = el("span", { class: "badge" });
    const renameButton = el("button", {
      type: "button",
      class: "btn btn--quiet btn--small",
      "aria-expanded": "false",
      "aria-controls": formId,
      "aria-describedby": titleId,
      dataset: { focusKey: "rename" },
      text: _("Rename"),
    });
    const input = el("input", {
      type: "text",
      id: inputId,
      maxlength: 120,
      autocomplete: "off",
      required: true,
      dataset: { focusKey: "rename-input" },
    });
    const form = el(
      "form",
      { class: "inline-form", id: formId, hidden: true },
      el("div", { class: "field" }, el("label", { for: inputId, text: _("New name") }), input),
      el("button", { type: "submit", class: "btn btn--primary btn--small", text: _("Save") }),
      el("button", {
        type: "button",
        class: "btn btn--quiet btn--small",
        text: _("Cancel"),
        dataset: { action: "cancel" },
      }),
    );
    const cards = el("ul", { class: "theme-box__cards" });
    const empty = el("p", { class: "empty", text: _("Choose this theme under a story to add it here.") });
    box = el(
      "section",
      { class: "theme-box", "aria-labelledby": titleId },
      el("div", { class: "theme-box__head" }, heading, count, renameButton),
      form,
      cards,
      empty,
    );
    box.parts = { heading, count, renameButton, form, input, cards, empty };
    const close = () => {
      renaming.delete(theme.id);
      form.hidden = true;
      renameButton.setAttribute("aria-expanded", "false");
      renameButton.focus();
    };
    renameButton.addEventListener("click", () => {
      const open = form.hidden;
      if (!open) {
        close();
        return;
      }
      renaming.add(theme.id);
      input.value = session.state.themes.get(theme.id)?.name || "";
      form.hidden = false;
      renameButton.setAttribute("aria-expanded", "true");
      input.focus();
      input.select();
    });
    form.querySelector('[data-action="cancel"]').addEventListener("click", close);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name) {
        showError(_("Give the theme a name."));
        input.focus();
        return;
      }
      const ack = await act("theme_rename", { theme_id: theme.id, name });
      if (ack.ok) {
        announce(ui.announce, _("Theme renamed: %(name)s", { name }));
        close();
      } else {
        input.focus();
      }
    });
  }
  const { heading, count, cards, empty } = box.parts;
  setText(heading, theme.name);
  const stories = session
    .contributions("story")
    .filter((c) => c.theme_id === theme.id)
    .sort(newestFirst);
  setText(count, ngettext("%(num)s story", "%(num)s stories", stories.length));
  reconcile(cards, stories, (c) => `c:${c.id}`, storyCard);
  empty.hidden = stories.length > 0;
  return box;
}

// ----- cards -----

function themesSignature() {
  return session.themes().map((t) => [t.id, t.name]);
}

function hideButton(item, textId) {
  return el("button", {
    type: "button",
    class: "btn btn--quiet btn--small",
    "aria-describedby": textId,
    dataset: { focusKey: "hide" },
    text: item.hidden ? _("Unhide") : _("Hide"),
    on: {
      click: async () => {
        const hidden = !item.hidden;
        const ack = await act(hidden ? "hide" : "unhide", { contribution_id: item.id });
        if (ack.ok) {
          session.patchContribution(item.id, { hidden });
          announce(ui.announce, hidden ? _("Hidden from participants.") : _("Shown again."));
        }
      },
    },
  });
}

function cardShell(tag, item, signature, ...children) {
  return el(
    tag,
    { class: `card${item.hidden ? " card--hidden" : ""}`, dataset: { signature } },
    ...children,
  );
}

function textParts(item) {
  const [title, text] = cardBody(item);
  text.id = `text-${item.id}`;
  return [title, text];
}

function storyCard(item, previous) {
  const signature = JSON.stringify([item, themesSignature()]);
  if (previous && previous.dataset.signature === signature) return previous;
  const parts = textParts(item);
  return cardShell(
    "li",
    item,
    signature,
    parts,
    cardMeta(item),
    el(
      "div",
      { class: "card__actions" },
      themeSelect(item, _("Theme"), _("Not grouped")),
      hideButton(item, parts[1].id),
    ),
  );
}

function rankedCard(item, previous, max) {
  const signature = JSON.stringify([item, max, item.kind === "proposition" ? themesSignature() : 0]);
  if (previous && previous.dataset.signature === signature) return previous;
  const parts = textParts(item);
  const share = max > 0 ? Math.round(((item.votes || 0) / max) * 100) : 0;
  const fill = el("div", { class: "votebar__fill" });
  fill.style.width = `${share}%`;
  return cardShell(
    "li",
    item,
    signature,
    parts,
    el(
      "div",
      { class: "votebar" },
      el("div", { class: "votebar__track", "aria-hidden": "true" }, fill),
      el("span", { class: "votebar__count", text: votesText(item.votes) }),
    ),
    cardMeta(item),
    el(
      "div",
      { class: "card__actions" },
      item.kind === "proposition" ? themeSelect(item, _("Builds on theme"), _("No theme")) : null,
      hideButton(item, parts[1].id),
    ),
  );
}

function commitmentRow(item, previous) {
  const proposition = item.proposition_id ? session.state.contributions.get(item.proposition_id) : null;
  const signature = JSON.stringify([item, proposition ? proposition.text : null]);
  if (previous && previous.dataset.signature === signature) return previous;
  const parts = textParts(item);
  return el(
    "tr",
    { class: item.hidden ? "is-hidden" : null, dataset: { signature } },
    el("td", { "data-label": _("What") }, el("div", {}, parts, cardMeta(item))),
    el("td", { "data-label": _("Who"), text: item.owner || "—" }),
    el(
      "td",
      { "data-label": _("By when") },
      item.due ? el("time", { datetime: item.due, text: formatDate(item.due) }) : "—",
    ),
    el(
      "td",
      { "data-label": _("Proposition") },
      el("span", { lang: proposition ? proposition.language : null, text: proposition ? proposition.text : "—" }),
    ),
    el("td", {}, hideButton(item, parts[1].id)),
  );
}

// ----- rendering -----

function renderHeader() {
  const workshop = session.state.workshop;
  setText(ui.title, workshop.title);
  setText(ui.topic, workshop.topic || "");
  ui.topic.hidden = !workshop.topic;
  const phase = workshop.phase;
  setText(ui.phaseName, `${labels[phase] || phase} · ${phaseQuestion(phase)}`);
  const prompts = (workshop.prompts || {})[phase] || [];
  const signature = JSON.stringify([phase, prompts]);
  if (signature !== promptsShown) {
    renderPrompts(ui.promptTexts, phase, prompts);
    promptsShown = signature;
  }
  setText(ui.joined, formatNumber(session.state.presence.joined || 0));
  setText(ui.online, formatNumber(session.state.presence.online || 0));
}

function renderCounts() {
  for (const kind of VIEWS) {
    const node = document.querySelector(`[data-count="${kind}"]`);
    const visible = session.contributions(kind).filter((c) => !c.hidden).length;
    setText(node, `(${formatNumber(visible)})`);
  }
}

function renderWall() {
  const memo = focusMemo(ui.wall);
  reconcile(ui.themes, session.themes(), (t) => `t:${t.id}`, themeBox);
  const ungrouped = session
    .contributions("story")
    .filter((c) => !c.theme_id || !session.state.themes.has(c.theme_id))
    .sort(newestFirst);
  reconcile(ui.ungrouped, ungrouped, (c) => `c:${c.id}`, storyCard);
  ui.ungroupedEmpty.hidden = ungrouped.length > 0;

  for (const [kind, list, empty] of [
    ["dream", ui.dreams, ui.dreamsEmpty],
    ["proposition", ui.propositions, ui.propositionsEmpty],
  ]) {
    const items = session.contributions(kind).sort(byVotes);
    const max = Math.max(0, ...items.map((c) => c.votes || 0));
    reconcile(list, items, (c) => `c:${c.id}`, (item, previous) => rankedCard(item, previous, max));
    empty.hidden = items.length > 0;
  }

  const commitments = session.contributions("commitment").sort(newestFirst);
  reconcile(ui.commitments, commitments, (c) => `c:${c.id}`, commitmentRow);
  ui.commitmentsEmpty.hidden = commitments.length > 0;
  restoreFocus(memo);
}

function render() {
  if (!session.state) {
    renderStepper();
    return;
  }
  renderHeader();
  renderStepper();
  renderCounts();
  renderWall();
}

session.addEventListener("change", (event) => {
  const { type, data } = event.detail;
  if (type === "phase" && PHASE_KIND[data.phase]) {
    view = PHASE_KIND[data.phase];
    renderView();
  }
  render();
});
session.addEventListener("snapshot", () => {
  for (const id of Array.from(renaming)) {
    if (!session.state.themes.has(id)) renaming.delete(id);
  }
});
session.addEventListener("status", () => renderStepper());

renderView();
render();
