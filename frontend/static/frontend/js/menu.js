// Phones: the header's links fold behind a "Menü" button (without JavaScript they
// simply stay open). Escape closes the menu again.
const toggle = document.querySelector(".nav-toggle");
const nav = document.getElementById("site-nav");
if (toggle && nav) {
  document.documentElement.classList.add("js-menu");
  toggle.hidden = false;
  const show = (open) => {
    nav.classList.toggle("site-nav--open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      show(false);
      toggle.focus();
    }
  });
}
