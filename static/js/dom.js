// DOM helpers. Text always goes in through textContent (never innerHTML),
// so nothing a participant types can become markup.

const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "selected", "readOnly"]);

/**
 * Create an element: el("li", {class: "card", dataset: {id: 3}}, "text", child).
 * Attribute values of null, undefined or false are left out; true gives an
 * empty attribute. `text` sets textContent; `on` maps events to listeners.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "on") {
      for (const [event, listener] of Object.entries(value)) node.addEventListener(event, listener);
    } else if (PROPERTIES.has(key)) node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

/** Append children: nodes, strings (as text), arrays of them; null is skipped. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace all children of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** Set textContent only when it changed (keeps screen readers quiet otherwise). */
export function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

/** `document.getElementById`, or an error naming the missing element. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`Missing element #${id}`);
  return node;
}

/**
 * Keep `container`'s children in step with `items`, reusing elements by key.
 *
 * `render(item, previous)` returns the element for an item: `previous` when
 * nothing changed, an updated or new element otherwise. Elements are moved
 * only when the order changes. If the focused element is re-created, focus
 * returns to the element with the same `data-focus-key` in the same item.
 */
export function reconcile(container, items, keyOf, render) {
  const focus = focusMemo(container);
  const existing = new Map();
  for (const child of Array.from(container.children)) {
    if (child.dataset.key) existing.set(child.dataset.key, child);
    else child.remove();
  }
  const wanted = items.map((item) => {
    const key = String(keyOf(item));
    const previous = existing.get(key) || null;
    existing.delete(key);
    const node = render(item, previous);
    node.dataset.key = key;
    if (previous && previous !== node) previous.replaceWith(node);
    return node;
  });
  for (const node of existing.values()) node.remove();
  let cursor = container.firstElementChild;
  for (const node of wanted) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
  restoreFocus(focus);
}

/** Remember which keyed item and control inside `root` has focus. */
export function focusMemo(root) {
  const active = document.activeElement;
  if (!active || active === document.body || !root.contains(active)) return null;
  const item = active.closest("[data-key]");
  return {
    element: active,
    key: item ? item.dataset.key : null,
    control: active.dataset.focusKey || null,
  };
}

/** Give focus back after a re-render, to the same element or its replacement. */
export function restoreFocus(memo) {
  if (!memo || document.activeElement === memo.element) return;
  if (memo.element.isConnected) {
    memo.element.focus({ preventScroll: true });
    return;
  }
  if (!memo.key || !memo.control) return;
  const item = document.querySelector(`[data-key="${CSS.escape(memo.key)}"]`);
  const control = item && item.querySelector(`[data-focus-key="${CSS.escape(memo.control)}"]`);
  if (control) control.focus({ preventScroll: true });
}

/**
 * Coalesce calls to `fn` into one per animation frame: `schedule()` asks for
 * a run, `flush()` runs a pending one now. Many events arriving together (a
 * room of phones writing, a vote storm) cost one redraw. A page in a
 * background tab gets no frames, so a timer runs it too, whichever is first.
 */
export function frameScheduler(fn, fallbackMs = 100) {
  let pending = false;
  let frame = 0;
  let timer = 0;
  const run = () => {
    if (!pending) return;
    pending = false;
    window.cancelAnimationFrame(frame);
    window.clearTimeout(timer);
    fn();
  };
  return {
    schedule() {
      if (pending) return;
      pending = true;
      frame = window.requestAnimationFrame(run);
      timer = window.setTimeout(run, fallbackMs);
    },
    flush: run,
  };
}

/** Put a message in an aria-live region; an empty message clears it. */
export function announce(region, message) {
  if (!region) return;
  region.textContent = "";
  if (message) {
    // A fresh text node makes screen readers read a repeated message again.
    window.setTimeout(() => {
      region.textContent = message;
    }, 30);
  }
}

/** Read JSON from localStorage, or `fallback` when absent or unreadable. */
export function loadJSON(key, fallback) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

/** Write JSON to localStorage; `null` removes the key. Returns false if storage failed. */
export function saveJSON(key, value) {
  try {
    if (value === null || value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

const drawnWith = new WeakMap();

/**
 * True when `node` must be drawn again: `signature` (a string describing
 * what it shows) differs from the one it was last drawn with, which is then
 * remembered. Kept out of the DOM, so a large list's signature costs no attribute.
 */
export function redrawNeeded(node, signature) {
  if (drawnWith.get(node) === signature) return false;
  drawnWith.set(node, signature);
  return true;
}
