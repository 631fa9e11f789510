// The room page: the message list, the composer, threads, reactions, edit and delete,
// reports, moderation as members see it, presence and typing. The server's rendering
// of the last 50 messages comes with the page (#room-state); from its `seq` on, the
// room follows live over the page's connection (live.js: reconnects, gap rule, outbox).
// Message text is always the server's sanitized `html`; `body` is only ever text.
import { live } from "./live.js";
import { _, ngettext, api, el, fill, formatDateTime, formatTime } from "./util.js";
import { completeMentions, mentionHint } from "./mentions.js";

const state = JSON.parse(document.getElementById("room-state").textContent);
const ROOM = state.room.id;
const ME = state.me;
const QUICK_EMOJI = ["👍", "❤️", "🎉", "😄", "🌱"];
const TYPING_SHOW_MS = 6000;
const TYPING_SEND_EVERY_MS = 3000;

const $ = (selector) => document.querySelector(selector);
const ui = {
  log: $("[data-log]"),
  list: $("[data-messages]"),
  empty: $("[data-empty]"),
  older: $("[data-older]"),
  conn: $("[data-conn]"),
  typing: $("[data-typing]"),
  banner: $("[data-banner]"),
  composer: $("[data-composer]"),
  input: $("[data-input]"),
  send: $("[data-send]"),
  hint: $("[data-hint]"),
  side: $("[data-side]"),
  sideTitle: $("[data-side-title]"),
  people: $("[data-people]"),
  peopleList: $("[data-people-list]"),
  online: $("[data-online-count]"),
  thread: $("[data-thread]"),
  threadList: $("[data-thread-messages]"),
  threadComposer: $("[data-thread-composer]"),
  threadInput: $("[data-thread-input]"),
  slowTag: $("[data-slow-tag]"),
};
const defaultHint = ui.hint.textContent;

const messages = new Map(); // id -> message data (with `seq` of its creation)
const pending = new Map(); // client_id -> {body, thread, failed}
const myReactions = new Set(); // `${id} ${emoji}` this page added
const presence = new Map(); // user id -> {user, status}
const typers = new Map(); // user id -> {name, until}
let you = state.you;
let room = state.room;
let openThread = null;
let slowUntil = 0;
let lastTypingSent = 0;
let readSent = state.read_seq;
let lostRoom = false;

// --- rendering a message ------------------------------------------------------------
const authorName = (m) => m.author?.display_name || m.author?.username || _("Unbekannt");
const isMine = (m) => m.author && m.author.id === ME.id;
const canEdit = (m) =>
  isMine(m) && !m.deleted && !m.hidden &&
  Date.now() - new Date(m.created_at).getTime() < state.edit_window * 1000;
const canDelete = (m) => !m.deleted && (isMine(m) || state.sees_hidden);

function bodyNode(m) {
  const body = el("div", { class: "msg__body" });
  if (m.deleted) {
    body.append(el("p", { class: "msg__note" }, _("Diese Nachricht wurde gelöscht.")));
  } else if (m.hidden && !m.html) {
    body.append(el("p", { class: "msg__note" }, _("Diese Nachricht ist ausgeblendet.")));
  } else {
    body.innerHTML = m.html; // the server's sanitized rendering (nh3 allowlist)
  }
  if (m.hidden) {
    const reason = m.hidden_reason ? fill(_("Ausgeblendet: %s"), [m.hidden_reason]) : _("Ausgeblendet");
    body.prepend(el("p", { class: "msg__hidden-note" }, "⊘ ", reason));
  }
  return body;
}

function actionsNode(m, inThread) {
  const actions = el("div", { class: "msg__actions" });
  if (m.deleted || String(m.id).startsWith("pending")) return actions;
  if (!m.hidden) {
    const picker = el("details", { class: "msg__react" },
      el("summary", { "aria-label": _("Reagieren"), title: _("Reagieren") }, "☺"),
      el("div", { class: "msg__popover" }, ...QUICK_EMOJI.map((emoji) =>
        el("button", { type: "button", class: "emoji", "aria-label": fill(_("Mit %s reagieren"), [emoji]),
          onclick: (event) => { event.target.closest("details").open = false; toggleReaction(m.id, emoji, true); } }, emoji))));
    actions.append(picker);
    if (!inThread && !m.thread) {
      actions.append(el("button", { type: "button", class: "msg__action", onclick: () => showThread(m.id) }, _("Antworten")));
    }
  }
  const menuItems = [];
  if (canEdit(m)) menuItems.push(el("button", { type: "button", onclick: () => startEdit(m.id) }, _("Bearbeiten")));
  if (canDelete(m)) menuItems.push(el("button", { type: "button", onclick: () => removeMessage(m.id) }, _("Löschen")));
  if (!isMine(m) && !m.hidden) menuItems.push(el("button", { type: "button", onclick: () => openReport(m.id) }, _("Melden")));
  if (state.can_moderate && !m.hidden && !isMine(m)) menuItems.push(el("button", { type: "button", onclick: () => openHide(m.id) }, _("Ausblenden")));
  if (state.can_moderate && m.hidden) menuItems.push(el("button", { type: "button", onclick: () => unhide(m.id) }, _("Wieder einblenden")));
  if (menuItems.length) {
    actions.append(el("details", { class: "msg__menu" },
      el("summary", { "aria-label": fill(_("Aktionen für die Nachricht von %s"), [authorName(m)]) }, "⋯"),
      el("div", { class: "msg__popover" }, ...menuItems)));
  }
  return actions;
}

function reactionsNode(m) {
  const row = el("div", { class: "msg__reactions" });
  for (const [emoji, count] of Object.entries(m.reactions || {})) {
    const mine = myReactions.has(`${m.id} ${emoji}`);
    row.append(el("button", {
      type: "button", class: "pill", "aria-pressed": mine ? "true" : "false",
      "aria-label": fill(ngettext("%s: %s Reaktion", "%s: %s Reaktionen", count), [emoji, count]),
      onclick: () => toggleReaction(m.id, emoji, !mine),
    }, `${emoji} ${count}`));
  }
  if (!m.thread && m.reply_count > 0) {
    row.append(el("button", { type: "button", class: "pill pill--replies", onclick: () => showThread(m.id) },
      "💬 ", fill(ngettext("%s Antwort", "%s Antworten", m.reply_count), [m.reply_count])));
  }
  return row;
}

function messageNode(m, { inThread = false } = {}) {
  const classes = ["msg"];
  if (m.hidden) classes.push("msg--hidden");
  if (m.deleted) classes.push("msg--deleted");
  if (isMine(m)) classes.push("msg--mine");
  const node = el("li", { class: classes.join(" "), dataset: { id: m.id, author: m.author?.id ?? "", minute: m.created_at.slice(0, 16) } },
    el("div", { class: "msg__head" },
      el("span", { class: "avatar", "aria-hidden": "true" }, authorName(m).slice(0, 1).toUpperCase()),
      el("span", { class: "msg__author" }, authorName(m)),
      el("time", { datetime: m.created_at, title: formatDateTime(m.created_at) },
        el("span", { class: "visually-hidden" }, formatDateTime(m.created_at)),
        el("span", { "aria-hidden": "true" }, formatTime(m.created_at))),
      m.edited_at && !m.deleted ? el("span", { class: "msg__edited" }, _("(bearbeitet)")) : null),
    bodyNode(m),
    reactionsNode(m),
    actionsNode(m, inThread));
  return node;
}

function pendingNode(clientId, item) {
  const node = el("li", { class: "msg msg--mine msg--pending", dataset: { client: clientId } },
    el("div", { class: "msg__head" },
      el("span", { class: "avatar", "aria-hidden": "true" }, (ME.display_name || ME.username).slice(0, 1).toUpperCase()),
      el("span", { class: "msg__author" }, ME.display_name || ME.username),
      el("span", { class: "msg__status" }, _("wird gesendet …"))),
    el("div", { class: "msg__body msg__body--text" }, item.body));
  return node;
}

// --- the list ------------------------------------------------------------------------
const visibleIn = (m) => !(m.hidden && !state.sees_hidden && !state.can_moderate);

function listFor(m) {
  return m.thread ? (openThread === m.thread ? ui.threadList : null) : ui.list;
}

function place(m) {
  const list = listFor(m);
  const existing = document.querySelectorAll(`.msg[data-id="${m.id}"]`);
  if (!visibleIn(m)) {
    existing.forEach((node) => node.remove());
  } else {
    for (const node of existing) node.replaceWith(messageNode(m, { inThread: node.parentElement === ui.threadList }));
    if (openThread === m.id) {
      const root = ui.threadList.querySelector(`.msg[data-id="${m.id}"]`);
      if (!root) ui.threadList.prepend(messageNode(m, { inThread: true }));
    }
    if (list && !list.querySelector(`.msg[data-id="${m.id}"]`)) {
      const node = messageNode(m, { inThread: list === ui.threadList });
      const after = [...list.querySelectorAll(".msg[data-id]")].find(
        (other) => (messages.get(Number(other.dataset.id))?.seq ?? 0) > m.seq);
      if (after) list.insertBefore(node, after);
      else list.insertBefore(node, list.querySelector(".msg--pending"));
    }
  }
  regroup(ui.list);
  ui.empty.hidden = ui.list.querySelector(".msg") !== null;
}

function regroup(list) {
  let previous = null;
  for (const node of list.querySelectorAll(".msg[data-id]")) {
    const same = previous && previous.dataset.author === node.dataset.author &&
      previous.dataset.minute === node.dataset.minute;
    node.classList.toggle("msg--cont", Boolean(same));
    previous = node;
  }
}

function addUnreadDivider() {
  const first = [...messages.values()]
    .filter((m) => !m.thread && m.seq > state.read_seq && !isMine(m) && visibleIn(m))
    .sort((a, b) => a.seq - b.seq)[0];
  if (!first) return;
  const node = ui.list.querySelector(`.msg[data-id="${first.id}"]`);
  if (node) node.before(el("li", { class: "unread-divider", role: "separator" }, el("span", {}, _("Neu"))));
}

const nearBottom = () => ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 120;
const toBottom = () => { ui.log.scrollTop = ui.log.scrollHeight; };

function store(data, seq) {
  const known = messages.get(data.id);
  const m = { ...data, seq: known?.seq ?? data.seq ?? seq };
  messages.set(m.id, m);
  return m;
}

// --- events of the room ---------------------------------------------------------------
function applyEvent(frame, replayed) {
  const stick = nearBottom();
  if (frame.event === "room.updated") {
    room = frame.data;
    showRoomState();
    return;
  }
  const data = frame.data;
  const known = messages.has(data.id);
  if (frame.event === "message.created") {
    if (known) return; // shown already (the page's own rendering, or a catch-up)
    const m = store(data, frame.seq);
    if (data.client_id && isMine(data)) {
      pending.delete(data.client_id);
      document.querySelector(`.msg--pending[data-client="${CSS.escape(data.client_id)}"]`)?.remove();
    }
    if (m.thread) {
      const root = messages.get(m.thread);
      if (root) { root.reply_count = (root.reply_count || 0) + 1; place(root); }
    }
    place(m);
  } else if (known) {
    place(store(data, frame.seq));
  }
  if (stick || (frame.event === "message.created" && isMine(data))) toBottom();
  if (!replayed) markRead(frame.seq);
}

function resetRoom() {
  messages.clear();
  ui.list.querySelectorAll(".msg[data-id], .unread-divider").forEach((node) => node.remove());
}

// --- reading ----------------------------------------------------------------------------
function markRead(seq) {
  if (document.visibilityState !== "visible" || !nearBottom() || seq <= readSent) return;
  readSent = seq;
  live().sendFrame({ type: "read", room: ROOM, seq });
}
const latestSeq = () => live().rooms.get(ROOM)?.last ?? state.seq;
document.addEventListener("visibilitychange", () => markRead(latestSeq()));
ui.log.addEventListener("scroll", () => markRead(latestSeq()), { passive: true });

// --- sending ------------------------------------------------------------------------------
function newClientId() {
  return crypto.randomUUID ? crypto.randomUUID()
    : "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
}

function send(body, thread) {
  const text = body.trim();
  if (!text) return false;
  if (text.length > state.max_length) {
    showHint(fill(_("Zu lang: höchstens %s Zeichen (jetzt %s)."), [state.max_length, text.length]), true);
    return false;
  }
  const clientId = newClientId();
  const item = { body: text, thread };
  pending.set(clientId, item);
  if (!thread) { ui.list.append(pendingNode(clientId, item)); toBottom(); }
  const frame = { type: "send", room: ROOM, body: text, client_id: clientId };
  if (thread) frame.thread = thread;
  live().post(frame);
  if (room.slow_mode_seconds && !["lead", "moderator"].includes(you.role)) {
    startSlowMode(room.slow_mode_seconds);
  }
  return true;
}

function retry(clientId) {
  const item = pending.get(clientId);
  if (!item) return;
  const node = document.querySelector(`.msg--pending[data-client="${CSS.escape(clientId)}"]`);
  if (node) {
    node.classList.remove("msg--failed");
    node.querySelector(".msg__status").textContent = _("wird gesendet …");
    node.querySelector(".msg__retry")?.remove();
  }
  const frame = { type: "send", room: ROOM, body: item.body, client_id: clientId };
  if (item.thread) frame.thread = item.thread;
  live().post(frame);
}

function sendFailed(clientId, error) {
  const node = document.querySelector(`.msg--pending[data-client="${CSS.escape(clientId)}"]`);
  const reason = explain(error);
  // After `unavailable` the message stays in the outbox (live.js) and goes again after
  // the next reconnect; "Erneut senden" sends it now.
  if (node) {
    node.classList.add("msg--failed");
    node.querySelector(".msg__status").textContent = fill(_("Nicht gesendet: %s"), [reason]);
    if (!node.querySelector(".msg__retry")) {
      node.append(el("button", { type: "button", class: "button--small button--secondary msg__retry",
        onclick: () => retry(clientId) }, _("Erneut senden")));
    }
  } else {
    showHint(fill(_("Nicht gesendet: %s"), [reason]), true);
  }
  if (error.code === "slow_mode" && error.retry_after) startSlowMode(error.retry_after);
  if (error.code === "muted") { you = { ...you, muted: true }; showRoomState(); }
}

function explain(error) {
  const seconds = error.retry_after;
  switch (error.code) {
    case "muted":
      return seconds ? fill(_("Du bist stummgeschaltet, noch %s s."), [seconds]) : _("Du bist stummgeschaltet.");
    case "slow_mode":
      return fill(_("Langsamer Modus: noch %s s warten."), [seconds ?? "?"]);
    case "rate_limited":
      return fill(_("Zu viele Nachrichten in kurzer Zeit. In %s s geht es wieder."), [seconds ?? "?"]);
    case "too_long":
      return fill(_("Die Nachricht ist leer oder länger als %s Zeichen."), [state.max_length]);
    case "unavailable":
      return _("Der Server kann gerade nicht speichern. Versuch es gleich noch einmal.");
    default:
      return error.detail || _("Das hat nicht geklappt.");
  }
}

function startSlowMode(seconds) {
  slowUntil = Date.now() + seconds * 1000;
  tickSlowMode();
}

function tickSlowMode() {
  const left = Math.ceil((slowUntil - Date.now()) / 1000);
  if (left > 0) {
    ui.send.disabled = true;
    showHint(fill(_("Langsamer Modus: du kannst in %s s wieder schreiben."), [left]));
    setTimeout(tickSlowMode, 1000);
  } else {
    slowUntil = 0;
    showRoomState();
  }
}

function showHint(text, isError = false) {
  ui.hint.textContent = text;
  ui.hint.dataset.default = String(text === defaultHint);
  ui.hint.classList.toggle("composer__hint--error", isError);
}

function composerKeys(event, submit) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
}

ui.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  if (ui.send.disabled) return;
  if (send(ui.input.value, null)) { ui.input.value = ""; autosize(ui.input); showRoomState(); }
});
completeMentions(ui.input, ROOM);
completeMentions(ui.threadInput, ROOM);
ui.input.addEventListener("keydown", (event) => composerKeys(event, () => ui.composer.requestSubmit()));
ui.input.addEventListener("input", () => { autosize(ui.input); sendTyping(null); });
ui.threadComposer.addEventListener("submit", (event) => {
  event.preventDefault();
  if (openThread && !ui.send.disabled && send(ui.threadInput.value, openThread)) {
    ui.threadInput.value = "";
    autosize(ui.threadInput);
  }
});
ui.threadInput.addEventListener("keydown", (event) => composerKeys(event, () => ui.threadComposer.requestSubmit()));
ui.threadInput.addEventListener("input", () => { autosize(ui.threadInput); sendTyping(openThread); });

function autosize(textarea) {
  textarea.style.height = "auto";
  textarea.style.height = `${Math.min(textarea.scrollHeight, 200)}px`;
}

function sendTyping(thread) {
  if (Date.now() - lastTypingSent < TYPING_SEND_EVERY_MS || !you.can_post) return;
  lastTypingSent = Date.now();
  live().sendFrame({ type: "typing", room: ROOM, thread });
}

// --- edit, delete, reactions, reports, hiding ---------------------------------------------
function startEdit(id) {
  const m = messages.get(id);
  const node = document.querySelector(`.msg[data-id="${id}"]`);
  if (!m || !node) return;
  const area = el("textarea", { class: "msg__edit", "aria-label": _("Nachricht bearbeiten") });
  area.value = m.body || "";
  const save = () => {
    const body = area.value.trim();
    if (body && body !== m.body) live().sendFrame({ type: "edit", room: ROOM, message: id, body, ref: `edit:${id}` });
    place(m);
  };
  const form = el("div", { class: "msg__editor" }, area,
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button--small", onclick: save }, _("Speichern")),
      el("button", { type: "button", class: "button--small button--secondary", onclick: () => place(m) }, _("Abbrechen"))));
  area.addEventListener("keydown", (event) => {
    if (event.key === "Escape") place(m);
    else composerKeys(event, save);
  });
  node.querySelector(".msg__body").replaceWith(form);
  area.focus();
}

function removeMessage(id) {
  if (!window.confirm(_("Diese Nachricht löschen? Das lässt sich nicht rückgängig machen."))) return;
  live().sendFrame({ type: "delete", room: ROOM, message: id, ref: `delete:${id}` });
}

function toggleReaction(id, emoji, add) {
  const key = `${id} ${emoji}`;
  if (add) myReactions.add(key); else myReactions.delete(key);
  live().sendFrame({ type: add ? "react" : "unreact", room: ROOM, message: id, emoji, ref: `react:${id}` });
}

function setupDialog(dialog, onSubmit) {
  const form = dialog.querySelector("form");
  const error = dialog.querySelector(".field-error");
  dialog.querySelector("[data-dialog-cancel]").addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await onSubmit(new FormData(form));
    if (result.ok) { dialog.close(); form.reset(); error.hidden = true; }
    else { error.textContent = result.body?.detail || _("Das hat nicht geklappt."); error.hidden = false; }
  });
  return (id) => { dialog.dataset.message = id; error.hidden = true; dialog.showModal(); };
}

const reportDialog = $("[data-report-dialog]");
const reasonSelect = $("[data-report-reason]");
for (const reason of state.report_reasons) reasonSelect.append(el("option", { value: reason.value }, reason.label));
const openReport = setupDialog(reportDialog, async (data) => {
  const result = await api("/api/moderation/reports/", { method: "POST", body: {
    message: Number(reportDialog.dataset.message), reason: data.get("reason"), text: data.get("text") || "" } });
  if (result.ok) showHint(_("Danke, deine Meldung ist bei der Moderation."));
  return result;
});
const hideDialog = $("[data-hide-dialog]");
const openHide = setupDialog(hideDialog, (data) =>
  api(`/api/moderation/messages/${hideDialog.dataset.message}/hide/`, { method: "POST", body: { reason: data.get("reason") } }));

async function unhide(id) {
  const result = await api(`/api/moderation/messages/${id}/unhide/`, { method: "POST", body: {} });
  if (!result.ok) showHint(result.body?.detail || _("Das hat nicht geklappt."), true);
}

// --- threads and the side panel ---------------------------------------------------------
function openSide(view) {
  ui.side.hidden = false;
  document.body.dataset.view = view;
  ui.people.hidden = view !== "people";
  ui.thread.hidden = view !== "thread";
  ui.sideTitle.textContent = view === "thread" ? _("Thread") : _("Leute");
}

function closeSide() {
  ui.side.hidden = true;
  openThread = null;
  delete document.body.dataset.view;
}

async function showThread(id) {
  openThread = id;
  openSide("thread");
  ui.threadList.replaceChildren(el("li", { class: "muted" }, _("Wird geladen …")));
  const result = await api(`/api/rooms/${ROOM}/threads/${id}/`);
  if (openThread !== id) return;
  ui.threadList.replaceChildren();
  if (!result.ok) {
    ui.threadList.append(el("li", { class: "muted" }, result.body?.detail || _("Das hat nicht geklappt.")));
    return;
  }
  for (const m of [result.body.root, ...result.body.replies]) {
    const stored = store(m, m.seq);
    if (visibleIn(stored)) ui.threadList.append(messageNode(stored, { inThread: true }));
  }
  ui.threadInput.focus();
}

document.querySelectorAll("[data-show]").forEach((button) => button.addEventListener("click", () => {
  if (button.dataset.show === "rooms") {
    document.body.dataset.view = document.body.dataset.view === "rooms" ? "" : "rooms";
  } else openSide("people");
}));
$("[data-close-side]").addEventListener("click", closeSide);
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details[open]").forEach((details) => { details.open = false; });
  if (!ui.side.hidden && !document.querySelector("dialog[open]")) closeSide();
});

// --- presence and typing -------------------------------------------------------------------
function showPresence(counts) {
  ui.peopleList.replaceChildren();
  if (counts) {
    ui.peopleList.append(el("li", {}, fill(_("%s online, %s abwesend"), [counts.online, counts.idle])));
    ui.online.textContent = `(${counts.online})`;
    return;
  }
  const people = [...presence.values()].sort((a, b) =>
    (a.status === b.status ? 0 : a.status === "online" ? -1 : 1) ||
    (a.user.display_name || a.user.username).localeCompare(b.user.display_name || b.user.username));
  for (const p of people) {
    const label = p.status === "online" ? _("online") : _("abwesend");
    ui.peopleList.append(el("li", { class: `person person--${p.status}` },
      el("span", { class: "dot", "aria-hidden": "true" }, p.status === "online" ? "●" : "◐"),
      el("span", {}, p.user.display_name || p.user.username), el("span", { class: "muted small" }, ` (${label})`)));
  }
  ui.online.textContent = `(${people.filter((p) => p.status === "online").length})`;
}

function showTyping() {
  const now = Date.now();
  const names = [...typers.values()].filter((t) => t.until > now).map((t) => t.name);
  ui.typing.textContent = names.length === 0 ? "" : names.length === 1
    ? fill(_("%s schreibt …"), [names[0]])
    : fill(_("%s schreiben …"), [names.join(", ")]);
}
setInterval(showTyping, 1000);

// --- moderation and room state as this person sees it ---------------------------------------
function concernsThisRoom(scope) {
  if (scope === "global") return true;
  if (scope && scope.room === ROOM) return true;
  return Boolean(scope && room.initiative && scope.initiative === room.initiative.id);
}

function showRoomState() {
  ui.slowTag.hidden = !room.slow_mode_seconds;
  let banner = "";
  if (lostRoom) banner = lostRoom;
  else if (you.muted) {
    banner = you.muted_until
      ? fill(_("Du bist stummgeschaltet bis %s. Lesen geht weiter."), [formatDateTime(you.muted_until)])
      : _("Du bist stummgeschaltet, bis die Moderation das aufhebt. Lesen geht weiter.");
  } else if (room.archived) banner = _("Dieser Raum ist archiviert: lesen geht, schreiben nicht mehr.");
  ui.banner.textContent = banner;
  ui.banner.hidden = !banner;
  const canWrite = !lostRoom && !you.muted && !room.archived;
  ui.input.disabled = !canWrite;
  ui.threadInput.disabled = !canWrite;
  if (!slowUntil) {
    ui.send.disabled = !canWrite;
    if (!ui.hint.classList.contains("composer__hint--error")) showHint(defaultHint);
  }
}

function loseRoom(text) {
  lostRoom = text;
  resetRoom();
  ui.empty.hidden = true;
  ui.older.hidden = true;
  showRoomState();
}

// --- older messages over REST ----------------------------------------------------------------
async function loadOlder() {
  const oldest = [...messages.values()].filter((m) => !m.thread).sort((a, b) => a.seq - b.seq)[0];
  ui.older.disabled = true;
  const query = oldest ? `?before=${oldest.id}&limit=50` : "?limit=50";
  const result = await api(`/api/rooms/${ROOM}/messages/${query}`);
  ui.older.disabled = false;
  if (!result.ok) { showHint(result.body?.detail || _("Das hat nicht geklappt."), true); return; }
  const height = ui.log.scrollHeight;
  for (const m of result.body.results) if (!messages.has(m.id)) place(store(m, m.seq));
  ui.log.scrollTop += ui.log.scrollHeight - height;
  if (!result.body.next) ui.older.hidden = true;
}
ui.older.addEventListener("click", loadOlder);

// --- the connection ------------------------------------------------------------------------
const connection = live();
connection.addEventListener("state", (event) => {
  const { state: now, delay, code } = event.detail;
  const texts = {
    connecting: _("Verbindung wird aufgebaut …"),
    waiting: fill(_("Verbindung unterbrochen. Neuer Versuch in %s s …"), [Math.ceil((delay || 0) / 1000)]),
    closed: code === 4403 ? _("Du kannst hier nicht mehr schreiben: dein Konto ist gesperrt.")
      : _("Du bist abgemeldet. Bitte melde dich neu an."),
  };
  ui.conn.textContent = texts[now] || "";
  ui.conn.hidden = now === "open";
  ui.conn.classList.toggle("conn-bar--bad", now === "closed");
  if (now === "closed") loseRoom(texts.closed);
});
connection.addEventListener("ack", (event) => {
  const node = document.querySelector(`.msg--pending[data-client="${CSS.escape(event.detail.client_id)}"]`);
  if (node) node.querySelector(".msg__status").textContent = _("gesendet");
  const hint = mentionHint(event.detail.mentions);
  if (hint) showHint(hint, true);
});
connection.addEventListener("error", (event) => {
  const error = event.detail;
  const ref = String(error.ref ?? "");
  if (ref.startsWith("send:")) sendFailed(ref.slice(5), error);
  else if (ref === `sub:${ROOM}`) {
    if (["forbidden", "not_found", "banned"].includes(error.code)) loseRoom(error.detail);
  } else if (/^(edit|delete|react):/.test(ref)) showHint(explain(error), true);
});
connection.addEventListener("presence", (event) => {
  const frame = event.detail;
  if (frame.room !== ROOM) return;
  if (frame.counts) { showPresence(frame.counts); return; }
  if (frame.status === "offline") presence.delete(frame.user.id);
  else presence.set(frame.user.id, { user: frame.user, status: frame.status });
  showPresence();
});
connection.addEventListener("typing", (event) => {
  const frame = event.detail;
  if (frame.room !== ROOM) return;
  typers.set(frame.user.id, { name: frame.user.display_name || frame.user.username, until: Date.now() + TYPING_SHOW_MS });
  showTyping();
});
connection.addEventListener("moderation", (event) => {
  const frame = event.detail;
  if (!concernsThisRoom(frame.scope)) return;
  if (frame.action === "muted") you = { ...you, muted: true, muted_until: frame.until, can_post: false };
  if (frame.action === "unmuted") you = { ...you, muted: false, muted_until: null, can_post: !room.archived };
  showRoomState();
});
connection.addEventListener("unsubscribed", (event) => {
  const frame = event.detail;
  if (frame.room !== ROOM) return;
  if (frame.reason === "banned") loseRoom(_("Du wurdest aus diesem Raum ausgeschlossen. Du kannst ihn nicht mehr lesen."));
  else if (frame.reason === "access_revoked") loseRoom(_("Dieser Raum ist nur für Mitglieder der Initiative."));
});

for (const data of state.messages) store(data, data.seq);
for (const m of [...messages.values()].sort((a, b) => a.seq - b.seq)) place(m);
addUnreadDivider();
ui.empty.hidden = ui.list.querySelector(".msg") !== null;
toBottom();
showRoomState();
if (state.messages.length < 50) ui.older.hidden = true;

connection.follow(ROOM, state.seq, {
  reset: resetRoom,
  event: applyEvent,
  subscribed(frame) {
    you = frame.you;
    presence.clear();
    for (const p of frame.presence) presence.set(p.user.id, p);
    showPresence(frame.presence_counts);
    showRoomState();
    markRead(frame.seq);
  },
});
