// A program outside cogi's tree, built against the installed package (CMakeLists.txt
// beside this file). Its own folder named server/ could not clash: cogi's headers are
// included by their cogi/ path.
#include <string>

#include "cogi/framework/app.hpp"
#include "cogi/middleware/gzip.hpp"
#include "cogi/server/runtime/run.hpp"

int main(int argc, char** argv) {
  cogi::app app;
  app.get("/hello/{name}", [](cogi::request& request) -> cogi::task<> {
    co_return cogi::text("Hello, " + std::string(request.path_params().get("name")) + "!");
  });
  app.use(cogi::gzip());
  return cogi::run(app, argc, argv);
}
