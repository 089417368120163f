#include "cogi/server/runtime/request_metrics.hpp"

#include <algorithm>

namespace cogi::runtime {
namespace {

// The bucket bounds in nanoseconds, to place a duration without converting it.
constexpr auto bucket_bounds_ns = [] {
  std::array<std::int64_t, duration_buckets.size()> bounds{};
  for (std::size_t i = 0; i < bounds.size(); ++i) bounds[i] = static_cast<std::int64_t>(duration_buckets[i] * 1e9 + 0.5);
  return bounds;
}();

}  // namespace

std::size_t method_label_index(std::string_view method) {
  const auto found = std::find(method_labels.begin(), method_labels.end() - 1, method);
  return static_cast<std::size_t>(found - method_labels.begin());  // the last one: OTHER
}

request_metrics::series& request_metrics::series_for(std::string_view route, std::size_t method,
                                                     std::string_view& key) {
  // Only this loop's thread changes the tables, so it may look without the mutex; it
  // takes it to change them, while a scrape may be reading.
  auto found = routes_.find(route);
  if (found == routes_.end()) {
    std::lock_guard lock(mutex_);
    found = routes_.emplace(std::string(route), route_series{}).first;
  }
  key = found->first;
  auto& slot = found->second.by_method[method];
  if (!slot) {
    auto created = std::make_unique<series>();
    std::lock_guard lock(mutex_);
    slot = std::move(created);
  }
  return *slot;
}

loop_counter& request_metrics::status_counter(series& s, int status) {
  auto found = s.by_status.find(status);
  if (found == s.by_status.end()) {
    std::lock_guard lock(mutex_);
    found = s.by_status.try_emplace(status).first;
  }
  return found->second;
}

void request_metrics::record(std::string_view method, std::string_view route, int status,
                             std::chrono::nanoseconds took) {
  const std::size_t method_index = method_label_index(method);
  if (last_.found == nullptr || last_.method != method_index || last_.route != route) {
    last_.found = &series_for(route, method_index, last_.route);
    last_.method = method_index;
    last_.status_count = nullptr;
  }
  if (last_.status_count == nullptr || last_.status != status) {
    last_.status_count = &status_counter(*last_.found, status);
    last_.status = status;
  }
  series& s = *last_.found;
  last_.status_count->add();
  // From the smallest bound up: most requests end in the first bucket or two.
  std::size_t bucket = 0;
  while (bucket < bucket_bounds_ns.size() && took.count() > bucket_bounds_ns[bucket]) ++bucket;
  s.buckets[bucket].add();
  s.count.add();
  s.duration_ns.add(static_cast<std::uint64_t>(std::max<std::int64_t>(took.count(), 0)));
}

void request_metrics::collect(request_totals& totals) const {
  std::lock_guard lock(mutex_);
  for (const auto& [route, by_method] : routes_) {
    for (std::size_t method = 0; method < method_labels.size(); ++method) {
      const series* s = by_method.by_method[method].get();
      if (s == nullptr) continue;
      auto& total = totals.series_by_route[{route, method_labels[method]}];
      for (const auto& [status, counter] : s->by_status) total.by_status[status] += counter.get();
      for (std::size_t i = 0; i < s->buckets.size(); ++i) total.buckets[i] += s->buckets[i].get();
      total.count += s->count.get();
      total.duration_ns += s->duration_ns.get();
    }
  }
}

}  // namespace cogi::runtime
