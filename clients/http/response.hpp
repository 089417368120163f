#pragma once
// A response as the client returns it: the status and the header fields at once, the
// body when asked for, as a whole (text(), json()) or piece by piece (next_chunk()),
// decoded from gzip or deflate. Until its body has been read to the end, a response
// holds its connection; read to the end, the connection goes back to the pool for the
// next request; dropped unread, the connection is closed.
//
//   auto r = co_await client.get(url);
//   const std::string body = co_await r.text();                   // or co_await r.json()
//
//   auto large = co_await client.get(url);
//   while (auto piece = co_await large.next_chunk()) out << *piece;   // as it arrives

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/awaitable.hpp>
#include <picojson.h>

#include "cogi/clients/http/response_head.hpp"

namespace cogi::fetch {

namespace detail {
struct body_reader;
}

class response {
 public:
  int status = 0;
  std::string reason;
  std::vector<fetch::header> headers;  // qualified: header() below names a member
  std::string url;  // where the response came from, after any redirects

  response();
  response(response&&) noexcept;
  response& operator=(response&&) noexcept;
  ~response();

  // The first header field of that name (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
  bool ok() const { return status >= 200 && status < 400; }
  // Throws status_error for a 4xx or 5xx status.
  void raise_for_status() const;

  // The whole body, decoded. Throws what reading it can (errors.hpp); a body longer
  // than max_body_size throws response_too_large. Reads the body once: afterwards
  // (or after next_chunk() began) it returns what is left, which is nothing.
  asio::awaitable<std::string> text();
  // text() parsed as JSON; malformed_response when it is not JSON.
  asio::awaitable<picojson::value> json();
  // The next piece of the body as it arrives, decoded; nullopt after the last.
  asio::awaitable<std::optional<std::string>> next_chunk();
  // Whether the body has been read to its end.
  bool body_complete() const;

 private:
  friend class client;
  std::unique_ptr<detail::body_reader> body_;
};

}  // namespace cogi::fetch
