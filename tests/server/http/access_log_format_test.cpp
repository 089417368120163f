// Access-log lines: the named formats (common, combined, json), directives, escaping of
// client-controlled bytes, and JSON lines that always parse.

#include "cogi/server/http/access_log_format.hpp"

#include <gtest/gtest.h>
#include <picojson.h>

#include <stdexcept>

namespace cogi::http {
namespace {

using namespace std::chrono_literals;

struct sample_request {
  address client{"203.0.113.9", 5555};
  header_field headers[2] = {{"referer", "https://example.com/"}, {"user-agent", "curl/7.88"}};
  scope request;
  sample_request() {
    request.http_version = "1.1";
    request.method = "GET";
    request.raw_path = "/items/7";
    request.query_string = "full=1";
    request.headers = headers;
    request.client = &client;
  }
  access_record record(int status = 200, std::uint64_t bytes = 42) const {
    // 2026-11-30 16:15:39 UTC
    return access_record{&request, status, bytes, 1796055339, 1500us, {}};
  }
};

std::string line(std::string_view format, const access_record& record) {
  std::string out;
  access_log_format(format).append(out, record);
  return out;
}

TEST(AccessLogFormat, CommonAndCombinedAreApachesFormats) {
  const sample_request r;
  EXPECT_EQ(line("common", r.record()), R"(203.0.113.9 - - [30/Nov/2026:16:15:39 +0000] "GET /items/7?full=1 HTTP/1.1" 200 42)");
  EXPECT_EQ(line("combined", r.record(304, 0)),
            R"(203.0.113.9 - - [30/Nov/2026:16:15:39 +0000] "GET /items/7?full=1 HTTP/1.1" 304 - "https://example.com/" "curl/7.88")");
}

TEST(AccessLogFormat, DirectivesAndResponseHeaders) {
  sample_request r;
  const std::pair<std::string, std::string> kept[] = {{"content-type", "text/plain"}};
  access_record record = r.record();
  record.response_headers = kept;
  const access_log_format format("%m %U%q %s %B %{Content-Type}o %{X-Missing}i %D %%");
  EXPECT_TRUE(format.wants_response_header("content-type"));
  EXPECT_FALSE(format.wants_response_header("etag"));
  std::string out;
  format.append(out, record);
  EXPECT_EQ(out, "GET /items/7?full=1 200 42 text/plain - 1500 %");
}

TEST(AccessLogFormat, ClientBytesAreEscapedSoALineStaysOneLine) {
  sample_request r;
  r.headers[1].value = "evil\"\n\x01" "agent";
  EXPECT_EQ(line("%{User-Agent}i", r.record()), R"(evil\"\x0a\x01agent)");
}

TEST(AccessLogFormat, JsonLinesParseAndSayWhatHappened) {
  sample_request r;
  r.headers[1].value = "bad \xff utf-8 \"quoted\"\n";
  const std::string text = line("json", r.record(201, 7));
  picojson::value parsed;
  ASSERT_TRUE(picojson::parse(parsed, text).empty()) << text;
  const auto& o = parsed.get<picojson::object>();
  EXPECT_EQ(o.at("time").get<std::string>(), "2026-11-30T16:15:39Z");
  EXPECT_EQ(o.at("client").get<std::string>(), "203.0.113.9");
  EXPECT_EQ(o.at("method").get<std::string>(), "GET");
  EXPECT_EQ(o.at("path").get<std::string>(), "/items/7");
  EXPECT_EQ(o.at("query").get<std::string>(), "full=1");
  EXPECT_EQ(o.at("protocol").get<std::string>(), "HTTP/1.1");
  EXPECT_EQ(o.at("status").get<std::int64_t>(), 201);
  EXPECT_EQ(o.at("bytes").get<std::int64_t>(), 7);
  EXPECT_DOUBLE_EQ(o.at("duration_ms").get<double>(), 1.5);
  EXPECT_EQ(o.at("referer").get<std::string>(), "https://example.com/");
  EXPECT_EQ(o.at("user_agent").get<std::string>(), "bad \xef\xbf\xbd utf-8 \"quoted\"\n");
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(AccessLogFormat, UnknownFormatsAreRefusedWithTheReason) {
  EXPECT_THROW(access_log_format("%Z"), std::invalid_argument);
  EXPECT_THROW(access_log_format("apache"), std::invalid_argument);
  EXPECT_THROW(access_log_format("%{Host}x"), std::invalid_argument);
  EXPECT_THROW(access_log_format("trailing %"), std::invalid_argument);
  EXPECT_THROW(access_log_format("trailing %>"), std::invalid_argument);
}

}  // namespace
}  // namespace cogi::http
