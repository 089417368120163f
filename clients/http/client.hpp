#pragma once
// cogi's HTTP/1.1 client, for handlers that call other services and for programs that
// fetch (examples/crawler): asyncio's aiohttp, on the loops.
//
//   cogi::http_client client;                            // one for the program, any loop
//   auto r = co_await client.get(url, {.timeout = 2s});  // url: "http://10.0.0.5:8080/items"...
//   const picojson::value items = co_await r.json();     // r.status, r.header("ETag")...
//
//   const picojson::value item = make_item();
//   auto created = co_await client.post(url, cogi::fetch::json(item));
//
// Connections are pooled per loop and origin and kept alive (pool.hpp); responses are
// parsed strictly (response_parser.hpp); bodies may be streamed both ways; gzip and
// deflate are decoded; redirects are followed (10 at most by default: 301, 302 and 303
// become GET without a body, 307 and 308 keep both); every failure has its own
// exception type (errors.hpp). Host names are resolved on the blocking pool, never on a
// loop. A request may be cancelled like any other awaitable (async::wait_for, a task's
// cancel()): its connection is then closed. Plain http:// only for now: https:// URLs
// are refused with a clear error until TLS comes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>

#include "cogi/clients/http/errors.hpp"
#include "cogi/clients/http/options.hpp"
#include "cogi/clients/http/response.hpp"
#include "cogi/clients/http/url.hpp"

namespace cogi::fetch {

class pool;
class connection;
struct deadlines;

class client {
 public:
  explicit client(client_options options = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // The URL and the method are taken by value: a request may be awaited later than it
  // was made (gather), and must not point at a temporary gone by then. What the options
  // and the body point at must live until the request is over (options.hpp).
  asio::awaitable<response> get(std::string url, request_options options = {});
  asio::awaitable<response> head(std::string url, request_options options = {});
  asio::awaitable<response> del(std::string url, request_options options = {});
  asio::awaitable<response> post(std::string url, body content, request_options options = {});
  asio::awaitable<response> put(std::string url, body content, request_options options = {});
  asio::awaitable<response> patch(std::string url, body content, request_options options = {});
  // Any method (a token: "OPTIONS", "PROPFIND").
  asio::awaitable<response> request(std::string method, std::string url, body content = {},
                                    request_options options = {});

  const client_options& options() const { return options_; }
  // Idle connections this client keeps on `loop`.
  std::size_t idle_connections(const asio::any_io_executor& loop) const;
  // Closes them. Their expiry timer is work for the loop's io_context: a program that
  // calls io_context::run() and expects it to return when its own work is done closes
  // them first (a server's loops never need to).
  void close_idle_connections(const asio::any_io_executor& loop);

 private:
  struct sent;
  asio::awaitable<sent> send(const std::string& method, const url& where, const body& content,
                             const request_options& options, const deadlines& limits, std::size_t max_body,
                             bool same_origin);
  std::shared_ptr<pool> loop_pool(const asio::any_io_executor& executor) const;

  client_options options_;
  std::uint64_t id_;
  std::shared_ptr<const int> alive_;  // its weak pointers tell the loops' pools it has gone
};

}  // namespace cogi::fetch

namespace cogi {
using http_client = fetch::client;
}
