// The socket of a programme's pages (the dashboard and the synthesis board): the programme's
// room, the connection state shown in `#conn`, reconnection, and the programme's deletion.

import { io } from "../vendor/socket.io.esm.min.js";
import { setText } from "./dom.js";
import { _ } from "./i18n.js";

/**
 * Connect to the programme's room. `auth()` is called as each connection opens, before its
 * packets arrive (a page starts holding events there), and returns what the socket presents.
 * `onConnect` runs on every connection; `onDeleted` once the programme was deleted, after the
 * page stopped reconnecting and went inert. Returns the socket and `ended()`, true from then on.
 */
export function connectProgramme({ conn, auth, onConnect, onDeleted }) {
  let ended = false;
  const socket = io({
    auth: (callback) => callback(auth()),
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10000,
    randomizationFactor: 0.5,
  });

  function showStatus(status) {
    const text =
      {
        connected: _("Connected"),
        reconnecting: _("Reconnecting…"),
        offline: _("Offline"),
        refused: _("Not connected"),
        deleted: _("Programme deleted"),
      }[status] || _("Connecting…");
    conn.dataset.state = status;
    setText(conn, text);
  }

  socket.on("connect", () => {
    showStatus("connected");
    onConnect?.();
  });
  socket.on("disconnect", () => {
    if (!ended) showStatus(navigator.onLine === false ? "offline" : "reconnecting");
  });
  socket.on("connect_error", () => {
    showStatus(socket.active ? "reconnecting" : "refused");
    if (!socket.active) window.setTimeout(() => ended || socket.connect(), 10000);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !socket.connected && !ended) socket.connect();
  });
  socket.on("programme_deleted", () => {
    ended = true;
    socket.disconnect();
    showStatus("deleted");
    // Nothing on the page can be changed or opened any more; the header's links still work.
    for (const node of document.querySelectorAll("main > :not(:has(#conn))")) node.inert = true;
    onDeleted?.();
  });
  return { socket, ended: () => ended };
}
