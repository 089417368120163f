#pragma once
// What a body framing step yields: a piece of body data (a view of its input), a request
// for more input, the end of the body, or a rejection. Shared by chunked_decoder and
// body_reader so that one can hand the other's result on unchanged.

#include <cstddef>
#include <string_view>

namespace cogi::http {

enum class piece_status { data, need_more, done, rejected };

struct body_piece {
  piece_status state = piece_status::need_more;
  std::size_t consumed = 0;  // bytes of input used, including returned data
  std::string_view data;     // when state == data: a piece of the body
};

}  // namespace cogi::http
