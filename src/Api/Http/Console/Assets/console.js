// The web console: Pub/Sub over the WebSocket (/ws), publishing and streams over the HTTP API,
// a stream's tail over server-sent events. Everything it shows is set as text, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 200;

// A byte string as the API gives it: text when UTF-8, else base64 in the *Base64 member.
function bytes(object, name) {
  if (object[name] !== undefined && object[name] !== null) return object[name];
  const base64 = object[name + "Base64"];
  return base64 === undefined || base64 === null ? "" : "base64:" + base64;
}

function row(cells, fresh) {
  const tr = document.createElement("tr");
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.appendChild(td);
  }
  if (fresh) tr.className = "fresh";
  return tr;
}

function prepend(body, tr) {
  body.insertBefore(tr, body.firstChild);
  while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
}

function names(input) {
  return input.value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

// requirepass, when the server has one: a Bearer token on requests, and the access_token query
// parameter where a browser cannot set headers (WebSocket, EventSource).
function authorized(init) {
  const password = $("password").value;
  return password ? { ...init, headers: { ...(init.headers || {}), Authorization: "Bearer " + password } } : init;
}

function withToken(url) {
  const password = $("password").value;
  return password ? url + (url.includes("?") ? "&" : "?") + "access_token=" + encodeURIComponent(password) : url;
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || response.statusText;
  } catch {
    return response.status + " " + response.statusText;
  }
}

// ---- Health -------------------------------------------------------------------------------

async function checkHealth() {
  const badge = $("status");
  try {
    const response = await fetch("/health/ready", { cache: "no-store" });
    const report = await response.json();
    badge.textContent = response.ok ? "ready" : "storage failing";
    badge.className = "badge " + (response.ok ? "ok" : "fail");
    badge.title = JSON.stringify(report.checks);
  } catch {
    badge.textContent = "unreachable";
    badge.className = "badge fail";
  }
}

// ---- Pub/Sub over the WebSocket -----------------------------------------------------------

const pubsub = {
  socket: null,
  channels: new Set(),
  patterns: new Set(),
};

function showSubscriptions() {
  const text = $("subscriptions");
  const parts = [];
  if (pubsub.channels.size) parts.push("channels: " + [...pubsub.channels].join(", "));
  if (pubsub.patterns.size) parts.push("patterns: " + [...pubsub.patterns].join(", "));
  text.textContent = parts.length ? "Subscribed to " + parts.join("; ") : (pubsub.socket ? "Connected, no subscriptions." : "Not connected.");
  text.dataset.count = String(pubsub.channels.size + pubsub.patterns.size);
  $("unsubscribe").disabled = pubsub.channels.size + pubsub.patterns.size === 0;
}

function onSocketMessage(event) {
  const frame = JSON.parse(event.data);
  switch (frame.type) {
    case "message":
    case "pmessage":
      prepend($("messages"), row([new Date().toLocaleTimeString(), bytes(frame, "channel"), frame.type === "pmessage" ? bytes(frame, "pattern") : "", bytes(frame, "data")], true));
      break;
    case "subscribe":
      pubsub.channels.add(frame.channel);
      break;
    case "psubscribe":
      pubsub.patterns.add(frame.pattern);
      break;
    case "unsubscribe":
      if (frame.channel) pubsub.channels.delete(frame.channel);
      break;
    case "punsubscribe":
      if (frame.pattern) pubsub.patterns.delete(frame.pattern);
      break;
    case "error":
      $("subscriptions").textContent = frame.problem.detail;
      return;
  }
  showSubscriptions();
}

function connect() {
  if (pubsub.socket && pubsub.socket.readyState <= WebSocket.OPEN) {
    return pubsub.socket.readyState === WebSocket.OPEN
      ? Promise.resolve(pubsub.socket)
      : new Promise((resolve) => pubsub.socket.addEventListener("open", () => resolve(pubsub.socket), { once: true }));
  }
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(withToken(scheme + "//" + location.host + "/ws"));
  pubsub.socket = socket;
  socket.addEventListener("message", onSocketMessage);
  socket.addEventListener("close", () => {
    if (pubsub.socket === socket) pubsub.socket = null;
    pubsub.channels.clear();
    pubsub.patterns.clear();
    showSubscriptions();
  });
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve(socket), { once: true });
    socket.addEventListener("error", () => reject(new Error("WebSocket failed")), { once: true });
  });
}

async function subscribe(event) {
  event.preventDefault();
  const channels = names($("channels"));
  const patterns = names($("patterns"));
  if (channels.length + patterns.length === 0) return;
  try {
    const socket = await connect();
    if (channels.length) socket.send(JSON.stringify({ op: "subscribe", channels }));
    if (patterns.length) socket.send(JSON.stringify({ op: "psubscribe", patterns }));
  } catch (error) {
    $("subscriptions").textContent = error.message;
  }
}

function unsubscribeAll() {
  if (!pubsub.socket) return;
  pubsub.socket.send(JSON.stringify({ op: "unsubscribe" }));
  pubsub.socket.send(JSON.stringify({ op: "punsubscribe" }));
}

async function publish(event) {
  event.preventDefault();
  const result = $("publish-result");
  const channel = $("publish-channel").value;
  const response = await fetch("/channels/" + encodeURIComponent(channel) + "/messages", authorized({
    method: "POST",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    body: $("publish-data").value,
  }));
  if (response.ok) {
    const reply = await response.json();
    result.className = "";
    result.textContent = "received by " + reply.receivers;
  } else {
    result.className = "error";
    result.textContent = await problemText(response);
  }
}

// ---- Streams ------------------------------------------------------------------------------

const streams = {
  key: "",
  next: null,
  tail: null,
  groupsTimer: 0,
};

function streamUrl(suffix) {
  return "/streams/" + encodeURIComponent(streams.key) + suffix;
}

function fieldsText(entry) {
  if (entry.deleted) return "(deleted)";
  if (entry.fields) return Object.entries(entry.fields).map(([name, value]) => name + "=" + value).join("  ");
  return (entry.fieldsBase64 || []).map(([name, value]) => "base64:" + name + "=base64:" + value).join("  ");
}

function entryRow(entry, fresh) {
  const tr = row([entry.id, fieldsText(entry)], fresh);
  tr.dataset.id = entry.id;
  tr.cells[0].className = "mono";
  return tr;
}

async function loadSummary() {
  const summary = $("stream-summary");
  const response = await fetch(streamUrl(""), authorized({ cache: "no-store" }));
  if (response.status === 404) {
    summary.textContent = "No stream '" + streams.key + "' yet.";
    return;
  }
  if (!response.ok) {
    summary.textContent = await problemText(response);
    return;
  }
  const info = await response.json();
  summary.textContent = info.length + " entries, last ID " + info.lastGeneratedId + ", " + info.groups + " group(s)" + (streams.tail ? " — tailing live" : "");
}

async function loadGroups() {
  const body = $("groups");
  const response = await fetch(streamUrl("/groups"), authorized({ cache: "no-store" }));
  body.replaceChildren();
  if (!response.ok) return;
  for (const group of await response.json()) {
    body.appendChild(row([group.name, String(group.consumers), String(group.pending), group.lag === null || group.lag === undefined ? "?" : String(group.lag), group.lastDeliveredId]));
  }
}

// Groups change as consumers read: refreshed shortly after entries arrive, at most twice a second.
function refreshGroupsSoon() {
  if (streams.groupsTimer) return;
  streams.groupsTimer = setTimeout(() => {
    streams.groupsTimer = 0;
    loadGroups();
    loadSummary();
  }, 500);
}

async function loadPage(reset) {
  const body = $("entries");
  const end = reset ? "+" : streams.next;
  const response = await fetch(streamUrl("/entries?reverse=true&count=20&end=" + encodeURIComponent(end)), authorized({ cache: "no-store" }));
  if (!response.ok) {
    $("stream-summary").textContent = await problemText(response);
    return;
  }
  const page = await response.json();
  if (reset) body.replaceChildren();
  for (const entry of page.entries) body.appendChild(entryRow(entry, false));
  streams.next = page.next;
  $("older").disabled = !page.next;
}

async function browse(event) {
  if (event) event.preventDefault();
  const key = $("stream-key").value.trim();
  if (!key) return;
  if (key !== streams.key) stopTail();
  streams.key = key;
  await Promise.all([loadSummary(), loadGroups(), loadPage(true)]);
}

function stopTail() {
  if (streams.tail) streams.tail.close();
  streams.tail = null;
  $("tail").disabled = false;
  $("stop-tail").disabled = true;
}

async function tail() {
  await browse();
  if (!streams.key) return;
  stopTail();
  // New entries only: the browse above shows the past. EventSource resumes by Last-Event-ID itself.
  const source = new EventSource(withToken(streamUrl("/tail")));
  streams.tail = source;
  $("tail").disabled = true;
  $("stop-tail").disabled = false;
  source.addEventListener("ready", () => {
    $("stream-summary").dataset.tailing = "true";
    loadSummary();
  });
  source.addEventListener("entry", (event) => {
    const entry = JSON.parse(event.data);
    if (!document.querySelector('#entries tr[data-id="' + CSS.escape(entry.id) + '"]')) {
      prepend($("entries"), entryRow(entry, true));
    }
    refreshGroupsSoon();
  });
}

// ---- Wiring -------------------------------------------------------------------------------

$("subscribe-form").addEventListener("submit", subscribe);
$("unsubscribe").addEventListener("click", unsubscribeAll);
$("publish-form").addEventListener("submit", publish);
$("stream-form").addEventListener("submit", browse);
$("older").addEventListener("click", () => loadPage(false));
$("tail").addEventListener("click", tail);
$("stop-tail").addEventListener("click", () => { stopTail(); loadSummary(); });
checkHealth();
setInterval(checkHealth, 5000);
showSubscriptions();
