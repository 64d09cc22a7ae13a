// The facilitator's live board: phases, join code, the wall, themes and moderation.
//
// Every action is a Socket.IO event answered by an ack; refusals show their
// `message` in the page's alert region. The room's events (which this board
// receives too) keep the wall up to date.
//
// Grouping the positive core: a story is dragged onto a theme (or "Not
// grouped"), a theme is dragged by its handle onto another to merge them
// (SortableJS, board only). Every drag has a keyboard twin: the theme list
// under each story, and "Merge into" under each theme.

import { Sortable, Swap } from "../vendor/sortable.esm.js";
import { initTools } from "./board-tools.js";
import {
  byVotes,
  cardBody,
  cardMeta,
  factorsBlock,
  newestFirst,
  phaseLabels,
  phaseQuestion,
  renderPrompts,
  votesText,
} from "./cards.js";
import { announce, byId, el, focusMemo, reconcile, restoreFocus, setText } from "./dom.js";
import { _, formatDate, formatNumber, ngettext } from "./i18n.js";
import { bindStatus, LiveSession, PHASE_KIND } from "./live.js";

Sortable.mount(new Swap());

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
/** Themes whose rename form is open. */
const renaming = new Set();
/** Contributions being edited: id -> {title, text} as typed so far. */
const editing = new Map();
/** True while a card or theme is being dragged: redraws wait for the drop. */
let dragging = false;

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

function say(message) {
  announce(ui.announce, message);
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
        // Names the story this select belongs to, for screen readers.
        "aria-describedby": `text-${item.id}`,
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
  const ok = await moveToTheme(item.id, themeId);
  if (ok) {
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

/**
 * Group contribution `id` under theme `themeId` (null: not grouped). The
 * board shows the move at once and takes it back if the server refuses.
 */
async function moveToTheme(id, themeId) {
  const item = session.state && session.state.contributions.get(id);
  if (!item) return false;
  const before = item.theme_id ?? null;
  if (before === themeId) return true;
  session.patchContribution(id, { theme_id: themeId });
  const ack = await act("theme_assign", { theme_id: themeId, contribution_id: id });
  if (!ack.ok) {
    session.patchContribution(id, { theme_id: before });
    return false;
  }
  const theme = themeId ? session.state.themes.get(themeId) : null;
  say(theme ? _("Moved to %(theme)s.", { theme: theme.name }) : _("Moved to Not grouped."));
  return true;
}

/** Merge theme `fromId` into `intoId` after asking; resolves true when merged. */
async function mergeThemes(fromId, intoId) {
  const from = session.state.themes.get(fromId);
  const into = session.state.themes.get(intoId);
  if (!from || !into || fromId === intoId) return false;
  const question = _("Merge “%(from)s” into “%(into)s”? Its stories move to “%(into)s” and “%(from)s” is removed.", {
    from: from.name,
    into: into.name,
  });
  if (!window.confirm(question)) return false;
  const ack = await act("theme_merge", { theme_id: fromId, into_id: intoId });
  if (ack.ok) {
    say(_("“%(from)s” merged into “%(into)s”.", { from: from.name, into: into.name }));
    return true;
  }
  return false;
}

async function deleteTheme(themeId) {
  const theme = session.state.themes.get(themeId);
  if (!theme) return;
  const question = _("Delete the theme “%(name)s”? Its stories become ungrouped; no story is deleted.", {
    name: theme.name,
  });
  if (!window.confirm(question)) return;
  const ack = await act("theme_delete", { theme_id: themeId });
  if (ack.ok) {
    say(_("Theme deleted: %(name)s", { name: theme.name }));
    ui.themeName.focus();
  }
}

// ----- drag and drop (SortableJS) -----

const DRAG_FILTER = "input, select, textarea, button, a, label, .edit-form";

function dragStarted() {
  dragging = true;
  body.classList.add("is-dragging");
}

function dragEnded() {
  dragging = false;
  body.classList.remove("is-dragging");
}

/** Sortable lists of theme boxes, destroyed when their theme goes. */
const storyLists = new Set();

function dropRemovedLists() {
  for (const sortable of storyLists) {
    if (!sortable.el.isConnected) {
      sortable.destroy();
      storyLists.delete(sortable);
    }
  }
}

/** Let stories be dragged out of and into `list` (a theme's cards, or "Not grouped"). */
function makeStoryList(list) {
  const sortable = Sortable.create(list, {
    group: "stories",
    sort: false,
    animation: 150,
    draggable: ".card",
    filter: DRAG_FILTER,
    preventOnFilter: false,
    emptyInsertThreshold: 40,
    ghostClass: "card--ghost",
    chosenClass: "card--chosen",
    onStart: dragStarted,
    onEnd: (event) => {
      dragEnded();
      const id = Number((event.item.dataset.key || "").replace("c:", ""));
      if (event.from !== event.to && id) {
        const target = event.to.dataset.themeId;
        moveToTheme(id, target ? Number(target) : null);
      }
      render();
    },
  });
  storyLists.add(sortable);
}

/** Dragging a theme by its handle onto another theme merges them. */
function makeThemeList(list) {
  Sortable.create(list, {
    group: "themes",
    swap: true,
    swapClass: "theme-box--merge-target",
    handle: ".theme-grip",
    draggable: ".theme-box",
    animation: 150,
    ghostClass: "theme-box--ghost",
    onStart: dragStarted,
    onEnd: async (event) => {
      dragEnded();
      const target = event.swapItem;
      render();
      if (target && target !== event.item) {
        await mergeThemes(Number(event.item.dataset.themeId), Number(target.dataset.themeId));
      }
    },
  });
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
    const cards = el("ul", { class: "theme-box__cards", dataset: { themeId: String(theme.id) } });
    const empty = el("p", {
      class: "empty",
      text: _("Drag stories here, or choose this theme under a story."),
    });
    const grip = el("span", {
      class: "theme-grip",
      title: _("Drag onto another theme to merge"),
      "aria-hidden": "true",
    });
    const mergeId = `theme-merge-${theme.id}`;
    const mergeSelect = el("select", { id: mergeId, dataset: { focusKey: "merge-select" } });
    const mergeButton = el("button", {
      type: "button",
      class: "btn btn--quiet btn--small",
      "aria-describedby": titleId,
      dataset: { focusKey: "merge" },
      text: _("Merge"),
    });
    const deleteButton = el("button", {
      type: "button",
      class: "btn btn--quiet btn--small btn--danger",
      "aria-describedby": titleId,
      dataset: { focusKey: "delete" },
      text: _("Delete theme"),
    });
    const tools = el(
      "div",
      { class: "theme-box__tools" },
      el("div", { class: "assign" }, el("label", { for: mergeId, text: _("Merge into…") }), mergeSelect, mergeButton),
      deleteButton,
    );
    box = el(
      "section",
      { class: "theme-box", "aria-labelledby": titleId, dataset: { themeId: String(theme.id) } },
      el("div", { class: "theme-box__head" }, grip, heading, count, renameButton),
      form,
      cards,
      empty,
      tools,
    );
    box.parts = { heading, count, renameButton, form, input, cards, empty, mergeSelect, mergeButton, tools };
    makeStoryList(cards);
    mergeButton.addEventListener("click", async () => {
      const into = Number(mergeSelect.value);
      if (!into) {
        showError(_("Choose the theme to merge into."));
        mergeSelect.focus();
        return;
      }
      if (await mergeThemes(theme.id, into)) {
        const target = document.getElementById(`theme-title-${into}`);
        const next = target && target.closest(".theme-box").querySelector("[data-focus-key='rename']");
        if (next) next.focus();
      }
    });
    deleteButton.addEventListener("click", () => deleteTheme(theme.id));
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
  const { heading, count, cards, empty, mergeSelect, mergeButton, tools } = box.parts;
  setText(heading, theme.name);
  const others = session.themes().filter((t) => t.id !== theme.id);
  const mergeSignature = JSON.stringify(others.map((t) => [t.id, t.name]));
  if (mergeSelect.dataset.signature !== mergeSignature) {
    const chosen = mergeSelect.value;
    mergeSelect.replaceChildren(
      el("option", { value: "", text: _("Choose a theme") }),
      ...others.map((t) => el("option", { value: String(t.id), text: t.name })),
    );
    mergeSelect.value = others.some((t) => String(t.id) === chosen) ? chosen : "";
    mergeSelect.dataset.signature = mergeSignature;
  }
  tools.querySelector(".assign").hidden = others.length === 0;
  mergeButton.disabled = others.length === 0;
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

function editButton(item, textId) {
  return el("button", {
    type: "button",
    class: "btn btn--quiet btn--small",
    "aria-describedby": textId,
    dataset: { focusKey: "edit" },
    text: _("Edit"),
    on: {
      click: () => {
        editing.set(item.id, { title: item.title || "", text: item.text || "" });
        render();
        const box = document.getElementById(`edit-text-${item.id}`);
        if (box) box.focus();
      },
    },
  });
}

function closeEdit(id) {
  editing.delete(id);
  render();
  const button = document.querySelector(`[data-key="c:${id}"] [data-focus-key="edit"]`);
  if (button) button.focus();
}

/** The inline form that corrects a contribution's text (and a story's title). */
function editForm(item) {
  const draft = editing.get(item.id);
  const titleId = `edit-title-${item.id}`;
  const textId = `edit-text-${item.id}`;
  const form = el(
    "form",
    { class: "edit-form", novalidate: true },
    item.kind === "story"
      ? el(
          "div",
          { class: "field" },
          el("label", { for: titleId, text: _("Title") }),
          el("input", {
            type: "text",
            id: titleId,
            maxlength: 200,
            autocomplete: "off",
            value: draft.title,
            dataset: { focusKey: "edit-title" },
            on: { input: (event) => (draft.title = event.target.value) },
          }),
        )
      : null,
    el(
      "div",
      { class: "field" },
      el("label", { for: textId, text: _("Text") }),
      el("textarea", {
        id: textId,
        rows: 4,
        maxlength: 2000,
        required: true,
        value: draft.text,
        dataset: { focusKey: "edit-text" },
        on: { input: (event) => (draft.text = event.target.value) },
      }),
    ),
    el(
      "div",
      { class: "btn-row" },
      el("button", { type: "submit", class: "btn btn--primary btn--small", text: _("Save correction") }),
      el("button", {
        type: "button",
        class: "btn btn--quiet btn--small",
        text: _("Cancel"),
        on: { click: () => closeEdit(item.id) },
      }),
    ),
  );
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closeEdit(item.id);
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = draft.text.trim();
    if (!text) {
      showError(_("The text cannot be empty."));
      document.getElementById(textId)?.focus();
      return;
    }
    const payload = { contribution_id: item.id, text };
    if (item.kind === "story") payload.title = draft.title.trim();
    const ack = await act("edit", payload);
    if (ack.ok) {
      const changes = { text, edited: true };
      if (item.kind === "story") changes.title = payload.title;
      session.patchContribution(item.id, changes);
      say(_("Correction saved. Everyone sees the new text."));
      closeEdit(item.id);
    }
  });
  return form;
}

/** The card's title and text, or its edit form while it is being corrected. */
function bodyOrEditor(item) {
  const parts = textParts(item);
  if (!editing.has(item.id)) return { parts, shown: [parts, factorsBlock(item)] };
  // The text stays (visually hidden) so buttons that name it keep their description.
  parts[1].classList.add("visually-hidden");
  if (parts[0]) parts[0].hidden = true;
  return { parts, shown: [parts, editForm(item)] };
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
  const signature = JSON.stringify([item, themesSignature(), editing.has(item.id)]);
  if (previous && previous.dataset.signature === signature) return previous;
  const { parts, shown } = bodyOrEditor(item);
  const card = cardShell(
    "li",
    item,
    signature,
    shown,
    cardMeta(item),
    el(
      "div",
      { class: "card__actions" },
      themeSelect(item, _("Theme"), _("Not grouped")),
      editing.has(item.id) ? null : editButton(item, parts[1].id),
      hideButton(item, parts[1].id),
    ),
  );
  card.classList.add("card--draggable");
  return card;
}

function rankedCard(item, previous, max) {
  const signature = JSON.stringify([
    item,
    max,
    item.kind === "proposition" ? themesSignature() : 0,
    editing.has(item.id),
  ]);
  if (previous && previous.dataset.signature === signature) return previous;
  const { parts, shown } = bodyOrEditor(item);
  const share = max > 0 ? Math.round(((item.votes || 0) / max) * 100) : 0;
  const fill = el("div", { class: "votebar__fill" });
  fill.style.width = `${share}%`;
  return cardShell(
    "li",
    item,
    signature,
    shown,
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
      editing.has(item.id) ? null : editButton(item, parts[1].id),
      hideButton(item, parts[1].id),
    ),
  );
}

function commitmentRow(item, previous) {
  const proposition = item.proposition_id ? session.state.contributions.get(item.proposition_id) : null;
  const signature = JSON.stringify([item, proposition ? proposition.text : null, editing.has(item.id)]);
  if (previous && previous.dataset.signature === signature) return previous;
  const { parts, shown } = bodyOrEditor(item);
  return el(
    "tr",
    { class: item.hidden ? "is-hidden" : null, dataset: { signature } },
    el("td", { "data-label": _("What") }, el("div", {}, shown, cardMeta(item))),
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
    el(
      "td",
      {},
      el(
        "div",
        { class: "card__actions" },
        editing.has(item.id) ? null : editButton(item, parts[1].id),
        hideButton(item, parts[1].id),
      ),
    ),
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
  renderPrompts(ui.promptTexts, phase, prompts);
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
  if (dragging) return;
  const memo = focusMemo(ui.wall);
  reconcile(ui.themes, session.themes(), (t) => `t:${t.id}`, themeBox);
  dropRemovedLists();
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

  const workshop = session.state.workshop;
  const secret = Boolean(workshop.hide_vote_counts && !workshop.votes_revealed);
  for (const note of document.querySelectorAll("[data-votes-secret]")) note.hidden = !secret;

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
  for (const id of Array.from(editing.keys())) {
    if (!session.state.contributions.has(id)) editing.delete(id);
  }
});
session.addEventListener("status", () => renderStepper());

makeStoryList(ui.ungrouped);
makeThemeList(ui.themes);
initTools({
  session,
  act,
  say,
  showError,
  phaseLabel: (phase) => labels[phase] || phase,
});
renderView();
render();
