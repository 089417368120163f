// The multipart/form-data parser: parts, heads, data split anywhere, and the framing
// errors and limits that make a request a 400 or a 413.

#include "cogi/framework/forms/multipart_parser.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

// "begin name [filename] type|data...|end", one string per event, data joined per part.
struct recorder : cogi::multipart_events {
  std::vector<std::string> seen;
  void begin(const cogi::multipart_part& part) override {
    seen.push_back("begin " + part.name + (part.filename ? " [" + *part.filename + "]" : "") + " " + part.content_type);
    seen.push_back("");
  }
  void data(std::string_view bytes) override { seen.back().append(bytes); }
  void end() override { seen.push_back("end"); }
};

const std::string body =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "Dune\r\n"
    "--XyZ  \r\n"  // transport padding after a boundary
    "content-disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\n"
    "Content-Type: text/markdown\r\n"
    "\r\n"
    "line one\r\n--XyZnot yet\r\nline two\r\n"
    "--XyZ--\r\n"
    "epilogue to ignore";

const std::vector<std::string> expected = {"begin title text/plain", "Dune", "end",
                                           "begin file [a \"b\".txt] text/markdown",
                                           "line one\r\n--XyZnot yet\r\nline two", "end"};

TEST(MultipartParser, ReadsPartsWhateverTheSplit) {
  // Every split into two pieces, and byte by byte.
  for (std::size_t cut = 0; cut <= body.size(); ++cut) {
    cogi::multipart_parser parser("XyZ");
    recorder events;
    parser.feed(std::string_view(body).substr(0, cut), events);
    parser.feed(std::string_view(body).substr(cut), events);
    EXPECT_NO_THROW(parser.finish());
    ASSERT_EQ(events.seen, expected) << "cut at " << cut;
  }
  cogi::multipart_parser parser("XyZ");
  recorder events;
  for (const char c : body) parser.feed(std::string_view(&c, 1), events);
  parser.finish();
  EXPECT_EQ(events.seen, expected);
}

TEST(MultipartParser, FindsTheBoundaryInTheContentType) {
  EXPECT_EQ(cogi::multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(cogi::multipart_boundary("Multipart/Form-Data ; charset=utf-8; boundary=\"a b:c\""), "a b:c");
  EXPECT_FALSE(cogi::multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(cogi::multipart_boundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(cogi::multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(cogi::multipart_boundary("multipart/form-data; boundary=\"ends with space \""));
  EXPECT_FALSE(cogi::multipart_boundary("multipart/form-data; boundary=a{b}"));
}

std::string refusal(const std::string& text, cogi::multipart_limits limits = {}) {
  cogi::multipart_parser parser("B", limits);
  recorder events;
  try {
    parser.feed(text, events);
    parser.finish();
  } catch (const cogi::multipart_limit_error& e) {
    return std::string("413 ") + e.what();
  } catch (const cogi::multipart_error& e) {
    return std::string("400 ") + e.what();
  }
  return "accepted";
}

TEST(MultipartParser, RefusesBrokenFramingAndOversizedForms) {
  const std::string part = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
  EXPECT_EQ(refusal(part + "--B--"), "accepted");
  EXPECT_EQ(refusal(part), "400 malformed multipart body: it ends before its closing boundary");
  EXPECT_EQ(refusal(""), "400 malformed multipart body: it ends before its closing boundary");
  EXPECT_EQ(refusal("--B\r\n\r\nx\r\n--B--"), "400 malformed multipart body: a part without Content-Disposition");
  EXPECT_EQ(refusal("--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--"),
            "400 malformed multipart body: a part without a name");
  EXPECT_EQ(refusal("--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--"),
            "400 malformed multipart body: a part that is not form-data");
  EXPECT_EQ(refusal("--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--"),
            "400 malformed multipart body: a malformed Content-Disposition");
  EXPECT_EQ(refusal("--B\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--B--"),
            "400 malformed multipart body: a folded header line");
  EXPECT_EQ(refusal("--B junk\r\n"), "400 malformed multipart body: text after a boundary");
  // "--B" followed by other text is not a boundary: here, preamble before the real one.
  EXPECT_EQ(refusal("--Bjunk\r\n" + part + "--B--"), "accepted");
  EXPECT_EQ(refusal(part + part + part + "--B--", {.max_parts = 2}), "413 too many parts in the multipart body");
  EXPECT_EQ(refusal("--B\r\nContent-Disposition: form-data; name=\"" + std::string(200, 'n') + "\"\r\n\r\n",
                    {.max_head_bytes = 100}),
            "413 a multipart part's headers are too large");
}

TEST(MultipartParser, HoldsBackNoMoreThanADelimiter) {
  cogi::multipart_parser parser("boundary");
  recorder events;
  parser.feed("--boundary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n", events);
  parser.feed(std::string(100000, 'z'), events);
  ASSERT_EQ(events.seen.size(), 2u);
  EXPECT_EQ(events.seen[0], "begin f [] text/plain");
  // All but what could still be the start of "\r\n--boundary" went out already.
  EXPECT_EQ(events.seen[1].size(), 100000u - std::string("\r\n--boundary").size() - 1);
}

}  // namespace
