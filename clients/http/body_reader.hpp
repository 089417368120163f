#pragma once
// A response's body as it is read: from the connection through the parser (de-chunked)
// and the content decoder, to the caller. At its end the connection goes back to the
// pool when both sides keep it alive; on any failure, or when the response is dropped
// first, it is closed.

#include <memory>
#include <optional>
#include <string>

#include <asio/awaitable.hpp>

#include "cogi/clients/http/connection.hpp"
#include "cogi/clients/http/content_decoder.hpp"
#include "cogi/clients/http/pool.hpp"

namespace cogi::fetch::detail {

struct body_reader {
  std::shared_ptr<connection> conn;
  std::weak_ptr<pool> home;
  deadlines limits;
  std::optional<content_decoder> decoder;  // nullopt: the body is passed on as it came
  std::string raw;                         // parsed, not yet decoded
  bool done = false;

  ~body_reader();
  // The next decoded piece; nullopt once the body is over.
  asio::awaitable<std::optional<std::string>> next();
  // Reads to the end and drops the body (a redirect's), if it is small; otherwise the
  // connection is closed rather than read.
  asio::awaitable<void> discard(std::size_t at_most);

 private:
  void finished();
  void abandon();
};

}  // namespace cogi::fetch::detail
