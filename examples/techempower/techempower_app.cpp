#include "examples/techempower/techempower_app.hpp"

#include <algorithm>
#include <charconv>
#include <random>
#include <string>
#include <vector>

#include "examples/techempower/redis_world_cache.hpp"
#include "examples/techempower/world.hpp"
#include "examples/techempower/world_cache.hpp"
#include "cogi/framework/html.hpp"
#include "cogi/framework/json_writer.hpp"

namespace cogi::techempower {

namespace {

constexpr int world_rows = 10'000;
const std::string cache_key = "techempower.world_cache";

// A random World id (and random number), 1..10000, from a generator per thread (loop).
int random_number() {
  thread_local std::minstd_rand generator(std::random_device{}());
  thread_local std::uniform_int_distribution<int> distribution(1, world_rows);
  return distribution(generator);
}

std::vector<int> random_ids(int n) {
  std::vector<int> ids(static_cast<std::size_t>(n));
  for (int& id : ids) id = random_number();
  return ids;
}

response json_body(std::string body) { return bytes(std::move(body), "application/json"); }

template <class Error>
task<> service_unavailable(request&, const Error& e) {
  picojson::object detail;
  detail["detail"] = picojson::value(std::string(e.what()));
  response res = json(picojson::value(std::move(detail)), 503);
  res.headers.set("retry-after", "1");
  co_return res;
}

std::string worlds_json(const std::vector<world>& rows) {
  std::string body;
  body.reserve(rows.size() * 32 + 2);
  body.push_back('[');
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) body.push_back(',');
    append_world_json(body, rows[i]);
  }
  body.push_back(']');
  return body;
}

std::vector<world> rows_of(const std::vector<postgres::result>& results) {
  std::vector<world> rows;
  rows.reserve(results.size());
  for (const postgres::result& r : results) rows.push_back(r.one<world>());
  return rows;
}

// One query per row, pipelined.
asio::awaitable<std::vector<world>> read_worlds(hello_world_db& store, const std::vector<int>& ids) {
  postgres::batch reads;
  for (int id : ids) reads.add(store.world_by_id, id);
  const std::vector<postgres::result> results = co_await store.db.run(reads);
  co_return rows_of(results);
}

std::string fortunes_page(std::vector<fortune>& fortunes) {
  fortunes.push_back({0, "Additional fortune added at request time."});
  std::sort(fortunes.begin(), fortunes.end(), [](const fortune& a, const fortune& b) { return a.message < b.message; });
  std::string page =
      "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>";
  char digits[16];
  for (const fortune& f : fortunes) {
    page += "<tr><td>";
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, f.id);
    page.append(digits, end);
    page += "</td><td>";
    append_html_escaped(page, f.message);
    page += "</td></tr>";
  }
  page += "</table></body></html>";
  return page;
}

}  // namespace

void append_world_json(std::string& out, const world& w) {
  const auto append_number = [&out](int n) {
    char digits[16];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, end);
  };
  out += "{\"id\":";
  append_number(w.id);
  out += ",\"randomNumber\":";
  append_number(w.randomnumber);
  out.push_back('}');
}

int clamp_count(std::optional<std::string_view> text) {
  if (!text) return 1;
  int value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec == std::errc::result_out_of_range) return text->starts_with('-') ? 1 : 500;
  if (ec != std::errc{} || end != text->data() + text->size()) return 1;
  return std::clamp(value, 1, 500);
}

hello_world_db::hello_world_db(postgres::options settings)
    : db(std::move(settings)),
      world_by_id(db.prepare("SELECT id, randomnumber FROM world WHERE id = $1")),
      all_fortunes(db.prepare("SELECT id, message FROM fortune")),
      // One statement for the whole batch; the ids arrive sorted, so that concurrent
      // updates take their row locks in the same order and cannot deadlock.
      update_worlds(db.prepare(
          "UPDATE world SET randomnumber = new.randomnumber "
          "FROM unnest($1::int4[], $2::int4[]) AS new(id, randomnumber) WHERE world.id = new.id")) {}

cogi::app make_app(hello_world_db& store, const app_settings& settings) {
  cogi::app app;

  app.on_startup([&store, settings](state_map& state) -> asio::awaitable<void> {
    co_await store.db.open();
    if (settings.redis != nullptr) {
      co_await settings.redis->open();
    } else {
      state.set(cache_key, std::make_shared<world_cache>(store.db, store.world_by_id, settings.cache_capacity));
    }
  });
  app.on_shutdown([&store, settings](state_map&) -> asio::awaitable<void> {
    if (settings.redis != nullptr) co_await settings.redis->close();
    co_await store.db.close();
  });

  // A service is down (or every connection busy): a 503 the client may retry.
  app.exception_handler<postgres::unavailable>(service_unavailable<postgres::unavailable>);
  app.exception_handler<postgres::connection_lost>(service_unavailable<postgres::connection_lost>);
  app.exception_handler<postgres::query_timeout>(service_unavailable<postgres::query_timeout>);
  app.exception_handler<redis::unavailable>(service_unavailable<redis::unavailable>);
  app.exception_handler<redis::connection_lost>(service_unavailable<redis::connection_lost>);
  app.exception_handler<redis::command_timeout>(service_unavailable<redis::command_timeout>);

  app.get("/plaintext", [](request&) -> task<> { co_return text("Hello, World!"); });

  app.get("/json", [](request&) -> task<> {
    picojson::object message;
    message["message"] = picojson::value("Hello, World!");
    co_return json_body(to_json(picojson::value(std::move(message))));
  });

  app.get("/db", [&store](request&) -> task<> {
    const world row = co_await store.db.query_one<world>(store.world_by_id, random_number());
    std::string body;
    append_world_json(body, row);
    co_return json_body(std::move(body));
  });

  app.get("/queries", [&store](request& req) -> task<> {
    const std::vector<int> ids = random_ids(clamp_count(req.query().get("queries")));
    const std::vector<world> rows = co_await read_worlds(store, ids);
    co_return json_body(worlds_json(rows));
  });

  app.get("/fortunes", [&store](request&) -> task<> {
    std::vector<fortune> fortunes = co_await store.db.query<fortune>(store.all_fortunes);
    co_return html(fortunes_page(fortunes));
  });

  app.get("/updates", [&store](request& req) -> task<> {
    const std::vector<int> ids = random_ids(clamp_count(req.query().get("queries")));
    std::vector<world> rows = co_await read_worlds(store, ids);
    // New numbers, one per distinct id (an id drawn twice gets one new number), and the
    // write sorted by id.
    std::vector<std::pair<int, int>> changes;
    changes.reserve(rows.size());
    for (const world& w : rows) changes.emplace_back(w.id, random_number());
    std::sort(changes.begin(), changes.end());
    changes.erase(std::unique(changes.begin(), changes.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  changes.end());
    std::vector<int> new_ids, new_numbers;
    new_ids.reserve(changes.size());
    new_numbers.reserve(changes.size());
    for (const auto& [id, number] : changes) {
      new_ids.push_back(id);
      new_numbers.push_back(number);
    }
    co_await store.db.execute(store.update_worlds, new_ids, new_numbers);
    for (world& w : rows) {
      w.randomnumber = std::lower_bound(changes.begin(), changes.end(), std::make_pair(w.id, 0))->second;
    }
    co_return json_body(worlds_json(rows));
  });

  if (settings.redis != nullptr) {
    auto shared = std::make_shared<redis_world_cache>(*settings.redis, store.db, store.world_by_id, settings.redis_ttl);
    app.get("/cached-queries", [shared](request& req) -> task<> {
      std::vector<int> ids = random_ids(clamp_count(req.query().get("count")));
      const std::vector<world> rows = co_await shared->get(std::move(ids));
      co_return json_body(worlds_json(rows));
    });
  } else {
    app.get("/cached-queries", [](request& req) -> task<> {
      const std::vector<int> ids = random_ids(clamp_count(req.query().get("count")));
      const std::shared_ptr<world_cache> cache = *req.app_state()->get<std::shared_ptr<world_cache>>(cache_key);
      const std::vector<world> rows = co_await cache->get(ids);
      co_return json_body(worlds_json(rows));
    });
  }

  return app;
}

}  // namespace cogi::techempower
