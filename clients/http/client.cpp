#include "cogi/clients/http/client.hpp"

#include <atomic>

#include <asio/this_coro.hpp>

#include "cogi/clients/http/body_reader.hpp"
#include "cogi/clients/http/connection.hpp"
#include "cogi/clients/http/pool.hpp"
#include "cogi/clients/http/request_writer.hpp"

namespace cogi::fetch {
namespace {

std::uint64_t next_client_id() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

bool is_redirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

// RFC 9110 section 9.2.2: a request that may be sent twice without harm.
bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS" ||
         method == "TRACE";
}

clock::duration or_default(clock::duration given, clock::duration fallback) {
  return given.count() > 0 ? given : fallback;
}

}  // namespace

// What send() hands back: the connection with the response's head parsed, and any body
// bytes that came with the head.
struct client::sent {
  std::shared_ptr<connection> conn;
  std::string raw_body;
};

client::client(client_options options)
    : options_(std::move(options)), id_(next_client_id()), alive_(std::make_shared<const int>(0)) {}

client::~client() = default;

std::shared_ptr<pool> client::loop_pool(const asio::any_io_executor& executor) const {
  return pool_for(executor, id_, alive_, options_.max_idle_per_origin, options_.idle_timeout);
}

std::size_t client::idle_connections(const asio::any_io_executor& loop) const { return loop_pool(loop)->idle_count(); }

void client::close_idle_connections(const asio::any_io_executor& loop) { loop_pool(loop)->close_all(); }

asio::awaitable<response> client::get(std::string url, request_options options) {
  return request("GET", std::move(url), {}, options);
}
asio::awaitable<response> client::head(std::string url, request_options options) {
  return request("HEAD", std::move(url), {}, options);
}
asio::awaitable<response> client::del(std::string url, request_options options) {
  return request("DELETE", std::move(url), {}, options);
}
asio::awaitable<response> client::post(std::string url, body content, request_options options) {
  return request("POST", std::move(url), content, options);
}
asio::awaitable<response> client::put(std::string url, body content, request_options options) {
  return request("PUT", std::move(url), content, options);
}
asio::awaitable<response> client::patch(std::string url, body content, request_options options) {
  return request("PATCH", std::move(url), content, options);
}

// One request on one connection: a pooled one when there is one, and when that one
// turns out to have been closed by the server before any of the response came (a race
// no client can avoid), once more on a new connection if the request may be repeated.
asio::awaitable<client::sent> client::send(const std::string& method, const url& where, const body& content,
                                           const request_options& options, const deadlines& limits,
                                           std::size_t max_body, bool same_origin) {
  if (where.scheme == "https") throw error("https:// is not supported yet (no TLS in the client): " + where.text());
  const auto executor = co_await asio::this_coro::executor;
  const auto pools = loop_pool(executor);
  const std::string head =
      write_request_head(method, where, content, options.headers, options_, same_origin);
  const std::string payload = content.what == body::kind::stream ? std::string() : serialise_body(content);
  const bool may_repeat = is_idempotent(method) && content.replayable();
  for (int attempt = 0;; ++attempt) {
    std::shared_ptr<connection> conn = attempt == 0 ? pools->take(where.origin()) : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) conn = co_await connection::open(where, limits, options_.limits);
    conn->begin_request(method == "HEAD", max_body);
    sent result;
    try {
      if (content.what == body::kind::stream) {
        co_await conn->write(head, limits);
        co_await write_chunked_body(*conn, *content.source, limits);
      } else if (payload.size() <= 64 * 1024) {
        const std::string whole = head + payload;  // one write for a small request
        co_await conn->write(whole, limits);
      } else {
        co_await conn->write(head, limits);
        co_await conn->write(payload, limits);
      }
      while (!conn->parser().head_complete()) {
        co_await conn->read_into_parser(limits, result.raw_body);
      }
    } catch (const connection_error&) {
      if (reused && may_repeat && !conn->response_started()) continue;
      throw;
    }
    result.conn = std::move(conn);
    co_return result;
  }
}

asio::awaitable<response> client::request(std::string method, std::string url_text, body content,
                                          request_options options) {
  deadlines limits;
  const clock::duration total = or_default(options.timeout, options_.timeout);
  limits.total = clock::now() + total;
  limits.read_timeout = or_default(options.read_timeout, options_.read_timeout);
  limits.connect_timeout = or_default(options.connect_timeout, options_.connect_timeout);
  const std::size_t max_body = options.max_body_size > 0 ? options.max_body_size : options_.limits.max_body_size;
  const int max_redirects = options.max_redirects >= 0 ? options.max_redirects : options_.max_redirects;
  check_method(method);

  std::string current_method = std::move(method);
  url where = url::parse(url_text);
  const std::string first_origin = where.origin();
  int redirects = 0;
  for (;;) {
    // Credentials the caller gave go to the first origin only (as in Python's requests).
    const bool same_origin = where.origin() == first_origin;
    sent s = co_await send(current_method, where, content, options, limits, max_body, same_origin);
    const response_head& head = s.conn->parser().head();
    const auto location = head.find("Location");
    if (is_redirect(head.status) && location && max_redirects > 0) {
      if (redirects == max_redirects)
        throw too_many_redirects("more than " + std::to_string(max_redirects) + " redirects, the last to " +
                                 std::string(*location));
      const int status = head.status;
      url next = where.resolve(*location);
      // 307 and 308 repeat the request as it was; the others become a GET without a
      // body (RFC 9110 section 15.4), as every browser does with a 301 or 302 POST.
      const bool keeps_method = status == 307 || status == 308;
      if (keeps_method && !content.replayable()) {
        // A streamed body is gone: the redirect is the answer.
      } else {
        detail::body_reader drained;
        drained.conn = std::move(s.conn);
        drained.home = loop_pool(co_await asio::this_coro::executor);
        drained.limits = limits;
        drained.raw = std::move(s.raw_body);
        try {
          co_await drained.discard(64 * 1024);
        } catch (const error&) {
          // The redirect's own body failed to arrive: its connection is closed, and the
          // redirect is followed all the same.
        }
        if (!keeps_method && current_method != "HEAD") {
          current_method = "GET";
          content = body{};
        }
        where = std::move(next);
        ++redirects;
        continue;
      }
    }

    response r;
    r.status = head.status;
    r.reason = head.reason;
    r.url = where.text();
    auto reader = std::make_unique<detail::body_reader>();
    reader->limits = limits;
    reader->home = loop_pool(co_await asio::this_coro::executor);
    const auto coding = content_decoder::from_header(head.joined("Content-Encoding"));
    if (options_.decompress && coding && *coding != content_decoder::coding::identity) {
      reader->decoder.emplace(*coding, max_body);
    }
    r.headers = std::move(s.conn->parser().head().headers);
    reader->raw = std::move(s.raw_body);
    reader->conn = std::move(s.conn);
    r.body_ = std::move(reader);
    co_return r;
  }
}

}  // namespace cogi::fetch
