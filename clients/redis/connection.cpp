#include "cogi/clients/redis/connection.hpp"

#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/wait_for.hpp"

namespace cogi::redis {

connection::connection(asio::any_io_executor executor, const options& settings)
    : executor_(std::move(executor)),
      socket_(executor_),
      deadline_timer_(executor_),
      command_timeout_(settings.command_timeout) {}

connection::~connection() {
  std::error_code ignored;
  socket_.close(ignored);
}

asio::awaitable<std::shared_ptr<connection>> connection::open(const options& settings) {
  try {
    co_return co_await async::wait_for(connect(settings), settings.connect_timeout);
  } catch (const async::timeout_error&) {
    throw unavailable("no connection within " + std::to_string(settings.connect_timeout.count()) + " ms");
  }
}

asio::awaitable<std::shared_ptr<connection>> connection::connect(const options& settings) {
  const auto executor = co_await asio::this_coro::executor;
  auto self = std::make_shared<connection>(executor, settings);
  try {
    asio::ip::tcp::resolver resolver(executor);
    const auto endpoints = co_await resolver.async_resolve(settings.host, std::to_string(settings.port), asio::use_awaitable);
    co_await asio::async_connect(self->socket_, endpoints, asio::use_awaitable);
  } catch (const std::system_error& e) {
    if (async::is_cancellation(e)) throw;
    throw unavailable("cannot connect to " + settings.host + ":" + std::to_string(settings.port) + ": " +
                      e.code().message());
  }
  self->socket_.set_option(asio::ip::tcp::no_delay(true));
  self->start_reading();

  // RESP3 for the whole session; AUTH and the client's name in the same command.
  std::string hello;
  std::size_t replies = 1;
  if (settings.password.empty()) {
    append_command(hello, "HELLO", "3", "SETNAME", settings.client_name);
  } else {
    const std::string user = settings.username.empty() ? "default" : settings.username;
    append_command(hello, "HELLO", "3", "AUTH", user, settings.password, "SETNAME", settings.client_name);
  }
  if (settings.database != 0) {
    append_command(hello, "SELECT", settings.database);
    ++replies;
  }
  std::exception_ptr failure;
  try {
    const std::vector<value> answers = co_await self->run(hello, replies);
    for (const value& answer : answers) {
      if (answer.is_error()) throw server_error(answer.text);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    self->close("the session could not be set up");
    std::rethrow_exception(failure);
  }
  co_return self;
}

void connection::start_reading() {
  socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](std::error_code ec, std::size_t n) {
    if (ec) {
      if (ec != asio::error::operation_aborted) self->lose(ec == asio::error::eof ? "closed by the server" : ec.message());
      return;
    }
    self->on_read(n);
  });
}

void connection::on_read(std::size_t bytes) {
  try {
    replies_.feed(std::string_view(read_buffer_, bytes));
    while (std::optional<value> reply = replies_.next()) {
      deliver(std::move(*reply));
      if (!socket_.is_open()) return;
    }
  } catch (const protocol_error& e) {
    return lose(e.what());
  }
  start_reading();
}

void connection::deliver(value reply) {
  if (reply.kind == kind::push) {
    if (on_push_) on_push_(reply);
    return;
  }
  if (queue_.empty()) return lose("a reply nobody asked for");
  const entry front = queue_.front();
  queue_.pop_front();
  if (front.owner == nullptr) return;  // abandoned
  waiter& w = *front.owner;
  w.replies.push_back(std::move(reply));
  if (w.replies.size() == w.expected) {
    w.finished = true;
    w.done.set();
  }
}

asio::awaitable<std::vector<value>> connection::run(std::string_view commands, std::size_t replies) {
  if (!socket_.is_open()) throw connection_lost("the connection is closed");
  const auto keep_alive = shared_from_this();
  waiter w;
  w.expected = replies;
  w.replies.reserve(replies);
  const auto deadline = std::chrono::steady_clock::now() + command_timeout_;
  for (std::size_t i = 0; i < replies; ++i) queue_.push_back({&w, deadline});
  queue_write(commands);
  arm_deadline();
  struct abandon_on_exit {
    connection& owner;
    waiter& w;
    ~abandon_on_exit() {
      if (!w.finished) owner.abandon(w);
    }
  } guard{*this, w};
  co_await w.done.wait();
  if (w.error) std::rethrow_exception(w.error);
  co_return std::move(w.replies);
}

asio::awaitable<value> connection::run(std::string_view command) {
  std::vector<value> replies = co_await run(command, 1);
  co_return std::move(replies.front());
}

void connection::send_without_reply(std::string_view commands) {
  if (socket_.is_open()) queue_write(commands);
}

void connection::abandon(const waiter& w) {
  for (entry& e : queue_) {
    if (e.owner == &w) e.owner = nullptr;
  }
}

// Commands issued in one turn of the loop leave in one write; while a write is in
// progress, new commands gather for the next.
void connection::queue_write(std::string_view bytes) {
  pending_write_.append(bytes);
  if (write_scheduled_) return;
  write_scheduled_ = true;
  asio::post(executor_, [self = shared_from_this()] { self->write_pending(); });
}

void connection::write_pending() {
  if (!socket_.is_open() || pending_write_.empty()) {
    write_scheduled_ = false;
    return;
  }
  writing_.swap(pending_write_);
  pending_write_.clear();
  asio::async_write(socket_, asio::buffer(writing_), [self = shared_from_this()](std::error_code ec, std::size_t) {
    self->writing_.clear();
    if (ec) {
      self->write_scheduled_ = false;
      if (ec != asio::error::operation_aborted) self->lose(ec.message());
      return;
    }
    self->write_pending();
  });
}

void connection::arm_deadline() {
  if (deadline_armed_) return;
  for (const entry& e : queue_) {
    if (e.owner == nullptr) continue;
    deadline_armed_ = true;
    deadline_timer_.expires_at(e.deadline);
    deadline_timer_.async_wait([self = shared_from_this()](std::error_code ec) {
      self->deadline_armed_ = false;
      if (ec) return;
      const auto now = std::chrono::steady_clock::now();
      for (entry& pending : self->queue_) {
        if (pending.owner == nullptr) continue;
        if (pending.deadline > now) break;
        // Late replies would answer the wrong commands: this connection is done. The
        // command that ran out of time says so; the others in flight lose their
        // connection.
        waiter* late = pending.owner;
        self->abandon(*late);
        late->error = std::make_exception_ptr(command_timeout());
        late->finished = true;
        late->done.set();
        return self->lose("a command got no reply within the command timeout");
      }
      self->arm_deadline();
    });
    return;
  }
}

void connection::lose(std::string_view why) {
  if (!socket_.is_open()) return;
  fail_all(std::make_exception_ptr(connection_lost(why)));
  std::error_code ignored;
  socket_.close(ignored);
  deadline_timer_.cancel();
  if (auto callback = std::move(on_lost_)) callback();
}

void connection::close(std::string_view why) {
  on_lost_ = nullptr;
  if (!socket_.is_open()) return;
  fail_all(std::make_exception_ptr(connection_lost(why)));
  std::error_code ignored;
  socket_.close(ignored);
  deadline_timer_.cancel();
}

void connection::fail_all(const std::exception_ptr& error) {
  std::deque<entry> failed;
  failed.swap(queue_);
  for (entry& e : failed) {
    if (e.owner == nullptr || e.owner->finished) continue;
    e.owner->error = error;
    e.owner->finished = true;
    e.owner->done.set();
  }
}

}  // namespace cogi::redis
