#include "cogi/middleware/request_id.hpp"

#include <cstdio>
#include <random>
#include <vector>

#include "cogi/middleware/detail/edit_start.hpp"

namespace cogi {
namespace {

bool acceptable(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) return false;
  }
  return true;
}

asio::awaitable<void> echo_id(send_fn send, std::string_view name, std::string_view id, send_event event) {
  if (const auto* start = std::get_if<response_start>(&event)) {
    const header_field extra[] = {{name, id}};
    const std::string_view replaced[] = {name};
    co_await detail::send_edited_start(send, *start, extra, replaced);
    co_return;
  }
  co_await send(event);
}

asio::awaitable<void> with_request_id(const request_id_options& options, const app_fn& next, scope& sc,
                                      receive_fn receive, send_fn send) {
  if (sc.type != scope_type::http) co_return co_await next(sc, receive, send);
  const std::string& name = options.header;
  std::string id(sc.header_value(name));
  scope inner = sc;
  std::vector<header_field> headers;
  if (!acceptable(id)) {
    id = random_uuid();
    for (const auto& h : sc.headers)
      if (h.name != name) headers.push_back(h);
    headers.push_back({name, id});
    inner.headers = headers;
  }
  auto wrapped = [&](const send_event& event) { return echo_id(send, name, id, event); };
  co_await next(inner, receive, wrapped);
}

}  // namespace

std::string random_uuid() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t high = (random() & ~0xf000ull) | 0x4000ull;                   // version 4
  const std::uint64_t low = (random() & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // variant 1
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xffff), static_cast<unsigned long long>(high & 0xffff),
                static_cast<unsigned long long>(low >> 48), static_cast<unsigned long long>(low & 0xffffffffffffull));
  return text;
}

app_wrapper_fn request_id(request_id_options options) {
  return contract_middleware(std::move(options), with_request_id);
}

}  // namespace cogi
