// On every page of a signed-in user: the page's connection, and the bell in the header,
// whose unread count goes up live when a notification arrives on any websocket.
import { live } from "./live.js";
import { _n, fill } from "./util.js";

const badge = document.querySelector("[data-notification-count]");
const label = document.querySelector("[data-notification-label]");

function showCount(count) {
  if (!badge) return;
  badge.textContent = String(count);
  badge.hidden = count === 0;
  if (label) label.textContent = fill(_n("%s ungelesen", "%s ungelesen", count), [count]);
}

live().addEventListener("notification", () => {
  showCount(Number(badge?.textContent || 0) + 1);
  const list = document.querySelector("[data-notification-list]");
  if (list) list.dataset.stale = "true";
});
