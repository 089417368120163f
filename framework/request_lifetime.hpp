#pragma once
// What belongs to one request beyond its handler's call, dealt with once the response
// has been sent: the values dependencies provided (typed/dependencies.hpp), released
// then in reverse order (their destructors are the cleanup: a pooled connection goes
// back to its pool), and background tasks, run then, one after the other, before that
// release (so a task may still use them). A streaming response's producer can use the
// values too: they outlive it.
//
//   app.post("/signup", [](cogi::body<signup> in, cogi::background_tasks& later) -> cogi::task<void> {
//     later.add(send_welcome_mail(in->email));   // after the 204 has gone out
//     co_return;
//   });
//
// A request gets one only when something asks for it (request::lifetime()).

#include <memory>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>

namespace cogi {

// The tasks that run after the response (FastAPI's BackgroundTasks). A task that
// throws is logged; the next one still runs.
class background_tasks {
 public:
  // `job` is a coroutine not started yet: send_mail(address), with its arguments held
  // by its own frame.
  void add(asio::awaitable<void> job) { jobs_.push_back(std::move(job)); }
  bool empty() const { return jobs_.empty(); }

 private:
  friend class request_lifetime;
  std::vector<asio::awaitable<void>> jobs_;
};

class request_lifetime {
 public:
  request_lifetime() = default;
  request_lifetime(const request_lifetime&) = delete;
  request_lifetime& operator=(const request_lifetime&) = delete;
  ~request_lifetime() { release(); }

  // The value kept under `key`, or null.
  template <class T>
  T* find(const void* key) const {
    for (const auto& v : values_)
      if (v.key == key) return static_cast<T*>(v.value.get());
    return nullptr;
  }
  // Keeps `value` until the request is done; returns where it now lives.
  template <class T>
  T& keep(const void* key, T value) {
    auto held = std::make_shared<T>(std::move(value));
    T& ref = *held;
    values_.push_back({key, std::move(held)});
    return ref;
  }

  background_tasks& tasks() { return tasks_; }

  // Runs the background tasks, then releases the values, newest first.
  asio::awaitable<void> finish();

 private:
  void release();

  struct kept {
    const void* key;
    std::shared_ptr<void> value;  // type-erased: its deleter is T's destructor
  };
  std::vector<kept> values_;
  background_tasks tasks_;
};

}  // namespace cogi
