// The "new workshop" form: prompts follow the chosen language.
//
// The form is pre-filled with the default prompts of the page's language. If
// the facilitator picks another workshop language and leaves a prompt as it
// was, that prompt is sent empty, so the server uses its default in the
// workshop's language instead of keeping the page's.

const form = document.querySelector("[data-workshop-form]");
const language = form && form.querySelector('select[name="language"]');

if (form && language) {
  const initialLanguage = language.value;
  const prompts = Array.from(form.querySelectorAll('textarea[name^="prompt_"]'));
  const defaults = new Map(prompts.map((textarea) => [textarea, textarea.value]));
  form.addEventListener("submit", () => {
    const title = form.querySelector('[name="title"]');
    // A form the server will send back (no title) keeps its prompts visible.
    if (language.value === initialLanguage || !title || !title.value.trim()) return;
    for (const textarea of prompts) {
      if (textarea.value === defaults.get(textarea)) textarea.value = "";
    }
  });
}
