// The facilitator's live board: phases, join code, the wall, themes and moderation.
//
// Every action is a Socket.IO event answered by an ack; refusals show their
// `message` in the page's alert region. The room's events (which this board
// receives too) keep the wall up to date.
//
// The parts live in board/: the stepper, the wall and its cards, grouping
// (themes, drag and drop, theme boxes), moderation, and the tools beside the
// wall (timer, settings, notes, paired interviews, participants). Each part's
// init function receives the shared context (board/context.js).

import { boardContext } from "./board/context.js";
import { initDrag } from "./board/drag.js";
import { initGrouping } from "./board/grouping.js";
import { initPairs } from "./board/interviews.js";
import { initModeration } from "./board/moderation.js";
import { initNotes } from "./board/notes.js";
import { initRoster } from "./board/roster.js";
import { initSettings } from "./board/settings.js";
import { initStepper } from "./board/stepper.js";
import { initThemeBoxes } from "./board/theme-box.js";
import { initTimer } from "./board/timer-panel.js";
import { initWall } from "./board/wall.js";
import { initWallCards } from "./board/wall-cards.js";
import { frameScheduler } from "./dom.js";
import { _ } from "./i18n.js";

const ctx = boardContext();
const { session } = ctx;

const renderStepper = initStepper(ctx);
const moderation = initModeration(ctx);
const grouping = initGrouping(ctx);
const drag = initDrag(ctx, grouping);
const cards = initWallCards(ctx, { moderation, grouping });
const themeBoxes = initThemeBoxes(ctx, { grouping, drag, storyCard: cards.storyCard });
const wall = initWall(ctx, { cards, themeBoxes, drag });

function renderNow() {
  renderStepper();
  if (session.state) wall.render();
}

// The room's events are drawn once per frame; the board's own actions at once.
const frames = frameScheduler(renderNow);
ctx.render = () => {
  frames.schedule();
  frames.flush();
};

session.addEventListener("change", (event) => {
  const { type, data } = event.detail;
  if (type === "phase") wall.showPhaseView(data.phase);
  frames.schedule();
});
session.addEventListener("snapshot", () => {
  themeBoxes.forgetGone();
  moderation.forgetGone();
});
session.addEventListener("status", () => renderStepper());

// The tools beside the wall redraw themselves from the session's changes.
const tools = [initTimer(ctx), initSettings(ctx), initNotes(ctx), initPairs(ctx), initRoster(ctx)];
const redrawTools = (type) => {
  for (const redraw of tools) redraw(type);
};
session.addEventListener("change", (event) => redrawTools(event.detail.type));
session.addEventListener("status", () => redrawTools("status"));
redrawTools("init");

// "Workshop created…" and other messages of the page load: dismissable, and
// gone after a while (the join code stays in the join panel).
const FLASH_MS = 12000;
for (const flash of document.querySelectorAll(".flashes .flash")) {
  const close = () => {
    const box = flash.parentElement;
    flash.remove();
    if (box && !box.children.length) box.remove();
  };
  flash.append(
    " ",
    Object.assign(document.createElement("button"), {
      type: "button",
      className: "btn btn--quiet btn--small flash__close",
      textContent: _("Dismiss"),
      onclick: close,
    }),
  );
  if (!flash.matches(".flash--error")) window.setTimeout(close, FLASH_MS);
}

ctx.render();
