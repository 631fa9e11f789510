// `@` in a composer offers the people who may read the room (GET rooms/{id}/mentionable/):
// a listbox above the textarea (aria-autocomplete, aria-activedescendant); arrows move, Enter or Tab take one,
// Escape closes. Taking one writes `@username ` in place of what was typed.
import { _, api, el, fill } from "./util.js";

const TYPED = /(^|\s)@([\w.+-]{0,30})$/;

export function completeMentions(input, room) {
  const list = el("ul", { class: "mention-list", role: "listbox", id: `${input.id}-mentions`, hidden: "", "aria-label": _("Erwähnen") });
  input.after(list);
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  let people = [], active = 0, asked = 0;

  const close = () => {
    people = [];
    list.hidden = true;
    list.replaceChildren();
    input.removeAttribute("aria-activedescendant");
  };
  const show = () => {
    list.replaceChildren(...people.map((p, i) => {
      const option = el("li", { role: "option", id: `${list.id}-${i}`, "aria-selected": String(i === active) },
        el("strong", {}, p.display_name), ` @${p.username}`);
      option.addEventListener("mousedown", (event) => { event.preventDefault(); take(i); });
      return option;
    }));
    list.hidden = people.length === 0;
    if (people.length) input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
  };
  const take = (i) => {
    const before = input.value.slice(0, input.selectionStart);
    const typed = before.match(TYPED);
    if (!typed || !people[i]) return close();
    const start = before.length - typed[2].length;
    const inserted = `${people[i].username} `;
    input.value = input.value.slice(0, start) + inserted + input.value.slice(input.selectionStart);
    input.selectionStart = input.selectionEnd = start + inserted.length;
    input.dispatchEvent(new Event("input"));
    close();
  };

  input.addEventListener("input", async () => {
    const typed = input.value.slice(0, input.selectionStart).match(TYPED);
    if (!typed) return close();
    const ask = ++asked;
    const answer = await api(`/api/rooms/${room}/mentionable/?q=${encodeURIComponent(typed[2])}`);
    if (ask !== asked || !answer.ok) return;  // a newer question, or no answer
    people = answer.body.results;
    active = 0;
    show();
  });
  // Before the composer's own keys (Enter sends): capture on the textarea itself.
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      active = (active + moves[event.key] + people.length) % people.length;
      show();
    } else if (event.key === "Enter" || event.key === "Tab") {
      take(active);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);
  input.addEventListener("blur", () => setTimeout(close, 100));
}

// What an ack says of the message's mentions that its author should know.
export function mentionHint(m) {
  if (!m) return "";
  const parts = [];
  if (m.unreachable.length) parts.push(fill(_("Nicht benachrichtigt, weil ohne Zugang zum Raum: %s"), [m.unreachable.map((n) => "@" + n).join(", ")]));
  if (m.all === "forbidden") parts.push(_("@alle ist für die Leitung und die Moderation."));
  if (m.all === "too_large") parts.push(_("@alle geht nur in Räumen von Initiativen mit wenigen Mitgliedern."));
  return parts.join(" ");
}
