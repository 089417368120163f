#include "cogi/framework/request.hpp"

#include <stdexcept>

#include "cogi/framework/cookies.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/json_reader.hpp"
#include "cogi/server/contract/errors.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

// No Content-Length (or 0) and no Transfer-Encoding: the body is a single empty event.
bool has_body(const scope& sc) {
  const auto length = sc.header_value("content-length");
  return !sc.header_value("transfer-encoding").empty() ||
         (!length.empty() && length.find_first_not_of('0') != std::string_view::npos);
}

}  // namespace

request::request(cogi::scope& scope, receive_fn receive)
    : scope_(scope), receive_(receive), body_done_(!has_body(scope)) {
  if (body_done_) body_read_.set();
}

asio::awaitable<receive_event> request::next_event() {
  const receive_event event = co_await receive_();
  if (event.type != receive_type::http_request) {
    disconnected_ = true;
    body_done_ = true;
  } else if (!event.more_body) {
    body_done_ = true;
  }
  if (body_done_) body_read_.set();
  co_return event;
}

asio::awaitable<void> request::wait_for_disconnect() {
  co_await body_read_.wait();
  // After the body receive() yields http_disconnect (a request without a body first
  // yields its one empty body event, which nobody else will ask for).
  while (!disconnected_) co_await next_event();
}

const url_encoded& request::query() {
  if (!query_) query_ = std::make_unique<url_encoded>(scope_.query_string);
  return *query_;
}

std::string_view request::header(std::string_view name) const {
  for (const auto& h : scope_.headers)
    if (http::iequals(h.name, name)) return h.value;
  return {};
}

std::vector<std::string_view> request::header_values(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& h : scope_.headers)
    if (http::iequals(h.name, name)) values.push_back(h.value);
  return values;
}

bool request::has_header(std::string_view name) const {
  for (const auto& h : scope_.headers)
    if (http::iequals(h.name, name)) return true;
  return false;
}

std::optional<std::string_view> request::cookie(std::string_view name) const {
  // HTTP/1.1 clients send one Cookie field, but RFC 9113 lets HTTP/2 proxies split it.
  for (const auto& h : scope_.headers)
    if (http::iequals(h.name, "cookie"))
      if (auto value = find_cookie(h.value, name)) return value;
  return std::nullopt;
}

asio::awaitable<std::optional<std::string_view>> request::read_chunk() {
  if (body_mode_ == body_mode::whole) throw std::logic_error("request body already read whole by body()");
  body_mode_ = body_mode::streaming;
  while (!body_done_) {
    const receive_event event = co_await next_event();
    if (event.type != receive_type::http_request) throw client_disconnected();
    if (!event.body.empty()) co_return event.body;
  }
  co_return std::nullopt;
}

asio::awaitable<std::string_view> request::body(std::size_t limit) {
  if (body_mode_ == body_mode::streaming) throw std::logic_error("request body already streamed by read_chunk()");
  if (body_mode_ == body_mode::unread) {
    body_mode_ = body_mode::whole;
    while (!body_done_) {
      const receive_event event = co_await next_event();
      if (event.type != receive_type::http_request) throw client_disconnected();
      if (body_.size() + event.body.size() > limit) throw http_exception(413, "request body too large");
      body_.append(event.body);
    }
  }
  co_return std::string_view(body_);
}

asio::awaitable<picojson::value> request::json(std::size_t limit) {
  const std::string_view text = co_await body(limit);
  try {
    co_return read_json(text);
  } catch (const json_syntax_error& error) {
    // What and where, never the document (issue 12): the error stays small.
    throw http_exception(400, std::string("malformed JSON body: ") + error.what());
  }
}

asio::awaitable<url_encoded> request::form(std::size_t limit) {
  const std::string_view text = co_await body(limit);
  co_return url_encoded(text);
}

request_lifetime& request::lifetime() {
  if (!lifetime_) lifetime_ = std::make_unique<request_lifetime>();
  return *lifetime_;
}

}  // namespace cogi
