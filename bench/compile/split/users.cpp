// The users resource: its models and five typed routes (bench/compile/).
#include "bench/compile/split/common.hpp"

namespace api {
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

}  // namespace api
