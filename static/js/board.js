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

const ctx = boardContext();
const { session } = ctx;

const renderStepper = initStepper(ctx);
const moderation = initModeration(ctx);
const grouping = initGrouping(ctx);
const drag = initDrag(ctx, grouping);
const cards = initWallCards(ctx, { moderation, grouping });
const themeBoxes = initThemeBoxes(ctx, { grouping, drag, storyCard: cards.storyCard });
const wall = initWall(ctx, { cards, themeBoxes, drag });

ctx.render = function render() {
  renderStepper();
  if (session.state) wall.render();
};

session.addEventListener("change", (event) => {
  const { type, data } = event.detail;
  if (type === "phase") wall.showPhaseView(data.phase);
  ctx.render();
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

ctx.render();
