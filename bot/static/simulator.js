// RianTo local simulator: two LINE-like panes driving the real webhook.
"use strict";

const api = (path, body) =>
  fetch(path, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
    .then((r) => r.json());

function randomId(prefix) {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  return prefix + hex;
}

const state = {
  user: localStorage.getItem("rianto.user") || randomId("U"),
  group: localStorage.getItem("rianto.group") || randomId("C"),
  after: 0,
};
localStorage.setItem("rianto.user", state.user);
localStorage.setItem("rianto.group", state.group);

const $ = (id) => document.getElementById(id);
const panes = {
  user: { chat: $("youth-chat"), quick: $("youth-quick"), id: () => state.user },
  group: { chat: $("office-chat"), quick: $("office-quick"), id: () => state.group },
};

function showIds() {
  $("user-id").textContent = state.user.slice(0, 9) + "…";
  $("group-id").textContent = state.group.slice(0, 9) + "…";
}

// Times as the bot's own texts give them: Thai time (Asia/Bangkok), whatever the browser's zone.
const THAI_TIME = new Intl.DateTimeFormat("th-TH", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Bangkok" });
function stamp(ts) {
  return THAI_TIME.format(ts ? new Date(ts * 1000) : new Date()) + " น.";
}

function addRow(pane, who, node, extra) {
  const row = document.createElement("div");
  row.className = "row " + who;
  row.appendChild(node);
  const time = document.createElement("div");
  time.className = "time";
  time.textContent = stamp(extra && extra.at) + (extra && extra.kind === "push" ? " · push" : "");
  row.appendChild(time);
  pane.chat.appendChild(row);
  pane.chat.scrollTop = pane.chat.scrollHeight;
  return row;
}

function emojiBubble(className, text) {
  const b = document.createElement("div");
  b.className = className;
  b.textContent = text;
  return b;
}

function bubble(text) {
  const b = document.createElement("div");
  b.className = "bubble";
  b.textContent = text;
  return b;
}

function send(kind, payload) {
  const chatType = payload.chat_type || "user";
  const body = Object.assign({ chat_type: chatType, chat: panes[chatType].id(), kind }, payload);
  if (chatType === "group") body.user = $("staff").value;  // who in the group is tapping
  panes[chatType].quick.innerHTML = "";
  return api("/sim/api/send", body).then(poll).then(() => (chatType === "user" ? loadRichMenu() : null));
}

// Staff answer a forwarded message by LINE's quote-reply: the id LINE gave the bot's message.
const quote = { id: null };
function quoteMessage(id, text) {
  quote.id = id;
  $("quoting-text").textContent = text.length > 60 ? text.slice(0, 60) + "…" : text;
  $("quoting").hidden = false;
  $("office-input").focus();
}
function clearQuote() {
  quote.id = null;
  $("quoting").hidden = true;
}

function actionButton(action, chatType, className) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = action.label || action.text || "…";
  if (className) button.className = className;
  button.addEventListener("click", () => {
    if (action.type === "message") {
      addRow(panes[chatType], "me", bubble(action.text));
      send("text", { chat_type: chatType, text: action.text });
    } else if (action.type === "postback") {
      if (action.displayText) addRow(panes[chatType], "me", bubble(action.displayText));
      send("postback", { chat_type: chatType, data: action.data });
    } else if (action.type === "location") {
      $("location-picker").hidden = false;
    } else if (action.type === "uri") {
      window.open(action.uri, "_blank");
    }
  });
  return button;
}

// A small Flex renderer: bubble/carousel, box, text, separator, button, image placeholder.
function renderFlex(node, chatType) {
  if (!node) return document.createTextNode("");
  if (node.type === "carousel") {
    const wrap = document.createElement("div");
    wrap.className = "flex-carousel";
    (node.contents || []).forEach((b) => wrap.appendChild(renderFlex(b, chatType)));
    return wrap;
  }
  if (node.type === "bubble") {
    const card = document.createElement("div");
    card.className = "flex-bubble";
    ["header", "hero", "body", "footer"].forEach((part) => {
      if (!node[part]) return;
      const section = document.createElement("div");
      section.className = "flex-section " + part;
      section.appendChild(renderFlex(node[part], chatType));
      card.appendChild(section);
    });
    return card;
  }
  if (node.type === "box") {
    const box = document.createElement("div");
    box.className = "flex-box " + (node.layout || "vertical");
    (node.contents || []).forEach((c) => box.appendChild(renderFlex(c, chatType)));
    return box;
  }
  if (node.type === "text") {
    const t = document.createElement("div");
    t.className = "flex-text" + (node.wrap ? " wrap" : "") + (node.weight === "bold" ? " bold" : "") + (node.size ? " size-" + node.size : "");
    if (node.color) t.style.color = node.color;
    if (node.flex !== undefined) t.style.flex = node.flex;
    t.textContent = node.text || (node.contents || []).map((s) => s.text).join("");
    return t;
  }
  if (node.type === "separator") {
    const s = document.createElement("div");
    s.className = "flex-sep";
    return s;
  }
  if (node.type === "button") return actionButton(node.action || {}, chatType, "flex-button " + (node.style || "link"));
  if (node.type === "image") {
    const i = document.createElement("div");
    i.className = "flex-text size-xs";
    i.textContent = "[รูปภาพ]";
    return i;
  }
  return document.createTextNode("");
}

function renderMessage(message, chatType, extra, lineId) {
  const pane = panes[chatType];
  let row;
  if (message.type === "text") row = addRow(pane, "bot", bubble(message.text), extra);
  else if (message.type === "flex") row = addRow(pane, "bot", renderFlex(message.contents, chatType), extra);
  else row = addRow(pane, "bot", bubble("[" + message.type + "]"), extra);
  if (chatType === "group" && lineId) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quote-button";
    button.textContent = "↩ ตอบกลับ";
    const said = message.type === "text" ? message.text : message.altText || "";
    button.addEventListener("click", () => quoteMessage(lineId, said));
    row.querySelector(".time").appendChild(button);
  }
  // As in LINE, quick replies belong to the latest message: a new one without them hides them.
  const items = (message.quickReply && message.quickReply.items) || [];
  pane.quick.innerHTML = "";
  items.forEach((item) => pane.quick.appendChild(actionButton(item.action, chatType)));
}

function showLinked(text, isError) {
  const label = $("linked-office");
  label.textContent = text;
  label.classList.toggle("error", Boolean(isError));
}

let polling = false;
function poll() {
  if (polling) return Promise.resolve();
  polling = true;
  return api(`/sim/api/messages?after=${state.after}`)
    .then((data) => {
      (data.messages || []).forEach((item) => {
        const chatType = item.to === state.user ? "user" : item.to === state.group ? "group" : null;
        if (chatType) item.messages.forEach((m, i) => renderMessage(m, chatType, item, (item.ids || [])[i]));
      });
      state.after = Math.max(state.after, data.last || 0);
    })
    .finally(() => { polling = false; });
}

function wireComposer(formId, inputId, chatType) {
  $(formId).addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $(inputId).value.trim();
    if (!text) return;
    $(inputId).value = "";
    const payload = { chat_type: chatType, text };
    const node = bubble(text);
    if (chatType === "group" && quote.id) {
      payload.quotedMessageId = quote.id;
      const quoted = document.createElement("div");
      quoted.className = "quoted";
      quoted.textContent = $("quoting-text").textContent;
      node.prepend(quoted);
      clearQuote();
    }
    addRow(panes[chatType], "me", node);
    send("text", payload);
  });
}

// The rich menu LINE shows this user now (it follows their state: no case, a case open).
const richMenu = { id: null, open: true };
function loadRichMenu() {
  return api(`/sim/api/richmenu?user=${encodeURIComponent(state.user)}`).then((menu) => {
    if (!menu || !menu.richMenuId) {
      $("richmenu").hidden = true;
      richMenu.id = null;
      return;
    }
    if (menu.richMenuId === richMenu.id) return;
    richMenu.id = menu.richMenuId;
    $("richmenu").hidden = false;
    $("richmenu").dataset.menu = menu.name || "";
    $("richmenu-image").src = menu.image;
    $("richmenu-bar").textContent = (menu.chatBarText || "เมนู") + (richMenu.open ? " ▾" : " ▴");
    const areas = $("richmenu-areas");
    areas.innerHTML = "";
    (menu.areas || []).forEach((area) => {
      const b = area.bounds;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "richmenu-area";
      button.title = area.action.label || "";
      button.setAttribute("aria-label", area.action.label || "");
      button.style.left = (100 * b.x / menu.size.width) + "%";
      button.style.top = (100 * b.y / menu.size.height) + "%";
      button.style.width = (100 * b.width / menu.size.width) + "%";
      button.style.height = (100 * b.height / menu.size.height) + "%";
      button.addEventListener("click", () => {
        const action = area.action;
        if (action.type === "postback") {
          if (action.displayText) addRow(panes.user, "me", bubble(action.displayText));
          send("postback", { chat_type: "user", data: action.data });
        } else if (action.type === "message") {
          addRow(panes.user, "me", bubble(action.text));
          send("text", { chat_type: "user", text: action.text });
        }
      });
      areas.appendChild(button);
    });
  });
}

function loadPlaces() {
  api("/sim/api/places").then((provinces) => {
    $("province").innerHTML = provinces.map((p) => `<option value="${p.code}">${p.name}</option>`).join("");
    $("province").value = "52";
    loadDistricts();
  });
}
function loadDistricts() {
  api(`/sim/api/places?province=${$("province").value}`).then((districts) => {
    $("district").innerHTML = districts.map((d) => `<option value="${d.code}">${d.name}</option>`).join("");
  });
}

function init() {
  showIds();
  if (localStorage.getItem("rianto.office")) showLinked("เชื่อมกับ " + localStorage.getItem("rianto.office"));
  wireComposer("youth-form", "youth-input", "user");
  wireComposer("office-form", "office-input", "group");
  $("new-user").addEventListener("click", () => {
    state.user = randomId("U");
    localStorage.setItem("rianto.user", state.user);
    panes.user.chat.innerHTML = "";
    panes.user.quick.innerHTML = "";
    richMenu.id = null;
    showIds();
    send("follow", { chat_type: "user" });
  });
  $("link-group").addEventListener("click", () => {
    const office = $("office-code").value.trim();
    api("/sim/api/link-group", { group: state.group, office, user: $("staff").value }).then((result) => {
      if (result.error) {
        showLinked(result.error, true);
        return;
      }
      addRow(panes.group, "me", bubble("(เชิญบอทเข้ากลุ่ม แล้วพิมพ์ \"ลงทะเบียน " + result.code + "\")"));
      localStorage.setItem("rianto.office", result.name);
      showLinked("เชื่อมกับ " + result.name + " (" + result.office + ")");
      return poll();
    });
  });
  $("open-console").addEventListener("click", () => {
    // The staff console, signed in as this group's office (local mode only; H-console).
    const opened = window.open("", "_blank");
    const name = $("staff").selectedOptions[0].textContent;
    api("/console/local-link", { group: state.group, name }).then((result) => {
      if (result.error || !result.url) {
        if (opened) opened.close();
        showLinked(result.error || "เปิดระบบติดตามเรื่องไม่สำเร็จค่ะ", true);
        return;
      }
      if (opened) opened.location = result.url; else window.location = result.url;
    });
  });
  $("open-location").addEventListener("click", () => { $("location-picker").hidden = false; });
  $("open-sticker").addEventListener("click", () => { $("sticker-picker").hidden = false; });
  $("cancel-sticker").addEventListener("click", () => { $("sticker-picker").hidden = true; });
  document.querySelectorAll("#sticker-picker .sticker").forEach((button) => {
    button.addEventListener("click", () => {
      $("sticker-picker").hidden = true;
      addRow(panes.user, "me", emojiBubble("sticker-bubble", button.textContent));
      send("sticker", { chat_type: "user", packageId: button.dataset.package, stickerId: button.dataset.sticker });
    });
  });
  $("send-image").addEventListener("click", () => {
    addRow(panes.user, "me", emojiBubble("image-bubble", "รูปภาพ"));
    send("image", { chat_type: "user" });
  });
  $("cancel-quote").addEventListener("click", clearQuote);
  $("richmenu-bar").addEventListener("click", () => {
    richMenu.open = !richMenu.open;
    $("richmenu-board").hidden = !richMenu.open;
    $("richmenu-bar").setAttribute("aria-expanded", String(richMenu.open));
    $("richmenu-bar").textContent = $("richmenu-bar").textContent.replace(/ [▾▴]$/, richMenu.open ? " ▾" : " ▴");
  });
  $("cancel-location").addEventListener("click", () => { $("location-picker").hidden = true; });
  $("province").addEventListener("change", loadDistricts);
  $("send-location").addEventListener("click", () => {
    api(`/sim/api/address?district=${$("district").value}`).then((a) => {
      $("location-picker").hidden = true;
      addRow(panes.user, "me", bubble("📍 " + a.address));
      send("location", { chat_type: "user", address: a.address });
    });
  });
  loadPlaces();
  api("/sim/api/messages?after=0").then((data) => { state.after = 0; return poll(); }).then(() => {
    if (!panes.user.chat.children.length) send("follow", { chat_type: "user" });
  });
  loadRichMenu();
  setInterval(poll, 1000);
  // Links arrive through the worker after a submission or a closure: look again now and then.
  setInterval(loadRichMenu, 3000);
}

init();
