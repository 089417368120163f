#include "cogi/middleware/static_files.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>

#include "cogi/framework/exception_handlers.hpp"
#include "cogi/framework/file_response.hpp"
#include "cogi/framework/http_exception.hpp"

namespace cogi {
namespace {

struct static_root {
  std::string directory;  // canonical, no trailing '/'
  static_files_options options;
};

std::optional<std::string> canonical(const std::string& path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) return std::nullopt;
  return std::string(resolved);
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// The file under the root for a request path relative to the mount, or nullopt when
// the path tries to leave the root or names a hidden file.
std::optional<std::string> locate(const static_root& root, std::string_view relative) {
  std::string joined = root.directory;
  while (!relative.empty()) {
    const auto slash = relative.find('/');
    const auto segment = relative.substr(0, slash);
    relative.remove_prefix(slash == std::string_view::npos ? relative.size() : slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == ".." || segment.find('\0') != std::string_view::npos) return std::nullopt;
    if (segment.front() == '.' && !root.options.allow_hidden) return std::nullopt;
    joined.append("/").append(segment);
  }
  // Symbolic links may point anywhere: the resolved path must still be under the root.
  auto resolved = canonical(joined);
  if (!resolved) return std::nullopt;
  if (*resolved != root.directory && !resolved->starts_with(root.directory + "/")) return std::nullopt;
  return resolved;
}

task<response> lookup(const static_root& root, request& req) {
  if (req.method() != "GET" && req.method() != "HEAD") throw http_exception(405, {}, {{"allow", "GET, HEAD"}});
  const scope& sc = req.scope();
  // The part of the path after the mount point (the router put that in root_path).
  std::string_view relative = sc.path;
  if (relative.starts_with(sc.root_path)) relative.remove_prefix(sc.root_path.size());
  auto found = locate(root, relative);
  if (found && is_directory(*found)) {
    if (!root.options.html) throw http_exception(404);
    if (!sc.path.ends_with('/')) {
      // "/docs" -> "/docs/", so that the page's relative links resolve (as Starlette).
      std::string location(sc.raw_path);
      location.push_back('/');
      if (!sc.query_string.empty()) location.append("?").append(sc.query_string);
      co_return redirect(location, 307);
    }
    found = locate(root, std::string(relative) + "/index.html");
  }
  if (found) co_return file(req, *found);
  if (root.options.html) {
    if (auto page = locate(root, "404.html")) {
      response res = file(req, *page);
      res.status = 404;
      co_return res;
    }
  }
  throw http_exception(404);
}

asio::awaitable<void> serve_static(std::shared_ptr<const static_root> root, scope& sc, receive_fn receive,
                                   send_fn send) {
  if (sc.type != scope_type::http) co_return;  // no lifespan to take part in
  request req(sc, receive);
  response res;
  std::exception_ptr failure;
  try {
    res = co_await lookup(*root, req);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    const exception_handlers defaults;
    res = co_await defaults.respond(req, failure);
  }
  co_await send_response(res, req, send);
}

}  // namespace

app_fn static_files(std::string directory, static_files_options options) {
  auto resolved = canonical(directory);
  if (!resolved || !is_directory(*resolved))
    throw std::invalid_argument("static_files: not a directory: " + directory);
  auto root = std::make_shared<const static_root>(static_root{std::move(*resolved), options});
  return [root](scope& sc, receive_fn receive, send_fn send) { return serve_static(root, sc, receive, send); };
}

}  // namespace cogi
