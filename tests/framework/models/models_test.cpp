// Models: read from JSON with every problem located, written back byte-exact, rules
// checked, and the FastAPI error shape.

#include "cogi/framework/model.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cogi/framework/json_reader.hpp"

namespace notes {

enum class priority { low, normal, high };
COGI_ENUM(priority, low, normal, high);

struct author {
  std::string name;
  std::optional<std::string> email;
};
COGI_MODEL(author, (name, min_length(1)), (email, pattern("^[^@ ]+@[^@ ]+$")));

struct note {
  std::string title;
  std::optional<std::string> body;
  std::vector<std::string> tags;
  int stars = 3;
  priority level = priority::normal;
  double weight = 0.5;
  bool pinned = false;
  author by;
  std::vector<author> editors;
  std::chrono::sys_seconds created;
  std::map<std::string, int> counts;
  std::int8_t small = 0;
  std::uint16_t port = 80;
  picojson::value extra;
};
COGI_MODEL(note, (title, min_length(1), max_length(10)), body, (tags, max_length(2)), (stars, defaulted, ge(1), le(5)),
           (level, defaulted), (weight, defaulted, gt(0), lt(1.5)), (pinned, defaulted), by, (editors, defaulted),
           (created, alias("createdAt")), (counts, defaulted), (small, defaulted), (port, defaulted),
           (extra, defaulted));

}  // namespace notes

namespace {

using cogi::models::validation_issue;

std::string loc_text(const validation_issue& issue) {
  std::string out;
  for (const auto& part : issue.loc) {
    if (!out.empty()) out += '.';
    if (const auto* key = std::get_if<std::string>(&part)) {
      out += *key;
    } else {
      out += std::to_string(std::get<std::size_t>(part));
    }
  }
  return out;
}

// "loc type" for each problem of reading `text` as T.
template <class T>
std::vector<std::string> problems(std::string_view text) {
  try {
    (void)cogi::from_json<T>(text);
  } catch (const cogi::validation_error& e) {
    std::vector<std::string> out;
    for (const auto& issue : e.errors().issues()) out.push_back(loc_text(issue) + " " + issue.type);
    return out;
  }
  return {};
}

constexpr std::string_view valid_note = R"({"title": "Shop", "tags": ["a"], "by": {"name": "Ada"},
  "createdAt": "2026-11-30T19:25:27Z"})";

TEST(Models, ReadsAValidDocumentAndKeepsDefaults) {
  const auto n = cogi::from_json<notes::note>(valid_note);
  EXPECT_EQ(n.title, "Shop");
  EXPECT_FALSE(n.body.has_value());
  EXPECT_EQ(n.tags, std::vector<std::string>{"a"});
  EXPECT_EQ(n.stars, 3);
  EXPECT_EQ(n.level, notes::priority::normal);
  EXPECT_EQ(n.by.name, "Ada");
  EXPECT_EQ(n.created.time_since_epoch().count(), 1796066727);
  EXPECT_EQ(n.port, 80);
}

TEST(Models, WritesWhatItReads) {
  const auto n = cogi::from_json<notes::note>(valid_note);
  EXPECT_EQ(cogi::to_json(n),
            R"({"title":"Shop","body":null,"tags":["a"],"stars":3,"level":"normal","weight":0.5,"pinned":false,)"
            R"("by":{"name":"Ada","email":null},"editors":[],"createdAt":"2026-11-30T19:25:27Z","counts":{},)"
            R"("small":0,"port":80,"extra":null})");
  const auto again = cogi::from_json<notes::note>(cogi::to_json(n));
  EXPECT_EQ(cogi::to_json(again), cogi::to_json(n));
}

TEST(Models, ReportsEveryProblemWithItsLocation) {
  const auto found = problems<notes::note>(R"({
    "title": "", "body": 5, "tags": ["a", 2, "c"], "stars": 9, "level": "urgent", "weight": 2,
    "pinned": "yes", "by": {"email": "not an address"}, "editors": [{"name": "x"}, {}],
    "createdAt": "2026-13-01T00:00:00Z", "counts": {"a": "b"}, "small": 300, "port": -1, "extra": [1]})");
  const std::vector<std::string> expected = {
      "title string_too_short",   "body string_type",           "tags.1 string_type",
      "stars less_than_equal",    "level enum",                 "weight less_than",
      "pinned bool_type",         "by.name missing",            "by.email string_pattern_mismatch",
      "editors.1.name missing",   "createdAt datetime_from_date_parsing", "counts.a int_type",
      "small less_than_equal",    "port greater_than_equal"};
  EXPECT_EQ(found, expected);
}

TEST(Models, MissingRequiredFieldsAndWrongShapes) {
  EXPECT_EQ(problems<notes::note>("{}"),
            (std::vector<std::string>{"title missing", "tags missing", "by missing", "createdAt missing"}));
  EXPECT_EQ(problems<notes::note>("[]"), std::vector<std::string>{" model_attributes_type"});
  EXPECT_EQ(problems<notes::note>(R"({"title": "x",)"), std::vector<std::string>{"14 json_invalid"});
  EXPECT_EQ(problems<std::vector<notes::author>>(R"([{"name": "a"}, {"name": 1}])"),
            std::vector<std::string>{"1.name string_type"});
}

TEST(Models, RulesOnListsNumbersAndStrings) {
  EXPECT_EQ(problems<notes::note>(R"({"title": "12345678901", "tags": ["a","b","c"], "by": {"name": "A"},
                                      "createdAt": "2026-11-30T00:00:00Z", "weight": 0, "stars": 0})"),
            (std::vector<std::string>{"title string_too_long", "tags too_long", "stars greater_than_equal",
                                      "weight greater_than"}));
  // Characters, not bytes: ten two-byte characters fit max_length(10).
  EXPECT_TRUE(problems<notes::note>(R"({"title": "éééééééééé", "tags": [], "by": {"name": "A"},
                                      "createdAt": "2026-11-30T00:00:00Z"})")
                  .empty());
}

TEST(Models, MessagesAreTheOnesFastApiUsersKnow) {
  try {
    (void)cogi::from_json<notes::note>(R"({"tags": [], "by": {"name": "A"}, "createdAt": "2026-11-30T00:00:00Z",
                                          "stars": 7, "level": 1})");
    FAIL() << "expected a validation_error";
  } catch (const cogi::validation_error& e) {
    EXPECT_EQ(e.errors().to_json(),
              R"({"detail":[{"loc":["title"],"msg":"Field required","type":"missing"},)"
              R"({"loc":["stars"],"msg":"Input should be less than or equal to 5","type":"less_than_equal"},)"
              R"({"loc":["level"],"msg":"Input should be 'low', 'normal' or 'high'","type":"enum"}]})");
    EXPECT_NE(std::string(e.what()).find("3 validation errors:\ntitle: Field required [missing]"), std::string::npos);
  }
}

TEST(Models, TheListOfProblemsIsBounded) {
  std::string many = "[";
  for (int i = 0; i < 10000; ++i) many += (i ? ",{}" : "{}");
  many += "]";
  try {
    (void)cogi::from_json<std::vector<notes::author>>(many);
    FAIL();
  } catch (const cogi::validation_error& e) {
    EXPECT_EQ(e.errors().size(), cogi::validation_errors::default_limit);
    EXPECT_TRUE(e.errors().truncated());
    const std::string body = e.errors().to_json();
    EXPECT_LT(body.size(), 8192u);
    EXPECT_NE(body.find(R"("type":"too_many_errors")"), std::string::npos);
    EXPECT_NO_THROW((void)cogi::read_json(body));
  }
}

TEST(Models, IntegersAreCheckedAgainstTheirType) {
  EXPECT_EQ(problems<std::int8_t>("127"), std::vector<std::string>{});
  EXPECT_EQ(problems<std::int8_t>("128"), std::vector<std::string>{" less_than_equal"});
  EXPECT_EQ(problems<std::int8_t>("-129"), std::vector<std::string>{" greater_than_equal"});
  EXPECT_EQ(problems<std::uint32_t>("-1"), std::vector<std::string>{" greater_than_equal"});
  EXPECT_EQ(problems<int>("2.0"), std::vector<std::string>{});
  EXPECT_EQ(problems<int>("2.5"), std::vector<std::string>{" int_from_float"});
  EXPECT_EQ(problems<int>("\"2\""), std::vector<std::string>{" int_type"});
  EXPECT_EQ(cogi::from_json<std::int64_t>("-9223372036854775808"), INT64_MIN);
}

TEST(Models, ReadsParametersFromText) {
  cogi::validation_errors errors;
  const cogi::models::location where{nullptr, "query"};
  int number = 0;
  cogi::models::read_text("+42", number, where.field("n"), errors);
  EXPECT_EQ(number, 42);
  bool flag = false;
  cogi::models::read_text("Yes", flag, where.field("f"), errors);
  EXPECT_TRUE(flag);
  notes::priority level{};
  cogi::models::read_text("high", level, where.field("p"), errors);
  EXPECT_EQ(level, notes::priority::high);
  std::uint8_t byte = 0;
  double ratio = 0;
  cogi::models::read_text("x1", number, where.field("n"), errors);
  cogi::models::read_text("256", byte, where.field("b"), errors);
  cogi::models::read_text("-0", byte, where.field("b"), errors);
  cogi::models::read_text("1e999", ratio, where.field("r"), errors);
  cogi::models::read_text("maybe", flag, where.field("f"), errors);
  cogi::models::read_text("99999999999999999999", number, where.field("n"), errors);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(loc_text(errors.issues()[0]) + " " + errors.issues()[0].type, "query.n int_parsing");
  EXPECT_EQ(loc_text(errors.issues()[1]) + " " + errors.issues()[1].type, "query.b less_than_equal");
  EXPECT_EQ(errors.issues()[2].type, "float_parsing");  // from_chars: out of range
  EXPECT_EQ(errors.issues()[3].type, "bool_parsing");
  EXPECT_EQ(errors.issues()[4].type, "less_than_equal");
  EXPECT_EQ(byte, 0);
}

TEST(Models, TimestampsFollowRfc3339) {
  using namespace std::chrono;
  const auto t = cogi::from_json<sys_time<milliseconds>>(R"("2026-11-30T20:25:27.5+01:00")");
  EXPECT_EQ(cogi::to_json(t), R"("2026-11-30T19:25:27.500Z")");
  EXPECT_EQ(cogi::to_json(cogi::from_json<sys_days>(R"("2024-02-29")")), R"("2024-02-29")");
  EXPECT_EQ(problems<sys_days>(R"("2023-02-29")").size(), 1u);
  EXPECT_EQ(problems<sys_seconds>(R"("2026-11-30T19:25:27")").size(), 1u);  // no offset
  EXPECT_EQ(problems<sys_seconds>(R"("2026-11-30 19:25:27z")").size(), 0u);
  EXPECT_EQ(cogi::to_json(cogi::from_json<sys_time<nanoseconds>>(R"("1970-01-01T00:00:00.000000001Z")")),
            R"("1970-01-01T00:00:00.000000001Z")");
}

TEST(Models, TimestampsReachYear9999WhereTheirTypeDoes) {
  using namespace std::chrono;
  // Seconds reach any RFC 3339 year; int64 nanoseconds end in 2262.
  EXPECT_EQ(cogi::to_json(cogi::from_json<sys_seconds>(R"("9999-12-31T23:59:59.9Z")")), R"("9999-12-31T23:59:59Z")");
  EXPECT_EQ(cogi::to_json(cogi::from_json<sys_time<microseconds>>(R"("0001-01-01T00:00:00.000001Z")")),
            R"("0001-01-01T00:00:00.000001Z")");
  EXPECT_EQ(problems<sys_time<nanoseconds>>(R"("3012-11-30T19:25:27.5Z")"),
            std::vector<std::string>{" datetime_from_date_parsing"});
  EXPECT_EQ(cogi::to_json(cogi::from_json<sys_time<nanoseconds>>(R"("2262-01-01T00:00:00Z")")),
            R"("2262-01-01T00:00:00Z")");
}

TEST(Models, DoublesAreWrittenShortest) {
  EXPECT_EQ(cogi::to_json(std::vector<double>{0.1, 1e300, -2.5}), "[0.1,1e+300,-2.5]");
}

TEST(Models, PatternsRefuseHugeInputsBeforeMatching) {
  std::string long_name(cogi::models::rules::pattern_input_limit + 1, 'a');
  const auto found = problems<notes::author>(R"({"name": "x", "email": ")" + long_name + "\"}");
  EXPECT_EQ(found, std::vector<std::string>{"email string_too_long"});
  std::string fits(cogi::models::rules::pattern_input_limit - 2, 'a');
  fits[10] = '@';
  EXPECT_TRUE(problems<notes::author>(R"({"name": "x", "email": ")" + fits + "\"}").empty());
}

}  // namespace
