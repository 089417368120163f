// The request path's CPU work, each step alone, on one realistic request
// (a browser-like GET, 7 header fields, ~400 bytes):
//   RawLlhttp           llhttp alone on the head, with empty callbacks: the floor
//   ParseAndValidate    cogi's head scanner + request parser (limits, CRLF, obs-fold,
//                       Host, tokens, lower-casing): what the server runs per request
//   SerialisePlaintext  response encoder: status line, headers, Date, Content-Length, body
//   BuildJsonResponse   cogi::json(picojson object) as the demo's /json does
//   JsonText/picojson   picojson's serialize() on a small API document (a list of
//   JsonText/cogi       records), beside cogi::to_json, which cogi::json() uses
// Reported as time per request and bytes/s of request head.
//
//   taskset -c 0 build/bench/micro/http_bench --benchmark_repetitions=5

#include <benchmark/benchmark.h>
#include <llhttp.h>

#include <cstring>
#include <string>

#include "cogi/framework/json_writer.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/server/http/head_scanner.hpp"
#include "cogi/server/http/request_parser.hpp"
#include "cogi/server/http/response_encoder.hpp"

namespace {

const std::string request_head =
    "GET /api/v1/items/12345?expand=owner&limit=20 HTTP/1.1\r\n"
    "Host: api.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
    "Accept: application/json, text/plain, */*\r\n"
    "Accept-Language: en-GB,en;q=0.5\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark\r\n"
    "Connection: keep-alive\r\n"
    "\r\n";

void RawLlhttp(benchmark::State& state) {
  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  settings.on_headers_complete = [](llhttp_t*) -> int { return HPE_PAUSED; };
  llhttp_t parser;
  for (auto _ : state) {
    llhttp_init(&parser, HTTP_REQUEST, &settings);
    const auto rc = llhttp_execute(&parser, request_head.data(), request_head.size());
    benchmark::DoNotOptimize(rc);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));  // requests/s
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * request_head.size()));
}
BENCHMARK(RawLlhttp);

void ParseAndValidate(benchmark::State& state) {
  const cogi::http::limits limits;
  cogi::http::head_scanner scanner(limits);
  cogi::http::request_parser parser(limits);
  cogi::http::request_head head;
  std::string buffer = request_head;
  for (auto _ : state) {
    // The parser lower-cases names in place: start each round from the original bytes,
    // as a fresh read would (the copy is ~400 bytes, a few ns).
    std::memcpy(buffer.data(), request_head.data(), request_head.size());
    scanner.reset();
    if (scanner.scan(buffer.data(), buffer.size()) != cogi::http::head_scanner::state::complete)
      state.SkipWithError("scanner did not complete");
    const auto rejected = parser.parse(buffer.data() + scanner.prefix_length(), scanner.head_length(), head);
    if (rejected) state.SkipWithError("request rejected");
    benchmark::DoNotOptimize(head);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));  // requests/s
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * request_head.size()));
}
BENCHMARK(ParseAndValidate);

void SerialisePlaintext(benchmark::State& state) {
  cogi::http::response_encoder encoder;
  std::string out;
  static constexpr cogi::header_field headers[] = {{"content-type", "text/plain; charset=utf-8"}};
  for (auto _ : state) {
    out.clear();
    encoder.reset({.version_minor = 1, .head_request = false, .keep_alive = true});
    encoder.start(200, headers);
    const auto piece = encoder.body(out, "Hello, World!", false);
    benchmark::DoNotOptimize(piece);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(SerialisePlaintext);

void BuildJsonResponse(benchmark::State& state) {
  for (auto _ : state) {
    picojson::object message;
    message["message"] = picojson::value("Hello, World!");
    cogi::response res = cogi::json(picojson::value(std::move(message)));
    benchmark::DoNotOptimize(res.body().data());
  }
}
BENCHMARK(BuildJsonResponse);

picojson::value api_document() {
  picojson::value doc;
  picojson::parse(doc, R"([{"id":1,"name":"Ada Lovelace","email":"ada@example.org","active":true,"score":97.5},)"
                       R"({"id":2,"name":"Alan \"T\" Turing","email":"alan@example.org","active":false,"score":88},)"
                       R"({"id":3,"name":"Grace Hopper","email":"grace@example.org","tags":["navy","cobol"]}])");
  return doc;
}

void JsonTextPicojson(benchmark::State& state) {
  const picojson::value doc = api_document();
  for (auto _ : state) {
    std::string text = doc.serialize();
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(JsonTextPicojson)->Name("JsonText/picojson");

void JsonTextCogi(benchmark::State& state) {
  const picojson::value doc = api_document();
  for (auto _ : state) {
    std::string text = cogi::to_json(doc);
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(JsonTextCogi)->Name("JsonText/cogi");

}  // namespace

BENCHMARK_MAIN();
