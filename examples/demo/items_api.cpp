#include "examples/demo/items_api.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/model.hpp"

namespace cogi::examples {

// What a client sends: a name, and whether the item is done (false if left out).
struct item_in {
  std::string name;
  bool done = false;
};
COGI_MODEL(item_in, (name, min_length(1), max_length(200), description("What is to be done")), (done, defaulted));

// What the API answers.
struct item {
  std::int64_t id = 0;
  std::string name;
  bool done = false;
};
COGI_MODEL(item, id, name, done);

namespace {

// Shared by every loop: a mutex, held only to copy in or out.
class item_store {
 public:
  explicit item_store(std::size_t capacity) : capacity_(capacity) {}

  std::vector<item> all() {
    std::lock_guard held(mutex_);
    std::vector<item> out;
    out.reserve(items_.size());
    for (const auto& [id, it] : items_) out.push_back(it);
    return out;
  }
  item add(const item_in& in) {
    std::lock_guard held(mutex_);
    if (items_.size() >= capacity_) throw http_exception(507, "the demo store is full");
    const std::int64_t id = next_id_++;
    return items_.emplace(id, item{id, in.name, in.done}).first->second;
  }
  item get(std::int64_t id) {
    std::lock_guard held(mutex_);
    return found(id);
  }
  item replace(std::int64_t id, const item_in& in) {
    std::lock_guard held(mutex_);
    item& it = found(id);
    it.name = in.name;
    it.done = in.done;
    return it;
  }
  void remove(std::int64_t id) {
    std::lock_guard held(mutex_);
    if (items_.erase(id) == 0) throw http_exception(404, "no item " + std::to_string(id));
  }

 private:
  item& found(std::int64_t id) {
    const auto it = items_.find(id);
    if (it == items_.end()) throw http_exception(404, "no item " + std::to_string(id));
    return it->second;
  }

  std::mutex mutex_;
  std::map<std::int64_t, item> items_;
  std::int64_t next_id_ = 1;
  std::size_t capacity_;
};

using item_id = cogi::path<"id", std::int64_t>;

}  // namespace

cogi::router items_api(std::size_t max_items) {
  // The routes keep their handlers (and so the store they capture) while the app serves.
  auto store = std::make_shared<item_store>(max_items);
  cogi::router r;
  r.get("/", [store]() -> task<std::vector<item>> { co_return store->all(); }, "list").summary("List the items").tags({"items"});
  r.post("/", [store](body<item_in> in, response& res) -> task<item> {
     const item created = store->add(*in);
     res.headers.add("location", "/items/" + std::to_string(created.id));
     co_return created;
   }).status(201).summary("Add an item").tags({"items"}).name("create");
  r.get("/{id:int}", [store](item_id id) -> task<item> { co_return store->get(*id); }, "item").summary("One item").tags({"items"});
  r.put("/{id:int}", [store](item_id id, body<item_in> in) -> task<item> { co_return store->replace(*id, *in); },
        "replace")
      .summary("Replace an item")
      .tags({"items"});
  r.delete_("/{id:int}", [store](item_id id) -> task<void> {
     store->remove(*id);
     co_return;
   }).summary("Delete an item").tags({"items"}).name("delete");
  return r;
}

}  // namespace cogi::examples
