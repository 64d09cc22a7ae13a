// The participant's live page: prompt, contribution box, feed and votes.
//
// Nothing typed may be lost. The text box is saved in localStorage as a
// draft per workshop and phase. A submission gets a client-made id and waits
// in a local outbox ("Sending…") until the server acknowledges it; the
// outbox is sent again after every reconnect (the server stores each
// client_id once). The draft is cleared only when the server confirmed it,
// or when it is safe in the outbox.
//
// The parts live in participant/: the phase and prompt, the form and its
// drafts and consent, the outbox, paired interviews, the feed and votes.
// Each part's init function receives the shared context (participant/context.js).

import { byId, frameScheduler } from "./dom.js";
import { forgetWorkshop } from "./forget.js";
import { initCompose } from "./participant/compose.js";
import { initConsent } from "./participant/consent.js";
import { participantContext } from "./participant/context.js";
import { initDrafts } from "./participant/drafts.js";
import { initFeed } from "./participant/feed.js";
import { initInterviews } from "./participant/interviews.js";
import { initOutbox } from "./participant/outbox.js";
import { initPhase } from "./participant/phase.js";
import { initVotes } from "./participant/votes.js";
import { bindTimer } from "./timer.js";

const ctx = participantContext();
const { session } = ctx;

const timer = byId("timer");
bindTimer(session, timer, {
  onChange: (status) => {
    timer.hidden = status.state === "stopped" || session.removed;
  },
});

const drafts = initDrafts(ctx);
const consent = initConsent(ctx);
const interviews = initInterviews(ctx, { drafts, consent });
// The outbox hands each answer to the form, which is made just below.
const outbox = initOutbox(ctx, { settle: (entry, ack) => compose.settle(entry, ack) });
const compose = initCompose(ctx, { drafts, consent, interviews, outbox });
const renderPhase = initPhase(ctx, { drafts, compose, interviews });
const votes = initVotes(ctx);
const renderFeed = initFeed(ctx, { votes });

function renderNow() {
  renderPhase();
  interviews.syncMode();
  interviews.renderPair();
  compose.renderSelects();
  outbox.render();
  renderFeed();
}

// The room's events are drawn once per frame; the page's own actions draw at once.
const frames = frameScheduler(renderNow);
ctx.render = () => {
  frames.schedule();
  frames.flush();
};

session.addEventListener("change", (event) => {
  if (event.detail.type !== "removed") {
    frames.schedule();
    return;
  }
  ctx.render();
  ctx.clearError();
  if (session.gone) {
    // Left, erased or deleted: drafts and the outbox of this workshop must not linger here.
    outbox.forget();
    forgetWorkshop(ctx.workshopId);
    byId("gone").focus();
  } else {
    byId("removed").focus();
  }
});
for (const type of ["snapshot", "synced"]) {
  session.addEventListener(type, () => {
    ctx.render();
    outbox.resend();
  });
}

consent.restore();
ctx.render();
compose.updateCounter();
