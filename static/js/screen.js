// The projector view: what the room sees, in type readable from the back.
//
// It connects as `{workshop_id, view: "screen"}` (the facilitator's login
// session authenticates) and receives the room's view: names only when the
// facilitator shows them, vote counts null while they are secret. The
// facilitator drives it from the board; its one control is a large "Reveal
// votes" for whoever operates the projector, while the counts are secret.
//
// The wall always fits: a ranked list shows what fits and counts the rest;
// stories and commitments flow through columns, and when they need more than
// the wall, it pages through them by itself with a page indicator.

import { authorLine, byVotes, phaseLabels, phaseQuestion, renderPrompts, votesSecret } from "./cards.js";
import { byId, el, reconcile, replace, setText } from "./dom.js";
import { _, formatDate, formatNumber, ngettext } from "./i18n.js";
import { bindStatus, LiveSession, PHASE_KIND } from "./live.js";
import { bindTimer } from "./timer.js";

/** Dreams and propositions: at most this many, then the rest is counted. */
const MAX_RANKED = 12;
/** How long each page of a wall that does not fit stays up. */
const PAGE_MS = 10000;
/** Events arriving within this time are drawn together. */
const RENDER_DELAY_MS = 50;

const body = document.body;
const labels = phaseLabels();

const ui = {
  layout: byId("main"),
  title: byId("workshop-title"),
  topic: byId("workshop-topic"),
  phaseName: byId("phase-name"),
  phaseQuestion: byId("phase-question"),
  promptTexts: byId("prompt-texts"),
  online: byId("online"),
  joined: byId("joined"),
  timer: byId("timer"),
  join: byId("join"),
  wallBody: byId("wall-body"),
  wallEmpty: byId("wall-empty"),
  pager: byId("wall-pager"),
  secret: byId("votes-secret"),
  reveal: byId("reveal"),
  revealError: byId("reveal-error"),
  conn: byId("conn"),
};

const session = new LiveSession(body.dataset.workshopId, { view: "screen" });
bindStatus(session, ui.conn);
bindTimer(session, ui.timer, {
  onChange: (status) => {
    ui.timer.hidden = status.state === "stopped";
  },
});

let wallShown = null;
let frame = 0;

function phase() {
  return session.state ? session.state.workshop.phase : body.dataset.phase;
}

// ----- header, prompt, join -----

function renderHeader() {
  const workshop = session.state.workshop;
  const current = workshop.phase;
  ui.layout.dataset.phase = current;
  setText(ui.title, workshop.title);
  setText(ui.topic, workshop.topic || "");
  ui.topic.hidden = !workshop.topic || !["lobby", "discover", "closed"].includes(current);
  if (current === "discover" && session.contributions("story").length) ui.topic.hidden = true;
  setText(ui.phaseName, labels[current] || current);
  setText(ui.phaseQuestion, phaseQuestion(current));
  renderPrompts(ui.promptTexts, current, workshop);
  setText(ui.online, formatNumber(session.state.presence.online || 0));
  setText(ui.joined, formatNumber(session.state.presence.joined || 0));
  // Joining matters most at the start: large then, a corner reminder later.
  const kind = PHASE_KIND[current];
  const busy = Boolean(kind) && session.contributions(kind).length > 0;
  if (busy) ui.layout.dataset.busy = "";
  else delete ui.layout.dataset.busy;
  // A few stories leave the code large enough for latecomers; a full wall needs the room.
  const stories = current === "discover" ? session.contributions("story").length : 0;
  let size = "small";
  if (current === "lobby" || (current === "discover" && !busy)) size = "large";
  else if (current === "discover" && stories < 6) size = "medium";
  ui.join.dataset.size = size;
  ui.join.hidden = current === "closed";
  const projector = _("Projector");
  const pageTitle = `${workshop.title}: ${projector}`;
  if (document.title !== pageTitle) document.title = pageTitle;
}

// ----- the wall -----

function excerpt(text, max = 160) {
  const clean = (text || "").replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function byline(item) {
  return item.author ? el("span", { class: "screen-byline" }, authorLine(item)) : null;
}

function storyLine(item) {
  return el(
    "li",
    { class: "screen-story", dataset: { key: `c:${item.id}` } },
    item.title ? el("span", { class: "screen-story__title", lang: item.language || null, text: item.title }) : null,
    el("span", { class: "screen-story__text", lang: item.language || null, text: excerpt(item.text, item.title ? 110 : 150) }),
    byline(item),
  );
}

function newestFirst(items) {
  return items.slice().sort((a, b) => b.id - a.id);
}

/** A flowing, paged list: it fills the wall's columns, page by page (see Pager). */
function pages(...children) {
  return el("div", { class: "screen-pages" }, children);
}

/** Stories not grouped yet: the heading stays, the stories page through below it. */
function looseBox(loose, heading) {
  return el(
    "section",
    { class: "screen-theme screen-theme--loose" },
    el(
      "h3",
      { class: "screen-theme__name" },
      el("span", { text: heading }),
      el("span", { class: "screen-count", text: ngettext("%(num)s story", "%(num)s stories", loose.length) }),
    ),
    pages(el("ul", { class: "screen-theme__stories" }, newestFirst(loose).map(storyLine))),
  );
}

/**
 * Discover: the positive core. Themes with stories, the largest first, flow
 * through the pages of the wall; "Not grouped" keeps a column of its own on
 * every page. Before any theme exists, the stories fill the whole wall.
 */
function storiesWall() {
  const stories = session.contributions("story");
  const themes = session.themes();
  const known = new Set(themes.map((t) => t.id));
  const loose = stories.filter((s) => !s.theme_id || !known.has(s.theme_id));
  if (!stories.length) return { nodes: [], empty: _("Stories appear here as you send them.") };
  const grouped = themes
    .map((theme) => ({ theme, items: stories.filter((s) => s.theme_id === theme.id) }))
    .filter(({ items }) => items.length > 0)
    .sort((a, b) => b.items.length - a.items.length || a.theme.id - b.theme.id);
  if (!grouped.length) {
    return { nodes: [el("div", { class: "screen-stories screen-stories--loose" }, looseBox(loose, _("Stories")))] };
  }
  const boxes = grouped.map(({ theme, items }) =>
    el(
      "section",
      { class: "screen-theme" },
      el(
        "h3",
        { class: "screen-theme__name" },
        el("span", { text: theme.name }),
        el("span", { class: "screen-count", text: ngettext("%(num)s story", "%(num)s stories", items.length) }),
      ),
      el("ul", { class: "screen-theme__stories" }, newestFirst(items).map(storyLine)),
    ),
  );
  return {
    nodes: [
      el(
        "div",
        { class: "screen-stories" },
        el("div", { class: "screen-stories__loose" }, looseBox(loose, _("Not grouped yet"))),
        el("div", { class: "screen-stories__themes" }, pages(boxes)),
      ),
    ],
  };
}

/** The ranked lists stay in the page so their bars grow smoothly as votes come in. */
const rankedLists = {};
const moreNotes = {};

function rankedItem(item, previous, secret, max) {
  const node =
    previous ||
    el(
      "li",
      { class: "screen-ranked__item" },
      el("p", { class: "screen-ranked__text" }),
      el("p", { class: "screen-byline" }),
      el(
        "div",
        { class: "screen-bar" },
        el("span", { class: "screen-bar__track", "aria-hidden": "true" }, el("span", { class: "screen-bar__fill" })),
        el("span", { class: "screen-bar__count" }),
      ),
    );
  const text = node.querySelector(".screen-ranked__text");
  setText(text, excerpt(item.text, 220));
  if (item.language) text.lang = item.language;
  const by = node.querySelector(".screen-byline");
  if (item.author) replace(by, authorLine(item));
  else replace(by);
  by.hidden = !item.author;
  node.querySelector(".screen-bar").hidden = secret;
  const votes = item.votes || 0;
  node.querySelector(".screen-bar__fill").style.width = secret ? "0%" : `${Math.round((votes / max) * 100)}%`;
  setText(node.querySelector(".screen-bar__count"), secret ? "" : ngettext("%(num)s vote", "%(num)s votes", votes));
  return node;
}

/**
 * Dream and Design: ranked by votes with bars; no numbers while counts are
 * secret. As many as fit (fitRanked), the rest counted.
 */
function rankedWall(kind) {
  const items = session.contributions(kind);
  if (!items.length) {
    return {
      nodes: [],
      empty: kind === "dream" ? _("Dreams appear here as you send them.") : _("Propositions appear here as you send them."),
    };
  }
  const secret = votesSecret(items);
  // While counts are secret, keep the order they came in: a ranking would tell the counts.
  const ordered = secret ? items.slice().sort((a, b) => a.id - b.id) : items.slice().sort(byVotes);
  const shown = ordered.slice(0, MAX_RANKED);
  const max = secret ? 1 : Math.max(1, ...shown.map((c) => c.votes || 0));
  const list = (rankedLists[kind] ||= el("ol", { class: "screen-ranked" }));
  list.classList.toggle("screen-ranked--secret", secret);
  reconcile(list, shown, (c) => `c:${c.id}`, (item, previous) => rankedItem(item, previous, secret, max));
  const note = (moreNotes[kind] ||= el("p", { class: "screen-more" }));
  note.dataset.total = String(items.length);
  return { nodes: [list, note], secret, ranked: { list, note } };
}

/** Deliver: the commitments, newest first, who and by when; paged when they do not fit. */
function commitmentsWall() {
  const items = session.contributions("commitment");
  if (!items.length) return { nodes: [], empty: _("Commitments appear here as you send them.") };
  return {
    nodes: [
      pages(
        el(
          "ul",
          { class: "screen-commitments" },
          newestFirst(items).map((item) =>
            el(
              "li",
              { class: "screen-commitment" },
              el("p", { class: "screen-commitment__text", lang: item.language || null, text: excerpt(item.text, 180) }),
              el(
                "p",
                { class: "screen-commitment__meta" },
                item.owner || item.owner_organisation
                  ? el("span", {
                      text: _("Who: %(owner)s", {
                        owner: [item.owner, item.owner_organisation].filter(Boolean).join(", "),
                      }),
                    })
                  : null,
                item.due ? el("span", { text: _("By when: %(date)s", { date: formatDate(item.due) }) }) : null,
                byline(item),
              ),
            ),
          ),
        ),
      ),
    ],
  };
}

function lobbyWall() {
  return { nodes: [el("p", { class: "screen-welcome", text: _("Scan the code or open the link on your phone. No account needed.") })] };
}

function closedWall() {
  const counts = ["story", "dream", "proposition", "commitment"].map((kind) => session.contributions(kind).length);
  return {
    nodes: [
      el(
        "ul",
        { class: "screen-totals" },
        el("li", { text: ngettext("%(num)s story", "%(num)s stories", counts[0]) }),
        el("li", { text: ngettext("%(num)s dream", "%(num)s dreams", counts[1]) }),
        el("li", { text: ngettext("%(num)s proposition", "%(num)s propositions", counts[2]) }),
        el("li", { text: ngettext("%(num)s commitment", "%(num)s commitments", counts[3]) }),
      ),
    ],
  };
}

let rankedShown = null;

function renderWall() {
  const current = phase();
  const kind = PHASE_KIND[current];
  const items = session.contributions();
  const signature = JSON.stringify([current, items, session.themes()]);
  if (signature === wallShown) return;
  wallShown = signature;
  let result;
  if (kind === "story") result = storiesWall();
  else if (kind === "dream" || kind === "proposition") result = rankedWall(kind);
  else if (kind === "commitment") result = commitmentsWall();
  else if (current === "closed") result = closedWall();
  else result = lobbyWall();
  mount(result.nodes.filter(Boolean));
  ui.wallEmpty.hidden = !result.empty;
  setText(ui.wallEmpty, result.empty || "");
  ui.secret.hidden = !result.secret;
  rankedShown = result.ranked || null;
  layoutWall();
}

/** Show `nodes` on the wall, leaving them in place when they are already there. */
function mount(nodes) {
  const current = Array.from(ui.wallBody.children);
  const same = current.length === nodes.length && current.every((node, i) => node === nodes[i]);
  if (!same) replace(ui.wallBody, nodes);
}

// ----- fitting the wall: ranked lists trimmed, flowing lists paged -----

/** Show as many ranked items as the wall holds; count the rest ("and 5 more"). */
function fitRanked({ list, note }) {
  const items = Array.from(list.children);
  for (const item of items) item.hidden = false;
  const total = Number(note.dataset.total || items.length);
  const limit = ui.wallBody.getBoundingClientRect().bottom;
  const count = (shown) => {
    const rest = total - shown;
    note.hidden = rest <= 0;
    if (rest > 0) setText(note, ngettext("and %(num)s more", "and %(num)s more", rest));
  };
  let shown = items.length;
  count(shown);
  while (shown > 1 && (note.hidden ? list : note).getBoundingClientRect().bottom > limit) {
    shown -= 1;
    items[shown].hidden = true;
    count(shown);
  }
}

/** The pages of one flowing list: its columns run on to the right, a page is the wall's width. */
function pageCount(container) {
  const style = window.getComputedStyle(container);
  const gap = parseFloat(style.columnGap) || 0;
  const width = container.clientWidth + gap;
  return width > 0 ? Math.max(1, Math.ceil((container.scrollWidth + gap - 1) / width)) : 1;
}

let page = 0;
let pageTimer = 0;

function showPage() {
  const containers = Array.from(ui.wallBody.querySelectorAll(".screen-pages"));
  const counts = containers.map(pageCount);
  const total = Math.max(1, ...counts);
  if (page >= total) page = 0;
  containers.forEach((container, i) => {
    const gap = parseFloat(window.getComputedStyle(container).columnGap) || 0;
    container.scrollLeft = Math.min(page, counts[i] - 1) * (container.clientWidth + gap);
  });
  ui.pager.hidden = total <= 1;
  if (total > 1) {
    replace(
      ui.pager,
      el("span", { text: _("Page %(page)s of %(pages)s", { page: formatNumber(page + 1), pages: formatNumber(total) }) }),
      el(
        "span",
        { class: "screen-pager__dots", "aria-hidden": "true" },
        counts.length ? Array.from({ length: total }, (_unused, i) => el("span", { class: i === page ? "is-current" : null })) : null,
      ),
    );
  }
  return total;
}

/** Lay the wall out again (new content, a resize); page through it while it does not fit. */
function layoutWall() {
  if (rankedShown) fitRanked(rankedShown);
  const total = showPage();
  window.clearInterval(pageTimer);
  pageTimer = 0;
  if (total > 1) {
    pageTimer = window.setInterval(() => {
      page += 1;
      showPage();
    }, PAGE_MS);
  } else {
    page = 0;
  }
}

window.addEventListener("resize", () => {
  wallShown = null;
  renderSoon();
});

// ----- revealing the votes (the projector's operator) -----

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || "";

ui.reveal.addEventListener("click", async () => {
  ui.reveal.disabled = true;
  ui.revealError.hidden = true;
  let ok = false;
  try {
    const response = await fetch(ui.reveal.dataset.url, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      credentials: "same-origin",
    });
    ok = response.ok;
  } catch {
    ok = false;
  }
  ui.reveal.disabled = false;
  if (!ok) {
    // The room's `workshop` event hides the control once revealed; a failure says so here.
    setText(ui.revealError, _("The votes could not be revealed. Try again."));
    ui.revealError.hidden = false;
  }
});

function render() {
  frame = 0;
  if (!session.state) return;
  renderHeader();
  renderWall();
}

/** Many events may arrive at once (a vote storm): draw once for all of them. */
function renderSoon() {
  if (!frame) frame = window.setTimeout(render, RENDER_DELAY_MS);
}

session.addEventListener("change", renderSoon);
