#pragma once
// The scope: everything an app learns about one request (or the lifespan) before it
// calls receive(). Modelled on ASGI's HTTP connection scope (asgiref specs/www.rst).
//
// Lifetime: every view in a scope points into memory the server owns for the whole
// app call; copy what must outlive it. Middleware may copy a scope and repoint views
// (e.g. root_path) at its own storage before calling the next app.

#include <any>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cogi {

// One header field. Request header names are lower-cased by the server; duplicates
// are kept in arrival order.
struct header_field {
  std::string_view name;
  std::string_view value;
};

// A peer or local socket address. For Unix sockets `host` is the path and port is 0.
struct address {
  std::string host;
  std::uint16_t port = 0;
};

// Per-loop application state, filled during lifespan startup and shared (on that loop
// only, so without locks) by every request the loop serves. ASGI's scope["state"].
class state_map {
 public:
  template <class T>
  void set(const std::string& key, T value) { values_[key] = std::move(value); }

  // Returns nullptr when the key is absent or holds another type.
  template <class T>
  T* get(const std::string& key) {
    auto found = values_.find(key);
    return found == values_.end() ? nullptr : std::any_cast<T>(&found->second);
  }

  bool contains(const std::string& key) const { return values_.contains(key); }

 private:
  std::unordered_map<std::string, std::any> values_;
};

enum class scope_type { http, websocket, lifespan };

// What an app tells the server about a request it served, for the server's metrics and
// logs. The server owns it, so a scope copied by middleware still reaches it.
struct request_report {
  // The template of the route that served the request ("/items/{id}"), never the raw
  // path: metrics label requests with it, and a label per raw path would grow without
  // bound. The framework's router sets it; it must stay valid while the server runs
  // (the app's own route table). Empty: no route matched, or an app without routes.
  std::string_view route;
};

struct scope {
  scope_type type = scope_type::http;
  std::string_view http_version;  // "1.0" or "1.1"
  std::string_view method;        // upper-case token, e.g. "GET" (always GET for websocket)
  std::string_view scheme;        // "http"; "ws" for a websocket scope
  std::string_view path;          // percent-decoded, without the query
  std::string_view raw_path;      // as received, without the query
  std::string_view query_string;  // raw bytes after '?', no '?'
  std::string_view root_path;     // mount point the app is served under (--root-path)
  std::span<const header_field> headers;
  // websocket: the subprotocols the client offered (Sec-WebSocket-Protocol), in order.
  std::span<const std::string_view> subprotocols;
  const address* client = nullptr;  // the peer; null when unknown
  const address* server = nullptr;  // the local end; null when unknown
  state_map* state = nullptr;       // per-loop app state from lifespan
  request_report* report = nullptr; // where to tell the server the route; null: nobody listens

  // The first request header with this (lower-case) name, or an empty view.
  std::string_view header_value(std::string_view lower_name) const {
    for (const auto& h : headers)
      if (h.name == lower_name) return h.value;
    return {};
  }
};

}  // namespace cogi
