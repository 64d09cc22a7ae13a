// The join page.
//
// The form tells the server the browser's languages, so a phone whose owner
// never touches the language switcher is still known to read, say, Polish
// (the server keeps the first of the product's languages it finds).
//
// Without a known workshop, the "privacy notice" link follows the code being
// typed, so it opens that workshop's own notice.

const field = document.querySelector('input[name="browser_languages"]');
if (field) {
  const languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  field.value = languages.filter(Boolean).slice(0, 10).join(",");
}

const code = document.getElementById("code");
const link = document.getElementById("notice-link");

if (code && link) {
  const base = link.getAttribute("href");
  const follow = () => {
    const typed = code.value.toUpperCase().replace(/[^A-Z0-9]/g, "");
    link.setAttribute("href", typed ? `${base}?code=${encodeURIComponent(typed)}` : base);
  };
  code.addEventListener("input", follow);
  follow();
}
