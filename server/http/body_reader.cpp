#include "cogi/server/http/body_reader.hpp"

#include <algorithm>

namespace cogi::http {

void body_reader::reset(const request_head& head, std::uint64_t max_body_bytes, std::size_t max_trailer_bytes) {
  chunked_ = head.framing == body_framing::chunked;
  remaining_ = head.framing == body_framing::content_length ? head.content_length : 0;
  done_ = !chunked_ && remaining_ == 0;
  received_ = 0;
  max_body_bytes_ = max_body_bytes;
  error_ = {};
  if (chunked_) decoder_ = chunked_decoder(max_trailer_bytes);
}

body_reader::result body_reader::next(std::string_view available) {
  if (done_) return {status::done, 0, {}};
  if (!chunked_) {
    if (available.empty()) return {status::need_more, 0, {}};
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, available.size()));
    remaining_ -= take;
    received_ += take;
    done_ = remaining_ == 0;
    return {status::data, take, available.substr(0, take)};
  }
  const auto decoded = decoder_.decode(available);
  if (decoded.state == status::data) {
    received_ += decoded.data.size();
    if (max_body_bytes_ != 0 && received_ > max_body_bytes_) {
      error_ = {413, "Request body too large"};
      return {status::rejected, decoded.consumed, {}};
    }
  } else if (decoded.state == status::done) {
    done_ = true;
  } else if (decoded.state == status::rejected) {
    error_ = decoder_.error();
  }
  return decoded;
}

}  // namespace cogi::http
