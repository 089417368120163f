#include "cogi/server/http/request_scope.hpp"

#include "cogi/server/http/percent.hpp"

namespace cogi::http {

void fill_request_scope(const request_head& head, const exchange_site& site, scope& out, scope_paths& storage) {
  out.http_version = head.http_version();
  out.method = head.method;
  out.raw_path = head.raw_path;
  out.path = percent_decode(head.raw_path, storage.path);
  if (!site.root_path.empty()) {
    // As uvicorn does: path and raw_path include the mount point; routers strip it.
    storage.raw_path.assign(site.root_path).append(head.raw_path);
    out.raw_path = storage.raw_path;
    if (out.path.data() != storage.path.data()) storage.path.assign(out.path);
    storage.path.insert(0, site.root_path);
    out.path = storage.path;
  }
  out.query_string = head.query_string;
  out.root_path = site.root_path;
  out.headers = head.headers;
  out.client = site.client;
  out.server = site.server;
  out.state = site.state;
}

}  // namespace cogi::http
