// Forgetting a workshop on this phone: the drafts, the outbox and the choices
// the live page keeps in localStorage (keys `pc:<what>:<workshop id>:…`).
//
// Run when the participant leaves (the "left" page loads this module) and
// when the workshop is deleted while the live page is open.

/** Remove every key this app keeps for workshop `workshopId`. */
export function forgetWorkshop(workshopId) {
  const id = String(workshopId);
  try {
    const keys = [];
    for (let index = 0; index < localStorage.length; index += 1) {
      const key = localStorage.key(index);
      const parts = key ? key.split(":") : [];
      if (parts[0] === "pc" && parts[2] === id) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // Storage blocked or unavailable: there is nothing kept to forget.
  }
}

if (document.body.dataset.page === "left") forgetWorkshop(document.body.dataset.workshopId);
