#pragma once
// What can go wrong with an HTTP request, one type per kind of failure, all deriving
// from fetch::error (itself a std::runtime_error), so that a caller catches what it can
// handle and lets the rest go:
//
//   try {
//     auto r = co_await client.get(url, {.timeout = 2s});
//   } catch (const cogi::fetch::timeout_error& e) {     // e.which(): connect, read, total
//   } catch (const cogi::fetch::error& e) {             // anything else, e.what() says
//   }
//
// An HTTP error status (404, 503) is not an exception: it is a response; raise_for_status()
// turns it into status_error when the caller wants that.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <system_error>

namespace cogi::fetch {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The URL cannot be requested: not http(s), no host, a bad port, user information.
class invalid_url : public error {
 public:
  using error::error;
};

// The host name did not resolve (no such host, or the resolver failed).
class dns_error : public error {
 public:
  using error::error;
};

// No connection could be made: refused, unreachable. code() is the system's reason.
class connect_error : public error {
 public:
  connect_error(const std::string& what, std::error_code code) : error(what), code_(code) {}
  std::error_code code() const { return code_; }

 private:
  std::error_code code_;
};

// The connection broke, or the server closed it, before the response was complete.
class connection_error : public error {
 public:
  using error::error;
};

class timeout_error : public error {
 public:
  enum class phase {
    connect,  // connect_timeout: resolving and connecting
    read,     // read_timeout: the server sent nothing for that long (or took nothing we wrote)
    total,    // timeout: the whole request, redirects and the body included
  };
  timeout_error(const std::string& what, phase which) : error(what), which_(which) {}
  phase which() const { return which_; }

 private:
  phase which_;
};

// The server's answer is not valid HTTP/1.1 (bad status line or header, bad chunking,
// a body longer than its Content-Length, undecodable gzip).
class malformed_response : public error {
 public:
  using error::error;
};

// The response's head or body is larger than the limits allow.
class response_too_large : public error {
 public:
  using error::error;
};

class too_many_redirects : public error {
 public:
  using error::error;
};

// raise_for_status(): the response's status was 4xx or 5xx.
class status_error : public error {
 public:
  status_error(const std::string& what, int status) : error(what), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

}  // namespace cogi::fetch
