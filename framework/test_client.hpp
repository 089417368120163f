#pragma once
// test_client: drives any contract app in-process, without sockets, as Starlette's
// TestClient does, through the server's own side of the contract: each request is
// written as HTTP/1.1 bytes and read by the server's head scanner and parser (a request
// the server would refuse gets the server's 400), its scope and receive()/send() come
// from the same http::exchange the server's connections use (message order, header
// checks, 100-continue, HEAD, framing through the real response encoder), and lifespan
// from the same http::lifespan_exchange: startup on construction, shutdown on
// destruction. What the test sees is the response bytes read back, headers included
// (date, server, content-length or transfer-encoding).
//
//   cogi::test_client client(make_app());
//   auto res = client.get("/users/7");
//   EXPECT_EQ(res.status, 200);
//   EXPECT_EQ(res.json().get("name").to_str(), "Ada");
//
// An exception that escapes the app, an app that sends no response or leaves it
// unfinished, is raised into the test (where the server would answer 500, or close the
// connection), unless options.raise_app_exceptions is off: then the test gets what a
// client of the server would.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <picojson.h>

#include "cogi/server/contract/app.hpp"
#include "cogi/server/http/limits.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

using header_pairs = std::vector<std::pair<std::string, std::string>>;

struct test_request {
  std::string method = "GET";
  std::string target = "/";  // path and optional "?query", percent-encoded as on the wire
  header_pairs headers;      // a host field is added when there is none
  // Sent with a content-length (added unless the headers frame the body themselves).
  std::string body;
  // When not empty, the body arrives in these pieces, chunked (a streamed upload).
  std::vector<std::string> body_chunks;
  // Simulates a client that leaves after this many response body events (0: never):
  // send() then throws client_disconnected and receive() reports the disconnect.
  std::size_t disconnect_after_body_events = 0;
};

struct test_response {
  int status = 0;
  header_pairs headers;  // as on the wire, in order
  std::string body;      // de-chunked; empty for HEAD
  std::vector<std::string> chunks;  // each non-empty body event, as the app sent it
  // False when the body was cut short: the app ended mid-response, or the client left
  // (disconnect_after_body_events). The server would close the connection.
  bool complete = true;

  // The first value of a header (any case), or an empty view.
  std::string_view header(std::string_view name) const;
  std::vector<std::string_view> header_values(std::string_view name) const;
  // The body parsed as JSON; throws std::runtime_error if it is not.
  picojson::value json() const;
};

struct test_client_options {
  bool raise_app_exceptions = true;
  std::string root_path;  // as --root-path: put in front of every path
  address client{"testclient", 50000};  // the peer the app sees (scope.client)
  http::limits limits;    // as the server's --limit-* flags

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(raise_app_exceptions, root_path, client, limits)
};

class test_client {
 public:
  // Runs lifespan startup; throws std::runtime_error if the app reports it failed.
  explicit test_client(app_fn app, test_client_options options = {});
  // Runs lifespan shutdown.
  ~test_client();
  test_client(const test_client&) = delete;
  test_client& operator=(const test_client&) = delete;

  test_response request(test_request req);
  // Runs the requests at the same time (each in its own coroutine on the client's loop,
  // as concurrent clients would be served) and returns their responses in order.
  std::vector<test_response> concurrently(std::vector<test_request> requests);

  test_response get(std::string target, header_pairs headers = {});
  test_response head(std::string target, header_pairs headers = {});
  test_response options(std::string target, header_pairs headers = {});
  test_response delete_(std::string target, header_pairs headers = {});
  test_response post(std::string target, std::string body = {}, header_pairs headers = {});
  test_response put(std::string target, std::string body = {}, header_pairs headers = {});
  test_response patch(std::string target, std::string body = {}, header_pairs headers = {});
  // POST with a JSON body and content-type: application/json.
  test_response post_json(std::string target, const picojson::value& body, header_pairs headers = {});

  // The per-loop state the app's lifespan filled (scope.state).
  state_map& state();

  struct impl;  // the loop, the lifespan and the per-loop state (test_client.cpp)

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace cogi
