// Server-Sent Events: the wire format, keep-alive comments while the producer is quiet,
// and a producer stopped (and its keep-alive task too) when the client leaves.
#include "cogi/framework/sse.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"
#include "cogi/server/async/sleep.hpp"

namespace {

using cogi::request;
using cogi::response;
using cogi::task;
using namespace std::chrono_literals;

asio::awaitable<void> three_events(cogi::sse_writer& out) {
  co_await out.send("hello");
  co_await out.send("line one\nline two\r\nline three", "update", "7");
  co_await out.retry(2500ms);
}

TEST(Sse, WireFormat) {
  cogi::app app;
  app.get("/events", [](request&) -> task<> { co_return cogi::event_stream(three_events); });
  cogi::test_client client(app);
  const auto res = client.get("/events");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("content-type"), "text/event-stream");
  EXPECT_EQ(res.header("cache-control"), "no-cache");
  EXPECT_EQ(res.header("transfer-encoding"), "chunked");
  EXPECT_EQ(res.chunks, (std::vector<std::string>{
                            "data: hello\n\n",
                            "event: update\nid: 7\ndata: line one\ndata: line two\ndata: line three\n\n",
                            "retry: 2500\n\n",
                        }));
}

TEST(Sse, EventNamesMustBeSingleLines) {
  cogi::app app;
  app.get("/bad", [](request&) -> task<> {
    co_return cogi::event_stream([](cogi::sse_writer& out) { return out.send("x", "two\nlines"); });
  });
  cogi::test_client raising(app);
  EXPECT_THROW(raising.get("/bad"), std::invalid_argument);
  // The producer failed before its first event: the head had not gone out yet, so the
  // client gets a proper 500 rather than a cut-off stream.
  cogi::test_client serving(app, {.raise_app_exceptions = false});
  EXPECT_EQ(serving.get("/bad").status, 500);
}

asio::awaitable<void> slow_pair(cogi::sse_writer& out) {
  co_await out.send("first");
  co_await cogi::async::sleep_for(150ms);  // quiet for several keep-alive intervals
  co_await out.send("second");
}

TEST(Sse, KeepAliveCommentsFillQuietStretches) {
  cogi::app app;
  app.get("/slow", [](request&) -> task<> { co_return cogi::event_stream(slow_pair, 20ms); });
  cogi::test_client client(app);
  const auto res = client.get("/slow");
  ASSERT_GE(res.chunks.size(), 3u);
  EXPECT_EQ(res.chunks.front(), "data: first\n\n");
  EXPECT_EQ(res.chunks.back(), "data: second\n\n");
  for (std::size_t i = 1; i + 1 < res.chunks.size(); ++i) EXPECT_EQ(res.chunks[i], ": keep-alive\n\n");
}

TEST(Sse, ProducerStopsWhenTheClientLeaves) {
  static int sent = 0;
  cogi::app app;
  app.get("/forever", [](request&) -> task<> {
    co_return cogi::event_stream(
        [](cogi::sse_writer& out) -> asio::awaitable<void> {
          for (;;) {
            co_await out.send("tick");
            ++sent;
            co_await cogi::async::sleep_for(1ms);
          }
        },
        5ms);
  });
  cogi::test_client client(app);
  cogi::test_request req;
  req.target = "/forever";
  req.disconnect_after_body_events = 4;
  const auto res = client.request(req);  // returns: the producer ended, the keep-alive too
  EXPECT_EQ(res.chunks.size(), 4u);
  EXPECT_LE(sent, 4);
}

}  // namespace
