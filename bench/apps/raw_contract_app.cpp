// The demo's /plaintext and /json written straight against the contract, without the
// framework: the baseline that prices the framework (issue 4: under 10%), measured with
// bench/run.sh --servers cogi,cogi-raw --scenarios plaintext,json. Same response bytes
// as the demo's.

#include <string>

#include <picojson.h>

#include "cogi/server/contract/app.hpp"
#include "cogi/server/runtime/run.hpp"

namespace {

asio::awaitable<void> respond(cogi::send_fn send, int status, std::string_view content_type, std::string_view body) {
  const cogi::header_field headers[] = {{"content-type", content_type}};
  co_await send(cogi::response_start{status, headers});
  co_await send(cogi::response_body{body, false});
}

asio::awaitable<void> raw_app(cogi::scope& scope, cogi::receive_fn, cogi::send_fn send) {
  if (scope.type != cogi::scope_type::http) co_return;  // no lifespan
  if (scope.path == "/plaintext") co_return co_await respond(send, 200, "text/plain; charset=utf-8", "Hello, World!");
  if (scope.path == "/json") {
    picojson::object message;
    message["message"] = picojson::value("Hello, World!");
    const std::string body = picojson::value(std::move(message)).serialize();
    co_return co_await respond(send, 200, "application/json", body);
  }
  co_await respond(send, 404, "text/plain; charset=utf-8", "Not Found");
}

}  // namespace

int main(int argc, char** argv) { return cogi::run(raw_app, argc, argv); }
