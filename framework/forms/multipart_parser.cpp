#include "cogi/framework/forms/multipart_parser.hpp"

#include <algorithm>
#include <cctype>

namespace cogi {
namespace {

constexpr std::string_view crlf = "\r\n";
constexpr std::size_t max_padding = 64;  // transport padding after a boundary (RFC 2046 §5.1.1)

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A header's parameters: `; name="value"; other=token`, as RFC 7578 §4.2 and RFC 9110
// §5.6.6 write them. Calls `on(name, value)` for each; false when malformed.
template <class On>
bool read_parameters(std::string_view text, On on) {
  while (true) {
    text = trim(text);
    if (text.empty()) return true;
    if (text.front() != ';') return false;
    text = trim(text.substr(1));
    if (text.empty()) return true;  // a trailing ';'
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) return false;
    const std::string_view name = trim(text.substr(0, equals));
    text = trim(text.substr(equals + 1));
    std::string value;
    if (!text.empty() && text.front() == '"') {
      std::size_t i = 1;
      bool closed = false;
      for (; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          value.push_back(text[++i]);
        } else if (text[i] == '"') {
          closed = true;
          break;
        } else {
          value.push_back(text[i]);
        }
      }
      if (!closed) return false;
      text.remove_prefix(i + 1);
    } else {
      const std::size_t end = std::min(text.find(';'), text.size());
      value = std::string(trim(text.substr(0, end)));
      text.remove_prefix(end);
    }
    if (name.empty()) return false;
    on(name, std::move(value));
  }
}

bool boundary_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const std::size_t semicolon = std::min(content_type.find(';'), content_type.size());
  if (!iequals(trim(content_type.substr(0, semicolon)), "multipart/form-data")) return std::nullopt;
  std::optional<std::string> boundary;
  const bool ok = read_parameters(content_type.substr(semicolon), [&](std::string_view name, std::string value) {
    if (iequals(name, "boundary")) boundary = std::move(value);
  });
  if (!ok || !boundary || boundary->empty() || boundary->size() > 70 || boundary->back() == ' ' ||
      !std::all_of(boundary->begin(), boundary->end(), boundary_char))
    return std::nullopt;
  return boundary;
}

multipart_parser::multipart_parser(std::string boundary, multipart_limits limits)
    : delimiter_("\r\n--" + boundary), limits_(limits) {
  // The first boundary may open the body without a CRLF before it: as if there were one.
  pending_ = crlf;
}

void multipart_parser::feed(std::string_view piece, multipart_events& events) {
  if (state_ == state::done) return;  // the epilogue: ignored (RFC 2046)
  pending_.append(piece);
  std::string_view rest = pending_;
  while (true) {
    if (state_ == state::preamble || state_ == state::body) {
      // A delimiter counts when "--", padding or a line break follows it; "\r\n--Bx" is
      // data (as python-multipart reads it): two bytes after it decide.
      std::size_t found = rest.find(delimiter_);
      while (found != std::string_view::npos && found + delimiter_.size() + 2 <= rest.size()) {
        const std::string_view next = rest.substr(found + delimiter_.size(), 2);
        if (next == "--" || next[0] == '\r' || next[0] == ' ' || next[0] == '\t') break;
        found = rest.find(delimiter_, found + 1);
      }
      if (found == std::string_view::npos || found + delimiter_.size() + 2 > rest.size()) {
        // All but what could be (or is, undecided) the start of a delimiter is data.
        const std::size_t keep =
            found == std::string_view::npos ? std::min(rest.size(), delimiter_.size() + 1) : rest.size() - found;
        if (state_ == state::body && rest.size() > keep) events.data(rest.substr(0, rest.size() - keep));
        rest.remove_prefix(rest.size() - keep);
        break;
      }
      if (state_ == state::body) {
        if (found > 0) events.data(rest.substr(0, found));
        events.end();
      }
      rest.remove_prefix(found + delimiter_.size());
      state_ = state::after_boundary;
    } else if (state_ == state::after_boundary) {
      if (rest.size() < 2) break;
      if (rest.starts_with("--")) {
        state_ = state::done;
        rest = {};
        break;
      }
      // Padding (spaces, tabs), then CRLF. Decided byte by byte, so that how the body
      // was split cannot change the verdict.
      std::size_t i = 0;
      while (i < rest.size() && i < max_padding && (rest[i] == ' ' || rest[i] == '\t')) ++i;
      if (i == max_padding) throw multipart_error("malformed multipart body: too much padding after a boundary");
      if (i == rest.size()) break;
      if (rest[i] != '\r') throw multipart_error("malformed multipart body: text after a boundary");
      if (i + 1 == rest.size()) break;
      if (rest[i + 1] != '\n') throw multipart_error("malformed multipart body: text after a boundary");
      rest.remove_prefix(i + crlf.size());
      state_ = state::head;
    } else if (state_ == state::head) {
      const std::size_t head_end = rest.find("\r\n\r\n");
      const bool empty_head = rest.starts_with(crlf);
      if (head_end == std::string_view::npos && !empty_head) {
        // Past the limit and the 4 bytes of a CRLFCRLF that could still end it there.
        if (rest.size() > limits_.max_head_bytes + 3)
          throw multipart_limit_error("a multipart part's headers are too large");
        break;
      }
      if (empty_head) throw multipart_error("malformed multipart body: a part without Content-Disposition");
      if (head_end > limits_.max_head_bytes) throw multipart_limit_error("a multipart part's headers are too large");
      if (++parts_ > limits_.max_parts) throw multipart_limit_error("too many parts in the multipart body");
      parse_head(rest.substr(0, head_end), events);
      rest.remove_prefix(head_end + 4);
      state_ = state::body;
    } else {
      break;
    }
  }
  pending_.erase(0, pending_.size() - rest.size());
}

void multipart_parser::parse_head(std::string_view head, multipart_events& events) {
  multipart_part part;
  part.content_type = "text/plain";
  bool disposition = false;
  std::optional<std::string> field_name;
  while (!head.empty()) {
    const std::size_t end = std::min(head.find(crlf), head.size());
    const std::string_view line = head.substr(0, end);
    head.remove_prefix(std::min(head.size(), end + crlf.size()));
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      throw multipart_error("malformed multipart body: a folded header line");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      throw multipart_error("malformed multipart body: a header line without a name");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      const std::size_t semicolon = std::min(value.find(';'), value.size());
      if (!iequals(trim(value.substr(0, semicolon)), "form-data"))
        throw multipart_error("malformed multipart body: a part that is not form-data");
      const bool ok = read_parameters(value.substr(semicolon), [&](std::string_view key, std::string text) {
        if (iequals(key, "name")) field_name = std::move(text);
        if (iequals(key, "filename")) part.filename = std::move(text);
      });
      if (!ok) throw multipart_error("malformed multipart body: a malformed Content-Disposition");
      disposition = true;
    } else if (iequals(name, "content-type")) {
      part.content_type = std::string(value);
    }
  }
  if (!disposition) throw multipart_error("malformed multipart body: a part without Content-Disposition");
  if (!field_name) throw multipart_error("malformed multipart body: a part without a name");
  part.name = std::move(*field_name);
  events.begin(part);
}

void multipart_parser::finish() const {
  if (state_ != state::done) throw multipart_error("malformed multipart body: it ends before its closing boundary");
}

}  // namespace cogi
