// "Text kopieren": the memo's ready-to-paste text to the clipboard (the textarea stays
// selectable by hand where the clipboard is not allowed).
import { _ } from "./util.js";

for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    const done = button.parentElement.querySelector("[data-copy-done]");
    try {
      await navigator.clipboard.writeText(source.value);
      done.textContent = _("Kopiert.");
    } catch (error) {
      source.select();
      done.textContent = _("Markiert: jetzt mit Strg+C kopieren.");
    }
  });
}
