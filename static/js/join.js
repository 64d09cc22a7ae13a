// The join form tells the server the browser's languages, so a phone whose
// owner never touches the language switcher is still known to read, say,
// Polish (the server keeps the first of the product's languages it finds).

const field = document.querySelector('input[name="browser_languages"]');
if (field) {
  const languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  field.value = languages.filter(Boolean).slice(0, 10).join(",");
}
