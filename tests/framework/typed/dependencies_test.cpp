// Dependencies and background tasks: providers run once per request with their own
// typed parameters, their values live until the response is out and are then released
// newest first, and background tasks run after the response.

#include "cogi/framework/typed/dependencies.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"

namespace {

// What happened, in order, in the tests' single-threaded test client.
std::vector<std::string>& journal() {
  static std::vector<std::string> events;
  return events;
}

// A resource whose destructor is its cleanup (a pooled connection going back).
struct connection {
  std::string name;
  bool moved_from = false;
  explicit connection(std::string n) : name(std::move(n)) { journal().push_back("open " + name); }
  connection(connection&& other) noexcept : name(std::move(other.name)) { other.moved_from = true; }
  connection& operator=(connection&&) = delete;
  ~connection() {
    if (!moved_from) journal().push_back("close " + name);
  }
};

cogi::task<connection> database() {
  co_return connection("db");
}

struct user {
  std::string name;
};

// A provider with its own parameters and a dependency of its own.
cogi::task<user> current_user(cogi::header<"authorization", std::string> auth, cogi::depends<database> db) {
  if (!auth->starts_with("Bearer ")) throw cogi::http_exception(401, "not signed in", {{"www-authenticate", "Bearer"}});
  journal().push_back("user via " + db->name);
  co_return user{auth->substr(7)};
}

// A synchronous provider.
int page_size(cogi::query<"size", std::optional<int>> size) { return size->value_or(10); }

cogi::task<void> remember(std::string what) {
  journal().push_back(what);
  co_return;
}

cogi::task<void> fails() {
  throw std::runtime_error("boom");
  co_return;
}

cogi::app make_app() {
  cogi::app app;
  app.get("/me", [](cogi::depends<current_user> me, cogi::depends<database> db,
                    cogi::depends<page_size> size) -> cogi::task<> {
    journal().push_back("handler");
    co_return cogi::text(me->name + " " + db->name + " " + std::to_string(*size));
  });
  app.post("/signup", [](cogi::query<"name", std::string> name, cogi::background_tasks& later,
                         cogi::depends<database>) -> cogi::task<void> {
    later.add(fails());
    later.add(remember("welcome " + *name));
    journal().push_back("handler");
    co_return;
  });
  return app;
}

TEST(Dependencies, ProvidersRunOncePerRequestAndCleanUpAfterTheResponse) {
  journal().clear();
  cogi::test_client client(make_app());
  const auto res = client.get("/me?size=5", {{"authorization", "Bearer ada"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ada db 5");
  // The database is opened once though two parameters ask for it, and closed after
  // the handler, once the response was sent.
  EXPECT_EQ(journal(), (std::vector<std::string>{"open db", "user via db", "handler", "close db"}));
}

TEST(Dependencies, AProviderCanRefuseTheRequestAndItsValuesAreStillReleased) {
  journal().clear();
  cogi::test_client client(make_app());
  const auto res = client.get("/me", {{"authorization", "Basic x"}});
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.header("www-authenticate"), "Bearer");
  EXPECT_EQ(journal(), (std::vector<std::string>{"open db", "close db"}));
}

TEST(Dependencies, TheirParametersJoinTheRequestsValidationErrors) {
  journal().clear();
  cogi::test_client client(make_app());
  const auto res = client.get("/me?size=big");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["header","authorization"],"msg":"Field required","type":"missing"},)"
            R"({"loc":["query","size"],"msg":"Input should be a valid integer, unable to parse string as an integer","type":"int_parsing"}]})");
  EXPECT_TRUE(journal().empty() || journal() == (std::vector<std::string>{"open db", "close db"}));
}

TEST(Dependencies, DocumentTheParametersTheyRead) {
  const cogi::app app = make_app();
  const auto& op = *app.routes().front().op;
  ASSERT_EQ(op.parameters.size(), 2u);
  EXPECT_EQ(op.parameters[0].name, "authorization");
  EXPECT_TRUE(op.parameters[0].required);
  EXPECT_EQ(op.parameters[1].name, "size");
  EXPECT_FALSE(op.parameters[1].required);
}

TEST(BackgroundTasks, RunAfterTheResponseInOrderAndAFailureDoesNotStopTheNext) {
  journal().clear();
  cogi::test_client client(make_app());
  const auto res = client.post("/signup?name=ada");
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(journal(), (std::vector<std::string>{"open db", "handler", "welcome ada", "close db"}));
}

}  // namespace
