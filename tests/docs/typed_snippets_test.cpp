// The typed layer's documentation (framework/model.hpp, models/, typed/, task.hpp,
// request_lifetime.hpp, route_ref in router.hpp), compiled and run as written.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cogi/framework/app.hpp"
#include "cogi/framework/forms/form_data.hpp"
#include "cogi/framework/forms/multipart_parser.hpp"
#include "cogi/framework/json_reader.hpp"
#include "cogi/framework/model.hpp"
#include "cogi/framework/models/schema.hpp"
#include "cogi/framework/test_client.hpp"

// model.hpp
namespace model_hpp {

struct note_in {
  std::string title;
  std::vector<std::string> tags;
  int priority = 3;
};
COGI_MODEL(note_in, (title, min_length(1)), tags, (priority, defaulted, ge(1), le(5)));

TEST(TypedSnippets, ModelHeader) {
  note_in in = cogi::from_json<note_in>(R"({"title": "Shop", "tags": []})");
  std::string text = cogi::to_json(in);  // {"title":"Shop","tags":[],"priority":3}
  EXPECT_EQ(text, R"({"title":"Shop","tags":[],"priority":3})");
}

}  // namespace model_hpp

// models/describe.hpp, models/read.hpp, models/write.hpp
namespace describe_hpp {

struct note_in {
  std::string title;
  std::optional<std::string> body;
  std::vector<std::string> tags;
  int priority = 3;
};
COGI_MODEL(note_in, (title, min_length(1), max_length(200)), body, tags, (priority, defaulted, ge(1), le(5)));

enum class color { red, green, blue };
COGI_ENUM(color, red, green, blue);     // read and written as "red", "green", "blue"

TEST(TypedSnippets, DescribeReadWriteHeaders) {
  const picojson::value document = cogi::read_json(R"({"title": "Shop", "tags": ["home"]})");
  cogi::models::validation_errors errors;
  note_in note{};
  cogi::models::read(document, note, cogi::models::location{nullptr, "body"}, errors);
  if (!errors.empty()) throw cogi::validation_error(std::move(errors));
  std::string body;
  cogi::models::write(body, note);   // {"title":"...","body":null,"tags":[],"priority":3}
  EXPECT_EQ(body, R"({"title":"Shop","body":null,"tags":["home"],"priority":3})");
  EXPECT_EQ(cogi::to_json(std::vector<color>{color::green}), R"(["green"])");
}

// models/schema.hpp, openapi/openapi.hpp
TEST(TypedSnippets, SchemaAndOpenApiHeaders) {
  cogi::models::schema_registry components;
  std::string schema;
  cogi::models::append_schema<std::vector<note_in>>(schema, components);
  // {"type":"array","items":{"$ref":"#/components/schemas/note_in"}}
  EXPECT_EQ(schema, R"({"type":"array","items":{"$ref":"#/components/schemas/note_in"}})");
  ASSERT_EQ(components.components().size(), 1u);

  cogi::app app;
  app.openapi({.title = "Notes", .version = "1.0.0"});   // GET /openapi.json and GET /docs
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/openapi.json").json().get("info").get("title").to_str(), "Notes");
}

}  // namespace describe_hpp

// models/rules.hpp
namespace rules_hpp {

struct note_in {
  std::string title;
  int priority = 3;
  std::string email;
  std::chrono::sys_seconds created_at;
  std::vector<std::string> tags;
};
COGI_MODEL(note_in,
           (title, min_length(1), max_length(200)),
           (priority, defaulted, ge(1), le(5)),
           (email, pattern("^[^@ ]+@[^@ ]+$")),
           (created_at, alias("createdAt")),
           tags);

TEST(TypedSnippets, RulesHeader) {
  const auto note = cogi::from_json<note_in>(
      R"({"title": "t", "email": "a@b", "createdAt": "2026-01-01T00:00:00Z", "tags": []})");
  EXPECT_EQ(note.priority, 3);
  EXPECT_THROW((void)cogi::from_json<note_in>(R"({"title": "t", "email": "ab", "createdAt": "x", "tags": []})"),
               cogi::validation_error);
}

}  // namespace rules_hpp

// task.hpp, typed/params.hpp, router.hpp (route_ref)
namespace params_hpp {

struct note {
  std::string title;
};
COGI_MODEL(note, title);
using note_in = note;
struct note_out {
  std::int64_t folder = 0;
  std::string title, tag;
};
COGI_MODEL(note_out, folder, title, tag);

std::vector<note> load_notes() { return {note{"first"}}; }

cogi::task<note_out> create_note(cogi::body<note_in> in) {
  co_return note_out{0, in->title, {}};
}

TEST(TypedSnippets, TaskParamsAndRouteRef) {
  cogi::app app;
  app.get("/", [](cogi::request&) -> cogi::task<> { co_return cogi::text("Hello"); });
  app.get("/notes", []() -> cogi::task<std::vector<note>> { co_return load_notes(); });
  app.post("/notes", create_note).status(201).summary("Create a note").tags({"notes"});
  app.post("/notes/{folder}", [](cogi::path<"folder", std::int64_t> folder,
                                cogi::body<note_in> in,
                                cogi::query<"tag", std::optional<std::string>> tag,
                                cogi::header<"x-request-id", std::optional<std::string>> id,
                                cogi::cookie<"session", std::string> session) -> cogi::task<note_out> {
    if (session->empty() || id->has_value()) throw cogi::http_exception(403);
    co_return note_out{*folder, in->title, tag->value_or("none")};
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/").body, "Hello");
  EXPECT_EQ(client.get("/notes").body, R"([{"title":"first"}])");
  EXPECT_EQ(client.post("/notes", R"({"title": "x"})").status, 201);
  const auto res = client.post("/notes/4?tag=home", R"({"title": "x"})", {{"cookie", "session=s"}});
  EXPECT_EQ(res.body, R"({"folder":4,"title":"x","tag":"home"})");
  EXPECT_EQ(client.post("/notes/4", R"({"title": "x"})").status, 422);  // no session cookie
}

std::vector<note> page_of(int limit, const std::string& sort) {
  return {note{std::to_string(limit) + " " + sort}};
}

TEST(TypedSnippets, ParameterRules) {
  cogi::app app;
  app.get("/notes", [](cogi::query<"limit", int, cogi::defaults_to(20), cogi::ge(1), cogi::le(100)> limit,
                       cogi::query<"sort", std::string, cogi::defaults_to("newest"), cogi::max_length(20)> sort)
                        -> cogi::task<std::vector<note>> { co_return page_of(*limit, *sort); });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/notes").body, R"([{"title":"20 newest"}])");
  EXPECT_EQ(client.get("/notes?limit=101").status, 422);
}

}  // namespace params_hpp

// typed/dependencies.hpp
namespace dependencies_hpp {

struct user {
  std::string name;
};
struct user_out {
  std::string name;
};
COGI_MODEL(user_out, name);

struct user_directory {
  cogi::task<user> by_authorization(const std::string& authorization) const {
    co_return user{authorization.substr(7)};
  }
} users;

user_out view(const user& u) { return {u.name}; }

cogi::task<user> current_user(cogi::header<"authorization", std::string> auth) {
  if (!auth->starts_with("Bearer ")) throw cogi::http_exception(401, "not signed in");
  co_return co_await users.by_authorization(*auth);
}

TEST(TypedSnippets, DependenciesHeader) {
  cogi::app app;
  app.get("/me", [](cogi::depends<current_user> me) -> cogi::task<user_out> { co_return view(*me); });
  cogi::test_client client(app);
  EXPECT_EQ(client.get("/me", {{"authorization", "Bearer ada"}}).body, R"({"name":"ada"})");
  EXPECT_EQ(client.get("/me", {{"authorization", "Basic x"}}).status, 401);
}

}  // namespace dependencies_hpp

// request_lifetime.hpp
namespace request_lifetime_hpp {

struct signup {
  std::string email;
};
COGI_MODEL(signup, email);

std::vector<std::string> sent;

cogi::task<void> send_welcome_mail(std::string address) {
  sent.push_back(address);
  co_return;
}

TEST(TypedSnippets, BackgroundTasks) {
  cogi::app app;
  app.post("/signup", [](cogi::body<signup> in, cogi::background_tasks& later) -> cogi::task<void> {
    later.add(send_welcome_mail(in->email));   // after the 204 has gone out
    co_return;
  });
  cogi::test_client client(app);
  EXPECT_EQ(client.post("/signup", R"({"email": "ada@example.com"})").status, 204);
  EXPECT_EQ(sent, std::vector<std::string>{"ada@example.com"});
}

}  // namespace request_lifetime_hpp

// forms/upload.hpp, forms/form_data.hpp, forms/multipart_parser.hpp
namespace forms_hpp {

struct avatar_form {
  std::string title;
  cogi::upload picture;
};
COGI_MODEL(avatar_form, title, picture);

struct saved {
  std::string name;
  std::size_t size = 0;
};
COGI_MODEL(saved, name, size);

struct counting_events : cogi::multipart_events {
  std::size_t parts = 0;
  void begin(const cogi::multipart_part&) override { ++parts; }
  void data(std::string_view) override {}
  void end() override {}
};

const std::string body =
    "--xx\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMe\r\n"
    "--xx\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"me.png\"\r\n\r\nPNG\r\n--xx--\r\n";

TEST(TypedSnippets, Forms) {
  cogi::app app;
  app.post("/avatar", [](cogi::form<avatar_form> form) -> cogi::task<saved> {
    const std::string bytes = co_await form->picture.read_all();
    co_return saved{form->picture.filename(), form->picture.size()};
  });
  app.post("/plain", [](cogi::request& req) -> cogi::task<> {
    const cogi::form_data form = co_await cogi::read_form_data(req);
    std::optional<std::string_view> title = form.get("title");
    const cogi::upload* picture = form.file("picture");
    co_return cogi::text(std::string(title.value_or("-")) + " " + (picture ? picture->filename() : "-"));
  });
  cogi::test_client client(app);
  const cogi::header_pairs type = {{"content-type", "multipart/form-data; boundary=xx"}};
  EXPECT_EQ(client.post("/avatar", body, type).body, R"({"name":"me.png","size":3})");
  EXPECT_EQ(client.post("/plain", body, type).body, "Me me.png");

  const std::string content_type = "multipart/form-data; boundary=xx";
  const cogi::multipart_limits limits;
  const std::string_view chunk = body;
  counting_events events;
  cogi::multipart_parser parser(*cogi::multipart_boundary(content_type), limits);
  parser.feed(chunk, events);   // ... for each piece; then
  parser.finish();              // throws if the body ended inside the form
  EXPECT_EQ(events.parts, 2u);
}

}  // namespace forms_hpp
