// An app on the bare contract, without the framework (README.md shows it): one
// response for every request. build/examples/contract_app, then
//   curl http://127.0.0.1:8000/
#include "cogi/server/contract/app.hpp"
#include "cogi/server/runtime/run.hpp"

asio::awaitable<void> hello(cogi::scope& scope, cogi::receive_fn, cogi::send_fn send) {
  if (scope.type != cogi::scope_type::http) co_return;  // no lifespan work
  static constexpr cogi::header_field headers[] = {{"content-type", "text/plain"}};
  co_await send(cogi::response_start{200, headers});
  co_await send(cogi::response_body{"hello\n", false});
}

int main(int argc, char** argv) { return cogi::run(hello, argc, argv); }
