#pragma once
// A blocking HTTP/1.1 test client over a real socket: sends exact bytes (malformed ones
// included) and parses what comes back, with timeouts so a test fails instead of hanging.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogi::testing {

struct http_response {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  bool chunked = false;

  // The first header with this lower-case name, or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

class raw_client {
 public:
  // Connects to 127.0.0.1:port (or a Unix socket when `unix_path` is given).
  explicit raw_client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  static raw_client unix_socket(const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  raw_client(raw_client&& other) noexcept;
  raw_client& operator=(raw_client&&) = delete;
  ~raw_client();

  void send(std::string_view bytes);
  // Reads one response (Content-Length, chunked or close-delimited framing). `head_request`:
  // the response has no body whatever its headers say. Throws on timeout or bad framing.
  http_response read_response(bool head_request = false);
  // Reads everything until the server closes; throws on timeout.
  std::string read_until_close();
  // Whether the server closed the connection within `wait` (no further bytes read).
  bool closed_by_peer(std::chrono::milliseconds wait = std::chrono::seconds(2));
  // Reads until `text` has arrived (a signal the server gives); throws on timeout or
  // close. Returns everything read.
  std::string read_until_contains(std::string_view text);
  // Waits for bytes (up to the client's timeout) and returns what one read gets: empty
  // when the server closed or nothing came in time.
  std::string read_some();
  // Reads whatever arrives within the next `wait` (maybe nothing), then stops.
  std::string read_available(std::chrono::milliseconds wait);
  void shutdown_write();
  int fd() const { return fd_; }

 private:
  raw_client() = default;
  std::string read_line();
  void fill();  // reads more into buffer_, throws on timeout or EOF

  int fd_ = -1;
  std::chrono::milliseconds timeout_{5000};
  std::string buffer_;
};

// One request over a fresh connection.
http_response get(std::uint16_t port, std::string_view target);

}  // namespace cogi::testing
