#include "cogi/middleware/gzip.hpp"

#include <zlib.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cogi/middleware/detail/edit_start.hpp"
#include "cogi/server/http/status.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

// One response's deflate stream in gzip framing.
class gzip_stream {
 public:
  explicit gzip_stream(int level) {
    // 15 + 16: a 32 KiB window with a gzip header and trailer; memLevel 8 is zlib's default.
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("gzip: deflateInit2 failed");
  }
  ~gzip_stream() { deflateEnd(&z_); }
  gzip_stream(const gzip_stream&) = delete;
  gzip_stream& operator=(const gzip_stream&) = delete;

  // Compresses `input` into `out` (replacing its contents): Z_SYNC_FLUSH for a chunk that
  // must reach the client now, Z_FINISH for the last one.
  void compress(std::string_view input, int flush, std::string& out) {
    out.clear();
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    z_.avail_in = static_cast<uInt>(input.size());
    do {
      const std::size_t before = out.size();
      const std::size_t room = deflateBound(&z_, z_.avail_in) + 64;
      out.resize(before + room);
      z_.next_out = reinterpret_cast<Bytef*>(out.data() + before);
      z_.avail_out = static_cast<uInt>(room);
      const int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) throw std::runtime_error("gzip: deflate failed");
      out.resize(before + room - z_.avail_out);
    } while (z_.avail_out == 0 || z_.avail_in > 0);
  }

 private:
  z_stream z_{};
};

// Already-compressed formats. SVG is text and compresses well, so of the images only it
// is not listed here.
bool incompressible(std::string_view type) {
  if (http::iequals(type.substr(0, 13), "image/svg+xml")) return false;
  for (std::string_view prefix : {"image/", "video/", "audio/", "font/woff", "application/zip", "application/gzip",
                                  "application/x-gzip", "application/x-bzip2", "application/x-xz",
                                  "application/zstd", "text/event-stream"})
    if (type.size() >= prefix.size() && http::iequals(type.substr(0, prefix.size()), prefix)) return true;
  return false;
}

// The per-response state of the middleware (Starlette's GZipResponder).
struct responder {
  responder(const gzip_options& o, send_fn s) : options(o), send(s) {}

  const gzip_options& options;
  send_fn send;
  // response.start is held back until the first body shows whether to compress.
  int status = 0;
  std::vector<std::string> head_storage;  // names and values, alternating
  bool held = false;
  bool passthrough = false;
  std::optional<gzip_stream> stream;
  std::string buffer;

  std::vector<header_field> held_headers() const {
    std::vector<header_field> out;
    for (std::size_t i = 0; i < head_storage.size(); i += 2) out.push_back({head_storage[i], head_storage[i + 1]});
    return out;
  }
};

asio::awaitable<void> send_held_start(responder& r, bool compressed, std::string_view length) {
  const auto fields = r.held_headers();
  const response_start start{r.status, fields};
  std::vector<header_field> extra = {{"vary", "Accept-Encoding"}};
  if (compressed) extra.push_back({"content-encoding", "gzip"});
  if (!length.empty()) extra.push_back({"content-length", length});
  static constexpr std::string_view stale_length[] = {"content-length"};
  const std::span<const std::string_view> drop = compressed ? std::span(stale_length) : std::span<const std::string_view>();
  co_await detail::send_edited_start(r.send, start, extra, drop);
}

asio::awaitable<void> on_send(responder& r, send_event event) {
  if (r.passthrough) co_return co_await r.send(event);
  if (const auto* start = std::get_if<response_start>(&event)) {
    bool skip = http::status_forbids_body(start->status) || start->status == 206;
    for (const auto& h : start->headers) {
      if (http::iequals(h.name, "content-encoding")) skip = true;
      if (http::iequals(h.name, "content-type") && incompressible(h.value)) skip = true;
    }
    if (skip) {
      r.passthrough = true;
      co_return co_await r.send(event);
    }
    r.status = start->status;
    for (const auto& h : start->headers) {
      r.head_storage.emplace_back(h.name);
      r.head_storage.emplace_back(h.value);
    }
    r.held = true;
    co_return;
  }
  const auto* body = std::get_if<response_body>(&event);
  if (!body) co_return co_await r.send(event);
  if (r.held) {
    r.held = false;
    if (!body->more_body && body->body.size() < r.options.minimum_size) {
      co_await send_held_start(r, false, {});  // too small to be worth it
      r.passthrough = true;
      co_return co_await r.send(event);
    }
    r.stream.emplace(r.options.level);
    if (!body->more_body) {  // the whole body at once: compress it and say how long it is
      r.stream->compress(body->body, Z_FINISH, r.buffer);
      const std::string length = std::to_string(r.buffer.size());
      co_await send_held_start(r, true, length);
      co_return co_await r.send(response_body{r.buffer, false});
    }
    co_await send_held_start(r, true, {});
  }
  r.stream->compress(body->body, body->more_body ? Z_SYNC_FLUSH : Z_FINISH, r.buffer);
  co_await r.send(response_body{r.buffer, body->more_body});
}

asio::awaitable<void> compressed(const gzip_options& options, const app_fn& next, scope& sc, receive_fn receive,
                                 send_fn send) {
  if (sc.type != scope_type::http || !accepts_gzip(sc.header_value("accept-encoding")))
    co_return co_await next(sc, receive, send);
  responder r{options, send};
  auto wrapped = [&r](const send_event& event) { return on_send(r, event); };
  co_await next(sc, receive, wrapped);
}

// Whether an Accept-Encoding element's parameters give it weight 0: "q=0", "q=0.0",
// "q=0.000" (RFC 9110 §12.4.2). Any other weight, or none, accepts.
bool has_zero_weight(std::string_view params) {
  while (!params.empty()) {
    const auto semicolon = params.find(';');
    const auto param = http::trim_ows(params.substr(0, semicolon));
    params = semicolon == std::string_view::npos ? std::string_view{} : params.substr(semicolon + 1);
    if (param.size() < 2 || http::ascii_lower(param[0]) != 'q' || param[1] != '=') continue;
    const auto q = param.substr(2);
    return !q.empty() && q[0] == '0' && q.find_first_not_of("0.", 1) == std::string_view::npos;
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view value) {
  // RFC 9110 §12.5.3: an entry naming gzip (or its alias x-gzip) decides over "*",
  // wherever each stands in the list; with neither, gzip is not acceptable.
  std::optional<bool> gzip_entry, any_entry;
  while (!value.empty()) {
    const auto comma = value.find(',');
    const auto item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    const auto semicolon = item.find(';');
    const auto coding = http::trim_ows(item.substr(0, semicolon));
    const bool acceptable = semicolon == std::string_view::npos || !has_zero_weight(item.substr(semicolon + 1));
    if (http::iequals(coding, "gzip") || http::iequals(coding, "x-gzip")) {
      gzip_entry = gzip_entry.value_or(false) || acceptable;
    } else if (coding == "*") {
      any_entry = acceptable;
    }
  }
  return gzip_entry ? *gzip_entry : any_entry.value_or(false);
}

app_wrapper_fn gzip(gzip_options options) { return contract_middleware(options, compressed); }

}  // namespace cogi
