// Small helpers of the page scripts: translations (Django's JavaScriptCatalog),
// dates in the page's language and Europe/Berlin, elements, and JSON calls to the API
// with the session's CSRF token.

export const _ = (text) => (window.gettext ? window.gettext(text) : text);
export const ngettext = (one, many, n) =>
  window.ngettext ? window.ngettext(one, many, n) : n === 1 ? one : many;
/** fill("%s von %s", [1, 2]): the values in order, as Django's interpolate() does. */
export const fill = (text, values) => {
  let next = 0;
  return text.replace(/%s/g, () => String(values[next++]));
};

const LANG = document.documentElement.lang || "de";
const ZONE = "Europe/Berlin";
const timeFormat = new Intl.DateTimeFormat(LANG, { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(LANG, {
  timeZone: ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric",
  hour: "2-digit", minute: "2-digit",
});

export const formatTime = (iso) => timeFormat.format(new Date(iso));
export const formatDateTime = (iso) => dateTimeFormat.format(new Date(iso));

/** el("button", {class: "x", onclick: f}, "text", child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** A call to the REST API: {ok, status, body}; a network failure is status 0. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  try {
    const response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch (error) { parsed = null; }
    return { ok: response.ok, status: response.status, body: parsed };
  } catch (error) {
    return { ok: false, status: 0, body: { detail: _("Keine Verbindung zum Server.") } };
  }
}
