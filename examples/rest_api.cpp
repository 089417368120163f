// A notes API with typed handlers: models validated with every problem reported (422
// in FastAPI's shape), parameters read from the path, query and headers, the signed-in
// user as a dependency, results written as JSON, and the API documented at /docs.
// docs/typed_handlers.md sets it beside the same API in FastAPI. build/examples/rest_api:
//   curl -H 'x-user: ada' -d '{"title":"Dune","tags":["books"]}' http://127.0.0.1:8000/notes
//   curl -H 'x-user: ada' 'http://127.0.0.1:8000/notes?tag=books&limit=10'
//   open http://127.0.0.1:8000/docs
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cogi/framework/app.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/server/runtime/run.hpp"

namespace notes {

enum class priority { low, normal, high };
COGI_ENUM(priority, low, normal, high);

struct note_in {
  std::string title;
  std::optional<std::string> body;
  std::vector<std::string> tags;
  priority level = priority::normal;
  std::optional<std::chrono::sys_seconds> due;
};
COGI_MODEL(note_in, (title, min_length(1), max_length(200)), (body, max_length(10000)),
           (tags, defaulted, max_length(10)), (level, defaulted), due);

struct note {
  std::int64_t id = 0;
  std::string owner;
  std::string title;
  std::optional<std::string> body;
  std::vector<std::string> tags;
  priority level = priority::normal;
  std::optional<std::chrono::sys_seconds> due;
  std::chrono::sys_seconds created;
};
COGI_MODEL(note, id, owner, title, body, tags, level, due, created);

// The signed-in user: a dependency any route can ask for (a real app checks a token).
cogi::task<std::string> current_user(cogi::header<"x-user", std::string, cogi::min_length(1), cogi::max_length(64)> user) {
  co_return *user;
}
using user = cogi::depends<current_user>;

// Shared by every loop; the mutex is held only to copy in or out.
struct store {
  std::mutex lock;
  std::map<std::int64_t, note> notes;
  std::int64_t next_id = 1;

  note& owned(const std::string& owner, std::int64_t id) {
    const auto found = notes.find(id);
    if (found == notes.end() || found->second.owner != owner) throw cogi::http_exception(404, "Note not found");
    return found->second;
  }
};

using note_id = cogi::path<"note_id", std::int64_t>;

cogi::app make_app() {
  cogi::app app;
  auto db = std::make_shared<store>();  // the handlers capture it: the routes keep them while the app serves

  app.post("/notes", [db](user owner, cogi::body<note_in> in, cogi::response& res) -> cogi::task<note> {
       std::lock_guard held(db->lock);
       const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
       const note created{db->next_id++, *owner, in->title, in->body, in->tags, in->level, in->due, now};
       db->notes[created.id] = created;
       res.headers.set("location", "/notes/" + std::to_string(created.id));
       co_return created;
     })
      .status(201);

  app.get("/notes", [db](user owner, cogi::query<"tag", std::optional<std::string>> tag,
                         cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit,
                         cogi::query<"offset", int, cogi::defaults_to(0), cogi::ge(0)> offset)
                 -> cogi::task<std::vector<note>> {
    std::lock_guard held(db->lock);
    std::vector<note> mine;
    for (const auto& [id, n] : db->notes)
      if (n.owner == *owner && (!*tag || std::ranges::count(n.tags, **tag) > 0)) mine.push_back(n);
    const auto first = std::min<std::size_t>(static_cast<std::size_t>(*offset), mine.size());
    const auto last = std::min<std::size_t>(first + static_cast<std::size_t>(*limit), mine.size());
    co_return std::vector<note>(mine.begin() + first, mine.begin() + last);
  });

  app.get("/notes/{note_id}", [db](user owner, note_id id) -> cogi::task<note> {
    std::lock_guard held(db->lock);
    co_return db->owned(*owner, *id);
  });

  app.put("/notes/{note_id}", [db](user owner, note_id id, cogi::body<note_in> in) -> cogi::task<note> {
    std::lock_guard held(db->lock);
    const auto created = db->owned(*owner, *id).created;
    co_return db->notes[*id] = note{*id, *owner, in->title, in->body, in->tags, in->level, in->due, created};
  });

  app.delete_("/notes/{note_id}", [db](user owner, note_id id) -> cogi::task<void> {
    std::lock_guard held(db->lock);
    db->owned(*owner, *id);
    db->notes.erase(*id);
    co_return;
  });

  app.openapi({.title = "Notes", .version = "1.0.0"});
  return app;
}

}  // namespace notes

int main(int argc, char** argv) { return cogi::run(notes::make_app(), argc, argv); }
