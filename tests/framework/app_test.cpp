// The app around the router: middleware of both forms and their order, exception
// handlers, internal errors that do not leak, and lifespan hooks.
#include "cogi/framework/app.hpp"

#include <gtest/gtest.h>

#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/test_client.hpp"

namespace {

using cogi::request;
using cogi::response;
using cogi::task;

task<> hello(request&) { co_return cogi::text("hello"); }

// Request-level middleware that records its name on the way in and out.
cogi::middleware_fn tracer(std::string name, std::vector<std::string>& log) {
  return [name, &log](request& req, cogi::next_fn next) -> task<> {
    return [](std::string n, std::vector<std::string>& l, request& r, cogi::next_fn nx) -> task<> {
      l.push_back(n + " in");
      auto res = co_await nx(r);
      l.push_back(n + " out");
      res.headers.add("x-trace", n);
      co_return res;
    }(name, log, req, next);
  };
}

TEST(App, MiddlewareRunsInTheOrderAdded) {
  std::vector<std::string> log;
  cogi::app app;
  app.use(tracer("outer", log));
  app.use(tracer("inner", log));
  app.get("/", hello);
  cogi::test_client client(app);
  const auto res = client.get("/");
  EXPECT_EQ(res.body, "hello");
  EXPECT_EQ(log, (std::vector<std::string>{"outer in", "inner in", "inner out", "outer out"}));
  EXPECT_EQ(res.header_values("x-trace"), (std::vector<std::string_view>{"inner", "outer"}));
}

TEST(App, MiddlewareSeesNotFoundAndCanShortCircuit) {
  cogi::app app;
  app.use([](request& req, cogi::next_fn next) -> task<> {
    if (req.header("authorization").empty()) throw cogi::http_exception(401, "login first", {{"www-authenticate", "Bearer"}});
    co_return co_await next(req);
  });
  app.get("/", hello);
  cogi::test_client client(app);
  auto res = client.get("/");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.header("www-authenticate"), "Bearer");
  EXPECT_EQ(res.json().get("detail").to_str(), "login first");
  EXPECT_EQ(client.get("/", {{"authorization", "Bearer x"}}).body, "hello");
  EXPECT_EQ(client.get("/nope", {{"authorization", "Bearer x"}}).status, 404);
}

// A contract-level wrapper: adds a header to every response start.
struct header_adder {
  cogi::app_fn next;
  std::string value;
  asio::awaitable<void> operator()(cogi::scope& scope, cogi::receive_fn receive, cogi::send_fn send) const {
    return add(next, value, scope, receive, send);
  }
  static asio::awaitable<void> add(const cogi::app_fn& next, std::string value, cogi::scope& scope,
                                   cogi::receive_fn receive, cogi::send_fn send) {
    auto wrapped = [&](const cogi::send_event& event) -> asio::awaitable<void> {
      return forward(send, value, event);
    };
    co_await next(scope, receive, wrapped);
  }
  static asio::awaitable<void> forward(cogi::send_fn send, std::string value, cogi::send_event event) {
    if (auto* start = std::get_if<cogi::response_start>(&event)) {
      std::vector<cogi::header_field> headers(start->headers.begin(), start->headers.end());
      headers.push_back({"x-wrapped", value});
      const cogi::response_start changed{start->status, headers};
      co_await send(changed);
      co_return;
    }
    co_await send(event);
  }
};

TEST(App, ContractWrappersNestFirstOutermost) {
  cogi::app app;
  app.use([](cogi::app_fn next) -> cogi::app_fn { return header_adder{std::move(next), "first"}; });
  app.use([](cogi::app_fn next) -> cogi::app_fn { return header_adder{std::move(next), "second"}; });
  app.get("/", hello);
  cogi::test_client client(app);
  const auto res = client.get("/");
  // The innermost wrapper adds its header first.
  EXPECT_EQ(res.header_values("x-wrapped"), (std::vector<std::string_view>{"second", "first"}));
  EXPECT_EQ(client.get("/missing").header("x-wrapped"), "second");  // they see every response
}

struct out_of_stock : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST(App, ExceptionHandlersByType) {
  cogi::app app;
  app.exception_handler<std::runtime_error>([](request&, const std::runtime_error&) -> task<> {
    co_return cogi::text("generic", 502);
  });
  app.exception_handler<out_of_stock>([](request& req, const out_of_stock& e) -> task<> {
    co_return cogi::text(std::string(e.what()) + " at " + std::string(req.path()), 409);
  });
  app.exception_handler<cogi::http_exception>([](request&, const cogi::http_exception& e) -> task<> {
    co_return cogi::html("<h1>" + std::to_string(e.status()) + "</h1>", e.status());
  });
  app.get("/buy", [](request&) -> task<> { throw out_of_stock("sold out"); });
  app.get("/other", [](request&) -> task<> { throw std::runtime_error("x"); });
  cogi::test_client client(app);
  auto res = client.get("/buy");
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(res.body, "sold out at /buy");
  EXPECT_EQ(client.get("/other").status, 502);
  res = client.get("/missing");  // the router's 404 goes through the handlers too
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, "<h1>404</h1>");
}

TEST(App, UnexpectedExceptionIsAGeneric500) {
  cogi::app app;
  app.get("/boom", [](request&) -> task<> {
    throw std::runtime_error("password=hunter2 in /etc/secret");
  });
  app.get("/int", [](request&) -> task<> { throw 42; });
  cogi::test_client client(app);
  auto res = client.get("/boom");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.json().get("detail").to_str(), "Internal Server Error");
  EXPECT_EQ(res.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(client.get("/int").status, 500);
}

TEST(App, FailingExceptionHandlerIsA500) {
  cogi::app app;
  app.exception_handler<std::logic_error>([](request&, const std::logic_error&) -> task<> {
    throw std::runtime_error("handler broke");
  });
  app.get("/", [](request&) -> task<> { throw std::logic_error("x"); });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/").status, 500);
}

TEST(App, LifespanHooksFillPerLoopState) {
  std::vector<std::string> log;
  cogi::app app;
  app.on_startup([&log](cogi::state_map& state) -> asio::awaitable<void> {
    state.set("greeting", std::string("hello from startup"));
    log.push_back("start 1");
    co_return;
  });
  app.on_startup([&log](cogi::state_map&) -> asio::awaitable<void> {
    log.push_back("start 2");
    co_return;
  });
  app.on_shutdown([&log](cogi::state_map&) -> asio::awaitable<void> {
    log.push_back("stop 1");
    co_return;
  });
  app.on_shutdown([&log](cogi::state_map&) -> asio::awaitable<void> {
    log.push_back("stop 2");
    co_return;
  });
  app.get("/", [](request& req) -> task<> {
    co_return cogi::text(*req.app_state()->get<std::string>("greeting"));
  });
  {
    cogi::test_client client(app);
    EXPECT_EQ(log, (std::vector<std::string>{"start 1", "start 2"}));
    EXPECT_EQ(client.get("/").body, "hello from startup");
  }
  EXPECT_EQ(log, (std::vector<std::string>{"start 1", "start 2", "stop 2", "stop 1"}));
}

TEST(App, FailedStartupStopsTheLaunchWithItsMessage) {
  cogi::app app;
  app.on_startup([](cogi::state_map&) -> asio::awaitable<void> { throw std::runtime_error("database unreachable"); });
  try {
    cogi::test_client client(app);
    FAIL() << "startup should have failed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("database unreachable"), std::string::npos);
  }
}

// Issue 12: what is served is a snapshot, so a route added after the app was handed to
// run() or a test client would silently vanish: it throws instead.
TEST(App, AddingAfterTheAppIsServedThrows) {
  cogi::app app;
  app.get("/before", hello);
  cogi::test_client client(app);
  EXPECT_THROW(app.get("/after", hello), std::logic_error);
  EXPECT_THROW(app.use([](request& r, cogi::next_fn next) { return next(r); }), std::logic_error);
  EXPECT_THROW(app.mount("/static", cogi::app()), std::logic_error);
  EXPECT_THROW(app.on_startup([](cogi::state_map&) -> asio::awaitable<void> { co_return; }), std::logic_error);
  try {
    app.post("/late", hello);
    ADD_FAILURE() << "no exception";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("/late"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("test_client"), std::string::npos) << e.what();
  }
  EXPECT_EQ(client.get("/before").status, 200);
  EXPECT_EQ(client.get("/after").status, 404);
  // A router copied by include() is sealed the same way.
  cogi::router users;
  users.get("/", hello);
  cogi::app other;
  other.include("/users", users);
  EXPECT_THROW(users.get("/{id}", hello), std::logic_error);
}

}  // namespace
