#include "cogi/framework/models/validation_errors.hpp"

#include <algorithm>
#include <utility>

#include "cogi/framework/json_writer.hpp"
#include "cogi/server/contract/json_string.hpp"

namespace cogi::models {
namespace {

constexpr std::string_view too_many_type = "too_many_errors";

void append_issue(std::string& out, const validation_issue& issue) {
  out.append("{\"loc\":[");
  bool first = true;
  for (const auto& part : issue.loc) {
    if (!first) out.push_back(',');
    first = false;
    if (const auto* key = std::get_if<std::string>(&part)) {
      append_json_string(out, *key);
    } else {
      append_json_unsigned(out, std::get<std::size_t>(part));
    }
  }
  out.append("],\"msg\":");
  append_json_string(out, issue.message);
  out.append(",\"type\":");
  append_json_string(out, issue.type);
  out.push_back('}');
}

validation_issue too_many_issue(std::size_t limit) {
  return {{}, std::string(too_many_type),
          "More problems were found; the first " + std::to_string(limit) + " are listed"};
}

}  // namespace

void validation_errors::add(const location& where, std::string_view type, std::string message) {
  if (issues_.size() >= limit_) {
    truncated_ = true;
    return;
  }
  validation_issue issue{{}, std::string(type), std::move(message)};
  for (const location* at = &where; at; at = at->parent) {
    if (at->is_index) {
      issue.loc.emplace_back(at->index);
    } else if (!at->key.empty()) {
      issue.loc.emplace_back(std::string(at->key.substr(0, max_key_bytes)));
    }
  }
  std::reverse(issue.loc.begin(), issue.loc.end());
  issues_.push_back(std::move(issue));
}

void validation_errors::merge(const validation_errors& other) {
  for (const auto& issue : other.issues_) {
    if (issues_.size() >= limit_) {
      truncated_ = true;
      return;
    }
    issues_.push_back(issue);
  }
  truncated_ = truncated_ || other.truncated_;
}

std::string validation_errors::to_json() const {
  std::string out = "{\"detail\":[";
  bool first = true;
  for (const auto& issue : issues_) {
    if (!first) out.push_back(',');
    first = false;
    append_issue(out, issue);
  }
  if (truncated_) {
    if (!first) out.push_back(',');
    append_issue(out, too_many_issue(limit_));
  }
  out.append("]}");
  return out;
}

std::string validation_errors::summary() const {
  std::string out;
  const auto line = [&out](const validation_issue& issue) {
    if (!out.empty()) out.push_back('\n');
    bool first = true;
    for (const auto& part : issue.loc) {
      if (!first) out.push_back('.');
      first = false;
      if (const auto* key = std::get_if<std::string>(&part)) {
        out.append(*key);
      } else {
        out.append(std::to_string(std::get<std::size_t>(part)));
      }
    }
    out.append(issue.loc.empty() ? "" : ": ").append(issue.message).append(" [").append(issue.type).append("]");
  };
  for (const auto& issue : issues_) line(issue);
  if (truncated_) line(too_many_issue(limit_));
  return out;
}

namespace {
std::string what_of(const validation_errors& errors) {
  const std::size_t count = errors.size() + (errors.truncated() ? 1 : 0);
  return std::to_string(count) + (count == 1 ? " validation error:\n" : " validation errors:\n") + errors.summary();
}
}  // namespace

validation_error::validation_error(validation_errors errors)
    : std::runtime_error(what_of(errors)), errors_(std::move(errors)) {}

}  // namespace cogi::models
