#pragma once
// An in-memory JSON CRUD API, the REST shape most services start from:
//   GET    /items           200 [{"id":1,"name":"...","done":false}, ...]
//   POST   /items           201 the new item, Location: /items/{id}
//   GET    /items/{id:int}  200 the item, 404 if there is none
//   PUT    /items/{id:int}  200 the item replaced
//   DELETE /items/{id:int}  204
// Typed handlers (framework/typed/): an item is a model with a non-empty "name" of at
// most 200 characters and an optional boolean "done"; anything else is a 422 in
// FastAPI's shape, every problem listed. The store is shared by every loop and bounded.

#include "cogi/framework/router.hpp"

namespace cogi::examples {

// The routes, for including under a prefix ("/items").
cogi::router items_api(std::size_t max_items = 10'000);

}  // namespace cogi::examples
