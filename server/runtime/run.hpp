#pragma once
// cogi::run: what a program's main calls. Parses the command line and COGI_* environment
// (docs/cli.md), starts the server, handles SIGINT/SIGTERM (first: graceful shutdown;
// second: immediate exit) and returns the process exit status:
//   0 after a clean shutdown (or --help), 1 when an address cannot be bound,
//   2 for a bad command line, 3 when the app's lifespan startup failed.
// With --healthcheck it serves nothing: it asks the running server for its health
// endpoint and returns 0 if healthy, 1 if not (server/runtime/healthcheck.hpp).
//
//   int main(int argc, char** argv) { return cogi::run(hello, argc, argv); }  // examples/contract_app.cpp

#include "cogi/server/contract/app.hpp"
#include "cogi/server/runtime/config.hpp"

namespace cogi {

// `defaults` lets a program change defaults (e.g. its port) that flags still override.
int run(app_fn app, int argc, const char* const argv[], const server_config& defaults = {});

// For a program that reads its own options (server_config::app_options) before it
// builds its app:
//
//   cogi::server_config defaults;
//   defaults.app_options = {{"greeting", "What / answers.", "Hello"}};
//   const cogi::parse_result parsed = cogi::parse_command_line(argc, argv, defaults);
//   if (!parsed.config) return cogi::report(parsed);  // --help, or a bad command line
//   const std::string greeting = parsed.config->option("greeting");
//   ...
//   return cogi::run(app, *parsed.config);
int run(app_fn app, const server_config& config);
// Prints parse_command_line's message (stdout for --help, stderr for errors) and
// returns its exit status.
int report(const parse_result& parsed);

}  // namespace cogi
