// A REST resource with typed path parameters, JSON in and out, errors as JSON, and a
// Location built by reverse routing. build/examples/rest_api, then:
//   curl -X POST -d '{"title":"Dune"}' http://127.0.0.1:8000/books
//   curl http://127.0.0.1:8000/books/1
// The map is shared without a lock, so this example runs one loop by default.
#include <map>

#include "cogi/framework/app.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/server/runtime/run.hpp"

namespace {

std::map<std::int64_t, std::string> books;
std::int64_t next_id = 1;
cogi::app api;

picojson::value book_json(std::int64_t id) {
  picojson::object o{{"id", picojson::value(id)}, {"title", picojson::value(books.at(id))}};
  return picojson::value(o);
}

asio::awaitable<cogi::response> create(cogi::request& req) {
  const picojson::value doc = co_await req.json();  // malformed: 400 with the reason
  if (!doc.contains("title") || !doc.get("title").is<std::string>()) throw cogi::http_exception(422, "title must be a string");
  const auto id = next_id++;
  books[id] = doc.get("title").get<std::string>();
  auto res = cogi::json(book_json(id), 201);
  res.headers.set("location", api.url_path_for("book", {{"id", std::to_string(id)}}));
  co_return res;
}

asio::awaitable<cogi::response> show(cogi::request& req) {
  const auto id = req.path_params().get<std::int64_t>("id");
  if (!books.contains(id)) throw cogi::http_exception(404, "no book " + std::to_string(id));
  co_return cogi::json(book_json(id));
}

asio::awaitable<cogi::response> destroy(cogi::request& req) {
  if (books.erase(req.path_params().get<std::int64_t>("id")) == 0) throw cogi::http_exception(404);
  co_return cogi::response(204);
}

}  // namespace

int main(int argc, char** argv) {
  api.post("/books", create);
  api.get("/books/{id:int}", show, "book");
  api.delete_("/books/{id:int}", destroy);
  cogi::server_config defaults;
  defaults.loops = 1;
  return cogi::run(api, argc, argv, defaults);
}
