// Translations for the browser: `_(msgid)` and `ngettext(singular, plural, n)`.
//
// The catalogue comes from /i18n/<locale>.json (see workshop/system.py); the
// locale is the page's <html lang>. English has no entries, so every lookup
// falls back to its msgid. Placeholders use Python's style, `%(name)s`; in
// ngettext, `%(num)s` is the count. Keep every msgid a literal first argument
// so pybabel's JavaScript extractor finds it.

export const locale = (document.documentElement.lang || "en").toLowerCase();

const CACHE_KEY = `pc:i18n:${locale}`;
let catalogue = { locale, plural_index: { one: 0, other: 1 }, messages: {} };

function isCatalogue(value) {
  return value && typeof value === "object" && value.messages && value.plural_index;
}

const LOAD_TIMEOUT_MS = 5000;

async function load() {
  // A slow network must not hold the page: after a while, use the cached copy.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), LOAD_TIMEOUT_MS);
  try {
    const response = await fetch(`/i18n/${encodeURIComponent(locale)}.json`, {
      credentials: "same-origin",
      signal: controller.signal,
    });
    if (response.ok) {
      const data = await response.json();
      if (isCatalogue(data)) {
        catalogue = data;
        try {
          localStorage.setItem(CACHE_KEY, JSON.stringify(data));
        } catch {
          // Private mode or full storage: the catalogue just is not cached.
        }
        return;
      }
    }
  } catch {
    // Offline or too slow: fall back to the copy kept from an earlier visit.
  } finally {
    clearTimeout(timer);
  }
  try {
    const cached = JSON.parse(localStorage.getItem(CACHE_KEY) || "null");
    if (isCatalogue(cached)) catalogue = cached;
  } catch {
    // Keep the msgids.
  }
}

await load();

/** Replace `%(name)s` (or `%(name)d`) placeholders with values from `params`. */
export function format(text, params) {
  if (!params) return text;
  return text.replace(/%\((\w+)\)[sd]/g, (match, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}

/** The translation of `msgid`, with `%(name)s` placeholders filled from `params`. */
export function _(msgid, params) {
  const entry = catalogue.messages[msgid];
  const text = typeof entry === "string" && entry ? entry : msgid;
  return format(text, params);
}

let pluralRules = null;
function pluralCategory(n) {
  try {
    pluralRules = pluralRules || new Intl.PluralRules(locale);
    return pluralRules.select(n);
  } catch {
    return n === 1 ? "one" : "other";
  }
}

/** The plural form of a message for count `n`; `%(num)s` is replaced by `n`. */
export function ngettext(singular, plural, n, params) {
  const values = { num: formatNumber(n), ...(params || {}) };
  const entry = catalogue.messages[singular];
  if (Array.isArray(entry)) {
    const indexes = catalogue.plural_index || {};
    const category = pluralCategory(n);
    const index = indexes[category] ?? indexes.other ?? (n === 1 ? 0 : 1);
    const text = entry[index];
    if (text) return format(text, values);
  }
  return format(n === 1 ? singular : plural, values);
}

/**
 * A workshop's prompt entry as this page shows it: `{text, lang}`.
 *
 * `{default: key}` is one of the method's prompts, in the page's language
 * (the catalogue carries them); `{text, language, translations}` is the
 * facilitator's own, in its translation to the page's language when there is
 * one, else as written. A plain string is a text of unknown language.
 */
export function promptText(entry, fallbackLanguage = null) {
  if (typeof entry === "string") return { text: entry, lang: fallbackLanguage };
  if (!entry || typeof entry !== "object") return { text: "", lang: null };
  if (entry.default) {
    const text = (catalogue.prompts || {})[entry.default];
    return { text: text || "", lang: locale };
  }
  const translated = entry.translations && entry.translations[locale];
  if (translated) return { text: translated, lang: locale };
  return { text: entry.text || "", lang: entry.language || fallbackLanguage };
}

/** A number in the page's locale. */
export function formatNumber(n) {
  try {
    return new Intl.NumberFormat(locale).format(n);
  } catch {
    return String(n);
  }
}

/** A date (YYYY-MM-DD or ISO timestamp) in the page's locale. */
export function formatDate(value, options = { dateStyle: "medium" }) {
  if (!value) return "";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return value;
  }
}
