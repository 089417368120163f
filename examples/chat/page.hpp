#pragma once
// The chat's page, served at GET /: pick a room and a name, then talk. Kept in the
// program so that it needs no files beside it.

#include <string_view>

namespace cogi::examples::chat {

inline constexpr std::string_view page = R"html(<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>cogi chat</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }
    #log { list-style: none; padding: 0; min-height: 10rem; border: 1px solid #ccc; }
    #log li { padding: 0.2rem 0.5rem; }
    .notice { color: #777; font-style: italic; }
  </style>
</head>
<body>
  <h1>cogi chat</h1>
  <form id="join">
    <input id="room" value="lobby" required> <input id="name" placeholder="your name" required>
    <button>Join</button>
  </form>
  <ul id="log"></ul>
  <form id="say" hidden><input id="text" placeholder="say something" required autocomplete="off"> <button>Send</button></form>
  <script>
    const log = document.getElementById("log");
    const add = (text, notice) => {
      const li = log.appendChild(document.createElement("li"));
      li.textContent = text;
      if (notice) li.className = "notice";
    };
    let socket;
    document.getElementById("join").addEventListener("submit", (e) => {
      e.preventDefault();
      const room = encodeURIComponent(document.getElementById("room").value);
      const name = encodeURIComponent(document.getElementById("name").value);
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/ws/${room}?name=${name}`);
      socket.addEventListener("open", () => {
        document.getElementById("join").hidden = true;
        document.getElementById("say").hidden = false;
      });
      socket.addEventListener("message", (m) => {
        const message = JSON.parse(m.data);
        if (message.notice) add(message.notice, true);
        else add(`${message.name}: ${message.text}`);
      });
      socket.addEventListener("close", (c) => add(`disconnected (${c.code})`, true));
    });
    document.getElementById("say").addEventListener("submit", (e) => {
      e.preventDefault();
      socket.send(document.getElementById("text").value);
      document.getElementById("text").value = "";
    });
  </script>
</body>
</html>
)html";

}  // namespace cogi::examples::chat
