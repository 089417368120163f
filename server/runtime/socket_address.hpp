#pragma once
// Converts socket endpoints into the contract's address (host text and port).

#include <asio/generic/stream_protocol.hpp>

#include "cogi/server/contract/scope.hpp"

namespace cogi::runtime {

// IPv4/IPv6: numeric host and port; Unix: the socket path (empty for unnamed peers).
address to_address(const asio::generic::stream_protocol::endpoint& endpoint);

}  // namespace cogi::runtime
