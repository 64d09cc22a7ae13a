// The synthesis board: common themes, the mapping of regional themes, coverage, rankings, recommendations.
//
// The page reads the synthesis from GET /api/programmes/<id>/synthesis (one
// committed state, stamped with the programme's `seq`) and joins the
// programme's room (`{programme_id, view: "synthesis"}`), which hears a
// `synthesis` event `{seq, change, ...}` after every change: a coordinator's
// (themes, mapping, recommendations) or a workshop's (`contents`: a new
// story, a vote, a theme renamed in a running regional workshop).
//
// Ordering on the wire, by ordering.js: each connection's events are held by
// a SyncGate until the state read after the connection opened; then an event
// whose `seq` is newer than the state shown asks for the state again, and a
// state replaces the one shown only if it is not older. Reads are made one at
// a time, so a later read never arrives before an earlier one; an event
// heard twice or late asks for nothing.
//
// Changes are Socket.IO events with acks, as on the workshop's board. Mapping
// has a drag (SortableJS) and a keyboard twin (the select under each regional
// theme); the board shows the move at once and takes it back if refused.

import { Sortable } from "../vendor/sortable.esm.js";
import { cardBody, kindLabel, languageTag } from "./cards.js";
import { announce, byId, el, focusMemo, reconcile, redrawNeeded, restoreFocus, setText } from "./dom.js";
import { _, formatDate, formatNumber, ngettext } from "./i18n.js";
import { SyncGate, Versions } from "./ordering.js";
import { connectProgramme } from "./programme-socket.js";
import { wireRenameForm } from "./rename-form.js";
import { initRecommendations } from "./synthesis-recommendations.js";

const body = document.body;
const programmeId = Number(body.dataset.programmeId);
const canEdit = body.dataset.canEdit === "true";
const TOP = 10;

const ui = {
  conn: byId("conn"),
  announce: byId("announce"),
  errors: byId("errors"),
  themes: byId("programme-themes"),
  themesEmpty: byId("programme-themes-empty"),
  trays: byId("trays"),
  matrix: byId("matrix"),
  matrixEmpty: byId("matrix-empty"),
  dreams: byId("dreams"),
  dreamsEmpty: byId("dreams-empty"),
  propositions: byId("propositions"),
  propositionsEmpty: byId("propositions-empty"),
  commitments: byId("commitments"),
  commitmentsEmpty: byId("commitments-empty"),
  mapping: byId("mapping"),
};

/** The synthesis shown: the last state read, plus local moves not yet confirmed. */
let state = null;
/** True while a regional theme is being dragged: redraws wait for the drop. */
let dragging = false;
let redrawWaiting = false;

// ----- messages -----

function showError(message) {
  announce(ui.errors, message || _("Something went wrong. Try again."));
}

function say(message) {
  announce(ui.announce, message);
}

// ----- the connection and the ordering rule -----

/** Versions of the state: `shown` (the seq of the state on screen) and `heard` (the newest event). */
const versions = new Versions();
const gate = new SyncGate((_name, event) => heard(event));

function heard(event) {
  versions.take("heard", event.seq);
  if (versions.of("heard") > versions.of("shown")) read();
}

const { socket, ended } = connectProgramme({
  conn: ui.conn,
  // Events wait for the state read after this connection opened.
  auth: () => {
    gate.connecting();
    return { programme_id: programmeId, view: "synthesis" };
  },
  onConnect: () => read({ snapshot: true }),
  onDeleted: () => say(_("This programme was deleted.")),
});
socket.on("synthesis", (event) => gate.receive("synthesis", event));

let reading = null;
let readAgain = false;
let snapshotWanted = false;

/**
 * Read the synthesis; one read at a time (a read asked for meanwhile runs
 * after it). `snapshot`: the read that releases the connection's held events.
 */
function read({ snapshot = false } = {}) {
  if (snapshot) snapshotWanted = true;
  if (reading) {
    readAgain = true;
    return reading;
  }
  reading = (async () => {
    do {
      readAgain = false;
      const releasing = snapshotWanted;
      snapshotWanted = false;
      const data = await fetchSynthesis();
      if (!data) {
        // Nothing read: try again shortly (the held events wait meanwhile).
        if (releasing) snapshotWanted = true;
        if (!ended()) window.setTimeout(() => read(), 3000);
        break;
      }
      if (data.seq >= versions.of("shown")) {
        versions.take("shown", data.seq);
        apply(data);
      }
      if (releasing) gate.snapshot(data.seq);
    } while (readAgain || snapshotWanted);
  })().finally(() => {
    reading = null;
  });
  return reading;
}

async function fetchSynthesis() {
  try {
    const response = await fetch(body.dataset.apiUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function apply(data) {
  state = data;
  render();
}

/** Send a board event; show the refusal, if any; resolve with its ack. */
function act(event, payload) {
  ui.errors.textContent = "";
  return new Promise((resolve) => {
    if (!socket.connected) {
      const ack = {
        ok: false,
        error: "offline",
        message: _("Not connected. Wait for the connection to come back, then try again."),
      };
      showError(ack.message);
      resolve(ack);
      return;
    }
    socket.timeout(10000).emit(event, payload, (error, ack) => {
      const answer = error
        ? { ok: false, error: "timeout", message: _("The server did not answer in time. Try again in a moment.") }
        : ack && typeof ack === "object"
          ? ack
          : { ok: false, error: "invalid_ack", message: _("Unexpected answer from the server.") };
      if (!answer.ok) showError(answer.message);
      resolve(answer);
    });
  });
}

// ----- names -----

function regionOf(id) {
  return state.regions.find((r) => r.id === id) || null;
}

/** "Kranj", or "Transnational session" for workshops of no region. */
function regionName(id) {
  const region = regionOf(id);
  return region ? region.name : _("Transnational session");
}

function regionLabel(id) {
  const region = regionOf(id);
  if (!region) return _("Transnational session");
  return region.country ? `${region.name} · ${region.country}` : region.name;
}

/** Where an item comes from: its region and its language tag. */
function origin(item) {
  return el("span", { class: "origin" }, el("span", { class: "origin__region", text: regionName(item.region_id) }), languageTag(item.language));
}

function storiesText(n) {
  return ngettext("%(num)s story", "%(num)s stories", n);
}

/** The matrix's columns: every region, then transnational sessions if there are any. */
function regionKeys() {
  const keys = state.regions.map((r) => String(r.id));
  if (state.workshops.some((w) => w.region_id === null)) keys.push("transnational");
  return keys;
}

function keyOfRegion(regionId) {
  return regionId === null ? "transnational" : String(regionId);
}

// ----- common themes and mapping -----

const themeForm = document.getElementById("theme-create");
if (themeForm) {
  const input = byId("theme-name");
  themeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) {
      showError(_("Give the theme a name."));
      input.focus();
      return;
    }
    const ack = await act("synthesis_theme_create", { name });
    if (ack.ok) {
      if (input.value.trim() === name) input.value = "";
      say(_("Theme added: %(name)s", { name }));
    }
    input.focus();
  });
}

/** Every regional theme, mapped or not, as the state holds it. */
function regionalThemes() {
  return [...state.programme_themes.flatMap((t) => t.regional_themes), ...state.unmapped];
}

/** Pending keyboard choices by regional theme: arrowing through a closed list sends only the last. */
const mapTimers = new Map();
const MAP_DELAY_MS = 400;

function mapSoon(themeId, select) {
  window.clearTimeout(mapTimers.get(themeId));
  mapTimers.set(
    themeId,
    window.setTimeout(async () => {
      mapTimers.delete(themeId);
      const target = select.value ? Number(select.value) : null;
      const ok = await mapTheme(themeId, target);
      // Keyboard users keep working on the same regional theme in its new place.
      const moved = document.getElementById(`map-${themeId}`);
      if (moved && (ok || !document.activeElement || document.activeElement === body)) moved.focus();
    }, MAP_DELAY_MS),
  );
}

/** Move a regional theme in the state shown (until the next read confirms it). */
function moveLocally(themeId, target) {
  const all = regionalThemes();
  const theme = all.find((t) => t.id === themeId);
  if (!theme) return null;
  const before = theme.programme_theme_id ?? null;
  for (const section of state.programme_themes) {
    section.regional_themes = section.regional_themes.filter((t) => t.id !== themeId);
  }
  state.unmapped = state.unmapped.filter((t) => t.id !== themeId);
  const moved = { ...theme, programme_theme_id: target };
  const section = target ? state.programme_themes.find((t) => t.id === target) : null;
  if (section) section.regional_themes.push(moved);
  else state.unmapped.push(moved);
  return before;
}

/** Map regional theme `themeId` onto common theme `target` (null: back to its tray). */
async function mapTheme(themeId, target) {
  if (!state) return false;
  const theme = regionalThemes().find((t) => t.id === themeId);
  if (!theme) return false;
  const before = theme.programme_theme_id ?? null;
  if (before === target) return true;
  moveLocally(themeId, target);
  render();
  const ack = await act("synthesis_map", { theme_id: themeId, programme_theme_id: target });
  if (!ack.ok) {
    moveLocally(themeId, before);
    render();
    return false;
  }
  const section = target ? state.programme_themes.find((t) => t.id === target) : null;
  say(
    section
      ? _("“%(theme)s” mapped onto “%(common)s”.", { theme: theme.name, common: section.name })
      : _("“%(theme)s” is back among the themes not yet mapped.", { theme: theme.name }),
  );
  return true;
}

const DRAG_FILTER = "input, select, textarea, button, a, label";
/** Sortable lists, destroyed when their list leaves the page. */
const themeLists = new Set();

function dropRemovedLists() {
  for (const sortable of themeLists) {
    if (!sortable.el.isConnected) {
      sortable.destroy();
      themeLists.delete(sortable);
    }
  }
}

/** Let regional themes be dragged out of and into `list` (a common theme's, or a tray). */
function makeThemeList(list) {
  if (!canEdit) return;
  themeLists.add(
    Sortable.create(list, {
      group: "regional-themes",
      sort: false,
      animation: 150,
      draggable: ".rtheme",
      filter: DRAG_FILTER,
      preventOnFilter: false,
      emptyInsertThreshold: 40,
      ghostClass: "rtheme--ghost",
      chosenClass: "rtheme--chosen",
      onStart: () => {
        dragging = true;
        body.classList.add("is-dragging");
      },
      onEnd: (event) => {
        dragging = false;
        body.classList.remove("is-dragging");
        const id = Number(event.item.dataset.themeId);
        if (event.from !== event.to && id) {
          const target = event.to.dataset.programmeThemeId;
          mapTheme(id, target ? Number(target) : null);
        }
        render();
      },
    }),
  );
}

function mapSelect(theme) {
  const id = `map-${theme.id}`;
  const select = el(
    "select",
    {
      id,
      dataset: { focusKey: "map" },
      on: { change: (event) => mapSoon(theme.id, event.target) },
    },
    el("option", { value: "", text: _("Not mapped"), selected: !theme.programme_theme_id }),
    state.programme_themes.map((t) =>
      el("option", { value: String(t.id), text: t.name, selected: t.id === theme.programme_theme_id }),
    ),
  );
  return el(
    "div",
    { class: "assign" },
    el(
      "label",
      { for: id },
      _("Common theme"),
      el("span", { class: "visually-hidden", text: `: ${theme.name}` }),
    ),
    select,
  );
}

function regionalCard(theme, previous) {
  const signature = JSON.stringify([theme, canEdit ? state.programme_themes.map((t) => [t.id, t.name]) : 0]);
  if (previous && !redrawNeeded(previous, signature)) return previous;
  const workshop = state.workshops.find((w) => w.id === theme.workshop_id);
  // A region with several workshops says which one a theme comes from.
  const several = state.workshops.filter((w) => w.region_id === theme.region_id).length > 1;
  const card = el(
    "li",
    {
      class: `rtheme${canEdit ? " rtheme--draggable" : ""}`,
      dataset: { themeId: String(theme.id) },
    },
    el(
      "div",
      { class: "rtheme__head" },
      canEdit ? el("span", { class: "rtheme__grip", "aria-hidden": "true" }) : null,
      el("span", { class: "rtheme__name", lang: theme.language, text: theme.name }),
      languageTag(theme.language),
    ),
    el(
      "p",
      { class: "rtheme__meta" },
      el("span", { class: "origin__region", text: regionName(theme.region_id) }),
      several && workshop ? el("span", { class: "rtheme__workshop", lang: workshop.language, text: workshop.title }) : null,
      el("span", { text: storiesText(theme.stories) }),
    ),
    canEdit ? mapSelect(theme) : null,
  );
  redrawNeeded(card, signature);
  return card;
}

function coverageText(section) {
  const regions = Object.keys(section.coverage).filter((key) => key !== "transnational").length;
  const stories = Object.values(section.coverage).reduce((sum, c) => sum + c.stories, 0);
  return ngettext("%(stories)s from %(num)s region", "%(stories)s from %(num)s regions", regions, {
    stories: storiesText(stories),
  });
}

function quoteItem(item) {
  return el(
    "li",
    { class: "quote" },
    cardBody(item),
    el(
      "p",
      { class: "card__meta" },
      item.author ? el("span", { class: "author", text: item.author }) : el("span", { text: _("Anonymous") }),
      origin(item),
    ),
  );
}

function themeBox(section, previous) {
  let box = previous;
  if (!box) {
    const titleId = `ptheme-title-${section.id}`;
    const heading = el("h3", { id: titleId });
    const summary = el("span", { class: "badge" });
    const cards = el("ul", { class: "rtheme-list", dataset: { programmeThemeId: String(section.id) } });
    const empty = el("p", {
      class: "empty",
      text: canEdit ? _("Drag regional themes here, or choose this theme under one.") : _("No regional theme yet."),
    });
    const quotes = el("ul", { class: "quote-list" });
    const quotesSummary = el("summary");
    const quotesBox = el("details", { class: "quotes" }, quotesSummary, quotes);
    const head = el("div", { class: "theme-box__head" }, heading, summary);
    box = el("section", { class: "theme-box ptheme", "aria-labelledby": titleId, dataset: { programmeThemeId: String(section.id) } }, head);
    box.append(cards, empty, quotesBox);
    if (canEdit) {
      const tools = themeTools(section.id, titleId);
      box.append(tools.form, el("div", { class: "theme-box__tools" }, tools.renameButton, tools.deleteButton));
    }
    box.parts = { heading, summary, cards, empty, quotes, quotesSummary, quotesBox };
    makeThemeList(cards);
  }
  const { heading, summary, cards, empty, quotes, quotesSummary, quotesBox } = box.parts;
  setText(heading, section.name);
  setText(summary, coverageText(section));
  reconcile(cards, section.regional_themes, (t) => `t:${t.id}`, regionalCard);
  empty.hidden = section.regional_themes.length > 0;
  quotesBox.hidden = section.quotes.length === 0;
  setText(quotesSummary, ngettext("%(num)s representative story", "%(num)s representative stories", section.quotes.length));
  if (redrawNeeded(quotes, JSON.stringify(section.quotes))) {
    quotes.replaceChildren(...section.quotes.map(quoteItem));
  }
  return box;
}

/** Rename and delete, for coordinators. */
function themeTools(themeId, titleId) {
  const formId = `ptheme-rename-${themeId}`;
  const inputId = `ptheme-rename-input-${themeId}`;
  const input = el("input", { type: "text", id: inputId, maxlength: 120, autocomplete: "off", required: true });
  const renameButton = el("button", {
    type: "button",
    class: "btn btn--quiet btn--small",
    "aria-expanded": "false",
    "aria-controls": formId,
    "aria-describedby": titleId,
    dataset: { focusKey: "rename" },
    text: _("Rename"),
  });
  const deleteButton = el("button", {
    type: "button",
    class: "btn btn--quiet btn--small btn--danger",
    "aria-describedby": titleId,
    dataset: { focusKey: "delete" },
    text: _("Delete theme"),
  });
  const form = el(
    "form",
    { class: "inline-form", id: formId, hidden: true },
    el("div", { class: "field" }, el("label", { for: inputId, text: _("New name") }), input),
    el("button", { type: "submit", class: "btn btn--primary btn--small", text: _("Save") }),
    el("button", { type: "button", class: "btn btn--quiet btn--small", text: _("Cancel"), dataset: { action: "cancel" } }),
  );
  wireRenameForm({
    button: renameButton,
    form,
    input,
    currentName: () => state.programme_themes.find((t) => t.id === themeId)?.name,
    rename: (name) => act("synthesis_theme_rename", { theme_id: themeId, name }),
    showError,
    say,
  });
  deleteButton.addEventListener("click", async () => {
    const theme = state.programme_themes.find((t) => t.id === themeId);
    if (!theme) return;
    const question = _("Delete the common theme “%(name)s”? Its regional themes go back to their regions, unmapped.", {
      name: theme.name,
    });
    if (!window.confirm(question)) return;
    const ack = await act("synthesis_theme_delete", { theme_id: themeId });
    if (ack.ok) {
      say(_("Theme deleted: %(name)s", { name: theme.name }));
      document.getElementById("theme-name")?.focus();
    }
  });
  return { renameButton, deleteButton, form };
}

function tray(key, previous) {
  let box = previous;
  const regionId = key === "transnational" ? null : Number(key);
  if (!box) {
    const titleId = `tray-title-${key}`;
    const heading = el("h4", { id: titleId });
    // An empty tray still takes a dropped theme; CSS shows this text while it is empty.
    const cards = el("ul", {
      class: "rtheme-list",
      dataset: { tray: key, emptyText: _("No regional theme waiting here.") },
    });
    box = el("section", { class: "tray", "aria-labelledby": titleId }, heading, cards);
    box.parts = { heading, cards };
    makeThemeList(cards);
  }
  const { heading, cards } = box.parts;
  setText(heading, regionLabel(regionId));
  const themes = state.unmapped.filter((t) => keyOfRegion(t.region_id) === key);
  reconcile(cards, themes, (t) => `t:${t.id}`, regionalCard);
  return box;
}

function renderMapping() {
  reconcile(ui.themes, state.programme_themes, (t) => `p:${t.id}`, themeBox);
  ui.themesEmpty.hidden = state.programme_themes.length > 0;
  // A tray per region that has a workshop: where its themes wait, and where one is dropped back.
  const withWorkshops = regionKeys().filter((key) => state.workshops.some((w) => keyOfRegion(w.region_id) === key));
  reconcile(ui.trays, withWorkshops, (key) => `r:${key}`, tray);
  dropRemovedLists();
}

// ----- coverage -----

function renderMatrix() {
  const keys = regionKeys();
  const headRow = ui.matrix.tHead.rows[0];
  const header = [_("Common theme"), ...keys.map((key) => (key === "transnational" ? _("Transnational session") : regionName(Number(key)))), _("Regions")];
  if (redrawNeeded(headRow, JSON.stringify(header))) {
    headRow.replaceChildren(...header.map((text) => el("th", { scope: "col", text })));
  }
  const rows = state.programme_themes.map((section) => {
    const cells = keys.map((key) => {
      const found = section.coverage[key];
      if (!found) return el("td", { class: "matrix__cell" }, el("span", { "aria-hidden": "true", text: "—" }), el("span", { class: "visually-hidden", text: _("nothing") }));
      return el("td", { class: "matrix__cell matrix__cell--has", text: formatNumber(found.stories), title: storiesText(found.stories) });
    });
    const regions = Object.keys(section.coverage).filter((key) => key !== "transnational");
    const alone = regions.length === 1;
    const summary = el(
      "td",
      { class: alone ? "matrix__sum matrix__sum--alone" : "matrix__sum" },
      formatNumber(regions.length),
      alone ? el("span", { class: "badge badge--alone", text: _("only %(region)s", { region: regionName(Number(regions[0])) }) }) : null,
    );
    return el("tr", {}, el("th", { scope: "row", text: section.name }), cells, summary);
  });
  ui.matrix.tBodies[0].replaceChildren(...rows);
  ui.matrix.hidden = rows.length === 0;
  ui.matrixEmpty.hidden = rows.length > 0;
}

// ----- across regions -----

function shareText(item) {
  const share = new Intl.NumberFormat(document.documentElement.lang || "en", { style: "percent" }).format(item.vote_share || 0);
  return ngettext("%(share)s of voters (%(num)s vote)", "%(share)s of voters (%(num)s votes)", item.votes || 0, { share });
}

function rankedItem(item) {
  const fill = el("div", { class: "votebar__fill" });
  fill.style.width = `${Math.round((item.vote_share || 0) * 100)}%`;
  return el(
    "li",
    { class: "card" },
    cardBody(item),
    el("div", { class: "votebar" }, el("div", { class: "votebar__track", "aria-hidden": "true" }, fill), el("span", { class: "votebar__count", text: shareText(item) })),
    el("p", { class: "card__meta" }, item.author ? el("span", { class: "author", text: item.author }) : el("span", { text: _("Anonymous") }), origin(item)),
  );
}

function renderRanked(list, empty, items) {
  const shown = items.slice(0, TOP);
  if (redrawNeeded(list, JSON.stringify(shown))) {
    list.replaceChildren(...shown.map(rankedItem));
  }
  empty.hidden = items.length > 0;
}

function renderCommitments() {
  const groups = regionKeys()
    .map((key) => [key, state.commitments.filter((c) => keyOfRegion(c.region_id) === key)])
    .filter(([, items]) => items.length);
  if (redrawNeeded(ui.commitments, JSON.stringify(groups))) {
    ui.commitments.replaceChildren(
      ...groups.map(([key, items]) =>
        el(
          "section",
          { class: "commitment-group", "aria-label": key === "transnational" ? _("Transnational session") : regionLabel(Number(key)) },
          el("h4", { text: key === "transnational" ? _("Transnational session") : regionLabel(Number(key)) }),
          el(
            "ul",
            { class: "plain-list" },
            items.map((c) =>
              el(
                "li",
                { class: "card" },
                el("p", { class: "card__text", lang: c.language, text: c.text }),
                el(
                  "p",
                  { class: "card__meta" },
                  el("span", { text: [c.owner, c.owner_organisation].filter(Boolean).join(", ") || "—" }),
                  c.due ? el("span", {}, _("By when"), ": ", el("time", { datetime: c.due, text: formatDate(c.due) })) : null,
                  languageTag(c.language),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }
  ui.commitmentsEmpty.hidden = groups.length > 0;
}

// ----- drawing -----

const recommendations = initRecommendations({
  canEdit,
  act,
  say,
  showError,
  getState: () => state,
  origin,
  kindLabel,
  regionName,
});

function render() {
  if (!state) return;
  if (dragging) {
    redrawWaiting = true;
    return;
  }
  redrawWaiting = false;
  const memo = focusMemo(ui.mapping);
  renderMapping();
  restoreFocus(memo);
  renderMatrix();
  renderRanked(ui.dreams, ui.dreamsEmpty, state.dreams);
  renderRanked(ui.propositions, ui.propositionsEmpty, state.propositions);
  renderCommitments();
  recommendations.render();
}

document.addEventListener("pointerup", () => {
  if (redrawWaiting && !dragging) render();
});
