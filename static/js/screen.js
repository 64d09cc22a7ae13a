// The projector view: what the room sees, in type readable from the back.
//
// It connects as `{workshop_id, view: "screen"}` (the facilitator's login
// session authenticates) and receives the room's view: names only when the
// facilitator shows them, vote counts null while they are secret. It has no
// controls; the facilitator drives it from the board.

import { authorLine, byVotes, phaseLabels, phaseQuestion, renderPrompts, votesSecret } from "./cards.js";
import { byId, el, reconcile, replace, setText } from "./dom.js";
import { _, formatDate, formatNumber, ngettext } from "./i18n.js";
import { bindStatus, LiveSession, PHASE_KIND } from "./live.js";
import { bindTimer } from "./timer.js";

/** How many items fit on the wall at once. */
const MAX_THEMES = 6;
const STORIES_PER_THEME = 2;
const MAX_RANKED = 7;
const MAX_COMMITMENTS = 6;
const MAX_LOOSE_STORIES = 6;
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
  votesHidden: byId("votes-hidden-note"),
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
  let size = "small";
  if (current === "lobby" || (current === "discover" && !busy)) size = "large";
  else if (current === "discover") size = "medium";
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
    { class: "screen-story" },
    item.title ? el("span", { class: "screen-story__title", lang: item.language || null, text: item.title }) : null,
    el("span", { class: "screen-story__text", lang: item.language || null, text: excerpt(item.text, item.title ? 110 : 150) }),
    byline(item),
  );
}

function newest(items, n) {
  return items
    .slice()
    .sort((a, b) => b.id - a.id)
    .slice(0, n);
}

/** Discover: the positive core, stories grouped by theme. */
function storiesWall() {
  const stories = session.contributions("story");
  const themes = session.themes();
  const known = new Set(themes.map((t) => t.id));
  const loose = stories.filter((s) => !s.theme_id || !known.has(s.theme_id));
  if (!stories.length && !themes.length) return { nodes: [], empty: _("Stories appear here as you send them.") };
  const boxes = themes
    .map((theme) => ({ theme, items: stories.filter((s) => s.theme_id === theme.id) }))
    .sort((a, b) => b.items.length - a.items.length || a.theme.id - b.theme.id)
    .slice(0, loose.length ? MAX_THEMES - 1 : MAX_THEMES)
    .map(({ theme, items }) =>
      el(
        "section",
        { class: "screen-theme" },
        el(
          "h3",
          { class: "screen-theme__name" },
          el("span", { text: theme.name }),
          el("span", { class: "screen-count", text: ngettext("%(num)s story", "%(num)s stories", items.length) }),
        ),
        el("ul", { class: "screen-theme__stories" }, newest(items, STORIES_PER_THEME).map(storyLine)),
      ),
    );
  if (loose.length) {
    const heading = themes.length ? _("Not grouped yet") : _("Stories");
    boxes.push(
      el(
        "section",
        { class: "screen-theme screen-theme--loose" },
        el(
          "h3",
          { class: "screen-theme__name" },
          el("span", { text: heading }),
          el("span", { class: "screen-count", text: ngettext("%(num)s story", "%(num)s stories", loose.length) }),
        ),
        el(
          "ul",
          { class: "screen-theme__stories" },
          newest(loose, themes.length ? STORIES_PER_THEME : MAX_LOOSE_STORIES).map(storyLine),
        ),
      ),
    );
  }
  return { nodes: [el("div", { class: `screen-themes${themes.length ? "" : " screen-themes--loose"}` }, boxes)] };
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

/** Dream and Design: ranked by votes with bars; no numbers while counts are secret. */
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
  const more = items.length - shown.length;
  const note = (moreNotes[kind] ||= el("p", { class: "screen-more" }));
  setText(note, more > 0 ? ngettext("and %(num)s more", "and %(num)s more", more) : "");
  note.hidden = more <= 0;
  return { nodes: [list, note], secret };
}

/** Deliver: the newest commitments, who and by when. */
function commitmentsWall() {
  const items = session.contributions("commitment");
  if (!items.length) return { nodes: [], empty: _("Commitments appear here as you send them.") };
  return {
    nodes: [
      el(
        "ul",
        { class: "screen-commitments" },
        newest(items, MAX_COMMITMENTS).map((item) =>
          el(
            "li",
            { class: "screen-commitment" },
            el("p", { class: "screen-commitment__text", lang: item.language || null, text: excerpt(item.text, 180) }),
            el(
              "p",
              { class: "screen-commitment__meta" },
              item.owner ? el("span", { text: _("Who: %(owner)s", { owner: item.owner }) }) : null,
              item.due ? el("span", { text: _("By when: %(date)s", { date: formatDate(item.due) }) }) : null,
              byline(item),
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

function renderWall() {
  const current = phase();
  const kind = PHASE_KIND[current];
  const items = session.contributions();
  const signature = JSON.stringify([
    current,
    items,
    session.themes(),
  ]);
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
  ui.votesHidden.hidden = !result.secret;
}

/** Show `nodes` on the wall, leaving them in place when they are already there. */
function mount(nodes) {
  const current = Array.from(ui.wallBody.children);
  const same = current.length === nodes.length && current.every((node, i) => node === nodes[i]);
  if (!same) replace(ui.wallBody, nodes);
}

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
