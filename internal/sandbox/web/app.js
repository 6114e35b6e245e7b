// The sandbox client. It draws the chrome (people, channels, message frames)
// from /api/state with DOM text nodes, and inserts the Block Kit HTML the
// server rendered and escaped (the html fields) as is. Clicks, selections
// and submissions go to /api/action; /api/events says when to redraw.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

const ui = {
  as: "", channel: "", tab: "messages",
  state: null, keys: {}, pending: null, seen: {},
  guide: null, // the guide panel is open; null until the visitor chose
};

// narrow is the phone layout (style.css): the guide covers the page there.
const narrow = () => window.matchMedia("(max-width: 760px)").matches;

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  ui.as = h.get("as") || localStorage.getItem("sandbox.as") || "";
  ui.channel = h.get("c") || "";
  ui.tab = h.get("tab") === "home" ? "home" : "messages";
}

function writeHash() {
  const h = new URLSearchParams();
  if (ui.as) h.set("as", ui.as);
  if (ui.channel) h.set("c", ui.channel);
  if (ui.tab === "home") h.set("tab", "home");
  history.replaceState(null, "", "#" + h.toString());
  if (ui.as) localStorage.setItem("sandbox.as", ui.as);
}

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const res = await fetch(path, opts);
  const data = await res.json().catch(() => ({ ok: false, error: res.statusText }));
  if (!res.ok || data.ok === false) throw new Error(data.error || res.statusText);
  return data;
}

function T(key) { return (ui.state && ui.state.labels[key]) || key; }

// refresh re-reads the state; calls during a read coalesce into one more read.
let reading = null, again = false;
async function refresh() {
  if (reading) { again = true; return reading; }
  reading = (async () => {
    do {
      again = false;
      const asked = { as: ui.as, channel: ui.channel };
      let st;
      try {
        st = await api("/api/state?" + new URLSearchParams(asked).toString());
      } catch (err) {
        // A person from an old link or another sandbox: start as the first one.
        if (ui.as) { ui.as = ""; ui.channel = ""; again = true; } else { toast(String(err.message || err)); }
        continue;
      }
      // The visitor picked someone or something else meanwhile: read again
      // rather than draw (and go back to) what they left.
      if (ui.as !== asked.as || ui.channel !== asked.channel) { again = true; continue; }
      ui.state = st;
      ui.as = st.me.id;
      ui.channel = st.channel;
      try {
        draw();
      } catch (err) {
        console.error(err);
        toast(String(err.message || err));
      }
    } while (again);
    reading = null;
    document.body.dataset.seq = ui.state ? String(ui.state.seq) : "0";
  })();
  return reading;
}

function draw() {
  const st = ui.state;
  writeHash();
  document.documentElement.lang = st.me.lang;
  document.title = T("title");
  $("title").textContent = T("title");
  $("picker-label").textContent = T("be");
  $("channels-title").textContent = T("channels");
  $("dm-title").textContent = T("direct_messages");
  $("about").textContent = T("about");
  $("tab-home").textContent = T("home");
  $("tab-messages").textContent = T("messages");
  $("composer-send").textContent = T("send");
  drawPicker(st);
  drawClock(st);
  drawGuide(st);
  drawSidebar(st);
  const conv = st.channels.find((c) => c.id === st.channel);
  const isApp = conv && conv.is_dm;
  $("conv-name").textContent = isApp ? st.bot.name : "# " + (conv ? conv.name : "");
  $("tabs").hidden = !isApp;
  if (!isApp) ui.tab = "messages";
  $("tab-home").setAttribute("aria-selected", String(ui.tab === "home"));
  $("tab-messages").setAttribute("aria-selected", String(ui.tab === "messages"));
  $("composer-text").placeholder = T("message_to").replace("%[1]s", isApp ? st.bot.name : "#" + (conv ? conv.name : ""));
  $("banner").hidden = st.connected;
  $("banner").textContent = T("connecting");
  $("messages").hidden = ui.tab !== "messages";
  $("composer").hidden = ui.tab !== "messages";
  $("home").hidden = ui.tab !== "home";
  if (ui.tab === "messages") drawMessages(st); else drawHome(st);
  drawModals(st);
  for (const c of st.channels) if (c.id === st.channel) ui.seen[st.me.id + c.id] = c.count;
}

function drawPicker(st) {
  const sel = $("person");
  const key = JSON.stringify(st.people.map((p) => [p.id, p.role_text])) + st.me.id;
  if (ui.keys.picker === key) return;
  ui.keys.picker = key;
  sel.replaceChildren();
  for (const p of st.people) {
    const o = el("option", "", p.role_text ? `${p.real_name} (${p.role_text})` : p.real_name);
    o.value = p.id;
    o.selected = p.id === st.me.id;
    sel.append(o);
  }
}

function fmt(t, opts) {
  const st = ui.state;
  try {
    return new Intl.DateTimeFormat(st.me.lang === "nl" ? "nl-NL" : "en-GB", { timeZone: st.me.tz, ...opts }).format(new Date(t));
  } catch {
    return new Date(t).toLocaleString();
  }
}

// The guide: open at first on a wide screen, closed on a phone (where it
// covers the page); the visitor's choice is kept.
function guideOpen() {
  if (ui.guide === null) {
    const saved = localStorage.getItem("sandbox.guide");
    ui.guide = saved ? saved === "open" : !narrow();
  }
  return ui.guide;
}

function setGuide(open) {
  ui.guide = open;
  localStorage.setItem("sandbox.guide", open ? "open" : "closed");
  if (ui.state) drawGuide(ui.state);
}

function drawGuide(st) {
  const g = st.guide;
  const open = !!g && guideOpen();
  $("guide-toggle").hidden = !g;
  $("guide").hidden = !open;
  $("guide-toggle").setAttribute("aria-expanded", String(open));
  if (!g) return;
  $("guide-toggle").textContent = g.title;
  const key = JSON.stringify(g);
  if (ui.keys.guide === key) return;
  ui.keys.guide = key;
  $("guide-title").textContent = g.title;
  $("guide-intro").textContent = g.intro;
  $("guide-tip").textContent = g.tip;
  $("guide-close").setAttribute("aria-label", T("close"));
  const list = $("guide-steps");
  list.replaceChildren();
  for (const s of g.steps) {
    const li = el("li", "guide-step");
    li.dataset.guideStep = s.key;
    li.append(el("div", "guide-step-title", s.title), el("p", "guide-step-text", s.text));
    const acts = el("div", "guide-actions");
    s.actions.forEach((a, i) => {
      const b = el("button", "guide-action" + (a.command ? " guide-command" : ""));
      b.type = "button";
      b.dataset.guideAction = String(i);
      b.append(a.command ? el("code", "", a.label) : el("span", "", a.label));
      if (a.command && a.hint) b.append(el("span", "guide-hint", a.hint));
      acts.append(b);
    });
    li.append(acts);
    list.append(li);
  }
}

// guideAction does what a guide button says: be someone, open a
// conversation or the Home tab, and put a command in the message box.
async function guideAction(a) {
  if (a.as) ui.as = a.as;
  ui.tab = a.open === "home" ? "home" : "messages";
  ui.channel = a.open && a.open !== "home" ? a.open : "";
  if (narrow()) setGuide(false);
  await refresh();
  if (ui.tab === "home") act({ kind: "home" });
  if (a.command) {
    const box = $("composer-text");
    box.value = a.command;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }
}

function drawClock(st) {
  $("clock").hidden = !st.clock;
  $("clock-label").textContent = T("clock");
  $("clock-now").textContent = fmt(st.now, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  $("clock-due").textContent = T("send_due");
  $("clock-tomorrow").textContent = T("tomorrow");
}

// drawSidebar updates the channel buttons in place (a redraw never replaces
// a button the visitor is about to click).
function drawSidebar(st) {
  const lists = { chans: $("channel-list"), dms: $("dm-list") };
  const want = { chans: st.channels.filter((c) => !c.is_dm), dms: st.channels.filter((c) => c.is_dm) };
  for (const k of Object.keys(lists)) {
    const list = lists[k];
    want[k].forEach((c, i) => {
      let li = list.children[i];
      if (!li || li.dataset.id !== c.id) {
        li = el("li");
        li.dataset.id = c.id;
        const b = el("button");
        b.type = "button";
        b.dataset.channel = c.id;
        b.append(el("span", "name"), el("span", "badge"));
        li.append(b);
        list.insertBefore(li, list.children[i] || null);
      }
      const b = li.firstChild;
      b.querySelector(".name").textContent = c.is_dm ? "● " + st.bot.name : "# " + c.name;
      const seen = ui.seen[st.me.id + c.id];
      const unread = c.id !== st.channel && seen !== undefined ? c.count - seen : 0;
      if (seen === undefined && c.id !== st.channel) ui.seen[st.me.id + c.id] = c.count;
      b.classList.toggle("active", c.id === st.channel);
      b.classList.toggle("unread", unread > 0);
      const badge = b.querySelector(".badge");
      badge.textContent = unread > 0 ? String(unread) : "";
      badge.hidden = unread <= 0;
    });
    while (list.children.length > want[k].length) list.lastChild.remove();
  }
}

const palette = ["#e8912d", "#2bac76", "#4a154b", "#1264a3", "#e01e5a", "#7c3085", "#0b4c8c"];
function avatar(m) {
  const a = el("div", "avatar" + (m.is_bot ? " bot" : ""), initials(m.author));
  if (!m.is_bot) {
    let h = 0;
    for (const ch of m.author_id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    a.style.background = palette[h % palette.length];
  }
  return a;
}
function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("") || "?";
}

// drawMessages updates the list in place: a message is redrawn only when it
// changed (chat.update), so a click, an open menu or a half-made choice in
// another message survives the arrival of new ones.
function drawMessages(st) {
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const conv = st.me.id + st.channel;
  // A new conversation, or new words for the page's own labels: draw anew.
  if (box.dataset.conv !== conv || box.dataset.lang !== st.me.lang) {
    box.replaceChildren();
    box.dataset.conv = conv;
    box.dataset.lang = st.me.lang;
  }
  box.querySelectorAll(".empty").forEach((e) => e.remove());
  let day = "", i = 0;
  for (const m of st.messages) {
    const d = fmt(m.time, { weekday: "long", day: "numeric", month: "long" });
    const sig = JSON.stringify([m, d !== day ? d : ""]);
    let item = box.children[i];
    if (!item || item.dataset.ts !== m.ts || item.dataset.sig !== sig) {
      const fresh = el("div", "item");
      fresh.dataset.ts = m.ts;
      fresh.dataset.sig = sig;
      if (d !== day) fresh.append(el("div", "day", d));
      fresh.append(message(m));
      if (item && item.dataset.ts === m.ts) item.replaceWith(fresh); else box.insertBefore(fresh, item || null);
      item = fresh;
    }
    day = d;
    i++;
  }
  while (box.children.length > i) box.lastChild.remove();
  if (st.messages.length === 0) {
    box.append(el("div", "empty", T("empty_channel")));
    if (st.channels.some((c) => c.id === st.channel && c.is_dm)) box.append(el("div", "empty", T("hint")));
  }
  if (atBottom || ui.keys.scrolledFor !== conv) box.scrollTop = box.scrollHeight;
  ui.keys.scrolledFor = conv;
}

function message(m) {
  const row = el("div", "msg" + (m.ephemeral ? " ephemeral" : ""));
  row.dataset.surface = "message";
  row.dataset.channel = m.channel;
  row.dataset.ts = m.ts;
  row.append(avatar(m));
  const body = el("div", "msg-body");
  if (m.ephemeral) body.append(el("div", "only-you", T("only_you")));
  const meta = el("div", "msg-meta");
  meta.append(el("span", "msg-author", m.author));
  if (m.is_bot) meta.append(el("span", "msg-app", T("app")));
  meta.append(el("span", "msg-time", fmt(m.time, { hour: "2-digit", minute: "2-digit" })));
  body.append(meta);
  const content = el("div", "msg-content");
  content.innerHTML = m.html; // rendered and escaped by the server (render.go)
  body.append(content);
  if (m.edited) body.append(el("span", "msg-edited", T("edited")));
  row.append(body);
  return row;
}

function drawHome(st) {
  const box = $("home");
  const key = st.me.id + JSON.stringify(st.home);
  if (ui.keys.home === key) return;
  ui.keys.home = key;
  box.replaceChildren();
  if (!st.home) { box.append(el("div", "empty", T("empty_home"))); return; }
  const v = el("div", "home-view");
  v.dataset.surface = "view";
  v.dataset.view = st.home.id;
  v.innerHTML = st.home.html; // rendered and escaped by the server (render.go)
  box.append(v);
}

function drawModals(st) {
  const overlay = $("overlay");
  const modals = st.modals || [];
  const top = modals.length ? modals[modals.length - 1] : null;
  if (!top) { overlay.hidden = true; overlay.replaceChildren(); ui.keys.modal = ""; return; }
  overlay.hidden = false;
  const key = st.me.id + top.id + top.hash;
  if (ui.keys.modal === key) { showErrors(overlay, top.errors || {}); return; }
  ui.keys.modal = key;
  const box = el("form", "modal");
  box.dataset.surface = "view";
  box.dataset.view = top.id;
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-modal", "true");
  const head = el("div", "modal-head");
  head.append(el("h2", "", top.title));
  const x = el("button", "modal-x", "×");
  x.type = "button";
  x.dataset.modal = "close";
  x.setAttribute("aria-label", T("close"));
  head.append(x);
  const body = el("div", "modal-body");
  body.innerHTML = top.html; // rendered and escaped by the server (render.go)
  const foot = el("div", "modal-foot");
  const close = el("button", "modal-close", top.close || (top.submit ? T("cancel") : T("close")));
  close.type = "button";
  close.dataset.modal = "close";
  foot.append(close);
  if (top.submit) {
    const sub = el("button", "modal-submit", top.submit);
    sub.type = "submit";
    foot.append(sub);
  }
  box.append(head, body, foot);
  overlay.replaceChildren(box);
  showErrors(overlay, top.errors || {});
  const first = body.querySelector("[data-input]:not([type=hidden])");
  if (first && first.focus) first.focus();
}

function showErrors(root, errors) {
  for (const blk of root.querySelectorAll(".bk-input")) {
    const msg = errors[blk.dataset.block] || "";
    const e = blk.querySelector(".bk-error");
    if (e && e.dataset.local !== "1") e.textContent = msg;
    blk.classList.toggle("has-error", msg !== "" || (e && e.dataset.local === "1"));
  }
}

// inputValue reads one modal input the way Slack's client reports it; null
// means "nothing chosen" (the key is left out of the submission).
function inputValue(node) {
  switch (node.dataset.kind) {
    case "checkboxes":
      return [...node.querySelectorAll("input:checked")].map((i) => i.value).join(",");
    case "radio_buttons": {
      const c = node.querySelector("input:checked");
      return c ? c.value : null;
    }
    case "multi_static_select": case "multi_users_select":
      return [...node.selectedOptions].map((o) => o.value).filter(Boolean).join(",") || null;
    case "plain_text_input": case "email_text_input": case "url_text_input": case "number_input":
      return node.value;
    default:
      return node.value === "" ? null : node.value;
  }
}

async function submitModal(form) {
  const inputs = {};
  let missing = false;
  for (const blk of form.querySelectorAll(".bk-input")) {
    const node = blk.querySelector("[data-input]");
    const err = blk.querySelector(".bk-error");
    if (!node) continue;
    const v = inputValue(node);
    const optional = blk.querySelector(".bk-optional") !== null;
    if (err && err.dataset.local === "1") {
      err.textContent = "";
      err.dataset.local = "";
      blk.classList.remove("has-error");
    }
    if ((v === null || v.trim() === "") && !optional) {
      missing = true;
      if (err) { err.textContent = T("required"); err.dataset.local = "1"; }
      blk.classList.add("has-error");
      continue;
    }
    if (v !== null) inputs[node.dataset.key] = v;
  }
  if (missing || form.dataset.busy) return;
  form.dataset.busy = "1";
  form.classList.add("busy");
  try {
    const res = await act({ kind: "submit", view_id: form.dataset.view, inputs });
    if (res && res.errors) showErrors(form, res.errors);
  } finally {
    delete form.dataset.busy;
    form.classList.remove("busy");
  }
}

async function act(body) {
  body.as = ui.as;
  try {
    return await api("/api/action", body);
  } catch (err) {
    toast(T("failed").replace("%[1]s", String(err.message || err)));
    return null;
  } finally {
    refresh();
  }
}

let toastTimer = 0;
function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 8000);
}

// surface finds the message or view an element belongs to.
function surface(node) {
  const s = node.closest("[data-surface]");
  if (!s) return null;
  return s.dataset.surface === "view" ? { view_id: s.dataset.view } : { channel: s.dataset.channel, ts: s.dataset.ts };
}

// clickElement sends one click or choice; the element shows it is busy until
// the bot acked (Slack's client shows a spinner), so a double click is one.
async function clickElement(node, values) {
  const s = surface(node);
  if (!s || node.dataset.busy) return;
  node.dataset.busy = "1";
  node.classList.add("busy");
  try {
    await act({ kind: "click", ...s, action_id: node.dataset.action, block_id: node.dataset.block, values });
  } finally {
    delete node.dataset.busy;
    node.classList.remove("busy");
  }
}

document.addEventListener("click", (ev) => {
  const t = ev.target;
  const chan = t.closest("[data-channel]:not([data-surface])");
  if (chan && chan.closest(".sidebar")) {
    ui.channel = chan.dataset.channel;
    const isDM = ui.state && ui.state.channels.some((c) => c.id === ui.channel && c.is_dm);
    if (!isDM) ui.tab = "messages";
    refresh();
    return;
  }
  const tab = t.closest("[data-tab]");
  if (tab) {
    ui.tab = tab.dataset.tab;
    if (ui.tab === "home") act({ kind: "home" });
    refresh();
    return;
  }
  const clock = t.closest("[data-clock]");
  if (clock) {
    api("/api/clock", { as: ui.as, action: clock.dataset.clock })
      .then((res) => { if (res.note) toast(res.note); })
      .catch((err) => toast(String(err.message))).finally(refresh);
    return;
  }
  const ga = t.closest("[data-guide-action]");
  if (ga && ui.state && ui.state.guide) {
    const step = ui.state.guide.steps.find((s) => s.key === ga.closest("[data-guide-step]").dataset.guideStep);
    if (step) guideAction(step.actions[Number(ga.dataset.guideAction)]);
    return;
  }
  if (t.closest("#guide-toggle")) { setGuide(!guideOpen()); return; }
  if (t.closest("#guide-close")) { setGuide(false); return; }
  const modalBtn = t.closest("[data-modal]");
  if (modalBtn) {
    const form = modalBtn.closest("form");
    act({ kind: "close", view_id: form.dataset.view });
    return;
  }
  const item = t.closest(".bk-menu-item");
  if (item) {
    const menu = item.closest("[data-kind=overflow]");
    menu.open = false;
    clickElement(menu, [item.dataset.value]);
    return;
  }
  const btn = t.closest("button[data-kind=button]");
  if (btn && !btn.disabled && !btn.dataset.busy) {
    if (btn.dataset.url) window.open(btn.dataset.url, "_blank", "noopener");
    clickElement(btn, null);
  }
});

document.addEventListener("change", (ev) => {
  const t = ev.target;
  if (t.id === "person") {
    ui.as = t.value;
    ui.channel = "";
    ui.tab = "messages";
    refresh();
    return;
  }
  const node = t.closest("[data-kind]");
  if (!node || node.dataset.input) {
    if (node) { const blk = node.closest(".bk-input"); const e = blk && blk.querySelector(".bk-error"); if (e && e.dataset.local === "1") { e.textContent = ""; e.dataset.local = ""; blk.classList.remove("has-error"); } }
    return;
  }
  switch (node.dataset.kind) {
    case "checkboxes":
      clickElement(node, [...node.querySelectorAll("input:checked")].map((i) => i.value));
      break;
    case "radio_buttons":
      clickElement(node, [t.value]);
      break;
    case "multi_static_select": case "multi_users_select":
      clickElement(node, [...node.selectedOptions].map((o) => o.value).filter(Boolean));
      break;
    default:
      if (node.value !== "") clickElement(node, [node.value]);
  }
});

document.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const f = ev.target;
  if (f.id === "composer") {
    const box = $("composer-text");
    const text = box.value.trim();
    if (!text) return;
    box.value = "";
    act({ kind: "message", channel: ui.channel, text });
  } else if (f.classList.contains("modal")) {
    submitModal(f);
  }
});

$("composer-text").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    $("composer").requestSubmit();
  }
});

// Live updates: every change in the local Slack triggers one redraw.
function listen() {
  const es = new EventSource("/api/events");
  let timer = 0;
  es.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 30);
  });
  es.addEventListener("hello", () => refresh());
  es.onerror = () => { if (es.readyState === EventSource.CLOSED) toast(T("offline")); };
}

readHash();
refresh().then(() => { if (ui.tab === "home") act({ kind: "home" }); });
listen();
