#pragma once
// test_client: drives any contract app in-process, without sockets, as Starlette's
// TestClient does. It is a second implementation of the server side of the contract:
// it runs lifespan startup on construction and shutdown on destruction, builds each
// request's scope, feeds the body through receive() (in pieces if asked), checks the
// order of send() messages, and frames the response as the server would
// (content-length for one body event, chunked for several, no body for HEAD).
//
//   cogi::test_client client(make_app());
//   auto res = client.get("/users/7");
//   EXPECT_EQ(res.status, 200);
//   EXPECT_EQ(res.json().get("name").to_str(), "Ada");
//
// An exception that escapes the app is rethrown into the test (a server would answer
// 500), unless options.raise_app_exceptions is off.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <picojson.h>

#include "server/contract/app.hpp"

namespace cogi {

using header_pairs = std::vector<std::pair<std::string, std::string>>;

struct test_request {
  std::string method = "GET";
  std::string target = "/";  // path and optional "?query", percent-encoded as on the wire
  header_pairs headers;
  std::string body;
  // When not empty, the body arrives in these pieces (a streamed upload).
  std::vector<std::string> body_chunks;
  // Simulates a client that leaves after this many response body events (0: never):
  // send() then throws client_disconnected and receive() reports the disconnect.
  std::size_t disconnect_after_body_events = 0;
};

struct test_response {
  int status = 0;
  header_pairs headers;
  std::string body;
  std::vector<std::string> chunks;  // each non-empty body event, as the app sent it

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
