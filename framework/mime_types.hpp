#pragma once
// Content-Type by file extension, for file responses and static files. A built-in
// table of the types the web uses (what nginx's mime.types and Python's mimetypes
// agree on); text types get "; charset=utf-8".

#include <string_view>

namespace cogi {

// The content type for `path`'s extension (case-insensitive), or
// "application/octet-stream" when unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace cogi
