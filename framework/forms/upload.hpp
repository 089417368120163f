#pragma once
// A file sent in a multipart/form-data request (FastAPI's UploadFile). Its bytes are
// kept in memory up to a threshold, then spooled to an unnamed temporary file (in
// TMPDIR, or /tmp) written from the blocking pool, so a large upload costs disk, not
// memory, and never stalls the loop. The file goes when the last upload referring to it
// does (at the latest, when the request is done): nothing is left behind.
//
//   app.post("/avatar", [](cogi::form<avatar_form> form) -> cogi::task<saved> {
//     const std::string bytes = co_await form->picture.read_all();
//     co_return saved{form->picture.filename(), form->picture.size()};
//   });

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>

#include "cogi/framework/models/describe.hpp"

namespace cogi {

namespace detail {
struct upload_spool;
}

class upload {
 public:
  upload() = default;  // empty: no file was sent

  // As the client named it (never a path to use as it is), and its declared type.
  const std::string& filename() const;
  const std::string& content_type() const;
  std::size_t size() const;
  bool empty() const { return !spool_; }
  // Whether the bytes are still in memory (below the spooling threshold).
  bool in_memory() const;

  // Every byte. Read from the spool file on the blocking pool when it is on disk.
  asio::awaitable<std::string> read_all() const;
  // Writes the bytes to `path` (created or truncated), on the blocking pool.
  asio::awaitable<void> save_as(std::filesystem::path path) const;

 private:
  friend class upload_writer;
  std::shared_ptr<detail::upload_spool> spool_;
};

// Builds an upload as its part arrives (form_data.hpp uses it).
class upload_writer {
 public:
  upload_writer(std::string filename, std::string content_type, std::size_t memory_threshold);
  // Appends bytes: to memory below the threshold, else to the spool file (created then).
  asio::awaitable<void> write(std::string bytes);
  // The finished upload.
  upload finish();

 private:
  std::shared_ptr<detail::upload_spool> spool_;
  std::size_t threshold_;
};

namespace models {
// An upload is a form's field (forms/read_form.hpp); in the API schema, a binary string.
template <>
struct extra_field_type<upload> : std::true_type {
  static void append_schema(std::string& out) { out.append(",\"type\":\"string\",\"format\":\"binary\""); }
};
}  // namespace models

}  // namespace cogi
