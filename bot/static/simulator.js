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

function stamp(ts) {
  const d = ts ? new Date(ts * 1000) : new Date();
  return d.toLocaleTimeString("th-TH", { hour: "2-digit", minute: "2-digit" });
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
  return api("/sim/api/send", body).then(poll);
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

function renderMessage(message, chatType, extra) {
  const pane = panes[chatType];
  if (message.type === "text") addRow(pane, "bot", bubble(message.text), extra);
  else if (message.type === "flex") addRow(pane, "bot", renderFlex(message.contents, chatType), extra);
  else addRow(pane, "bot", bubble("[" + message.type + "]"), extra);
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
        if (chatType) item.messages.forEach((m) => renderMessage(m, chatType, item));
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
    addRow(panes[chatType], "me", bubble(text));
    send("text", { chat_type: chatType, text });
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
  $("open-location").addEventListener("click", () => { $("location-picker").hidden = false; });
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
  setInterval(poll, 1000);
}

init();
