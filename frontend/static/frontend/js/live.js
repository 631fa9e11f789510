// The page's one websocket: a client of docs/protocol.md (v1).
//
// It reconnects by itself with backoff and jitter, follows the gap rule per room
// (subscribe with `since`, ignore duplicates, catch up after a gap or `more`), keeps
// unacknowledged sends and sends them again with the same client_id after a reconnect,
// and tells the server when the person has been idle for 5 minutes.
// Every page of a signed-in user has one (js/site.js); the room page follows rooms on it.

const IDLE_AFTER_MS = 5 * 60 * 1000;
const PING_EVERY_MS = 25 * 1000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15 * 1000;
const FINAL_CLOSE_CODES = new Set([4401, 4403]);

class Live extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.socket = null;
    this.state = "connecting"; // connecting | open | waiting | closed
    this.attempt = 0;
    this.rooms = new Map(); // room id -> {last, catchingUp, handlers}
    this.outbox = new Map(); // client_id -> send frame, until acked or refused
    this.watched = new Set(); // initiative ids (null: the city-wide events)
    this.counters = new Map(); // "shift:5" -> the newest counter seen
    this.refCounter = 0;
    this.idle = false;
    this.lastInput = Date.now();
    this.timers = {};
  }

  start() {
    this.connect();
    for (const type of ["keydown", "pointerdown", "focus", "wheel", "touchstart"]) {
      window.addEventListener(type, () => this.noticeInput(), { passive: true, capture: true });
    }
    this.timers.idle = setInterval(() => this.checkIdle(), 15 * 1000);
    window.addEventListener("online", () => this.reconnectSoon(0));
  }

  // --- connection ---------------------------------------------------------------
  connect() {
    this.setState("connecting");
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => this.closed(socket, event.code));
  }

  closed(socket, code) {
    if (socket !== this.socket) return;
    this.socket = null;
    clearInterval(this.timers.ping);
    if (FINAL_CLOSE_CODES.has(code)) {
      this.setState("closed", { code });
      return;
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt += 1;
    this.setState("waiting", { delay });
    this.reconnectSoon(delay);
  }

  reconnectSoon(delay) {
    if (this.state === "closed" || this.state === "open") return;
    clearTimeout(this.timers.reconnect);
    this.timers.reconnect = setTimeout(() => {
      if (!this.socket) this.connect();
    }, delay);
  }

  setState(state, detail = {}) {
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: { state, ...detail } }));
  }

  sendFrame(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN || this.state !== "open") {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  nextRef(prefix = "r") {
    this.refCounter += 1;
    return `${prefix}${this.refCounter}`;
  }

  // --- frames from the server -----------------------------------------------------
  receive(raw) {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch (error) {
      return;
    }
    const room = frame.room !== undefined ? this.rooms.get(frame.room) : undefined;
    switch (frame.type) {
      case "hello":
        this.attempt = 0;
        this.me = frame.user;
        this.setState("open");
        this.timers.ping = setInterval(() => this.sendFrame({ type: "ping" }), PING_EVERY_MS);
        if (this.idle) this.sendFrame({ type: "presence", status: "idle" });
        for (const roomId of this.rooms.keys()) this.subscribe(roomId);
        for (const initiative of this.watched) this.sendFrame({ type: "watch", initiative });
        this.flushOutbox();
        this.emit("hello", frame);
        break;
      case "subscribed":
        if (room) this.subscribed(frame, room);
        break;
      case "event":
        if (room) this.liveEvent(frame, room);
        break;
      case "ack":
        this.outbox.delete(frame.client_id);
        this.emit("ack", frame);
        break;
      case "watching":
        for (const counter of frame.counters) this.counter(counter);
        break;
      case "seats":
        this.counter(frame.counter);
        break;
      case "error":
        if (frame.ref && frame.ref.startsWith("send:")) {
          const clientId = frame.ref.slice(5);
          // Refused for good unless the server could not store it right now.
          if (frame.code !== "unavailable") this.outbox.delete(clientId);
        }
        this.emit("error", frame);
        break;
      default:
        // typing, presence, read, unsubscribed, moderation, notification, pong, and
        // frame types this page does not know yet: whoever listens handles them.
        this.emit(frame.type, frame);
    }
  }

  emit(type, frame) {
    this.dispatchEvent(new CustomEvent(type, { detail: frame }));
  }

  // --- rooms and the gap rule -----------------------------------------------------
  /** Follow a room from `seq` (what the page already shows); handlers get `subscribed`
   *  and each event exactly once, in order. */
  follow(roomId, seq, handlers) {
    this.rooms.set(roomId, { last: seq, catchingUp: false, handlers });
    if (this.state === "open") this.subscribe(roomId);
  }

  subscribe(roomId) {
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.catchingUp = true;
    const frame = { type: "subscribe", room: roomId, ref: `sub:${roomId}` };
    if (room.last !== null && room.last !== undefined) frame.since = room.last;
    this.sendFrame(frame);
  }

  subscribed(frame, room) {
    if (frame.reset) room.handlers.reset?.(frame);
    for (const item of frame.messages) {
      if (room.last === null || item.seq > room.last || frame.reset) {
        room.handlers.event?.({ seq: item.seq, event: item.event, data: item.data }, true);
      }
    }
    if (frame.more) {
      room.last = frame.messages[frame.messages.length - 1].seq;
      this.subscribe(frame.room);
      return;
    }
    room.last = frame.seq;
    room.catchingUp = false;
    room.handlers.subscribed?.(frame);
  }

  liveEvent(frame, room) {
    if (room.catchingUp) return; // the replay in flight carries it
    if (frame.seq <= room.last) return; // a duplicate
    if (frame.seq !== room.last + 1) {
      this.subscribe(frame.room); // a gap: catch up from the last one applied
      return;
    }
    room.last = frame.seq;
    room.handlers.event?.(frame, false);
  }

  // --- live seat counters ------------------------------------------------------------
  /** Watch an initiative's seat counters (null: the city-wide events), again after each
   *  reconnect; a `counter` event carries each counter that changed. */
  watch(initiative) {
    this.watched.add(initiative);
    if (this.state === "open") this.sendFrame({ type: "watch", initiative });
  }

  counter(counter) {
    const key = `${counter.kind}:${counter.id}`;
    const known = this.counters.get(key);
    if (known && known.version >= counter.version) return; // frames may cross: newest wins
    this.counters.set(key, counter);
    this.emit("counter", counter);
  }

  // --- sending ---------------------------------------------------------------------
  /** A message: kept until `ack` (or a refusal) and sent again after a reconnect. */
  post(frame) {
    this.outbox.set(frame.client_id, frame);
    this.sendFrame({ ...frame, ref: `send:${frame.client_id}` });
  }

  flushOutbox() {
    for (const frame of this.outbox.values()) {
      this.sendFrame({ ...frame, ref: `send:${frame.client_id}` });
    }
  }

  // --- idle after 5 minutes without input -------------------------------------------
  noticeInput() {
    this.lastInput = Date.now();
    if (this.idle) {
      this.idle = false;
      this.sendFrame({ type: "presence", status: "active" });
    }
  }

  checkIdle() {
    if (!this.idle && Date.now() - this.lastInput >= IDLE_AFTER_MS) {
      this.idle = true;
      this.sendFrame({ type: "presence", status: "idle" });
    }
  }
}

let page = null;

/** The page's connection, opened on first use. */
export function live() {
  if (!page) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    page = new Live(`${scheme}//${window.location.host}/ws/`);
    page.start();
  }
  return page;
}
