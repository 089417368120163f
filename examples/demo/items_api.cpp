#include "examples/demo/items_api.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "cogi/framework/http_exception.hpp"

namespace cogi::examples {
namespace {

struct item {
  std::string name;
  bool done = false;
};

struct item_store {
  std::mutex mutex;
  std::map<std::int64_t, item> items;
  std::int64_t next_id = 1;
  std::size_t capacity;
  explicit item_store(std::size_t max) : capacity(max) {}
};

using store_ptr = std::shared_ptr<item_store>;

picojson::value to_json(std::int64_t id, const item& it) {
  picojson::object o;
  o["id"] = picojson::value(id);
  o["name"] = picojson::value(it.name);
  o["done"] = picojson::value(it.done);
  return picojson::value(std::move(o));
}

// Validates a request body into an item, or throws a 422 that names the problem.
item from_json(const picojson::value& doc) {
  if (!doc.is<picojson::object>()) throw http_exception(422, "an item is a JSON object");
  const auto& o = doc.get<picojson::object>();
  const auto name = o.find("name");
  if (name == o.end() || !name->second.is<std::string>() || name->second.get<std::string>().empty())
    throw http_exception(422, "\"name\" must be a non-empty string");
  item out{name->second.get<std::string>()};
  if (const auto done = o.find("done"); done != o.end()) {
    if (!done->second.is<bool>()) throw http_exception(422, "\"done\" must be true or false");
    out.done = done->second.get<bool>();
  }
  return out;
}

asio::awaitable<response> list_items(store_ptr store, request&) {
  picojson::array all;
  {
    std::lock_guard held(store->mutex);
    for (const auto& [id, it] : store->items) all.push_back(to_json(id, it));
  }
  co_return json(picojson::value(std::move(all)));
}

asio::awaitable<response> create_item(store_ptr store, request& req) {
  const picojson::value doc = co_await req.json();  // named: GCC 12 and co_await temporaries
  const item fresh = from_json(doc);
  std::int64_t id = 0;
  {
    std::lock_guard held(store->mutex);
    if (store->items.size() >= store->capacity) throw http_exception(507, "the demo store is full");
    id = store->next_id++;
    store->items.emplace(id, fresh);
  }
  response res = json(to_json(id, fresh), 201);
  res.headers.add("location", "/items/" + std::to_string(id));
  co_return res;
}

asio::awaitable<response> get_item(store_ptr store, request& req) {
  const auto id = req.path_params().get<std::int64_t>("id");
  std::lock_guard held(store->mutex);
  const auto found = store->items.find(id);
  if (found == store->items.end()) throw http_exception(404, "no item " + std::to_string(id));
  co_return json(to_json(id, found->second));
}

asio::awaitable<response> replace_item(store_ptr store, request& req) {
  const auto id = req.path_params().get<std::int64_t>("id");
  const picojson::value doc = co_await req.json();
  const item replacement = from_json(doc);
  std::lock_guard held(store->mutex);
  const auto found = store->items.find(id);
  if (found == store->items.end()) throw http_exception(404, "no item " + std::to_string(id));
  found->second = replacement;
  co_return json(to_json(id, replacement));
}

asio::awaitable<response> delete_item(store_ptr store, request& req) {
  const auto id = req.path_params().get<std::int64_t>("id");
  std::lock_guard held(store->mutex);
  if (store->items.erase(id) == 0) throw http_exception(404, "no item " + std::to_string(id));
  co_return response(204);
}

// Binds a handler to the store (the lambda is not a coroutine, so capturing is safe).
template <class Handler>
handler_fn with_store(store_ptr store, Handler handler) {
  return [store, handler](request& req) { return handler(store, req); };
}

}  // namespace

cogi::router items_api(std::size_t max_items) {
  auto store = std::make_shared<item_store>(max_items);
  cogi::router r;
  r.get("/", with_store(store, list_items), "list");
  r.post("/", with_store(store, create_item), "create");
  r.get("/{id:int}", with_store(store, get_item), "item");
  r.put("/{id:int}", with_store(store, replace_item), "replace");
  r.delete_("/{id:int}", with_store(store, delete_item), "delete");
  return r;
}

}  // namespace cogi::examples
