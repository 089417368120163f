#include "cogi/framework/forms/upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "cogi/server/async/run_blocking.hpp"

namespace cogi {
namespace detail {

struct upload_spool {
  std::string filename;
  std::string content_type;
  std::string memory;  // the bytes, until they pass the threshold
  int fd = -1;         // then the unnamed temporary file with all of them
  std::size_t size = 0;

  upload_spool() = default;
  upload_spool(const upload_spool&) = delete;
  upload_spool& operator=(const upload_spool&) = delete;
  ~upload_spool() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace detail

namespace {

using spool_ptr = std::shared_ptr<detail::upload_spool>;

[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

// An unnamed file in TMPDIR (or /tmp): O_TMPFILE where the file system has it, else a
// named one unlinked at once; either way it disappears with its descriptor.
int open_spool_file() {
  const char* dir = std::getenv("TMPDIR");
  const std::string where = dir && *dir ? dir : "/tmp";
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string name = where + "/cogi-upload-XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) fail("creating an upload's spool file");
  ::unlink(name.c_str());
  return fd;
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("writing an upload's spool file");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Runs on the blocking pool; `spool` keeps the file open even if the request gave up.
void spool_bytes(spool_ptr spool, std::string bytes) {
  if (spool->fd < 0) {
    spool->fd = open_spool_file();
    write_all(spool->fd, spool->memory);
    spool->memory = std::string();
  }
  write_all(spool->fd, bytes);
}

std::string read_spool(spool_ptr spool) {
  std::string out(spool->size, '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(spool->fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("reading an upload's spool file");
    done += static_cast<std::size_t>(n);
  }
  return out;
}

void copy_to(spool_ptr spool, std::filesystem::path path) {
  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) fail("opening where an upload is saved");
  try {
    if (spool->fd < 0) {
      write_all(out, spool->memory);
    } else {
      char buffer[64 * 1024];
      for (off_t at = 0; static_cast<std::size_t>(at) < spool->size;) {
        const ssize_t n = ::pread(spool->fd, buffer, sizeof buffer, at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("reading an upload's spool file");
        write_all(out, std::string_view(buffer, static_cast<std::size_t>(n)));
        at += n;
      }
    }
  } catch (...) {
    ::close(out);
    throw;
  }
  if (::close(out) != 0) fail("closing a saved upload");
}

}  // namespace

const std::string& upload::filename() const {
  static const std::string none;
  return spool_ ? spool_->filename : none;
}
const std::string& upload::content_type() const {
  static const std::string none;
  return spool_ ? spool_->content_type : none;
}
std::size_t upload::size() const { return spool_ ? spool_->size : 0; }
bool upload::in_memory() const { return !spool_ || spool_->fd < 0; }

asio::awaitable<std::string> upload::read_all() const {
  if (in_memory()) co_return spool_ ? spool_->memory : std::string();
  const spool_ptr spool = spool_;
  co_return co_await async::run_blocking(read_spool, spool);
}

asio::awaitable<void> upload::save_as(std::filesystem::path path) const {
  if (!spool_) throw std::logic_error("save_as: no file was sent");
  const spool_ptr spool = spool_;
  co_await async::run_blocking(copy_to, spool, std::move(path));
}

upload_writer::upload_writer(std::string filename, std::string content_type, std::size_t memory_threshold)
    : spool_(std::make_shared<detail::upload_spool>()), threshold_(memory_threshold) {
  spool_->filename = std::move(filename);
  spool_->content_type = std::move(content_type);
}

asio::awaitable<void> upload_writer::write(std::string bytes) {
  spool_->size += bytes.size();
  if (spool_->fd < 0 && spool_->size <= threshold_) {
    spool_->memory.append(bytes);
    co_return;
  }
  const spool_ptr spool = spool_;
  co_await async::run_blocking(spool_bytes, spool, std::move(bytes));
}

upload upload_writer::finish() {
  upload done;
  done.spool_ = std::move(spool_);
  return done;
}

}  // namespace cogi
