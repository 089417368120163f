// POST /model: read a 5-field JSON model, validate it, answer it back with a computed
// total, the typed way (framework/typed/). Built a second time with
// COGI_HANDWRITTEN_MODEL as model_app_handwritten, where the same route reads and
// writes picojson by hand with the same checks, as a cogi handler did before typed
// handlers: bench/run.sh --suite model measures one against the other, and FastAPI's
// (bench/apps/fastapi_model.py), in one run.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cogi/framework/app.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/server/runtime/run.hpp"

namespace bench {

struct order_in {
  std::string customer;
  std::int64_t quantity = 0;
  double price = 0;
  std::vector<std::string> tags;
  std::optional<std::string> note;
};
COGI_MODEL(order_in, (customer, min_length(1), max_length(100)), (quantity, ge(1), le(1000)), (price, gt(0)),
           (tags, defaulted, max_length(10)), (note, max_length(500)));

struct order_out {
  std::string customer;
  std::int64_t quantity = 0;
  double price = 0;
  std::vector<std::string> tags;
  std::optional<std::string> note;
  double total = 0;
};
COGI_MODEL(order_out, customer, quantity, price, tags, note, total);

#ifndef COGI_HANDWRITTEN_MODEL

void add_model_route(cogi::app& app) {
  app.post("/model", [](cogi::body<order_in> in) -> cogi::task<order_out> {
    co_return order_out{in->customer, in->quantity, in->price, in->tags, in->note,
                        static_cast<double>(in->quantity) * in->price};
  });
}

#else

// What the same checks take by hand (a 422 with the first problem, as hand-written code
// tends to do).
std::size_t characters(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

cogi::task<> handwritten(cogi::request& req) {
  const picojson::value doc = co_await req.json();
  if (!doc.is<picojson::object>()) throw cogi::http_exception(422, "an order is a JSON object");
  const auto& o = doc.get<picojson::object>();
  const auto field = [&o](const char* name) -> const picojson::value* {
    const auto found = o.find(name);
    return found == o.end() ? nullptr : &found->second;
  };
  const picojson::value* customer = field("customer");
  if (!customer || !customer->is<std::string>() || characters(customer->get<std::string>()) < 1 ||
      characters(customer->get<std::string>()) > 100)
    throw cogi::http_exception(422, "customer: a string of 1 to 100 characters");
  const picojson::value* quantity = field("quantity");
  if (!quantity || !quantity->is<std::int64_t>() || quantity->get<std::int64_t>() < 1 ||
      quantity->get<std::int64_t>() > 1000)
    throw cogi::http_exception(422, "quantity: an integer from 1 to 1000");
  const picojson::value* price = field("price");
  if (!price || !price->is<double>() || !(price->get<double>() > 0))
    throw cogi::http_exception(422, "price: a number above 0");
  picojson::array tags;
  if (const picojson::value* given = field("tags")) {
    if (!given->is<picojson::array>() || given->get<picojson::array>().size() > 10)
      throw cogi::http_exception(422, "tags: a list of at most 10 strings");
    for (const auto& tag : given->get<picojson::array>()) {
      if (!tag.is<std::string>()) throw cogi::http_exception(422, "tags: a list of at most 10 strings");
      tags.push_back(tag);
    }
  }
  picojson::value note;
  if (const picojson::value* given = field("note"); given && !given->is<picojson::null>()) {
    if (!given->is<std::string>() || characters(given->get<std::string>()) > 500)
      throw cogi::http_exception(422, "note: a string of at most 500 characters");
    note = *given;
  }
  picojson::object out;
  out["customer"] = *customer;
  out["quantity"] = *quantity;
  out["price"] = *price;
  out["tags"] = picojson::value(std::move(tags));
  out["note"] = note;
  out["total"] = picojson::value(static_cast<double>(quantity->get<std::int64_t>()) * price->get<double>());
  co_return cogi::json(picojson::value(std::move(out)));
}

void add_model_route(cogi::app& app) { app.post("/model", handwritten); }

#endif

}  // namespace bench

int main(int argc, char** argv) {
  cogi::app app;
  app.get("/plaintext", [](cogi::request&) -> cogi::task<> { co_return cogi::text("Hello, World!"); });
  bench::add_model_route(app);
  return cogi::run(app, argc, argv);
}
