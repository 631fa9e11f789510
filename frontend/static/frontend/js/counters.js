// Live seat counters (docs/protocol.md, "Live counters") on the pages that show them:
// an element with data-watch="<initiative id>" (or "city") asks for them, and every
// element with data-counter="shift:5" or "event:17" shows its counter's newest state,
// in the same words as the server's first rendering (frontend/events/_shift.html).
import { live } from "./live.js";
import { _, ngettext, fill, el } from "./util.js";

function shiftWords(c) {
  if (c.free === null) return [fill(ngettext("%s Person dabei", "%s Leute dabei", c.going), [c.going])];
  if (c.free > 0) {
    return [el("strong", { class: "needed" },
      fill(ngettext("noch %s Person gesucht", "noch %s Leute gesucht", c.free), [c.free])),
    " · " + fill(_("%s von %s"), [c.going, c.capacity])];
  }
  return [_("voll") + waiting(c)];
}

function eventWords(c) {
  if (c.free === null) {
    return [fill(ngettext("%s Person hat zugesagt", "%s Leute haben zugesagt", c.going), [c.going])];
  }
  if (c.free > 0) return [fill(ngettext("noch %s Platz frei", "noch %s Plätze frei", c.free), [c.free])];
  return [_("ausgebucht") + waiting(c)];
}

function waiting(c) {
  if (!c.waitlist) return "";
  return " · " + fill(ngettext("%s auf der Warteliste", "%s auf der Warteliste", c.waitlist), [c.waitlist]);
}

function show(counter) {
  for (const node of document.querySelectorAll(`[data-counter="${counter.kind}:${counter.id}"]`)) {
    node.replaceChildren(...(counter.kind === "shift" ? shiftWords(counter) : eventWords(counter)));
    node.closest(".shift")?.classList.toggle("shift--full", counter.free === 0);
  }
}

const watched = new Set([...document.querySelectorAll("[data-watch]")].map((node) => node.dataset.watch));
if (watched.size) {
  const connection = live();
  connection.addEventListener("counter", (event) => show(event.detail));
  for (const value of watched) connection.watch(value === "city" ? null : Number(value));
}
