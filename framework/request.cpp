#include "framework/request.hpp"

#include <stdexcept>

#include "framework/cookies.hpp"
#include "framework/http_exception.hpp"
#include "framework/json_reader.hpp"
#include "server/contract/errors.hpp"
#include "server/http/validation.hpp"

namespace cogi {

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
    const receive_event event = co_await receive_();
    if (event.type != receive_type::http_request) throw client_disconnected();
    body_done_ = !event.more_body;
    if (!event.body.empty()) co_return event.body;
  }
  co_return std::nullopt;
}

asio::awaitable<std::string_view> request::body(std::size_t limit) {
  if (body_mode_ == body_mode::streaming) throw std::logic_error("request body already streamed by read_chunk()");
  if (body_mode_ == body_mode::unread) {
    body_mode_ = body_mode::whole;
    while (!body_done_) {
      const receive_event event = co_await receive_();
      if (event.type != receive_type::http_request) throw client_disconnected();
      body_done_ = !event.more_body;
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

}  // namespace cogi
