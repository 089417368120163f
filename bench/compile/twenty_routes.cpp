// A 20-route typed app for bench/compile_time.sh: four resources, each with its models,
// five CRUD routes on typed handlers (body, path, query and header parameters, a
// dependency, results as models), the way an application's API file looks. Built whole
// (twenty_routes), and split one resource per translation unit (twenty_routes_split:
// COGI_PART 1 to 4 are the resources, 5 is main), as a larger app would be.
#ifndef COGI_PART
#define COGI_PART 0  // everything
#endif
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

#if COGI_PART == 0 || COGI_PART == 1
struct user_in {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
};
COGI_MODEL(user_in, (name, min_length(1), max_length(100)), (description, max_length(2000)), (tags, defaulted, max_length(20)),
           (status, defaulted), (rank, defaulted, ge(0), le(1000000)));

struct user {
  std::int64_t id = 0;
  std::string owner;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
  std::chrono::sys_seconds created;
};
COGI_MODEL(user, id, owner, name, description, tags, status, rank, created);

struct user_store {
  std::mutex lock;
  std::map<std::int64_t, user> items;
  std::int64_t next_id = 1;
};

void add_users(cogi::app& app) {
  auto db = std::make_shared<user_store>();
  using id = cogi::path<"id", std::int64_t>;
  app.post("/users", [db](signed_in who, cogi::body<user_in> in) -> cogi::task<user> {
    std::lock_guard held(db->lock);
    const user made{db->next_id++, *who, in->name, in->description, in->tags, in->status, in->rank,
                   std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
    db->items[made.id] = made;
    co_return made;
  }).status(201);
  app.get("/users", [db](signed_in who, cogi::query<"tag", std::optional<std::string>> tag,
                         cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit)
                 -> cogi::task<std::vector<user>> {
    std::lock_guard held(db->lock);
    std::vector<user> found;
    for (const auto& [key, item] : db->items)
      if (item.owner == *who && (!*tag || std::ranges::count(item.tags, **tag) > 0) &&
          static_cast<int>(found.size()) < *limit)
        found.push_back(item);
    co_return found;
  });
  app.get("/users/{id}", [db](signed_in who, id key) -> cogi::task<user> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    co_return it->second;
  });
  app.put("/users/{id}", [db](signed_in who, id key, cogi::body<user_in> in) -> cogi::task<user> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    it->second.name = in->name;
    it->second.description = in->description;
    it->second.tags = in->tags;
    it->second.status = in->status;
    it->second.rank = in->rank;
    co_return it->second;
  });
  app.delete_("/users/{id}", [db](signed_in who, id key) -> cogi::task<void> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    db->items.erase(it);
    co_return;
  });
}
#endif

#if COGI_PART == 0 || COGI_PART == 2
struct note_in {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
};
COGI_MODEL(note_in, (name, min_length(1), max_length(100)), (description, max_length(2000)), (tags, defaulted, max_length(20)),
           (status, defaulted), (rank, defaulted, ge(0), le(1000000)));

struct note {
  std::int64_t id = 0;
  std::string owner;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
  std::chrono::sys_seconds created;
};
COGI_MODEL(note, id, owner, name, description, tags, status, rank, created);

struct note_store {
  std::mutex lock;
  std::map<std::int64_t, note> items;
  std::int64_t next_id = 1;
};

void add_notes(cogi::app& app) {
  auto db = std::make_shared<note_store>();
  using id = cogi::path<"id", std::int64_t>;
  app.post("/notes", [db](signed_in who, cogi::body<note_in> in) -> cogi::task<note> {
    std::lock_guard held(db->lock);
    const note made{db->next_id++, *who, in->name, in->description, in->tags, in->status, in->rank,
                   std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
    db->items[made.id] = made;
    co_return made;
  }).status(201);
  app.get("/notes", [db](signed_in who, cogi::query<"tag", std::optional<std::string>> tag,
                         cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit)
                 -> cogi::task<std::vector<note>> {
    std::lock_guard held(db->lock);
    std::vector<note> found;
    for (const auto& [key, item] : db->items)
      if (item.owner == *who && (!*tag || std::ranges::count(item.tags, **tag) > 0) &&
          static_cast<int>(found.size()) < *limit)
        found.push_back(item);
    co_return found;
  });
  app.get("/notes/{id}", [db](signed_in who, id key) -> cogi::task<note> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    co_return it->second;
  });
  app.put("/notes/{id}", [db](signed_in who, id key, cogi::body<note_in> in) -> cogi::task<note> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    it->second.name = in->name;
    it->second.description = in->description;
    it->second.tags = in->tags;
    it->second.status = in->status;
    it->second.rank = in->rank;
    co_return it->second;
  });
  app.delete_("/notes/{id}", [db](signed_in who, id key) -> cogi::task<void> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    db->items.erase(it);
    co_return;
  });
}
#endif

#if COGI_PART == 0 || COGI_PART == 3
struct order_in {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
};
COGI_MODEL(order_in, (name, min_length(1), max_length(100)), (description, max_length(2000)), (tags, defaulted, max_length(20)),
           (status, defaulted), (rank, defaulted, ge(0), le(1000000)));

struct order {
  std::int64_t id = 0;
  std::string owner;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
  std::chrono::sys_seconds created;
};
COGI_MODEL(order, id, owner, name, description, tags, status, rank, created);

struct order_store {
  std::mutex lock;
  std::map<std::int64_t, order> items;
  std::int64_t next_id = 1;
};

void add_orders(cogi::app& app) {
  auto db = std::make_shared<order_store>();
  using id = cogi::path<"id", std::int64_t>;
  app.post("/orders", [db](signed_in who, cogi::body<order_in> in) -> cogi::task<order> {
    std::lock_guard held(db->lock);
    const order made{db->next_id++, *who, in->name, in->description, in->tags, in->status, in->rank,
                   std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
    db->items[made.id] = made;
    co_return made;
  }).status(201);
  app.get("/orders", [db](signed_in who, cogi::query<"tag", std::optional<std::string>> tag,
                         cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit)
                 -> cogi::task<std::vector<order>> {
    std::lock_guard held(db->lock);
    std::vector<order> found;
    for (const auto& [key, item] : db->items)
      if (item.owner == *who && (!*tag || std::ranges::count(item.tags, **tag) > 0) &&
          static_cast<int>(found.size()) < *limit)
        found.push_back(item);
    co_return found;
  });
  app.get("/orders/{id}", [db](signed_in who, id key) -> cogi::task<order> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    co_return it->second;
  });
  app.put("/orders/{id}", [db](signed_in who, id key, cogi::body<order_in> in) -> cogi::task<order> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    it->second.name = in->name;
    it->second.description = in->description;
    it->second.tags = in->tags;
    it->second.status = in->status;
    it->second.rank = in->rank;
    co_return it->second;
  });
  app.delete_("/orders/{id}", [db](signed_in who, id key) -> cogi::task<void> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    db->items.erase(it);
    co_return;
  });
}
#endif

#if COGI_PART == 0 || COGI_PART == 4
struct product_in {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
};
COGI_MODEL(product_in, (name, min_length(1), max_length(100)), (description, max_length(2000)), (tags, defaulted, max_length(20)),
           (status, defaulted), (rank, defaulted, ge(0), le(1000000)));

struct product {
  std::int64_t id = 0;
  std::string owner;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> tags;
  state status = state::draft;
  std::int64_t rank = 0;
  std::chrono::sys_seconds created;
};
COGI_MODEL(product, id, owner, name, description, tags, status, rank, created);

struct product_store {
  std::mutex lock;
  std::map<std::int64_t, product> items;
  std::int64_t next_id = 1;
};

void add_products(cogi::app& app) {
  auto db = std::make_shared<product_store>();
  using id = cogi::path<"id", std::int64_t>;
  app.post("/products", [db](signed_in who, cogi::body<product_in> in) -> cogi::task<product> {
    std::lock_guard held(db->lock);
    const product made{db->next_id++, *who, in->name, in->description, in->tags, in->status, in->rank,
                   std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
    db->items[made.id] = made;
    co_return made;
  }).status(201);
  app.get("/products", [db](signed_in who, cogi::query<"tag", std::optional<std::string>> tag,
                         cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit)
                 -> cogi::task<std::vector<product>> {
    std::lock_guard held(db->lock);
    std::vector<product> found;
    for (const auto& [key, item] : db->items)
      if (item.owner == *who && (!*tag || std::ranges::count(item.tags, **tag) > 0) &&
          static_cast<int>(found.size()) < *limit)
        found.push_back(item);
    co_return found;
  });
  app.get("/products/{id}", [db](signed_in who, id key) -> cogi::task<product> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    co_return it->second;
  });
  app.put("/products/{id}", [db](signed_in who, id key, cogi::body<product_in> in) -> cogi::task<product> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    it->second.name = in->name;
    it->second.description = in->description;
    it->second.tags = in->tags;
    it->second.status = in->status;
    it->second.rank = in->rank;
    co_return it->second;
  });
  app.delete_("/products/{id}", [db](signed_in who, id key) -> cogi::task<void> {
    std::lock_guard held(db->lock);
    const auto it = db->items.find(*key);
    if (it == db->items.end() || it->second.owner != *who) throw cogi::http_exception(404, "not found");
    db->items.erase(it);
    co_return;
  });
}
#endif

}  // namespace api

#if COGI_PART == 0 || COGI_PART == 5
int main(int argc, char** argv) {
  cogi::app app;
  api::add_users(app);
  api::add_notes(app);
  api::add_orders(app);
  api::add_products(app);
  app.openapi({.title = "Twenty routes"});
  return cogi::run(app, argc, argv);
}
#endif
