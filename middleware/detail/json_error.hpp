#pragma once
// The JSON error body middleware answer with, the same {"detail": ...} shape as the
// framework's http_exception responses, for middleware that sits outside the framework.

#include <span>
#include <string_view>

#include <asio/awaitable.hpp>

#include "server/contract/app.hpp"

namespace cogi::detail {

// Sends `status` with {"detail": detail} and the extra header fields.
asio::awaitable<void> send_json_error(send_fn send, int status, std::string_view detail,
                                      std::span<const header> extra = {});

}  // namespace cogi::detail
