#include "cogi/clients/http/connection.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

#include <asio/experimental/as_tuple.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "cogi/clients/http/resolver.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/wait_for.hpp"

namespace cogi::fetch {
namespace {

constexpr auto as_result = asio::experimental::as_tuple(asio::use_awaitable);
constexpr std::size_t read_size = 16 * 1024;

clock::time_point earliest(clock::time_point deadline, clock::duration timeout) {
  const auto now = clock::now();
  if (timeout == clock::duration::max() || timeout >= deadline - now) return deadline;
  return now + timeout;
}

}  // namespace

connection::connection(asio::ip::tcp::socket socket, std::string origin, const parse_limits& parsing)
    : socket_(std::move(socket)), timer_(socket_.get_executor()), origin_(std::move(origin)), parser_(parsing) {}

connection::~connection() { close(); }

asio::awaitable<std::shared_ptr<connection>> connection::open(const url& where, const deadlines& limits,
                                                              const parse_limits& parsing) {
  const auto executor = co_await asio::this_coro::executor;
  const clock::time_point deadline = earliest(limits.total, limits.connect_timeout);
  const auto phase = deadline == limits.total ? timeout_error::phase::total : timeout_error::phase::connect;
  const std::string what = "connecting to " + where.authority();

  std::vector<asio::ip::tcp::endpoint> endpoints;
  try {
    auto lookup = resolve(where.host, where.port);
    endpoints = co_await async::wait_until(std::move(lookup), deadline);
  } catch (const async::timeout_error&) {
    throw timeout_error(what + " timed out (resolving the host)", phase);
  }

  auto c = std::make_shared<connection>(asio::ip::tcp::socket(executor), where.origin(), parsing);
  std::error_code last_error;
  for (const auto& endpoint : endpoints) {
    asio::error_code ignored;
    c->socket_.close(ignored);
    c->arm(deadline, phase);
    auto [error] = co_await c->socket_.async_connect(endpoint, as_result);
    c->disarm();
    if (!error) {
      c->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
      co_return c;
    }
    if (c->timed_out_) throw timeout_error(what + " timed out", phase);
    if (error == asio::error::operation_aborted) throw std::system_error(error);  // the caller was cancelled
    last_error = error;
  }
  throw connect_error(what + " failed: " + last_error.message(), last_error);
}

// The deadline's timer cancels the socket's operation when it fires first. Each arming
// has its own number, so that a timer that fired just as its operation completed cannot
// cancel the next one.
void connection::arm(clock::time_point deadline, timeout_error::phase phase) {
  timed_out_ = false;
  ++armed_;
  if (deadline == clock::time_point::max()) return;
  timer_.expires_at(deadline);
  timer_.async_wait([weak = weak_from_this(), armed = armed_, phase](const asio::error_code& error) {
    const auto self = weak.lock();
    if (error || !self || self->armed_ != armed) return;
    self->timed_out_ = true;
    self->timed_out_phase_ = phase;
    asio::error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void connection::disarm() {
  ++armed_;
  timer_.cancel();
}

void connection::fail(const std::error_code& error, const char* doing) {
  close();
  if (timed_out_) {
    const char* which = timed_out_phase_ == timeout_error::phase::total ? "the request's timeout" : "read_timeout";
    throw timeout_error(std::string(doing) + " from " + origin_ + ": no progress within " + which, timed_out_phase_);
  }
  if (error == asio::error::operation_aborted) throw std::system_error(error);  // the caller was cancelled
  throw connection_error(std::string(doing) + " from " + origin_ + " failed: " + error.message());
}

void connection::begin_request(bool head_request, std::size_t max_body_size) {
  parser_.start(head_request, max_body_size);
  response_started_ = false;
  ++requests_;
}

asio::awaitable<void> connection::write(std::string_view data, const deadlines& limits) {
  const clock::time_point deadline = earliest(limits.total, limits.read_timeout);
  arm(deadline, deadline == limits.total ? timeout_error::phase::total : timeout_error::phase::read);
  auto [error, written] = co_await asio::async_write(socket_, asio::buffer(data), as_result);
  disarm();
  if (error) fail(error, "sending the request");
}

asio::awaitable<bool> connection::read_into_parser(const deadlines& limits, std::string& body) {
  if (read_begin_ == read_end_) {
    if (in_.size() < read_size) in_.resize(read_size);
    const clock::time_point deadline = earliest(limits.total, limits.read_timeout);
    arm(deadline, deadline == limits.total ? timeout_error::phase::total : timeout_error::phase::read);
    auto [error, n] = co_await socket_.async_read_some(asio::buffer(in_), as_result);
    disarm();
    if (error == asio::error::eof) {
      parser_.finish();  // throws unless the response ends with the connection
      close();
      co_return false;
    }
    if (error) fail(error, "reading the response");
    read_begin_ = 0;
    read_end_ = n;
    response_started_ = true;
  }
  try {
    read_begin_ += parser_.feed(std::string_view(in_.data() + read_begin_, read_end_ - read_begin_), body);
  } catch (...) {
    close();
    throw;
  }
  co_return true;
}

bool connection::reusable_now() {
  if (!socket_.is_open() || has_unread_bytes()) return false;
  // A peek that would block is the only good answer: end of file means the server
  // closed it while idle, and bytes mean it sent what nobody asked for.
  char byte = 0;
  const ssize_t n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

void connection::close() {
  asio::error_code ignored;
  timer_.cancel();
  if (socket_.is_open()) {
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  read_begin_ = read_end_ = 0;
}

}  // namespace cogi::fetch
