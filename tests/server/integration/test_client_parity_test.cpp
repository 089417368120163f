// The test client refuses exactly what the server refuses (issue 12): the same request
// bytes and the same misbehaving apps, once through a real server on a loopback socket
// and once through cogi::test_client, give the same status and the same completeness.
// Both run the one server side of the contract (http::exchange), so a divergence here
// means an app could pass its tests and fail in production.

#include <gtest/gtest.h>

#include <string>

#include "cogi/framework/detail/test_wire.hpp"
#include "cogi/framework/test_client.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/running_server.hpp"

namespace cogi::testing {
namespace {

// What a client ends up with: the status, and whether the response was whole.
struct outcome {
  int status = 0;
  bool complete = true;
  bool operator==(const outcome&) const = default;
};

std::ostream& operator<<(std::ostream& out, const outcome& o) {
  return out << o.status << (o.complete ? " complete" : " cut off");
}

struct parity_case {
  const char* name;
  app_fn app;
  test_request request;
  outcome expected;
};

void PrintTo(const parity_case& c, std::ostream* out) { *out << c.name; }

constexpr header_field text_plain[] = {{"content-type", "text/plain"}};

// An app that answers "ok", reading the body first.
asio::awaitable<void> reads_then_answers(scope& sc, receive_fn receive, send_fn send) {
  if (sc.type != scope_type::http) co_return;
  for (;;) {
    const receive_event event = co_await receive();
    if (event.type != receive_type::http_request || !event.more_body) break;
  }
  co_await send(response_start{200, text_plain});
  co_await send(response_body{"ok", false});
}

// A misbehaving app: `steps` says what it sends, in order.
app_fn sends(std::vector<send_event> steps, bool then_throw = false) {
  return [steps, then_throw](scope& sc, receive_fn, send_fn send) -> asio::awaitable<void> {
    return [](scope& s, send_fn out, std::vector<send_event> all, bool fail) -> asio::awaitable<void> {
      if (s.type != scope_type::http) co_return;
      for (const auto& step : all) co_await out(step);
      if (fail) throw std::runtime_error("app failure");
    }(sc, send, steps, then_throw);
  };
}

constexpr header_field transfer_encoding[] = {{"transfer-encoding", "chunked"}};
constexpr header_field bad_name[] = {{"bad name", "x"}};
constexpr header_field injected[] = {{"x", "a\r\nset-cookie: evil"}};
constexpr header_field length_10[] = {{"content-length", "10"}};
constexpr header_field length_1[] = {{"content-length", "1"}};

test_request get_request(std::string target = "/", header_pairs headers = {}) {
  test_request r;
  r.target = std::move(target);
  r.headers = std::move(headers);
  return r;
}

test_request post(std::string body, header_pairs headers = {}) {
  test_request r;
  r.method = "POST";
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

test_request chunked_post(std::vector<std::string> chunks) {
  test_request r;
  r.method = "POST";
  r.body_chunks = std::move(chunks);
  return r;
}

outcome through_server(const parity_case& c, const server_config& config) {
  running_server server(c.app, config);
  raw_client client(server.port());
  auto wire = detail::write_request(c.request, "testserver");
  // The server closes after the response, so that everything it sent can be read.
  wire.head.insert(wire.head.size() - 2, "connection: close\r\n");
  client.send(wire.head);
  for (const auto& piece : wire.body) client.send(piece);
  const std::string bytes = client.read_until_close();
  const test_response response = detail::read_response(bytes, c.request.method == "HEAD");
  return {response.status, response.complete};
}

outcome through_test_client(const parity_case& c, const server_config& config) {
  test_client client(c.app, {.raise_app_exceptions = false, .limits = config.limits});
  const auto response = client.request(c.request);
  return {response.status, response.complete};
}

class TestClientParity : public ::testing::TestWithParam<parity_case> {};

TEST_P(TestClientParity, SameAnswerAsTheServer) {
  const auto& c = GetParam();
  auto config = running_server::quiet_config();
  config.limits.max_body_bytes = 1024;
  config.limits.max_target_bytes = 256;
  const outcome server = through_server(c, config);
  EXPECT_EQ(server, c.expected) << "the server";
  EXPECT_EQ(through_test_client(c, config), server) << "the test client differs from the server";
}

const std::string long_target = "/" + std::string(300, 'a');

INSTANTIATE_TEST_SUITE_P(
    Apps, TestClientParity,
    ::testing::Values(
        parity_case{"WellBehaved", reads_then_answers, get_request(), {200, true}},
        parity_case{"BodyBeforeStart", sends({response_body{"x", false}}), get_request(), {500, true}},
        parity_case{"TwoStarts", sends({response_start{200, {}}, response_start{200, {}}}), get_request(), {500, true}},
        parity_case{"TransferEncodingFromTheApp", sends({response_start{200, transfer_encoding}}), get_request(), {500, true}},
        parity_case{"InvalidHeaderName", sends({response_start{200, bad_name}}), get_request(), {500, true}},
        parity_case{"HeaderInjection", sends({response_start{200, injected}}), get_request(), {500, true}},
        parity_case{"InformationalStatus", sends({response_start{103, {}}}), get_request(), {500, true}},
        parity_case{"StatusOutOfRange", sends({response_start{1000, {}}}), get_request(), {500, true}},
        parity_case{"LifespanEventInHttp", sends({lifespan_startup_complete{}}), get_request(), {500, true}},
        parity_case{"NoResponse", sends({}), get_request(), {500, true}},
        parity_case{"ThrowsBeforeStart", sends({}, true), get_request(), {500, true}},
        parity_case{"ThrowsAfterStartBeforeBody", sends({response_start{201, {}}}, true), get_request(), {500, true}},
        parity_case{"BodyLongerThanItsLength", sends({response_start{200, length_1}, response_body{"xy", false}}),
                    get_request(), {500, true}},
        parity_case{"BodyShorterThanItsLength", sends({response_start{200, length_10}, response_body{"xy", false}}),
                    get_request(), {200, false}},
        parity_case{"ThrowsMidStream",
                    sends({response_start{200, {}}, response_body{"part", true}}, true), get_request(), {200, false}},
        parity_case{"StopsMidStream", sends({response_start{200, {}}, response_body{"part", true}}), get_request(),
                    {200, false}},
        parity_case{"SendAfterTheFinalBody",
                    sends({response_start{200, {}}, response_body{"done", false}, response_body{"more", false}}),
                    get_request(), {200, true}},
        parity_case{"HeadOfAStream", sends({response_start{200, {}}, response_body{"", false}}), [] {
                      auto r = get_request();
                      r.method = "HEAD";
                      return r;
                    }(), {200, true}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Requests, TestClientParity,
    ::testing::Values(
        parity_case{"InvalidFieldName", reads_then_answers, get_request("/", {{"bad name", "x"}}), {400, true}},
        parity_case{"BareCrInValue", reads_then_answers, get_request("/", {{"x", "a\rb"}}), {400, true}},
        parity_case{"LengthAndChunked", reads_then_answers,
                    post("hello", {{"content-length", "5"}, {"transfer-encoding", "chunked"}}), {400, true}},
        parity_case{"DuplicateHost", reads_then_answers, get_request("/", {{"host", "a"}, {"host", "b"}}), {400, true}},
        parity_case{"UnknownMethod", reads_then_answers, [] {
                      auto r = get_request();
                      r.method = "BREW";
                      return r;
                    }(), {501, true}},
        parity_case{"TargetTooLong", reads_then_answers, get_request(long_target), {414, true}},
        parity_case{"FragmentInTarget", reads_then_answers, get_request("/a#b"), {400, true}},
        parity_case{"UnknownExpectation", reads_then_answers, post("x", {{"expect", "magic"}}), {417, true}},
        parity_case{"BodyTooLargeByLength", reads_then_answers, post(std::string(2000, 'x')), {413, true}},
        parity_case{"BodyTooLargeWhileChunked", reads_then_answers,
                    chunked_post({std::string(600, 'x'), std::string(600, 'y')}), {413, true}},
        parity_case{"LeadingZerosInLength", reads_then_answers, post("seven b", {{"content-length", "007"}}),
                    {200, true}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace cogi::testing
