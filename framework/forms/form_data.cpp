#include "cogi/framework/forms/form_data.hpp"

#include <algorithm>
#include <memory>

#include "cogi/framework/forms/multipart_parser.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/url_encoded.hpp"

namespace cogi {

std::optional<std::string_view> form_data::get(std::string_view name) const {
  for (const auto& [key, value] : fields)
    if (key == name) return value;
  return std::nullopt;
}

std::vector<std::string_view> form_data::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [key, value] : fields)
    if (key == name) out.push_back(value);
  return out;
}

const upload* form_data::file(std::string_view name) const {
  for (const auto& [key, value] : uploads)
    if (key == name) return &value;
  return nullptr;
}

std::vector<upload> form_data::files(std::string_view name) const {
  std::vector<upload> out;
  for (const auto& [key, value] : uploads)
    if (key == name) out.push_back(value);
  return out;
}

namespace {

// The parser's events for one piece, kept until the reading coroutine can await what
// they ask for (a file's bytes go to its spool from the blocking pool).
struct recorded_events final : multipart_events {
  struct event {
    enum { begin, data, end } kind;
    multipart_part part;
    std::string bytes;
  };
  std::vector<event> events;

  void begin(const multipart_part& part) override { events.push_back({event::begin, part, {}}); }
  void data(std::string_view bytes) override {
    if (!events.empty() && events.back().kind == event::data) {
      events.back().bytes.append(bytes);
    } else {
      events.push_back({event::data, {}, std::string(bytes)});
    }
  }
  void end() override { events.push_back({event::end, {}, {}}); }
};

[[noreturn]] void too_large(const std::string& what) { throw http_exception(413, what); }

asio::awaitable<form_data> read_multipart(request& req, std::string boundary, form_limits limits) {
  form_data form;
  multipart_parser parser(std::move(boundary), {.max_parts = limits.max_parts});
  recorded_events recorded;
  std::optional<upload_writer> file;  // the file part being read, if it is one
  std::string field_name, field_value;
  bool in_field = false;
  std::size_t total = 0;
  while (true) {
    const std::optional<std::string_view> piece = co_await req.read_chunk();
    if (!piece) break;
    total += piece->size();
    if (total > limits.max_body_bytes) too_large("request body too large");
    recorded.events.clear();
    try {
      parser.feed(*piece, recorded);
    } catch (const multipart_limit_error& e) {
      too_large(e.what());
    } catch (const multipart_error& e) {
      throw http_exception(400, e.what());
    }
    for (auto& event : recorded.events) {
      if (event.kind == recorded_events::event::begin) {
        if (event.part.filename) {
          file.emplace(std::move(*event.part.filename), std::move(event.part.content_type), limits.memory_threshold);
        } else {
          in_field = true;
        }
        field_name = std::move(event.part.name);
        field_value.clear();
      } else if (event.kind == recorded_events::event::data) {
        if (file) {
          co_await file->write(std::move(event.bytes));
        } else if (in_field) {
          if (field_value.size() + event.bytes.size() > limits.max_field_bytes)
            too_large("a form field is too large: " + field_name.substr(0, 64));
          field_value.append(event.bytes);
        }
      } else {
        if (file) {
          form.uploads.emplace_back(std::move(field_name), file->finish());
          file.reset();
        } else if (in_field) {
          form.fields.emplace_back(std::move(field_name), std::move(field_value));
          in_field = false;
        }
      }
    }
    if (parser.done()) break;
  }
  try {
    parser.finish();
  } catch (const multipart_error& e) {
    throw http_exception(400, e.what());
  }
  co_return form;
}

}  // namespace

asio::awaitable<form_data> read_form_data(request& req, form_limits limits) {
  const std::string_view type = req.header("content-type");
  if (std::optional<std::string> boundary = multipart_boundary(type)) {
    co_return co_await read_multipart(req, std::move(*boundary), limits);
  }
  const std::string_view media = type.substr(0, std::min(type.find(';'), type.size()));
  const std::string_view body = co_await req.body(limits.max_body_bytes);
  form_data form;
  const bool urlencoded = media.find("application/x-www-form-urlencoded") != std::string_view::npos;
  if (!urlencoded && !body.empty()) {
    if (media.find("multipart/form-data") != std::string_view::npos)
      throw http_exception(400, "a multipart/form-data body needs a valid boundary parameter");
    throw http_exception(415, "expected a form: application/x-www-form-urlencoded or multipart/form-data");
  }
  const url_encoded pairs(body);
  for (const auto& [key, value] : pairs.items()) form.fields.emplace_back(std::string(key), std::string(value));
  co_return form;
}

}  // namespace cogi
