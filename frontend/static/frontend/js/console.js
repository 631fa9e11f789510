// The moderation console: the queue of reported messages with their context and
// one-click decisions, mutes and bans in force, the log, and appeals. Everything comes
// from the moderation REST API (leads get their initiatives' part only) and stays
// current through the `queue` frames of the page's websocket: what another moderator
// just did shows on the card at once, and the lists reload.
import { live } from "./live.js";
import { _, ngettext, api, el, fill, formatDateTime } from "./util.js";

const state = JSON.parse(document.getElementById("console-state").textContent);
const $ = (selector) => document.querySelector(selector);
const announce = (text) => { $("[data-announce]").textContent = text; };
const who = (user) => (user ? user.display_name || user.username : _("das System"));
const DURATIONS = [
  [3600, _("1 Stunde")], [86400, _("24 Stunden")], [604800, _("7 Tage")], [null, _("bis auf Weiteres")],
];

function scopeName(scope) {
  if (!scope || scope === "global") return _("überall");
  if (scope.room) return fill(_("Raum „%s“"), [state.names.rooms[scope.room] || `#${scope.room}`]);
  return fill(_("Initiative „%s“"), [state.names.initiatives[scope.initiative] || `#${scope.initiative}`]);
}

function failure(result) {
  if (result.status === 404) return _("Schon erledigt: jemand hat gerade darüber entschieden.");
  return result.body?.detail || _("Das hat nicht geklappt.");
}

// --- tabs ---------------------------------------------------------------------------
const tabs = [...document.querySelectorAll("[role=tab]")];
const loaders = {};

function showTab(name, focus = false) {
  for (const tab of tabs) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.dataset.tab).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  loaders[name]?.();
  history.replaceState(null, "", `#${name}`);
}

tabs.forEach((tab, index) => {
  tab.addEventListener("click", () => showTab(tab.dataset.tab));
  tab.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step) showTab(tabs[(index + step + tabs.length) % tabs.length].dataset.tab, true);
  });
});

// --- the queue ------------------------------------------------------------------------
function contextLine(m, reported = false) {
  const text = m.deleted ? _("(gelöscht)") : m.html === null ? _("(ausgeblendet)") : null;
  const body = el("span", { class: "ctx__body" });
  if (text) body.textContent = text; else body.innerHTML = m.html; // the server's sanitized html
  return el("li", { class: reported ? "ctx ctx--reported" : "ctx" },
    el("strong", {}, who(m.author)), " ", body);
}

function reasonPicker(id) {
  const select = el("select", { id: `reason-${id}`, "data-reason": "" },
    ...state.reasons.map((r) => el("option", { value: r }, r)),
    el("option", { value: "" }, _("Eigener Grund …")));
  const own = el("input", { type: "text", maxlength: state.reason_max, "aria-label": _("Eigener Grund"), hidden: true });
  select.addEventListener("change", () => { own.hidden = select.value !== ""; if (!own.hidden) own.focus(); });
  const read = () => (select.value || own.value).trim();
  return { node: el("div", { class: "field reason-picker" }, el("label", { for: `reason-${id}` }, _("Grund")), select, own), read };
}

function queueCard(item) {
  const m = item.message;
  const picker = reasonPicker(m.id);
  const note = el("p", { class: "card-note", role: "status" });
  const reasons = Object.entries(item.reasons)
    .map(([reason, n]) => `${state.report_reasons[reason] || reason} (${n})`).join(", ");
  const history = item.author_history.counts;
  const buttons = [];
  const act = async (label, call) => {
    buttons.forEach((b) => { b.disabled = true; });
    note.textContent = _("Wird ausgeführt …");
    const result = await call();
    if (result.ok) {
      note.textContent = fill(_("Erledigt: %s."), [label]);
      card.classList.add("card--done");
      scheduleReload();
    } else {
      note.textContent = failure(result);
      buttons.forEach((b) => { b.disabled = false; });
      if (result.status === 404) card.classList.add("card--done");
    }
  };
  const reasonOr = (fallback) => picker.read() || fallback;
  const resolve = (action, label) => act(label, () =>
    api(`/api/moderation/queue/${m.id}/resolve/`, { method: "POST", body: { action, reason: reasonOr("") } }));
  const button = (label, onclick, extra = {}) => {
    const b = el("button", { type: "button", class: "button--small", onclick, ...extra }, label);
    buttons.push(b);
    return b;
  };
  const mute = (seconds, label, scope) => act(label, () => api("/api/moderation/mutes/", {
    method: "POST", body: { user: m.author.id, scope, duration: seconds, reason: reasonOr(_("Verstoß gegen die Regeln")) } }));
  const scopeSelect = el("select", { "aria-label": _("Wo stummschalten oder sperren") },
    el("option", { value: "room" }, _("in diesem Raum")),
    item.room.initiative ? el("option", { value: "initiative" }, _("in der ganzen Initiative")) : null,
    state.moderator ? el("option", { value: "global" }, _("überall")) : null);
  const scope = () => (scopeSelect.value === "global" ? "global"
    : scopeSelect.value === "initiative" ? { initiative: item.room.initiative.id } : { room: item.room.id });

  const card = el("li", { class: "card queue-card", tabindex: "0", dataset: { message: m.id } },
    el("h3", {}, el("a", { href: `/raeume/${item.room.id}/` }, scopeName({ room: item.room.id }))),
    el("ul", { class: "tags" },
      el("li", { class: "tag" }, fill(ngettext("%s Meldung", "%s Meldungen", item.reporters), [item.reporters])),
      item.auto_hidden ? el("li", { class: "tag tag--warn" }, _("automatisch ausgeblendet"))
        : item.hidden ? el("li", { class: "tag tag--warn" }, _("ausgeblendet")) : null,
      item.escalated ? el("li", { class: "tag tag--warn" }, _("von der Leitung weitergegeben")) : null),
    el("ol", { class: "context", "aria-label": _("Die Nachricht im Verlauf") },
      ...item.context.before.map((c) => contextLine(c)), contextLine(m, true), ...item.context.after.map((c) => contextLine(c))),
    el("p", {}, el("strong", {}, _("Gründe: ")), reasons),
    el("ul", { class: "report-texts" }, ...item.reports.filter((r) => r.text || r.reporter).map((r) =>
      el("li", {}, r.reporter ? `${who(r.reporter)}: ` : "", r.text || state.report_reasons[r.reason]))),
    el("p", { class: "small muted" }, fill(_("Bisher bei %s: %s× ausgeblendet, %s× stummgeschaltet, %s× gesperrt."),
      [who(m.author), history.hide ?? 0, history.mute ?? 0, history.ban ?? 0])),
    picker.node,
    el("div", { class: "form-actions" },
      button(_("Ausblenden"), () => resolve("hide", _("ausgeblendet")), { "data-key": "a" }),
      button(_("Verwerfen"), () => resolve("dismiss", _("verworfen")), { class: "button--small button--secondary", "data-key": "v" }),
      state.moderator ? null : button(_("An die Moderation weitergeben"), () => resolve("escalate", _("weitergegeben")), { class: "button--small button--secondary" })),
    el("div", { class: "form-actions" },
      el("span", {}, _("Stummschalten:")), scopeSelect,
      ...DURATIONS.map(([seconds, label]) => button(label, () => mute(seconds, fill(_("stummgeschaltet (%s)"), [label]), scope()),
        { class: "button--small button--secondary", "data-key": seconds === 86400 ? "s" : null })),
      state.moderator ? button(_("Sperren"), () => act(_("gesperrt"), () => api("/api/moderation/bans/", {
        method: "POST", body: { user: m.author.id, scope: scope(), duration: null, reason: reasonOr(_("Verstoß gegen die Regeln")) } })),
      { class: "button--small button--danger" }) : null),
    note);
  card.addEventListener("keydown", (event) => {
    if (event.target.matches("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = card.querySelector(`[data-key="${event.key.toLowerCase()}"]`);
    if (target && !target.disabled) { event.preventDefault(); target.click(); }
  });
  return card;
}

let reloadTimer = null;
function scheduleReload(delay = 1500) {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => {
    const open = tabs.find((t) => t.getAttribute("aria-selected") === "true")?.dataset.tab;
    loaders.warteschlange();
    if (open && open !== "warteschlange") loaders[open]?.();
  }, delay);
}

loaders.warteschlange = async () => {
  const result = await api("/api/moderation/queue/");
  if (!result.ok) return;
  const list = $("[data-queue]");
  const focused = document.activeElement?.closest?.(".queue-card")?.dataset.message;
  list.replaceChildren(...result.body.results.map(queueCard));
  $("[data-queue-empty]").hidden = result.body.results.length > 0;
  $("[data-queue-count]").textContent = result.body.count || "";
  if (focused) list.querySelector(`[data-message="${focused}"]`)?.focus();
};

// --- mutes and bans in force ------------------------------------------------------------
function restrictionRow(item, kind) {
  const note = el("span", { class: "card-note", role: "status" });
  const lift = el("button", { type: "button", class: "button--small button--secondary", onclick: async () => {
    lift.disabled = true;
    const result = await api(`/api/moderation/${kind}/${item.id}/`, { method: "DELETE" });
    if (result.ok) scheduleReload(0); else { note.textContent = failure(result); lift.disabled = false; }
  } }, _("Aufheben"), el("span", { class: "visually-hidden" }, ` (${who(item.user)})`));
  return el("li", {},
    el("div", {},
      el("strong", {}, who(item.user)), " · ", scopeName(item.scope), el("br"),
      el("span", { class: "small" }, item.until ? fill(_("bis %s"), [formatDateTime(item.until)]) : _("bis auf Weiteres"),
        " · ", fill(_("Grund: %s"), [item.reason]), " · ", fill(_("von %s"), [who(item.created_by)]))),
    el("span", { class: "count" }, lift), note);
}

loaders.massnahmen = async () => {
  for (const kind of ["mutes", "bans"]) {
    const result = await api(`/api/moderation/${kind}/?active=true`);
    if (!result.ok) continue;
    const list = $(`[data-${kind}]`);
    list.replaceChildren(...result.body.results.map((item) => restrictionRow(item, kind)));
    if (!result.body.results.length) list.append(el("li", { class: "muted" }, _("Keine.")));
  }
};

// --- the log ----------------------------------------------------------------------------
const logFilter = { kind: "", user: null, next: null };
const kindSelect = $("[data-log-kind]");
for (const [value, label] of Object.entries(state.kinds)) kindSelect.append(el("option", { value }, label));
kindSelect.addEventListener("change", () => { logFilter.kind = kindSelect.value; loaders.protokoll(); });
$("[data-log-person-clear]").addEventListener("click", () => { logFilter.user = null; loaders.protokoll(); });

function logRow(entry) {
  const person = entry.target_user
    ? el("button", { type: "button", class: "link-button", onclick: () => {
      logFilter.user = entry.target_user; loaders.protokoll();
    } }, who(entry.target_user)) : null;
  return el("li", {},
    el("div", {},
      el("strong", {}, entry.automatic ? _("automatisch") : who(entry.actor)), " ",
      state.kinds[entry.kind] || entry.kind, person ? " · " : "", person,
      entry.content ? ` · „${entry.content.title}“` : "", " · ", scopeName(entry.scope),
      entry.reason ? el("span", { class: "muted" }, " · ", entry.reason) : null, el("br"),
      el("time", { class: "small muted", datetime: entry.created_at }, formatDateTime(entry.created_at))));
}

loaders.protokoll = async (more = false) => {
  const params = new URLSearchParams();
  if (logFilter.kind) params.set("kind", logFilter.kind);
  if (logFilter.user) params.set("user", logFilter.user.id);
  const result = await api(more && logFilter.next ? logFilter.next : `/api/moderation/log/?${params}`);
  if (!result.ok) return;
  const list = $("[data-log]");
  if (!more) list.replaceChildren();
  list.append(...result.body.results.map(logRow));
  logFilter.next = result.body.next;
  $("[data-log-more]").hidden = !result.body.next;
  $("[data-log-person]").hidden = !logFilter.user;
  $("[data-log-person-name]").textContent = logFilter.user ? who(logFilter.user) : "";
};
$("[data-log-more]").addEventListener("click", () => loaders.protokoll(true));

// --- appeals (site moderators) ------------------------------------------------------------
function appealCard(appeal) {
  const note = el("p", { class: "card-note", role: "status" });
  const reason = el("input", { type: "text", id: `appeal-reason-${appeal.id}`, maxlength: state.reason_max });
  const decide = (decision) => async () => {
    const result = await api(`/api/moderation/appeals/${appeal.id}/decide/`, {
      method: "POST", body: { decision, reason: reason.value.trim() } });
    if (result.ok) { note.textContent = _("Entschieden."); scheduleReload(0); } else note.textContent = failure(result);
  };
  const action = appeal.action;
  return el("li", { class: "card" },
    el("h3", {}, fill(_("%s: %s"), [who(appeal.user), state.kinds[action.kind] || action.kind])),
    el("p", { class: "small muted" }, scopeName(action.scope), " · ", fill(_("von %s"), [who(action.actor)]),
      " · ", fill(_("Grund: %s"), [action.reason || "–"])),
    el("blockquote", {}, appeal.text),
    el("div", { class: "field" }, el("label", { for: `appeal-reason-${appeal.id}` }, _("Begründung der Entscheidung")), reason),
    el("div", { class: "form-actions" },
      el("button", { type: "button", class: "button--small", onclick: decide("reverse") }, _("Stattgeben: Maßnahme aufheben")),
      el("button", { type: "button", class: "button--small button--secondary", onclick: decide("uphold") }, _("Ablehnen: Maßnahme bleibt"))),
    note);
}

loaders.einsprueche = async () => {
  const result = await api("/api/moderation/appeals/?status=open");
  if (!result.ok) return;
  $("[data-appeals]").replaceChildren(...result.body.results.map(appealCard));
  $("[data-appeals-empty]").hidden = result.body.results.length > 0;
  $("[data-appeal-count]").textContent = result.body.count || "";
};

// --- live: what others do ---------------------------------------------------------------------
live().addEventListener("queue", (event) => {
  const frame = event.detail;
  if (frame.change === "reported") {
    announce(_("Neue Meldung eingegangen."));
    scheduleReload(300);
    return;
  }
  const mine = frame.actor && frame.actor.id === state.me.id;
  const card = frame.message ? document.querySelector(`.queue-card[data-message="${frame.message}"]`) : null;
  if (card && !mine) {
    card.classList.add("card--done");
    card.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    const text = fill(_("%s hat gerade gehandelt: %s."), [who(frame.actor), state.kinds[frame.kind] || frame.kind]);
    card.querySelector(".card-note").textContent = text;
    announce(text);
  }
  scheduleReload(mine ? 1500 : 4000);
});

// Frames missed while the socket was away (at the start, after a reconnect): reload.
live().addEventListener("state", (event) => { if (event.detail.state === "open") scheduleReload(0); });
window.addEventListener("hashchange", () => {
  const tab = tabs.find((t) => `#${t.dataset.tab}` === window.location.hash);
  if (tab) showTab(tab.dataset.tab);
});

const first = tabs.find((t) => `#${t.dataset.tab}` === window.location.hash) || tabs[0];
showTab(first.dataset.tab);
if (first.dataset.tab !== "warteschlange") loaders.warteschlange();
if (state.moderator && first.dataset.tab !== "einsprueche") loaders.einsprueche();
