#pragma once
// The asyncio notes' concurrent crawler, on cogi's HTTP client: fetch a list of pages
// concurrently, at most `concurrency` at a time (a semaphore, as the notes' aiohttp
// version has), extract each page's links and write one "source<TAB>link" line per
// link. A page that fails (refused, timed out, not HTML, a 404) is counted and
// reported, and the rest go on.
//
//   cogi::http_client client;
//   std::ofstream out("links.tsv");
//   const auto report = co_await cogi::examples::crawl(client, urls, {.concurrency = 8}, out);

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include "cogi/clients/http/client.hpp"

namespace cogi::examples {

struct crawl_options {
  std::size_t concurrency = 8;
  std::chrono::steady_clock::duration timeout = std::chrono::seconds(10);  // per page
};

struct crawl_report {
  std::size_t pages = 0;   // fetched and read
  std::size_t links = 0;   // lines written
  std::vector<std::string> failures;  // "url: why", one per page that failed
  std::size_t most_at_once = 0;       // the most pages being fetched at one time
};

asio::awaitable<crawl_report> crawl(http_client& client, const std::vector<std::string>& urls,
                                    crawl_options options, std::ostream& out);

}  // namespace cogi::examples
