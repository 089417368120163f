#pragma once
// What the twenty-route app's files share (bench/compile/): the includes, the signed-in
// user as a dependency, an enum, and each resource's route function.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cogi/framework/app.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/server/runtime/run.hpp"

namespace api {

inline cogi::task<std::string> caller(cogi::header<"x-user", std::string, cogi::min_length(1)> user) { co_return *user; }
using signed_in = cogi::depends<caller>;

void add_users(cogi::app& app);
void add_notes(cogi::app& app);
void add_orders(cogi::app& app);
void add_products(cogi::app& app);

enum class state { draft, active, archived };
COGI_ENUM(state, draft, active, archived);

}  // namespace api
