// build/examples/demo: the demo app on the real server. Every server flag works
// (--help lists them); by default it serves http://127.0.0.1:8000 on one loop per core.

#include "examples/demo/demo_app.hpp"
#include "cogi/server/runtime/run.hpp"

int main(int argc, char** argv) { return cogi::run(cogi::examples::make_demo_app(), argc, argv); }
