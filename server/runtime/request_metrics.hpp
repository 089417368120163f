#pragma once
// What one loop counts of the requests its apps served, for the server's Prometheus
// metrics (docs/operations.md): requests by method, route template and status, and
// their durations as a histogram by method and route.
//
// Written by the loop's thread only, with no read-modify-write and no lock on the
// request path (loop_counter.hpp); the loops' numbers are summed when /metrics is
// scraped. The series tables grow only when a (route, method) or status is seen for
// the first time: that insertion, and a scrape's reading, take the loop's mutex.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cogi/server/runtime/loop_counter.hpp"

namespace cogi::runtime {

// Upper bounds of the duration buckets, in seconds: the Prometheus client libraries'
// defaults, which dashboards expect. A last bucket, +Inf, takes the rest.
inline constexpr std::array<double, 14> duration_buckets = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
                                                            0.5,   0.75, 1.0,   2.5,  5.0,   7.5, 10.0};

// The methods a label may name; anything else is "OTHER", so that clients cannot grow
// the series without bound by sending made-up methods (routes and statuses are bounded
// by the app).
inline constexpr std::array<std::string_view, 10> method_labels = {"GET",     "HEAD",    "POST",  "PUT",   "DELETE",
                                                                   "PATCH",   "OPTIONS", "CONNECT", "TRACE", "OTHER"};
std::size_t method_label_index(std::string_view method);

// Every loop's numbers added together, ordered for output.
struct request_totals {
  struct series {
    std::map<int, std::uint64_t> by_status;
    std::array<std::uint64_t, duration_buckets.size() + 1> buckets{};  // not cumulative
    std::uint64_t count = 0;
    std::uint64_t duration_ns = 0;
  };
  // By (route, method label).
  std::map<std::pair<std::string, std::string_view>, series> series_by_route;
};

class request_metrics {
 public:
  // On the loop's thread, once a request's response is done. `route` is the app's
  // report (scope.report): empty for a request no route matched.
  void record(std::string_view method, std::string_view route, int status, std::chrono::nanoseconds took);

  // From any thread: adds this loop's numbers into `totals`.
  void collect(request_totals& totals) const;

 private:
  struct series {
    std::map<int, loop_counter> by_status;  // nodes stay put: found without the mutex
    std::array<loop_counter, duration_buckets.size() + 1> buckets;
    loop_counter count;
    loop_counter duration_ns;
  };
  struct route_series {
    std::array<std::unique_ptr<series>, method_labels.size()> by_method;
  };
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  // The series of (route, method), made if new; `key` is set to the table's own copy of
  // the route (it lives as long as the table).
  series& series_for(std::string_view route, std::size_t method, std::string_view& key);
  loop_counter& status_counter(series& s, int status);

  // The series and status the last request used: the next one on a loop is most often
  // for the same route (keep-alive clients, pipelined batches), and comparing a few
  // bytes is cheaper than hashing the route to find it again.
  struct last_used {
    std::string_view route;  // the table's copy of the route
    std::size_t method = method_labels.size();
    int status = 0;
    series* found = nullptr;
    loop_counter* status_count = nullptr;
  } last_;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, route_series, string_hash, std::equal_to<>> routes_;
};

}  // namespace cogi::runtime
