// crawler: fetches pages concurrently and writes their links (examples/crawler/crawler.hpp).
//   crawler [--concurrency N] [--output FILE] URL... | --urls FILE
// Lines go to FILE (default: standard output) as "source<TAB>link"; failures go to
// standard error, and the exit status is 1 when any page failed.

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "examples/crawler/crawler.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> urls;
  cogi::examples::crawl_options options;
  std::string output;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--concurrency" && i + 1 < argc) {
      options.concurrency = std::stoul(argv[++i]);
    } else if (arg == "--output" && i + 1 < argc) {
      output = argv[++i];
    } else if (arg == "--urls" && i + 1 < argc) {
      std::ifstream list(argv[++i]);
      for (std::string line; std::getline(list, line);) {
        if (!line.empty() && line[0] != '#') urls.push_back(line);
      }
    } else if (arg == "--help" || arg.starts_with("--")) {
      std::cerr << "usage: crawler [--concurrency N] [--output FILE] URL... | --urls FILE\n";
      return arg == "--help" ? 0 : 2;
    } else {
      urls.push_back(arg);
    }
  }
  std::ofstream file;
  if (!output.empty()) file.open(output);
  std::ostream& out = output.empty() ? std::cout : file;

  asio::io_context loop;
  cogi::http_client client;
  cogi::examples::crawl_report report;
  std::exception_ptr failure;
  asio::co_spawn(loop, cogi::examples::crawl(client, urls, options, out),
                 [&](std::exception_ptr error, cogi::examples::crawl_report result) {
                   failure = error;
                   report = std::move(result);
                   // Idle connections would keep run() busy until they expire.
                   client.close_idle_connections(loop.get_executor());
                 });
  loop.run();
  if (failure) std::rethrow_exception(failure);
  for (const auto& page_failure : report.failures) std::cerr << "failed: " << page_failure << '\n';
  std::cerr << report.pages << " pages, " << report.links << " links, " << report.failures.size() << " failures\n";
  return report.failures.empty() ? 0 : 1;
}
