// On every page of a signed-in user: the page's connection, and the bell in the header,
// whose unread count goes up live when a notification arrives on any websocket.
import { live } from "./live.js";
import { _, ngettext, el, fill, formatDateTime } from "./util.js";

// The bell's badge, and its copy on the phone's "Menü" button (the bell is inside the menu).
const badges = document.querySelectorAll("[data-notification-count]");
const badge = badges[0];
const label = document.querySelector("[data-notification-label]");

function showCount(count) {
  for (const b of badges) {
    b.textContent = String(count);
    b.hidden = count === 0;
  }
  if (label) label.textContent = fill(ngettext("%s ungelesen", "%s ungelesen", count), [count]);
}

// After every (re)connect: the count as the server has it (read elsewhere meanwhile).
live().addEventListener("hello", (event) => showCount(event.detail.unread_notifications ?? 0));

live().addEventListener("notification", (event) => {
  const notification = event.detail;
  showCount(Number(badge?.textContent || 0) + 1);
  // On the notification page the new one appears on top at once; opening it (and
  // marking it read) goes through the page's form after a reload.
  const list = document.querySelector("[data-notification-list]");
  if (list) {
    document.querySelector("[data-notification-empty]")?.remove();
    list.prepend(el("li", { class: "notification notification--unread" },
      el("div", {},
        el("p", {}, el("span", { class: "visually-hidden" }, _("Ungelesen:") + " "), notification.text),
        el("p", { class: "small muted" },
          el("time", { datetime: notification.created_at }, formatDateTime(notification.created_at))))));
  }
});
