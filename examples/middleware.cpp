// Writing middleware, both forms, next to built-in ones. build/examples/middleware, then
//   curl -i http://127.0.0.1:8000/        (x-response-time and x-request-id headers)
//   curl -i http://127.0.0.1:8000/admin   (401 unless "Authorization: Bearer letmein")
#include <chrono>

#include "cogi/framework/app.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/middleware/access_log.hpp"
#include "cogi/middleware/gzip.hpp"
#include "cogi/middleware/request_id.hpp"
#include "cogi/server/runtime/run.hpp"

// Request-level: sees the request and the response; here, times the rest of the chain.
cogi::task<> response_time(cogi::request& req, cogi::next_fn next) {
  const auto began = std::chrono::steady_clock::now();
  cogi::response res = co_await next(req);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began);
  res.headers.set("x-response-time", std::to_string(us.count()) + "us");
  co_return res;
}

// Request-level, short-circuiting: no token, no handler.
cogi::task<> require_token(cogi::request& req, cogi::next_fn next) {
  if (req.path().starts_with("/admin") && req.header("authorization") != "Bearer letmein")
    throw cogi::http_exception(401, "a bearer token is required", {{"www-authenticate", "Bearer"}});
  co_return co_await next(req);
}

int main(int argc, char** argv) {
  cogi::app app;
  // Contract-level middleware, outermost first: they see every request and response.
  app.use(cogi::access_log());
  app.use(cogi::request_id());
  app.use(cogi::gzip());
  // Request-level middleware, in the order they run.
  app.use(response_time);
  app.use(require_token);
  app.get("/", [](cogi::request&) -> cogi::task<> { co_return cogi::text("public"); });
  app.get("/admin", [](cogi::request&) -> cogi::task<> { co_return cogi::text("secret"); });
  return cogi::run(app, argc, argv);
}
