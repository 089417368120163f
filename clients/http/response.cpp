#include "cogi/clients/http/response.hpp"

#include "cogi/clients/http/body_reader.hpp"
#include "cogi/clients/http/errors.hpp"

namespace cogi::fetch {
namespace detail {

body_reader::~body_reader() {
  if (!done) abandon();
}

asio::awaitable<std::optional<std::string>> body_reader::next() {
  if (done) co_return std::nullopt;
  try {
    for (;;) {
      std::string out;
      if (!raw.empty()) {
        if (decoder) {
          decoder->decode(raw, out);
        } else {
          out.swap(raw);
        }
        raw.clear();
      }
      if (conn->parser().complete()) {
        if (decoder) decoder->finish();
        finished();
        if (out.empty()) co_return std::nullopt;
        co_return out;
      }
      if (!out.empty()) co_return out;
      co_await conn->read_into_parser(limits, raw);  // at the connection's end the parser completes or throws
    }
  } catch (...) {
    abandon();
    throw;
  }
}

asio::awaitable<void> body_reader::discard(std::size_t at_most) {
  while (!done) {
    if (conn->parser().body_bytes() > at_most) {
      abandon();
      co_return;
    }
    raw.clear();
    if (conn->parser().complete()) {
      finished();
      co_return;
    }
    co_await conn->read_into_parser(limits, raw);
  }
}

void body_reader::finished() {
  done = true;
  const bool keep = conn->parser().keep_alive() && !conn->has_unread_bytes();
  const auto pool = home.lock();
  if (keep && pool) {
    pool->give_back(std::move(conn));
  } else {
    conn->close();
  }
  conn.reset();
}

void body_reader::abandon() {
  done = true;
  if (conn) conn->close();
  conn.reset();
}

}  // namespace detail

response::response() = default;
response::response(response&&) noexcept = default;
response& response::operator=(response&&) noexcept = default;
response::~response() = default;

std::optional<std::string_view> response::header(std::string_view name) const {
  for (const fetch::header& h : headers) {
    if (equals_ignoring_case(h.name, name)) return h.value;
  }
  return std::nullopt;
}

void response::raise_for_status() const {
  if (status < 400) return;
  throw status_error(std::to_string(status) + " " + reason + " from " + url, status);
}

bool response::body_complete() const { return !body_ || body_->done; }

asio::awaitable<std::optional<std::string>> response::next_chunk() {
  if (!body_) co_return std::nullopt;
  co_return co_await body_->next();
}

asio::awaitable<std::string> response::text() {
  std::string whole;
  if (!body_) co_return whole;
  for (;;) {
    std::optional<std::string> piece = co_await body_->next();
    if (!piece) break;
    if (whole.empty()) {
      whole = std::move(*piece);
    } else {
      whole += *piece;
    }
  }
  co_return whole;
}

asio::awaitable<picojson::value> response::json() {
  const std::string text_body = co_await text();
  picojson::value value;
  const std::string error = picojson::parse(value, text_body);
  if (!error.empty()) throw malformed_response("the response body from " + url + " is not JSON: " + error);
  co_return value;
}

}  // namespace cogi::fetch
