#pragma once
// gzip: compresses responses for clients that accept it (Accept-Encoding: gzip), with
// zlib, as Starlette's GZipMiddleware and nginx's gzip module do.
//
//   app.use(cogi::gzip({.minimum_size = 500}));
//
// - A whole body smaller than minimum_size goes out as it is (compressing it would not pay).
// - Streamed bodies are compressed as they stream: every chunk is flushed to the client
//   (Z_SYNC_FLUSH), so a stream stays live; Server-Sent Events are left alone anyway.
// - Responses that are already encoded (Content-Encoding), partial (206), bodiless, or
//   of types that do not compress (images, video, archives) pass through untouched.
// - Vary: Accept-Encoding is added to whatever could be compressed, for caches.

#include <cstddef>

#include "cogi/framework/middleware.hpp"
#include "cogi/server/contract/option_setters.hpp"

namespace cogi {

struct gzip_options {
  std::size_t minimum_size = 500;
  int level = 6;  // zlib's default trade-off; 1 fastest, 9 smallest

  // with_<field>(value) setters, for any order (server/contract/option_setters.hpp).
  COGI_OPTION_SETTERS(minimum_size, level)
};

app_wrapper_fn gzip(gzip_options options = {});

// Whether an Accept-Encoding value allows gzip (a q=0 refuses it).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace cogi
