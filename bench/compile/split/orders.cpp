// The orders resource: its models and five typed routes (bench/compile/).
#include "bench/compile/split/common.hpp"

namespace api {
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

}  // namespace api
