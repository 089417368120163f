#include "examples/crawler/crawler.hpp"

#include <algorithm>

#include <asio/this_coro.hpp>

#include "cogi/server/async/semaphore.hpp"
#include "cogi/server/async/task_group.hpp"
#include "examples/crawler/links.hpp"

namespace cogi::examples {
namespace {

// What the pages of one crawl share, all on one loop: no lock.
struct crawl_state {
  http_client& client;
  const crawl_options& options;
  std::ostream& out;
  crawl_report report;
  async::semaphore permits;
  std::size_t in_flight = 0;
};

// One page: fetched once a permit is free, its links written as they are found.
asio::awaitable<void> crawl_page(crawl_state& state, const std::string& page) {
  co_await state.permits.acquire();
  state.report.most_at_once = std::max(state.report.most_at_once, ++state.in_flight);
  try {
    fetch::request_options per_page;
    per_page.timeout = state.options.timeout;
    auto r = co_await state.client.get(page, per_page);
    const std::string content_type(r.header("Content-Type").value_or(""));
    if (r.status != 200) throw fetch::status_error("status " + std::to_string(r.status), r.status);
    if (content_type.find("html") == std::string::npos) throw fetch::error("not HTML: " + content_type);
    const std::string html = co_await r.text();
    const fetch::url where = fetch::url::parse(r.url);  // after redirects
    const std::vector<std::string> links = extract_links(html, where);
    for (const std::string& link : links) state.out << page << '\t' << link << '\n';
    state.report.links += links.size();
    ++state.report.pages;
  } catch (const std::exception& error) {
    state.report.failures.push_back(page + ": " + error.what());
  }
  --state.in_flight;
  state.permits.release();
}

}  // namespace

asio::awaitable<crawl_report> crawl(http_client& client, const std::vector<std::string>& urls,
                                    crawl_options options, std::ostream& out) {
  crawl_state state{client, options, out, {}, async::semaphore(std::max<std::size_t>(options.concurrency, 1)), 0};
  async::task_group group(co_await asio::this_coro::executor);
  for (const std::string& page : urls) {
    auto fetch_one = crawl_page(state, page);
    group.spawn(std::move(fetch_one));
  }
  co_await group.wait();
  co_return std::move(state.report);
}

}  // namespace cogi::examples
