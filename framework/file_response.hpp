#pragma once
// File responses: a file from disk as a response, with what browsers and download
// tools rely on (as Starlette's FileResponse and nginx's static module):
//   - Content-Type by extension, Content-Length, Accept-Ranges: bytes;
//   - ETag and Last-Modified, and 304 Not Modified when the client's copy is fresh
//     (If-None-Match, else If-Modified-Since);
//   - a Range request is a 206 with Content-Range (If-Range honoured), one that no byte
//     of the file satisfies a 416;
//   - the body is read in chunks on the blocking pool as it is sent: never whole into
//     memory, never blocking the loop.
//
//   co_return cogi::file(req, "/srv/reports/2026.pdf", {.download_name = "report.pdf"});

#include <cstddef>
#include <string>

#include "cogi/framework/request.hpp"
#include "cogi/framework/response.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct file_options {
  std::string content_type;   // empty: from the file's extension
  std::string download_name;  // set: Content-Disposition: attachment; filename="..."
  std::size_t chunk_size = 64 * 1024;

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(content_type, download_name, chunk_size)
};

// The response for the file at `path` as a reply to `req`. Throws http_exception(404)
// when `path` is not a regular file this process can read.
response file(const request& req, const std::string& path, const file_options& options = {});

}  // namespace cogi
