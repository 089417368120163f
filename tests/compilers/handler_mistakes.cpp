// The common mistakes in typed handlers, models and app.use, each of which must stop
// the build with the sentence the framework wrote for it (check_messages.sh compiles
// this file once and looks for each). Not built into anything.
#include <set>
#include <string>

#include "cogi/framework/app.hpp"

namespace mistakes {

struct item {
  std::string name;
};
COGI_MODEL(item, name);

struct with_set {
  std::set<int> numbers;
};
COGI_MODEL(with_set, numbers);  // a field type models cannot read

struct rule_on_string {
  std::string name;
};
COGI_MODEL(rule_on_string, (name, ge(1)));  // a number's rule on a string

void not_a_coroutine(cogi::app& app) {
  app.get("/", [](cogi::request&) { return cogi::text("sync"); });
}

void unknown_parameter(cogi::app& app) {
  app.get("/", [](std::string name) -> cogi::task<> { co_return cogi::text(name); });
}

void request_by_value(cogi::app& app) {
  app.get("/", [](cogi::request, cogi::query<"q">) -> cogi::task<> { co_return cogi::text(""); });
}

void two_bodies(cogi::app& app) {
  app.post("/", [](cogi::body<item>, cogi::body<item>) -> cogi::task<void> { co_return; });
}

void unwritable_result(cogi::app& app) {
  app.get("/", [](cogi::query<"q">) -> cogi::task<int*> { co_return nullptr; });
}

void generic_parameters(cogi::app& app) {
  app.get("/", []<class T>(cogi::body<T>) -> cogi::task<void> { co_return; });
}

void not_middleware(cogi::app& app) { app.use(42); }

void use_the_models() {
  (void)cogi::to_json(with_set{});
  (void)cogi::from_json<rule_on_string>("{}");
}

}  // namespace mistakes
