// The join page without a known workshop: its "privacy notice" link follows
// the code being typed, so it opens that workshop's own notice.

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
