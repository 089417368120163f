#pragma once
// Why a request is refused before it reaches the app: the status to answer with and a
// short text for the body. Every rejection closes the connection afterwards, because
// the framing of whatever follows is in doubt.

#include <string_view>

namespace cogi::http {

struct rejection {
  int status = 400;
  std::string_view reason;  // static text, e.g. "Invalid header field name"
};

}  // namespace cogi::http
