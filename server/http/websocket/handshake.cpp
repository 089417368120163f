#include "cogi/server/http/websocket/handshake.hpp"

#include "cogi/server/http/base64.hpp"
#include "cogi/server/http/validation.hpp"
#include "cogi/server/http/websocket/sha1.hpp"

namespace cogi::http::websocket {
namespace {

// The GUID every server appends to the key (§1.3).
constexpr std::string_view key_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

constexpr header_field version_we_speak[] = {{"sec-websocket-version", "13"}};

// Whether any field named `name` (lower-case) lists `token`.
bool any_field_lists(const request_head& head, std::string_view name, std::string_view token) {
  for (const auto& field : head.headers)
    if (field.name == name && list_has_token(field.value, token)) return true;
  return false;
}

}  // namespace

bool asks_for_websocket(const request_head& head) { return any_field_lists(head, "upgrade", "websocket"); }

std::optional<rejection> check_handshake(const request_head& head, handshake_request& out) {
  out = {};
  if (head.method != "GET") return rejection{400, "A WebSocket handshake must be a GET"};
  if (head.version_minor < 1) return rejection{400, "A WebSocket handshake needs HTTP/1.1"};
  if (!any_field_lists(head, "connection", "upgrade"))
    return rejection{400, "A WebSocket handshake needs Connection: Upgrade"};
  if (head.framing != body_framing::none && !(head.framing == body_framing::content_length && head.content_length == 0))
    return rejection{400, "A WebSocket handshake has no body"};
  std::size_t keys = 0, versions = 0;
  std::string_view version;
  for (const auto& field : head.headers) {
    if (field.name == "sec-websocket-key") {
      ++keys;
      out.key = field.value;
    } else if (field.name == "sec-websocket-version") {
      ++versions;
      version = field.value;
    } else if (field.name == "sec-websocket-protocol") {
      bool tokens_only = true;
      for_each_list_element(field.value, [&](std::string_view protocol) {
        tokens_only = is_token(protocol);
        if (tokens_only) out.subprotocols.push_back(protocol);
        return tokens_only;
      });
      if (!tokens_only) return rejection{400, "Invalid Sec-WebSocket-Protocol"};
    } else if (field.name == "sec-websocket-extensions") {
      out.extensions.push_back(field.value);
    }
  }
  // §4.4: a version other than 13 (or none) gets 426 and the version we speak.
  if (versions != 1 || version != "13") return rejection{426, "Unsupported WebSocket version", version_we_speak};
  if (keys != 1) return rejection{400, "A WebSocket handshake needs one Sec-WebSocket-Key"};
  const auto nonce = base64_decode(trim_ows(out.key));
  if (!nonce || nonce->size() != 16) return rejection{400, "Sec-WebSocket-Key must be 16 bytes in base64"};
  out.key = trim_ows(out.key);
  return std::nullopt;
}

std::string accept_key(std::string_view key) {
  std::string text;
  text.reserve(key.size() + key_guid.size());
  text.append(key).append(key_guid);
  const sha1_digest digest = sha1(text);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace cogi::http::websocket
