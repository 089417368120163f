#include "cogi/framework/exception_handlers.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "cogi/framework/http_exception.hpp"
#include "cogi/framework/models/validation_errors.hpp"
#include "cogi/server/contract/errors.hpp"
#include "cogi/server/contract/log.hpp"

namespace cogi {
namespace {

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? name.get() : type.name();
}

// Logs what went wrong where, for the operator; the client gets a generic 500.
response internal_error(const request& req, const std::exception_ptr& error) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = type_name(typeid(e)) + ": " + e.what();
  } catch (...) {
  }
  log::error("unhandled exception in " + std::string(req.method()) + " " + std::string(req.path()) + ": " + what);
  picojson::object body;
  body["detail"] = picojson::value("Internal Server Error");
  return json(picojson::value(std::move(body)), 500);
}

}  // namespace

response http_exception_response(const http_exception& error) {
  picojson::object body;
  body["detail"] = picojson::value(std::string(error.detail()));
  response res = json(picojson::value(std::move(body)), error.status());
  for (const auto& [name, value] : error.headers()) res.headers.add(name, value);
  return res;
}

task<response> exception_handlers::respond(request& req, std::exception_ptr error) const {
  // A client that left cannot be answered: let the server end the request quietly.
  try {
    std::rethrow_exception(error);
  } catch (const client_disconnected&) {
    throw;
  } catch (...) {
  }
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    auto handler = (*it)(error);
    if (!handler) continue;
    std::exception_ptr failure;
    try {
      co_return co_await handler(req);
    } catch (...) {
      failure = std::current_exception();
    }
    co_return internal_error(req, failure);
  }
  try {
    std::rethrow_exception(error);
  } catch (const http_exception& e) {
    co_return http_exception_response(e);
  } catch (const models::request_validation_error& e) {
    co_return bytes(e.errors().to_json(), "application/json", 422);
  } catch (...) {
  }
  co_return internal_error(req, error);
}

}  // namespace cogi
