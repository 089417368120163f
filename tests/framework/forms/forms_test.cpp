// Typed forms: cogi::form<T> from url-encoded and multipart bodies, files in memory and
// spooled to disk, every problem in one 422, limits as 413s, broken framing as 400s,
// and the form in the OpenAPI document.

#include "cogi/framework/forms/read_form.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cogi/framework/app.hpp"
#include "cogi/framework/test_client.hpp"

namespace signup {

enum class plan { free, pro };
COGI_ENUM(plan, free, pro);

struct form_in {
  std::string name;
  int age = 0;
  plan tier = plan::free;
  std::vector<std::string> interests;
  std::optional<std::string> bio;
  cogi::upload avatar;
  std::vector<cogi::upload> documents;
};
COGI_MODEL(form_in, (name, min_length(1)), (age, ge(13)), (tier, defaulted), (interests, defaulted, max_length(3)),
           bio, avatar, (documents, defaulted));

struct form_out {
  std::string name;
  int age = 0;
  std::string tier;
  std::vector<std::string> interests;
  std::string avatar;
  std::uint64_t avatar_size = 0;
  bool avatar_on_disk = false;
  std::vector<std::string> documents;
  std::string first_bytes;
};
COGI_MODEL(form_out, name, age, tier, interests, avatar, avatar_size, avatar_on_disk, documents, first_bytes);

struct login {
  std::string user;
  std::string password;
};
COGI_MODEL(login, (user, min_length(1)), password);

}  // namespace signup

namespace {

using namespace signup;

cogi::app make_app() {
  cogi::app app;
  app.post("/signup", [](cogi::form<form_in> form) -> cogi::task<form_out> {
       const std::string bytes = co_await form->avatar.read_all();
       std::vector<std::string> documents;
       for (const auto& d : form->documents) documents.push_back(d.filename() + ":" + std::to_string(d.size()));
       co_return form_out{form->name, form->age, form->tier == plan::pro ? "pro" : "free", form->interests,
                          form->avatar.filename() + " " + form->avatar.content_type(), form->avatar.size(),
                          !form->avatar.in_memory(), documents, bytes.substr(0, 4)};
     })
      .body_limit(8 << 20);
  app.post("/login", [](cogi::form<login> in) -> cogi::task<std::string> { co_return in->user; });
  app.openapi();
  return app;
}

// A multipart body: {name, value} text fields, then {name, filename, content} files.
struct file_part {
  std::string name, filename, content, type = "application/octet-stream";
};
std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::vector<file_part>& files) {
  std::string out;
  for (const auto& [name, value] : fields)
    out += "--b0undary\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  for (const auto& f : files)
    out += "--b0undary\r\nContent-Disposition: form-data; name=\"" + f.name + "\"; filename=\"" + f.filename +
           "\"\r\nContent-Type: " + f.type + "\r\n\r\n" + f.content + "\r\n";
  return out + "--b0undary--\r\n";
}
const cogi::header_pairs multipart_type = {{"content-type", "multipart/form-data; boundary=b0undary"}};

TEST(Forms, MultipartFieldsAndFiles) {
  cogi::test_client client(make_app());
  const auto res = client.post("/signup",
                               multipart({{"name", "Ada"}, {"age", "36"}, {"tier", "pro"}, {"interests", "maths"},
                                          {"interests", "engines"}},
                                         {{"avatar", "ada.png", "\x89PNG...", "image/png"},
                                          {"documents", "a.txt", "aaa"}, {"documents", "b.txt", "bb"}}),
                               multipart_type);
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.body, R"({"name":"Ada","age":36,"tier":"pro","interests":["maths","engines"],)"
                      R"("avatar":"ada.png image/png","avatar_size":7,"avatar_on_disk":false,)"
                      R"("documents":["a.txt:3","b.txt:2"],"first_bytes":"\ufffdPNG"})");
}

TEST(Forms, ALargeFileIsSpooledToDiskAndReadBackWhole) {
  cogi::test_client client(make_app());
  std::string big(3 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i / 4096 % 26);
  // Sent in pieces, as a client streaming its upload would.
  const std::string body = multipart({{"name", "Ada"}, {"age", "36"}}, {{"avatar", "big.bin", big}});
  std::vector<std::string> pieces;
  for (std::size_t at = 0; at < body.size(); at += 65536) pieces.push_back(body.substr(at, 65536));
  const auto res = client.request({.method = "POST", .target = "/signup", .headers = multipart_type,
                                   .body_chunks = pieces});
  EXPECT_EQ(res.status, 200) << res.body.substr(0, 300);
  EXPECT_NE(res.body.find(R"("avatar_size":3145728,"avatar_on_disk":true)"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find(R"("first_bytes":"axxx")"), std::string::npos);
}

TEST(Forms, SaveAsCopiesTheUpload) {
  cogi::app app;
  const auto target = std::filesystem::temp_directory_path() / ("cogi-save-as-" + std::to_string(::getpid()));
  app.post("/save", [target](cogi::form<form_in> form) -> cogi::task<void> {
       co_await form->avatar.save_as(target);
     })
      .body_limit(8 << 20);
  cogi::test_client client(app);
  const std::string content(200000, 'q');
  EXPECT_EQ(client.post("/save", multipart({{"name", "A"}, {"age", "20"}}, {{"avatar", "a", content}}), multipart_type)
                .status,
            204);
  std::ifstream saved(target, std::ios::binary);
  const std::string read((std::istreambuf_iterator<char>(saved)), std::istreambuf_iterator<char>());
  EXPECT_EQ(read, content);
  std::filesystem::remove(target);
}

TEST(Forms, UrlEncodedForms) {
  cogi::test_client client(make_app());
  auto res = client.post("/login", "user=ada&password=p%40ss", {{"content-type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"("ada")");
  res = client.post("/login", "user=&x=1", {{"content-type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["body","user"],"msg":"String should have at least 1 character","type":"string_too_short"},)"
            R"({"loc":["body","password"],"msg":"Field required","type":"missing"}]})");
}

TEST(Forms, EveryProblemInOne422) {
  cogi::test_client client(make_app());
  const auto res = client.post(
      "/signup",
      multipart({{"age", "12"}, {"tier", "gold"}, {"interests", "a"}, {"interests", "b"}, {"interests", "c"},
                 {"interests", "d"}, {"avatar", "not a file"}},
                {{"name", "n.txt", "a file where text belongs"}}),
      multipart_type);
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body,
            R"({"detail":[{"loc":["body","name"],"msg":"Input should be a valid string, not a file","type":"string_type"},)"
            R"({"loc":["body","age"],"msg":"Input should be greater than or equal to 13","type":"greater_than_equal"},)"
            R"({"loc":["body","tier"],"msg":"Input should be 'free' or 'pro'","type":"enum"},)"
            R"({"loc":["body","interests"],"msg":"List should have at most 3 items after validation, not 4","type":"too_long"},)"
            R"({"loc":["body","avatar"],"msg":"Value error, Expected a file, received text","type":"value_error"}]})");
}

TEST(Forms, LimitsAndBrokenBodies) {
  cogi::test_client client(make_app());
  // Past the route's body limit (8 MiB here): 413, read no further.
  const std::string huge = multipart({{"name", "A"}, {"age", "20"}}, {{"avatar", "x", std::string(9 << 20, 'x')}});
  EXPECT_EQ(client.post("/signup", huge, multipart_type).status, 413);
  // A text field past 1 MiB.
  EXPECT_EQ(client.post("/signup", multipart({{"name", std::string((1 << 20) + 1, 'n')}}, {}), multipart_type).status,
            413);
  // Too many parts.
  std::vector<std::pair<std::string, std::string>> many(1001, {"interests", "x"});
  EXPECT_EQ(client.post("/signup", multipart(many, {}), multipart_type).status, 413);
  // Broken framing: 400, saying what.
  auto res = client.post("/signup", "--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", multipart_type);
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("ends before its closing boundary"), std::string::npos);
  EXPECT_EQ(client.post("/signup", "x", {{"content-type", "multipart/form-data"}}).status, 400);  // no boundary
  EXPECT_EQ(client.post("/signup", R"({"name": "A"})", {{"content-type", "application/json"}}).status, 415);
}

TEST(Forms, NoSpoolFileOutlivesItsRequest) {
  cogi::test_client client(make_app());
  const auto fds = [] {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
  };
  const std::size_t before = fds();
  for (int i = 0; i < 5; ++i) {
    const auto res = client.post("/signup", multipart({{"name", "A"}, {"age", "20"}}, {{"avatar", "a", std::string(1 << 20, 'z')}}),
                                 multipart_type);
    ASSERT_EQ(res.status, 200);
    EXPECT_NE(res.body.find(R"("avatar_on_disk":true)"), std::string::npos);
  }
  EXPECT_EQ(fds(), before);
}

TEST(Forms, TheDocumentSaysMultipartAndBinary) {
  cogi::test_client client(make_app());
  const std::string doc = client.get("/openapi.json").body;
  EXPECT_NE(doc.find(R"("requestBody":{"required":true,"content":{"multipart/form-data":{"schema":{"$ref":"#/components/schemas/form_in"}}}})"),
            std::string::npos)
      << doc;
  EXPECT_NE(doc.find(R"("avatar":{"type":"string","format":"binary"})"), std::string::npos);
  EXPECT_NE(doc.find(R"("documents":{"type":"array","items":{"type":"string","format":"binary"}})"),
            std::string::npos);
  EXPECT_NE(doc.find(R"("application/x-www-form-urlencoded":{"schema":{"$ref":"#/components/schemas/login"}})"),
            std::string::npos);
}

}  // namespace
