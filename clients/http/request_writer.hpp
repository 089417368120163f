#pragma once
// A request's bytes: the request line and header fields (Host, the client's defaults,
// the caller's fields, the body's framing), and the body serialised (JSON, a form) or
// sent in chunks as its source gives them.

#include <span>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>

#include "cogi/clients/http/connection.hpp"
#include "cogi/clients/http/options.hpp"
#include "cogi/clients/http/url.hpp"

namespace cogi::fetch {

// Throws error unless `method` is a token (RFC 9110 section 9).
void check_method(std::string_view method);

// The head, through the empty line. The caller's fields replace the defaults of the
// same name (User-Agent, Accept, Accept-Encoding, Content-Type); Host and the framing
// fields (Content-Length, Transfer-Encoding) are the client's alone. A field name that
// is not a token, or a value with CR, LF or NUL, throws error (no header injection).
// Authorization and Cookie are left out when !same_origin (a redirect elsewhere).
std::string write_request_head(std::string_view method, const url& where, const body& content,
                               std::span<const field> headers, const client_options& defaults, bool same_origin);

// The body of a bytes, JSON or form request.
std::string serialise_body(const body& content);

// application/x-www-form-urlencoded (the WHATWG URL standard's serialiser).
std::string form_urlencode(std::span<const field> fields);

// A streamed body: each piece as a chunk, then the last chunk.
asio::awaitable<void> write_chunked_body(connection& conn, const body_source& source, const deadlines& limits);

}  // namespace cogi::fetch
