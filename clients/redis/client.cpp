#include "cogi/clients/redis/client.hpp"

#include <map>
#include <set>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

#include "cogi/server/async/backoff.hpp"
#include "cogi/server/async/cancellation.hpp"
#include "cogi/server/async/event.hpp"
#include "cogi/server/async/sleep.hpp"
#include "cogi/server/async/wait_for.hpp"
#include "cogi/server/contract/log.hpp"

namespace cogi::redis {

namespace detail {

struct subscriber {
  std::vector<std::string> channels;
  async::queue<message> messages;
};

// A loop's connection and what keeps it: reconnection in the background, and the
// channels subscribed (subscribed again on every new connection).
class link : public std::enable_shared_from_this<link> {
 public:
  link(asio::any_io_executor executor, options settings) : executor_(std::move(executor)), settings_(std::move(settings)) {}

  asio::awaitable<void> open() {
    start_connecting();
    while (!current_ && !first_failure_ && !closed_) {
      changed_.clear();
      co_await changed_.wait();
    }
    if (!current_) {
      const std::exception_ptr failure = first_failure_;
      close();
      if (failure) std::rethrow_exception(failure);
      throw unavailable("closed");
    }
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    stop_connecting_.emit(asio::cancellation_type::terminal);
    if (current_) current_->close("the client is closed");
    current_.reset();
    for (auto& [channel, subscribers] : subscribers_) {
      for (subscriber* s : subscribers) s->messages.close();
    }
    changed_.set();
  }

  // The connection, waiting up to acquire_timeout while it is being made again; at
  // once unavailable while Redis is known to be down.
  asio::awaitable<std::shared_ptr<connection>> get() {
    const auto deadline = std::chrono::steady_clock::now() + settings_.acquire_timeout;
    for (;;) {
      if (current_ && current_->is_open()) co_return current_;
      if (closed_) throw unavailable("the client is closed");
      if (down_) throw unavailable("no connection to Redis (reconnecting)");
      changed_.clear();
      try {
        co_await async::wait_until(changed_.wait(), deadline);
      } catch (const async::timeout_error&) {
        throw unavailable("no connection to Redis (reconnecting)");
      }
    }
  }

  asio::awaitable<void> add(subscriber& s) {
    std::vector<std::string> fresh;
    for (const std::string& channel : s.channels) {
      auto& list = subscribers_[channel];
      if (list.empty()) fresh.push_back(channel);
      list.push_back(&s);
    }
    if (fresh.empty()) co_return;
    // Confirmed when Redis says so (a push frame per channel): from then on, every
    // message published reaches us.
    const std::shared_ptr<connection> c = co_await get();
    std::vector<std::string> command{"SUBSCRIBE"};
    command.insert(command.end(), fresh.begin(), fresh.end());
    std::string encoded;
    append_command(encoded, command);
    for (const std::string& channel : fresh) confirmed_.erase(channel);
    c->send_without_reply(encoded);
    const auto deadline = std::chrono::steady_clock::now() + settings_.command_timeout;
    for (const std::string& channel : fresh) {
      while (!confirmed_.contains(channel)) {
        if (closed_) throw unavailable("the client is closed");
        confirmations_.clear();
        try {
          co_await async::wait_until(confirmations_.wait(), deadline);
        } catch (const async::timeout_error&) {
          throw command_timeout();
        }
      }
    }
  }

  void remove(subscriber& s) {
    std::vector<std::string> unused;
    for (const std::string& channel : s.channels) {
      auto found = subscribers_.find(channel);
      if (found == subscribers_.end()) continue;
      std::erase(found->second, &s);
      if (found->second.empty()) {
        subscribers_.erase(found);
        confirmed_.erase(channel);
        unused.push_back(channel);
      }
    }
    if (unused.empty() || !current_ || !current_->is_open()) return;
    std::vector<std::string> command{"UNSUBSCRIBE"};
    command.insert(command.end(), unused.begin(), unused.end());
    std::string encoded;
    append_command(encoded, command);
    current_->send_without_reply(encoded);
  }

 private:
  void start_connecting() {
    if (connecting_ || closed_) return;
    connecting_ = true;
    asio::co_spawn(executor_, keep_connected(shared_from_this()),
                   asio::bind_cancellation_slot(stop_connecting_.slot(), asio::detached));
  }

  static asio::awaitable<void> keep_connected(std::shared_ptr<link> self) {
    async::backoff retry(std::chrono::milliseconds(50), self->settings_.reconnect_delay_max);
    const bool first = !self->opened_once_;
    while (!self->closed_) {
      try {
        std::shared_ptr<connection> c = co_await connection::open(self->settings_);
        if (self->closed_) {
          c->close("the client is closed");
          break;
        }
        self->adopt(std::move(c));
        if (retry.failures() > 0) log::info("redis: connected again after " + std::to_string(retry.failures()) + " failed attempts");
        break;
      } catch (const std::exception& e) {
        if (async::is_cancellation(e)) break;
        self->down_ = true;
        if (first) {
          self->first_failure_ = std::current_exception();
          self->changed_.set();
          break;
        }
        if (retry.failures() == 0) log::warning(std::string("redis: cannot connect: ") + e.what());
      }
      const auto delay = retry.next();
      try {
        co_await async::sleep_for(delay);
      } catch (const std::exception&) {
        break;  // closed
      }
    }
    self->connecting_ = false;
  }

  void adopt(std::shared_ptr<connection> c) {
    std::weak_ptr<link> weak = shared_from_this();
    c->on_push([weak](value& push) {
      if (const auto self = weak.lock()) self->on_push(push);
    });
    c->on_lost([weak] {
      const auto self = weak.lock();
      if (!self || self->closed_) return;
      log::warning("redis: the connection was lost; reconnecting");
      self->current_.reset();
      self->confirmed_.clear();
      self->start_connecting();
    });
    current_ = std::move(c);
    opened_once_ = true;
    down_ = false;
    // The subscriptions live on: subscribed again on the new connection.
    if (!subscribers_.empty()) {
      std::vector<std::string> command{"SUBSCRIBE"};
      for (const auto& [channel, list] : subscribers_) command.push_back(channel);
      std::string encoded;
      append_command(encoded, command);
      current_->send_without_reply(encoded);
    }
    changed_.set();
  }

  // RESP3 push frames: ["message", channel, payload], ["subscribe", channel, count], ...
  void on_push(value& push) {
    if (push.elements.empty() || !push.elements[0].is_string()) return;
    const std::string& what = push.elements[0].text;
    if (what == "message" && push.elements.size() == 3) {
      const auto found = subscribers_.find(push.elements[1].text);
      if (found == subscribers_.end()) return;
      for (subscriber* s : found->second) s->messages.try_put({push.elements[1].text, push.elements[2].text});
    } else if (what == "subscribe" && push.elements.size() >= 2) {
      confirmed_.insert(push.elements[1].text);
      confirmations_.set();
    }
  }

  asio::any_io_executor executor_;
  const options settings_;
  std::shared_ptr<connection> current_;
  bool connecting_ = false;
  bool closed_ = false;
  bool down_ = false;  // the latest attempt failed: fail at once until one succeeds
  bool opened_once_ = false;
  std::exception_ptr first_failure_;
  async::event changed_;
  asio::cancellation_signal stop_connecting_;
  std::map<std::string, std::vector<subscriber*>> subscribers_;
  std::set<std::string> confirmed_;
  async::event confirmations_;
};

}  // namespace detail

namespace {

asio::execution_context& loop_of(const asio::any_io_executor& executor) {
  return asio::query(executor, asio::execution::context);
}

value checked(value reply) {
  if (reply.is_error()) throw server_error(reply.text);
  return reply;
}

std::optional<std::string> optional_string(value reply) {
  reply = checked(std::move(reply));
  if (reply.is_null()) return std::nullopt;
  return std::move(reply.text);
}

}  // namespace

client::client(options settings) : settings_(std::move(settings)) {}
client::~client() = default;

asio::awaitable<void> client::open() {
  const auto executor = co_await asio::this_coro::executor;
  std::shared_ptr<detail::link> link;
  try {
    link = links_.emplace(loop_of(executor), std::make_shared<detail::link>(executor, settings_));
  } catch (const std::logic_error&) {
    throw std::logic_error("redis::client::open(): already open on this loop");
  }
  std::exception_ptr failure;
  try {
    co_await link->open();
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    links_.erase(loop_of(executor));
    std::rethrow_exception(failure);
  }
}

asio::awaitable<void> client::close() {
  const auto executor = co_await asio::this_coro::executor;
  if (const auto link = links_.erase(loop_of(executor))) (*link)->close();
}

std::shared_ptr<detail::link> client::local(const asio::any_io_executor& executor) {
  if (std::shared_ptr<detail::link>* found = links_.find(loop_of(executor))) return *found;
  throw std::logic_error("redis::client: not open on this loop; await open() in the app's startup hook (docs/redis.md)");
}

asio::awaitable<std::vector<value>> client::run(std::string commands, std::size_t count) {
  const std::shared_ptr<detail::link> link = local(co_await asio::this_coro::executor);
  const std::shared_ptr<connection> c = co_await link->get();
  co_return co_await c->run(commands, count);
}

asio::awaitable<std::optional<std::string>> client::get(std::string key) {
  co_return optional_string(co_await command("GET", key));
}

asio::awaitable<void> client::set(std::string key, std::string v, std::optional<std::chrono::milliseconds> expiry) {
  std::string encoded;
  if (expiry) append_command(encoded, "SET", key, v, "PX", expiry->count());
  else append_command(encoded, "SET", key, v);
  const std::vector<value> reply = co_await run(std::move(encoded), 1);
  checked(reply.front());
}

asio::awaitable<std::int64_t> client::del(std::string key) { co_return checked(co_await command("DEL", key)).integer; }

asio::awaitable<std::int64_t> client::incr(std::string key) { co_return checked(co_await command("INCR", key)).integer; }

asio::awaitable<std::vector<std::optional<std::string>>> client::mget(std::vector<std::string> keys) {
  std::vector<std::string> args{"MGET"};
  args.insert(args.end(), keys.begin(), keys.end());
  std::string encoded;
  append_command(encoded, args);
  std::vector<value> reply = co_await run(std::move(encoded), 1);
  value all = checked(std::move(reply.front()));
  std::vector<std::optional<std::string>> values;
  values.reserve(all.elements.size());
  for (value& v : all.elements) values.push_back(v.is_null() ? std::nullopt : std::optional<std::string>(std::move(v.text)));
  co_return values;
}

asio::awaitable<std::vector<std::string>> client::lrange(std::string key, std::int64_t start, std::int64_t stop) {
  value all = checked(co_await command("LRANGE", key, start, stop));
  std::vector<std::string> items;
  items.reserve(all.elements.size());
  for (value& v : all.elements) items.push_back(std::move(v.text));
  co_return items;
}

asio::awaitable<std::int64_t> client::hset(std::string key, std::string field, std::string v) {
  co_return checked(co_await command("HSET", key, field, v)).integer;
}

asio::awaitable<std::optional<std::string>> client::hget(std::string key, std::string field) {
  co_return optional_string(co_await command("HGET", key, field));
}

asio::awaitable<std::int64_t> client::publish(std::string channel, std::string payload) {
  co_return checked(co_await command("PUBLISH", channel, payload)).integer;
}

asio::awaitable<subscription> client::subscribe(std::vector<std::string> channels) {
  const std::shared_ptr<detail::link> link = local(co_await asio::this_coro::executor);
  auto state = std::make_shared<detail::subscriber>();
  state->channels = std::move(channels);
  subscription sub(link, state);  // unsubscribes if add() fails
  co_await link->add(*state);
  co_return sub;
}

subscription::subscription(std::shared_ptr<detail::link> owner, std::shared_ptr<detail::subscriber> state)
    : link_(std::move(owner)), state_(std::move(state)) {}

subscription::~subscription() {
  if (link_ && state_) link_->remove(*state_);
}

asio::awaitable<message> subscription::next() {
  try {
    co_return co_await state_->messages.get();
  } catch (const async::queue_closed&) {
    throw unavailable("the subscription ended: the client was closed");
  }
}

}  // namespace cogi::redis
