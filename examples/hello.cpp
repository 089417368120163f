// The smallest cogi app: build/examples/hello, then curl http://127.0.0.1:8000/
#include "cogi/framework/app.hpp"
#include "cogi/server/runtime/run.hpp"

int main(int argc, char** argv) {
  cogi::app app;
  app.get("/", [](cogi::request&) -> cogi::task<> { co_return cogi::text("Hello, World!"); });
  return cogi::run(app, argc, argv);
}
