#include "cogi/server/http/access_log_format.hpp"

#include <cstdio>
#include <stdexcept>

#include "cogi/server/contract/json_string.hpp"
#include "cogi/server/http/http_date.hpp"
#include "cogi/server/http/validation.hpp"

namespace cogi::http {
namespace {

constexpr std::string_view common_format = R"(%h %l %u %t "%r" %>s %b)";
constexpr std::string_view combined_format = R"(%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i")";

// Header values and targets are client-controlled: escape what would break the line
// (Apache does too).
void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
}

void append_header_or_dash(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += '-';
  } else {
    append_escaped(out, value);
  }
}

std::string_view response_header(const access_record& record, std::string_view name) {
  std::string_view value;
  for (const auto& [header_name, header_value] : record.response_headers)
    if (iequals(header_name, name)) value = header_value;
  return value;
}

}  // namespace

access_log_format::access_log_format(std::string_view format) {
  if (format == "json") {
    json_ = true;
  } else if (format == "common") {
    compile(common_format);
  } else if (format == "combined") {
    compile(combined_format);
  } else if (format.find('%') != std::string_view::npos) {
    compile(format);
  } else {
    throw std::invalid_argument("access log format: '" + std::string(format) +
                                "' is not common, combined, json or a format with % directives");
  }
}

void access_log_format::compile(std::string_view format) {
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) directives_.push_back({field::literal, std::move(literal)});
    literal.clear();
  };
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      literal += format[i];
      continue;
    }
    if (++i == format.size()) throw std::invalid_argument("access log format ends with '%'");
    if (format[i] == '%') {
      literal += '%';
      continue;
    }
    flush();
    if (format[i] == '>' && ++i == format.size()) throw std::invalid_argument("access log format ends with '%>'");
    if (format[i] == '{') {
      const auto close = format.find('}', i);
      if (close == std::string_view::npos || close + 1 >= format.size())
        throw std::invalid_argument("access log format: unterminated %{...}");
      std::string name(format.substr(i + 1, close - i - 1));
      i = close + 1;
      if (format[i] == 'i') {
        // Request header names arrive lower-cased (the scope's rule): look them up so.
        for (char& c : name) c = ascii_lower(c);
        directives_.push_back({field::request_header, std::move(name)});
      } else if (format[i] == 'o') {
        directives_.push_back({field::response_header, std::move(name)});
        wants_response_headers_ = true;
      } else {
        throw std::invalid_argument("access log format: %{...} must end in i or o");
      }
      continue;
    }
    switch (format[i]) {
      case 'h': directives_.push_back({field::client, {}}); break;
      case 'l': case 'u': directives_.push_back({field::dash, {}}); break;
      case 't': directives_.push_back({field::time, {}}); break;
      case 'r': directives_.push_back({field::request_line, {}}); break;
      case 's': directives_.push_back({field::status, {}}); break;
      case 'b': directives_.push_back({field::bytes_or_dash, {}}); break;
      case 'B': directives_.push_back({field::bytes, {}}); break;
      case 'D': directives_.push_back({field::micros, {}}); break;
      case 'T': directives_.push_back({field::seconds, {}}); break;
      case 'm': directives_.push_back({field::method, {}}); break;
      case 'U': directives_.push_back({field::path, {}}); break;
      case 'q': directives_.push_back({field::query, {}}); break;
      case 'H': directives_.push_back({field::protocol, {}}); break;
      default: throw std::invalid_argument(std::string("access log format: unknown directive %") + format[i]);
    }
  }
  flush();
}

bool access_log_format::wants_response_header(std::string_view name) const {
  for (const auto& d : directives_)
    if (d.what == field::response_header && iequals(d.text, name)) return true;
  return false;
}

void access_log_format::append(std::string& line, const access_record& record) const {
  if (json_) return append_json(line, record);
  const scope& sc = *record.request;
  for (const auto& d : directives_) {
    switch (d.what) {
      case field::literal: line += d.text; break;
      case field::client: line += sc.client ? std::string_view(sc.client->host) : "-"; break;
      case field::dash: line += '-'; break;
      case field::time: line += format_common_log_date(record.received); break;
      case field::request_line:
        append_escaped(line, sc.method);
        line += ' ';
        append_escaped(line, sc.raw_path);
        if (!sc.query_string.empty()) {
          line += '?';
          append_escaped(line, sc.query_string);
        }
        line += " HTTP/";
        line += sc.http_version;
        break;
      case field::status: line += std::to_string(record.status); break;
      case field::bytes_or_dash: line += record.body_bytes ? std::to_string(record.body_bytes) : "-"; break;
      case field::bytes: line += std::to_string(record.body_bytes); break;
      case field::micros:
        line += std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(record.duration).count());
        break;
      case field::seconds:
        line += std::to_string(std::chrono::duration_cast<std::chrono::seconds>(record.duration).count());
        break;
      case field::method: append_escaped(line, sc.method); break;
      case field::path: append_escaped(line, sc.raw_path); break;
      case field::query:
        if (!sc.query_string.empty()) {
          line += '?';
          append_escaped(line, sc.query_string);
        }
        break;
      case field::protocol: line += "HTTP/"; line += sc.http_version; break;
      case field::request_header: append_header_or_dash(line, sc.header_value(d.text)); break;
      case field::response_header: append_header_or_dash(line, response_header(record, d.text)); break;
    }
  }
}

void access_log_format::append_json(std::string& line, const access_record& record) const {
  const scope& sc = *record.request;
  char time[32];
  std::tm utc{};
  gmtime_r(&record.received, &utc);
  const std::size_t time_size = std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%SZ", &utc);
  line += R"({"time":")";
  line.append(time, time_size);
  line += R"(","client":)";
  append_json_string(line, sc.client ? std::string_view(sc.client->host) : std::string_view{});
  line += R"(,"method":)";
  append_json_string(line, sc.method);
  line += R"(,"path":)";
  append_json_string(line, sc.raw_path);
  line += R"(,"query":)";
  append_json_string(line, sc.query_string);
  line += R"(,"protocol":"HTTP/)";
  line += sc.http_version;
  line += R"(","status":)";
  line += std::to_string(record.status);
  line += R"(,"bytes":)";
  line += std::to_string(record.body_bytes);
  char duration[32];
  const int duration_size = std::snprintf(duration, sizeof duration, "%.3f",
                                          std::chrono::duration<double, std::milli>(record.duration).count());
  line += R"(,"duration_ms":)";
  line.append(duration, static_cast<std::size_t>(duration_size));
  line += R"(,"referer":)";
  append_json_string(line, sc.header_value("referer"));
  line += R"(,"user_agent":)";
  append_json_string(line, sc.header_value("user-agent"));
  line += '}';
}

}  // namespace cogi::http
