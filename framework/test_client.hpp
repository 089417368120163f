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

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <picojson.h>

#include "cogi/framework/websocket.hpp"
#include "cogi/server/contract/app.hpp"
#include "cogi/server/http/limits.hpp"
#include "cogi/server/http/websocket/settings.hpp"
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
  http::websocket::settings websocket;  // as the server's --ws-* flags
  // How long a test waits for an app's WebSocket message or answer before failing.
  std::chrono::milliseconds websocket_timeout{5000};

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(raise_app_exceptions, root_path, client, limits, websocket, websocket_timeout)
};

class test_websocket;

// websocket_connect() when the app refused the handshake (a 403 for a close before
// accept, or the app's own response) or the server did (400, 426): the answer.
class websocket_refused : public std::runtime_error {
 public:
  explicit websocket_refused(test_response answer);
  test_response response;
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

  // Opens a WebSocket to `target` in-process, through the server's own handshake checks
  // and session (Starlette's websocket_connect): returns once the app accepted; throws
  // websocket_refused if it refused. `subprotocols`: offered in this order.
  test_websocket websocket_connect(std::string target, header_pairs headers = {},
                                   std::vector<std::string> subprotocols = {});

  // The per-loop state the app's lifespan filled (scope.state).
  state_map& state();

  struct impl;  // the loop, the lifespan and the per-loop state (test_client.cpp)

 private:
  std::unique_ptr<impl> impl_;
};

// The client's end of an in-process WebSocket: what it sends goes to the app as masked
// frames through the server's reader; what the app sends is read back from the frames
// the server wrote.
//
//   auto ws = client.websocket_connect("/ws/echo");
//   ws.send_text("hello");
//   EXPECT_EQ(ws.receive_text(), "hello");
//   ws.close();
//
// receive_*() throw websocket_disconnect once the app has closed (the close is
// answered, as a browser would), and the app's exception if it failed (unless
// raise_app_exceptions is off); std::runtime_error when nothing comes within
// websocket_timeout. The destructor closes with 1000 and lets the app finish.
class test_websocket {
 public:
  struct message {
    bool text = false;
    std::string data;
  };

  ~test_websocket();
  test_websocket(test_websocket&&) noexcept;
  test_websocket& operator=(test_websocket&&) = delete;

  // The subprotocol the app chose (empty for none), and the 101's header fields.
  const std::string& subprotocol() const;
  const header_pairs& headers() const;

  void send_text(std::string_view text);
  void send_bytes(std::string_view bytes);
  void send_json(const picojson::value& value);
  message receive();
  std::string receive_text();
  std::string receive_bytes();
  picojson::value receive_json();
  // Closes from the client's side and waits for the app to hear it and return.
  void close(std::uint16_t code = 1000, std::string_view reason = {});

  struct state;  // test_websocket.cpp

 private:
  friend class test_client;
  explicit test_websocket(std::unique_ptr<state> s);
  std::unique_ptr<state> state_;
};

}  // namespace cogi
