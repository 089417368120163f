#pragma once
// The bytes the test client exchanges with the server side of the contract: a test
// request written as HTTP/1.1 (so the real head scanner and parser read it, and refuse
// what the server refuses), and the response bytes the real encoder wrote, read back.

#include <string>
#include <string_view>
#include <vector>

#include "cogi/framework/test_client.hpp"

namespace cogi::detail {

struct wire_request {
  std::string head;                // request line and fields, through the blank line
  std::vector<std::string> body;   // the body as the client would send it, piece by piece
};

// `host`: the Host field when the test gave none. The body is framed with
// Content-Length, or chunked when the test gave body_chunks, unless the test set a
// Content-Length or Transfer-Encoding field itself (then its bytes go as they are).
wire_request write_request(const test_request& request, std::string_view host);

// Reads the response in `bytes` (interim 1xx responses skipped). `head_request`: no body
// follows whatever the fields say. Bytes cut short (a client that left, an app that
// ended mid-response) give what arrived. Throws std::runtime_error on malformed bytes.
test_response read_response(std::string_view bytes, bool head_request);

}  // namespace cogi::detail
