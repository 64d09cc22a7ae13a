// A programme's dashboard: every workshop as a card, kept live through the programme's room.
//
// The socket joins with `{programme_id}` (the login session authenticates) and
// receives `programme` (every card) on each connection, then
// `workshop_progress` (one card) whenever a workshop changes. The ordering
// rule (hold until the snapshot, then apply only newer seqs, idempotently)
// is ordering.js's, through programme-cards.js; this module connects and draws.

import { setText } from "./dom.js";
import { _, formatDate, formatNumber } from "./i18n.js";
import { ProgrammeCards } from "./programme-cards.js";
import { connectProgramme } from "./programme-socket.js";

const body = document.body;
const programmeId = Number(body.dataset.programmeId);
const list = document.getElementById("cards");
const empty = document.getElementById("cards-empty");
const template = document.getElementById("card-template");
const conn = document.getElementById("conn");

/** Texts the server translated into the page: `[data-<kind>]` -> its text. */
function names(kind) {
  const key = kind.replace(/-(\w)/g, (_match, letter) => letter.toUpperCase());
  const found = new Map();
  for (const node of document.querySelectorAll(`li[data-${kind}]`)) {
    found.set(node.dataset[key], node.textContent);
  }
  return found;
}

const phaseNames = names("phase-label");
const languageNames = names("language-name");
const regionNames = names("region-name");
const transnational = names("text").get("transnational") || "";

const state = new ProgrammeCards(programmeId, {
  onCard: (card) => {
    render(card);
    showEmpty();
    if (card.may === null || (card.region_id && !regionNames.has(String(card.region_id)))) {
      refresh();
    }
  },
  onGone: (id) => {
    const node = list.querySelector(`[data-workshop-id="${id}"]`);
    if (node) node.remove();
    showEmpty();
  },
});

// ----- connection -----

const { socket } = connectProgramme({
  conn,
  // Events wait for this connection's snapshot.
  auth: () => {
    state.connecting();
    return { programme_id: programmeId };
  },
});

socket.on("programme", (data) => {
  learnRegions(data.regions);
  const present = state.snapshot(data);
  // Cards the server drew before any snapshot, for workshops that left meanwhile.
  for (const node of list.querySelectorAll("[data-workshop-id]")) {
    if (!present.has(Number(node.dataset.workshopId))) node.remove();
  }
  showEmpty();
});
socket.on("workshop_progress", (event) => state.progress(event));

function learnRegions(regions) {
  for (const region of regions || []) {
    regionNames.set(String(region.id), region.country ? `${region.name} · ${region.country}` : region.name);
  }
}

let refreshing = null;

/** What this person may do with a workshop that just arrived, and new region names. */
function refresh() {
  if (refreshing) return;
  refreshing = fetch(body.dataset.apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data) return;
      learnRegions(data.regions);
      for (const fresh of data.workshops || []) {
        const known = state.cards.get(fresh.id);
        if (!known) continue;
        known.may = fresh.may;
        render(known);
      }
    })
    .catch(() => {})
    .finally(() => {
      refreshing = null;
    });
}

// ----- drawing -----

function field(node, name) {
  return node.querySelector(`[data-field="${name}"]`);
}

function url(kind, id) {
  const pattern = body.dataset[`${kind}Url`];
  return pattern.replace(body.dataset.urlSentinel, String(id));
}

function link(kind, id, text, title, className) {
  const a = document.createElement("a");
  a.className = `btn btn--small ${className}`.trim();
  a.dataset.link = kind;
  a.href = url(kind, id);
  a.append(text);
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = `: ${title}`;
  if (kind === "watch") {
    // The projector-style live view opens beside the dashboard.
    a.target = "_blank";
    a.rel = "noopener";
    hidden.textContent += ` (${_("opens in a new tab")})`;
  }
  a.append(hidden);
  return a;
}

function languageTag(code) {
  const tag = document.createElement("span");
  tag.className = "tag";
  tag.lang = code;
  tag.title = languageNames.get(code) || code;
  const shown = document.createElement("span");
  shown.setAttribute("aria-hidden", "true");
  shown.textContent = code;
  const spoken = document.createElement("span");
  spoken.className = "visually-hidden";
  spoken.textContent = languageNames.get(code) || code;
  tag.append(shown, spoken);
  return tag;
}

function cardNode(id) {
  let node = list.querySelector(`[data-workshop-id="${id}"]`);
  if (node) return node;
  node = template.content.firstElementChild.cloneNode(true);
  node.dataset.workshopId = String(id);
  const title = node.querySelector(".programme-card__title");
  title.id = `card-title-${id}`;
  node.setAttribute("aria-labelledby", title.id);
  const after = Array.from(list.children).find((other) => Number(other.dataset.workshopId) > id);
  list.insertBefore(node, after || null);
  return node;
}

function render(card) {
  const node = cardNode(card.id);
  node.dataset.seq = String(card.seq);
  setText(field(node, "title"), card.title);
  setText(field(node, "region"), card.region_id ? regionNames.get(String(card.region_id)) || "" : transnational);
  setText(field(node, "owner"), card.owner_name || "");
  const day = card.held_on || card.created_at;
  const date = field(node, "date");
  if (day && date.dataset.day !== day) {
    date.dataset.day = day;
    const time = document.createElement("time");
    time.dateTime = day;
    time.textContent = formatDate(day);
    date.replaceChildren(time);
  }
  const language = field(node, "language");
  if (language.dataset.code !== card.language) {
    language.dataset.code = card.language;
    language.replaceChildren(languageTag(card.language));
  }
  const phase = field(node, "phase");
  phase.dataset.phase = card.phase;
  setText(phase, phaseNames.get(card.phase) || card.phase);
  setText(field(node, "participants"), formatNumber(card.participants));
  for (const [kind, count] of Object.entries(card.counts || {})) {
    setText(node.querySelector(`[data-count="${kind}"]`), formatNumber(count));
  }
  renderLinks(node, card);
}

function renderLinks(node, card) {
  const may = card.may || { read: false, manage: false };
  const wanted = [may.manage ? "board" : may.read ? "watch" : null, may.read ? "summary" : null].filter(Boolean);
  const links = node.querySelector("[data-links]");
  const have = Array.from(links.children, (a) => a.dataset.link);
  if (have.join() === wanted.join()) return;
  const made = wanted.map((kind) => {
    if (kind === "board") return link("board", card.id, _("Open board"), card.title, "btn--primary");
    if (kind === "watch") return link("watch", card.id, _("Watch live"), card.title, "");
    return link("summary", card.id, _("Summary and downloads"), card.title, "btn--quiet");
  });
  links.replaceChildren(...made);
}

function showEmpty() {
  empty.hidden = list.children.length > 0;
}
