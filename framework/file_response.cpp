#include "cogi/framework/file_response.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include "cogi/framework/byte_range.hpp"
#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/mime_types.hpp"
#include "cogi/server/async/run_blocking.hpp"
#include "cogi/server/http/http_date.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi {
namespace {

// An open file, shared by the response's producer and any pool thread reading it.
struct open_file {
  int fd = -1;
  explicit open_file(int descriptor) : fd(descriptor) {}
  ~open_file() {
    if (fd >= 0) ::close(fd);
  }
  open_file(const open_file&) = delete;
  open_file& operator=(const open_file&) = delete;
};

// Reads `want` bytes at `offset` (fewer at the end of a file that shrank). On a pool
// thread: pread blocks.
std::string read_chunk(const std::shared_ptr<open_file>& file, std::uint64_t offset, std::size_t want) {
  std::string data(want, '\0');
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::pread(file->fd, data.data() + got, want - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "reading a file response");
    if (n == 0) break;  // the file shrank: send what there is, the client sees a short body
    got += static_cast<std::size_t>(n);
  }
  data.resize(got);
  return data;
}

asio::awaitable<void> send_bytes(std::shared_ptr<open_file> file, std::uint64_t offset, std::uint64_t length,
                                 std::size_t chunk_size, body_writer& out) {
  while (length > 0) {
    const std::size_t want = length < chunk_size ? static_cast<std::size_t>(length) : chunk_size;
    const std::string chunk = co_await async::run_blocking(read_chunk, file, offset, want);
    if (chunk.empty()) throw std::runtime_error("file shrank while being sent");
    co_await out.write(chunk);
    offset += chunk.size();
    length -= chunk.size();
  }
}

// "W/\"x\"" and "\"x\"" compare equal under the weak comparison If-None-Match uses.
std::string_view opaque_tag(std::string_view tag) {
  tag = http::trim_ows(tag);
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

bool none_match(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto tag = opaque_tag(header.substr(0, comma));
    if (tag == "*" || tag == opaque_tag(etag)) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

response file(const request& req, const std::string& path, const file_options& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw http_exception(404);
  auto handle = std::make_shared<open_file>(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) throw http_exception(404);
  const auto size = static_cast<std::uint64_t>(info.st_size);

  char etag_text[64];
  std::snprintf(etag_text, sizeof etag_text, "\"%llx%09lx-%llx\"", static_cast<unsigned long long>(info.st_mtim.tv_sec),
                static_cast<long>(info.st_mtim.tv_nsec), static_cast<unsigned long long>(size));
  const std::string_view etag = etag_text;
  const std::string last_modified = http::format_http_date(info.st_mtim.tv_sec);

  response res(200);
  res.headers.add("content-type", options.content_type.empty() ? content_type_for(path) : options.content_type);
  res.headers.add("etag", etag);
  res.headers.add("last-modified", last_modified);
  res.headers.add("accept-ranges", "bytes");
  if (!options.download_name.empty()) {
    std::string disposition = "attachment; filename=\"";
    for (char c : options.download_name) disposition += (c == '"' || c == '\\' || c < 0x20) ? '_' : c;
    res.headers.add("content-disposition", disposition + "\"");
  }

  // Conditional GET (RFC 9110 §13.2.2): If-None-Match wins over If-Modified-Since.
  const auto if_none_match = req.header("if-none-match");
  bool fresh = false;
  if (!if_none_match.empty()) {
    fresh = none_match(if_none_match, etag);
  } else if (const auto since = http::parse_http_date(req.header("if-modified-since"))) {
    fresh = info.st_mtim.tv_sec <= *since;
  }
  if (fresh && (req.method() == "GET" || req.method() == "HEAD")) {
    res.status = 304;
    res.headers.remove("content-type");
    return res;
  }

  std::uint64_t first = 0, length = size;
  const auto range_header = req.header("range");
  const auto if_range = req.header("if-range");
  const bool range_applies = !range_header.empty() && (if_range.empty() || if_range == etag || if_range == last_modified);
  if (range_applies && req.method() == "GET") {
    const byte_range range = parse_byte_range(range_header, size);
    if (range.result == byte_range::kind::unsatisfiable) {
      response refused(416);
      refused.headers.add("content-range", "bytes */" + std::to_string(size));
      return refused;
    }
    if (range.result == byte_range::kind::partial) {
      first = range.first;
      length = range.length();
      res.status = 206;
      res.headers.add("content-range", "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) +
                                           "/" + std::to_string(size));
    }
  }
  res.headers.add("content-length", std::to_string(length));
  const std::size_t chunk_size = options.chunk_size == 0 ? 64 * 1024 : options.chunk_size;
  res.set_producer([handle, first, length, chunk_size](body_writer& out) {
    return send_bytes(handle, first, length, chunk_size, out);
  });
  return res;
}

}  // namespace cogi
