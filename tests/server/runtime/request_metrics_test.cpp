// One loop's request metrics: series by route template, method and status; the
// duration histogram's buckets; made-up methods folded into OTHER; loops summed.

#include "cogi/server/runtime/request_metrics.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace cogi::runtime {
namespace {

using namespace std::chrono_literals;

TEST(RequestMetrics, CountsByRouteMethodAndStatus) {
  request_metrics loop;
  loop.record("GET", "/items/{id}", 200, 3ms);
  loop.record("GET", "/items/{id}", 200, 20ms);
  loop.record("GET", "/items/{id}", 404, 1ms);
  loop.record("POST", "/items", 201, 2ms);
  request_totals totals;
  loop.collect(totals);
  ASSERT_EQ(totals.series_by_route.size(), 2u);
  const auto& get = totals.series_by_route.at({"/items/{id}", "GET"});
  EXPECT_EQ(get.by_status.at(200), 2u);
  EXPECT_EQ(get.by_status.at(404), 1u);
  EXPECT_EQ(get.count, 3u);
  EXPECT_EQ(get.duration_ns, std::chrono::nanoseconds(24ms).count());
  EXPECT_EQ(totals.series_by_route.at({"/items", "POST"}).by_status.at(201), 1u);
}

TEST(RequestMetrics, DurationsFallIntoTheConventionalBuckets) {
  request_metrics loop;
  loop.record("GET", "/", 200, 5ms);     // le 0.005: the bound itself is in
  loop.record("GET", "/", 200, 6ms);     // le 0.01
  loop.record("GET", "/", 200, 300ms);   // le 0.5
  loop.record("GET", "/", 200, 60s);     // +Inf
  request_totals totals;
  loop.collect(totals);
  const auto& buckets = totals.series_by_route.at({"/", "GET"}).buckets;
  EXPECT_EQ(buckets[0], 1u);
  EXPECT_EQ(buckets[1], 1u);
  EXPECT_EQ(buckets[7], 1u);
  EXPECT_EQ(buckets.back(), 1u);
  EXPECT_EQ(std::accumulate(buckets.begin(), buckets.end(), std::uint64_t{0}), 4u);
}

TEST(RequestMetrics, UnknownMethodsShareOneLabel) {
  request_metrics loop;
  loop.record("BREW", "", 404, 1ms);
  loop.record("PROPFIND", "", 404, 1ms);
  request_totals totals;
  loop.collect(totals);
  ASSERT_EQ(totals.series_by_route.size(), 1u);
  EXPECT_EQ(totals.series_by_route.at({"", "OTHER"}).count, 2u);
}

TEST(RequestMetrics, LoopsAreSummedWhenCollected) {
  request_metrics first, second;
  first.record("GET", "/a", 200, 1ms);
  second.record("GET", "/a", 200, 1ms);
  second.record("GET", "/a", 500, 1ms);
  request_totals totals;
  first.collect(totals);
  second.collect(totals);
  const auto& a = totals.series_by_route.at({"/a", "GET"});
  EXPECT_EQ(a.by_status.at(200), 2u);
  EXPECT_EQ(a.by_status.at(500), 1u);
  EXPECT_EQ(a.count, 3u);
}

}  // namespace
}  // namespace cogi::runtime
