// The chat simulator (/): pick a demo persona, chat with the bot through the real pipeline.
//
// What it must survive: a server that is down or failing. Every message waits in a queue with its client_id until
// the server has taken it; a failed send shows a banner (role="alert") whose "Coba lagi" resends the SAME message with
// the SAME client_id (the server deduplicates by it), so nothing typed is lost and nothing is sent twice. Polling for
// new messages backs off while the server is unreachable and resends what is waiting once it answers again.
"use strict";

const POLL_MS = window.KAWAL_SIMULATOR_POLL_MS || 3000;  // tests set it lower, before the page loads
const POLL_MAX_MS = 10 * POLL_MS;
const WIDE = window.matchMedia("(min-width: 40.0625rem)");

const $ = (id) => document.getElementById(id);
const log = $("log");
const text = $("text");
const banner = $("banner");
const panel = $("panel");

const state = {
  phone: null,
  queue: [],        // messages not yet taken by the server, oldest first: {payload, bubble}
  sending: false,
  polling: null,    // the poll in flight (a promise), so a send waits for it rather than racing it
  pollDelay: POLL_MS,
  pollTimer: null,
};

/** A request that failed: `retryable` when the server could not be reached or broke (5xx), not when it refused (4xx). */
class RequestFailed extends Error {
  constructor(message, retryable) {
    super(message);
    this.retryable = retryable;
  }
}

async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new RequestFailed("server tidak dapat dihubungi", true);
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = null;
  }
  if (response.status >= 500) throw new RequestFailed(`server gagal (HTTP ${response.status})`, true);
  if (!response.ok) throw new RequestFailed(detailOf(data) || `HTTP ${response.status}`, false);
  if (data === null) throw new RequestFailed("jawaban server tidak terbaca", true);
  return data;
}

function detailOf(data) {
  if (!data || data.detail === undefined) return "";
  if (typeof data.detail === "string") return data.detail;
  return data.detail.map((item) => item.msg || JSON.stringify(item)).join("; ");
}

function postJson(url, body) {
  return request(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
}

// ---- The error banner: one line per thing that failed, the most urgent first, with "Coba lagi" or "Tutup". ----

const failures = new Map();  // source → {text, retry (a function, or null when retrying cannot help)}
const SOURCES = ["send", "choose", "poll", "personas", "clock"];

function setFailure(source, message, retry) {
  failures.set(source, {text: message, retry});
  renderBanner();
}

function clearFailure(source) {
  if (failures.delete(source)) renderBanner();
}

function renderBanner() {
  const key = SOURCES.filter((source) => failures.has(source)).map((source) => failures.get(source).text).join("|");
  if (banner.dataset.key === key) return;  // unchanged: do not announce it again
  const hadFocus = banner.contains(document.activeElement);
  banner.dataset.key = key;
  banner.replaceChildren();
  const shown = SOURCES.filter((source) => failures.has(source)).map((source) => failures.get(source));
  for (const failure of shown) {
    const line = document.createElement("p");
    line.textContent = failure.text;
    banner.appendChild(line);
  }
  if (shown.some((failure) => failure.retry)) {
    banner.appendChild(button("Coba lagi", retryAll, "retry"));
  } else if (shown.length) {
    banner.appendChild(button("Tutup", () => { failures.clear(); renderBanner(); }, "plain"));
  }
  if (hadFocus) (banner.querySelector("button") || (text.disabled ? log : text)).focus();
}

function retryAll() {
  for (const failure of [...failures.values()]) if (failure.retry) failure.retry();
}

function button(label, onClick, className = "") {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = label;
  element.addEventListener("click", onClick);
  return element;
}

// ---- The conversation log. ----

function bubble(who, content) {
  const div = document.createElement("div");
  div.className = "msg " + who;
  const sender = document.createElement("span");
  sender.className = "visually-hidden";
  sender.textContent = who === "me" ? "Anda: " : "Bot: ";
  div.append(sender, content);
  log.appendChild(div);
  div.scrollIntoView({block: "nearest"});
  return div;
}

function showReplies(replies) {
  for (const reply of replies) {
    const div = bubble("bot", reply.text || "");
    for (const media of reply.media || []) div.appendChild(mediaElement(media));
    if (reply.options && reply.options.length) div.appendChild(optionButtons(reply.options));
    div.scrollIntoView({block: "nearest"});
  }
}

/** A photo or chart with its alt text and a link to save it; any other file as a link, both under a readable name. */
function mediaElement(media) {
  const link = document.createElement("a");
  link.href = media.url;
  link.download = media.filename || "";
  link.textContent = media.filename || "lampiran";
  if (!(media.mime_type || "").startsWith("image/")) {
    const line = document.createElement("p");
    line.className = "file";
    line.append("Berkas: ", link);
    return line;
  }
  const figure = document.createElement("figure");
  const image = document.createElement("img");
  image.src = media.url;
  image.alt = media.alt || media.filename || "Gambar dari bot";
  const caption = document.createElement("figcaption");
  caption.append("Simpan gambar: ", link);
  figure.append(image, caption);
  return figure;
}

function optionButtons(options) {
  const box = document.createElement("div");
  box.className = "options";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Pilihan jawaban");
  options.forEach((option, index) => {
    const choice = button(`${index + 1}. ${option.label}`, () => {
      choice.classList.add("chosen");
      send({option: option.key}, option.label);
    });
    box.appendChild(choice);
  });
  return box;
}

/** Once the person has answered (tapped or typed), the buttons of earlier messages can no longer be sent. */
function disableOldOptions() {
  for (const old of log.querySelectorAll(".options button:not(:disabled)")) {
    old.disabled = true;
    old.setAttribute("aria-disabled", "true");
  }
}

function setStatus(entry, label, failed = false) {
  let status = entry.bubble.querySelector(".status");
  if (!status) {
    status = document.createElement("span");
    status.className = "status";
    entry.bubble.appendChild(status);
  }
  status.textContent = label;
  status.classList.toggle("failed", failed);
  if (!label) status.remove();
}

// ---- Sending: a queue, so a retry resends the same message with the same client_id, in order. ----

function clientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replaceAll("-", "");
  return Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

function send(body, shown) {
  if (!state.phone) return;
  disableOldOptions();
  const entry = {payload: {phone: state.phone, client_id: clientId(), ...body}, bubble: bubble("me", shown), shown};
  setStatus(entry, "mengirim…");
  state.queue.push(entry);
  flush();
}

async function flush() {
  if (state.sending) return;
  state.sending = true;
  try {
    if (state.polling) await state.polling;
    while (state.queue.length) {
      const entry = state.queue[0];
      setStatus(entry, "mengirim…");
      try {
        const data = await postJson("/simulator/messages", entry.payload);
        state.queue.shift();
        setStatus(entry, "");
        if (entry.payload.phone === state.phone) showReplies(data.replies);
        clearFailure("send");
      } catch (error) {
        if (!(error instanceof RequestFailed)) throw error;
        if (error.retryable) {
          entry.payload.retry = true;  // if the server did handle it, its answer comes back with the resend
          for (const waiting of state.queue) setStatus(waiting, "belum terkirim", true);
          setFailure("send", `Pesan belum terkirim: ${error.message}. Pesan Anda disimpan; tekan "Coba lagi".`, flush);
          return;
        }
        state.queue.shift();
        setStatus(entry, "ditolak", true);
        if (entry.payload.text !== undefined && !text.value) text.value = entry.payload.text;  // never lose typed text
        setFailure("send", `Pesan ditolak: ${error.message}.`, null);
      }
    }
  } finally {
    state.sending = false;
  }
}

// ---- Polling for messages the bot sends on its own (reminders, news): backs off while the server is away. ----

function schedulePoll(delay) {
  log.dataset.pollDelay = String(state.pollDelay);  // for tests and the curious: how long polling waits now
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(poll, delay);
}

async function poll() {
  const phone = state.phone;
  if (phone && !state.sending) {
    let finished;
    state.polling = new Promise((resolve) => { finished = resolve; });
    try {
      const data = await request("/simulator/messages?phone=" + encodeURIComponent(phone));
      if (phone === state.phone) showReplies(data.replies);
      const wasAway = failures.has("poll");
      state.pollDelay = POLL_MS;
      clearFailure("poll");
      if (wasAway && failures.has("send")) setTimeout(flush);  // the server is back: send what waits
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
      state.pollDelay = Math.min(state.pollDelay * 2, POLL_MAX_MS);
      const again = error.retryable ? "Dicoba lagi otomatis, makin jarang." : "";
      setFailure("poll", `Pesan baru tidak dapat diambil: ${error.message}. ${again}`.trim(), pollNow);
    } finally {
      state.polling = null;
      finished();
      schedulePoll(state.pollDelay);  // even after a bug above: polling never stops
    }
  } else {
    schedulePoll(state.pollDelay);
  }
}

function pollNow() {
  state.pollDelay = POLL_MS;
  schedulePoll(0);
}

// ---- Personas, a new number, the service clock. ----

async function choose(number, label) {
  let data;
  try {
    data = await request("/simulator/messages?phone=" + encodeURIComponent(number));
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    const retry = error.retryable ? () => choose(number, label) : null;
    setFailure("choose", `${label} belum bisa dibuka: ${error.message}.`, retry);
    return;
  }
  clearFailure("choose");
  clearFailure("poll");
  state.phone = number;
  $("title").textContent = `${label} · ${number}`;
  $("chosen").textContent = `: ${label}`;
  for (const persona of document.querySelectorAll(".persona")) {
    persona.setAttribute("aria-pressed", String(persona.dataset.phone === number));
  }
  log.replaceChildren();
  for (const control of [text, $("send"), $("sticker"), $("photo")]) control.disabled = false;
  showReplies(data.replies);
  if (!WIDE.matches) panel.open = false;
  text.focus();
  state.pollDelay = POLL_MS;
  schedulePoll(POLL_MS);
}

async function loadPersonas() {
  let list;
  try {
    list = await request("/simulator/personas");
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    setFailure("personas", `Daftar persona tidak dapat dimuat: ${error.message}.`, loadPersonas);
    return;
  }
  clearFailure("personas");
  const box = $("personas");
  box.replaceChildren();
  for (const persona of list) {
    const item = document.createElement("li");
    const choice = button("", () => choose(persona.phone, persona.name), "persona");
    choice.dataset.phone = persona.phone;
    choice.setAttribute("aria-pressed", String(persona.phone === state.phone));
    const name = document.createElement("b");
    name.textContent = persona.name;
    const about = document.createElement("small");
    about.textContent = `${persona.description} · ${persona.phone}`;
    choice.append(name, " ", about);
    item.appendChild(choice);
    box.appendChild(item);
  }
}

function showClock(data) {
  $("clock").textContent = Object.entries(data.local).map(([zone, time]) => `${time} ${zone}`).join("\n");
}

async function loadClock() {
  try {
    showClock(await request("/simulator/clock"));
    clearFailure("clock");
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    setFailure("clock", `Jam layanan tidak dapat dimuat: ${error.message}.`, loadClock);
  }
}

async function advanceClock(event) {
  const control = event.currentTarget;
  control.disabled = true;
  try {
    showClock(await postJson("/simulator/clock", {advance: control.dataset.advance}));
    clearFailure("clock");
    pollNow();  // reminders the move made due
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    // Not retried by the banner: the clock may have moved already; "Coba lagi" only reads it again.
    setFailure("clock", `Jam tidak dapat dimajukan: ${error.message}.`, loadClock);
  } finally {
    control.disabled = false;
  }
}

// ---- Wiring. ----

$("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = text.value;
  if (!typed.trim()) return;
  text.value = "";
  send({text: typed}, typed);
});
$("sticker").addEventListener("click", () => send({text: "/stiker"}, "[stiker]"));
$("photo").addEventListener("click", () => send({text: "/foto contoh.jpg"}, "[foto]"));
$("use-custom").addEventListener("click", () => {
  const number = $("custom").value.trim();
  if (number) choose(number, "Warga baru");
});
$("custom").addEventListener("keydown", (event) => {
  if (event.key === "Enter") $("use-custom").click();
});
for (const control of document.querySelectorAll("button.clock")) control.addEventListener("click", advanceClock);
text.addEventListener("focus", () => {
  const last = log.lastElementChild;
  if (last) setTimeout(() => last.scrollIntoView({block: "nearest"}), 300);  // after the on-screen keyboard opened
});
window.addEventListener("beforeunload", (event) => {
  if (state.queue.length) event.preventDefault();  // unsent messages would be lost
});

function fitPanel() {
  if (WIDE.matches) panel.open = true;  // a sidebar on a laptop; collapsible above the chat on a phone
}
WIDE.addEventListener("change", fitPanel);
fitPanel();
loadPersonas();
loadClock();
schedulePoll(POLL_MS);
