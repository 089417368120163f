#include "cogi/clients/redis/resp.hpp"

#include <cmath>
#include <limits>

namespace cogi::redis {

namespace {

constexpr std::size_t max_blob_bytes = 512u * 1024 * 1024;  // Redis's own limit on a string
constexpr std::size_t max_elements = 1u << 30;

std::int64_t parse_integer(std::string_view text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    throw protocol_error("malformed number '" + std::string(text) + "'");
  }
  return v;
}

double parse_double(std::string_view text) {
  if (text == "inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) throw protocol_error("malformed double '" + std::string(text) + "'");
  return v;
}

}  // namespace

namespace detail {

void append_count(std::string& out, char type, std::size_t count) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, count);
  out.push_back(type);
  out.append(digits, end);
  out.append("\r\n");
}

void append_blob(std::string& out, std::string_view bytes) {
  append_count(out, '$', bytes.size());
  out.append(bytes);
  out.append("\r\n");
}

}  // namespace detail

void append_command(std::string& out, const std::vector<std::string>& args) {
  detail::append_count(out, '*', args.size());
  for (const std::string& a : args) detail::append_blob(out, a);
}

void parser::feed(std::string_view bytes) {
  // Drop what was consumed once it is most of the buffer, so the buffer does not grow
  // without end on a long-lived connection.
  if (position_ > 0 && position_ >= buffer_.size() / 2) {
    buffer_.erase(0, position_);
    position_ = 0;
  }
  buffer_.append(bytes);
}

bool parser::read_line(std::string_view& line) {
  const std::size_t end = buffer_.find("\r\n", position_);
  if (end == std::string::npos) {
    if (buffer_.size() - position_ > 64 * 1024) throw protocol_error("a reply line longer than 64 KiB");
    return false;
  }
  line = std::string_view(buffer_).substr(position_, end - position_);
  position_ = end + 2;
  return true;
}

void parser::finish(value v) {
  while (!open_.empty()) {
    frame& top = open_.back();
    if (!top.attribute) top.aggregate.elements.push_back(std::move(v));
    if (--top.remaining > 0) return;
    frame done = std::move(top);
    open_.pop_back();
    if (done.attribute) return;  // metadata: the reply it describes comes next
    v = std::move(done.aggregate);
  }
  complete_.push_back(std::move(v));
}

std::optional<value> parser::next() {
  while (complete_.empty()) {
    if (pending_blob_) {
      const auto [type, length] = *pending_blob_;
      if (buffer_.size() - position_ < length + 2) return std::nullopt;
      if (buffer_.compare(position_ + length, 2, "\r\n") != 0) throw protocol_error("a blob not ended by CRLF");
      value v;
      v.kind = type == '$' ? kind::blob_string : type == '!' ? kind::blob_error : kind::verbatim_string;
      v.text.assign(buffer_, position_, length);
      if (type == '=') {
        if (v.text.size() < 4 || v.text[3] != ':') throw protocol_error("a verbatim string without its format");
        v.text.erase(0, 4);
      }
      position_ += length + 2;
      pending_blob_.reset();
      finish(std::move(v));
      continue;
    }
    std::string_view line;
    if (!read_line(line)) return std::nullopt;
    if (line.empty()) throw protocol_error("an empty reply line");
    const char type = line[0];
    const std::string_view rest = line.substr(1);
    value v;
    switch (type) {
      case '+': v.kind = kind::simple_string; v.text = rest; break;
      case '-': v.kind = kind::simple_error; v.text = rest; break;
      case ':': v.kind = kind::integer; v.integer = parse_integer(rest); break;
      case ',': v.kind = kind::double_number; v.number = parse_double(rest); break;
      case '(': v.kind = kind::big_number; v.text = rest; break;
      case '_': v.kind = kind::null; break;
      case '#':
        if (rest != "t" && rest != "f") throw protocol_error("malformed boolean");
        v.kind = kind::boolean;
        v.boolean = rest == "t";
        break;
      case '$': case '!': case '=': {
        if (rest == "?") throw protocol_error("streamed strings are not supported");
        const std::int64_t length = parse_integer(rest);
        if (length == -1 && type == '$') break;  // RESP2's null string
        if (length < 0 || static_cast<std::size_t>(length) > max_blob_bytes) throw protocol_error("bad blob length");
        pending_blob_.emplace(type, static_cast<std::size_t>(length));
        continue;
      }
      case '*': case '%': case '~': case '>': case '|': {
        if (rest == "?") throw protocol_error("streamed aggregates are not supported");
        const std::int64_t count = parse_integer(rest);
        if (count == -1 && type == '*') break;  // RESP2's null array
        if (count < 0 || static_cast<std::size_t>(count) > max_elements) throw protocol_error("bad aggregate length");
        const bool pairs = type == '%' || type == '|';
        const std::size_t elements = static_cast<std::size_t>(count) * (pairs ? 2 : 1);
        v.kind = type == '*' ? kind::array : type == '%' ? kind::map : type == '~' ? kind::set
                                           : type == '>' ? kind::push : kind::map;
        if (elements == 0) {
          if (type == '|') continue;  // an empty attribute: nothing to drop
          break;
        }
        if (open_.size() >= 64) throw protocol_error("replies nested deeper than 64");
        v.elements.reserve(std::min<std::size_t>(elements, 1024));
        open_.push_back({std::move(v), elements, type == '|'});
        continue;
      }
      default:
        throw protocol_error(std::string("unknown reply type '") + type + "'");
    }
    finish(std::move(v));
  }
  value v = std::move(complete_.front());
  complete_.pop_front();
  return v;
}

const value* value::find(std::string_view key) const {
  if (kind != redis::kind::map) return nullptr;
  for (std::size_t i = 0; i + 1 < elements.size(); i += 2) {
    if (elements[i].text == key) return &elements[i + 1];
  }
  return nullptr;
}

std::string value::describe() const {
  switch (kind) {
    case redis::kind::null: return "nil";
    case redis::kind::integer: return std::to_string(integer);
    case redis::kind::double_number: return std::to_string(number);
    case redis::kind::boolean: return boolean ? "true" : "false";
    case redis::kind::simple_error: case redis::kind::blob_error: return "(error) " + text;
    case redis::kind::big_number: return text;
    case redis::kind::simple_string: case redis::kind::blob_string: case redis::kind::verbatim_string:
      return '"' + text + '"';
    case redis::kind::array: case redis::kind::set: case redis::kind::push: case redis::kind::map: {
      const bool is_map = kind == redis::kind::map;
      std::string out(1, is_map ? '{' : '[');
      for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += is_map && i % 2 == 1 ? ": " : ", ";
        out += elements[i].describe();
      }
      out.push_back(is_map ? '}' : ']');
      return out;
    }
  }
  return "?";
}

}  // namespace cogi::redis
