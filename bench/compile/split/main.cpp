// The twenty-route app's main (bench/compile/).
#include "bench/compile/split/common.hpp"

int main(int argc, char** argv) {
  cogi::app app;
  api::add_users(app);
  api::add_notes(app);
  api::add_orders(app);
  api::add_products(app);
  app.openapi({.title = "Twenty routes"});
  return cogi::run(app, argc, argv);
}
