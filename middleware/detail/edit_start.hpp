#pragma once
// What contract-level middleware does to a response.start on its way out: send it with
// some fields dropped and others added. The server copies the fields before send()
// returns, so the edited list lives on the stack (up to 64 fields) for that call only.

#include <span>
#include <string_view>

#include <asio/awaitable.hpp>

#include "cogi/server/contract/app.hpp"

namespace cogi::detail {

// Sends `start` without the fields named in `drop` (any case) and with `add` after the
// rest. (Spans, not initializer lists: GCC 12 cannot keep a braced list alive across
// the co_await that the call sits in.)
asio::awaitable<void> send_edited_start(send_fn send, const response_start& start, std::span<const header_field> add,
                                        std::span<const std::string_view> drop = {});

}  // namespace cogi::detail
