// The three bench endpoints on cpp-httplib (Debian's libcpp-httplib-dev): the C++
// thread-pool server, one blocking thread per connection being served. /sleep holds its
// thread the way a blocking server waits, so concurrency is bounded by --threads.
//
//   httplib_server --port 18080 [--threads 32] [--keep-alive 120]

#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

#include <httplib.h>
#include <picojson.h>

int main(int argc, char** argv) {
  int port = 8000;
  int threads = 32;
  int keep_alive_seconds = 120;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--port") port = value;
    else if (flag == "--threads") threads = value;
    else if (flag == "--keep-alive") keep_alive_seconds = value;
  }

  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // Without TCP_NODELAY every response waits out the peer's delayed ACK (~40 ms): the
  // head and the body are two writes. nginx sets it by default too.
  server.set_tcp_nodelay(true);
  // The library's defaults close a connection after 5 requests or 5 idle seconds; a
  // deployment, like nginx's keepalive_requests, would not.
  server.set_keep_alive_max_count(1'000'000);
  server.set_keep_alive_timeout(keep_alive_seconds);
  server.set_read_timeout(keep_alive_seconds);

  server.Get("/plaintext", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("Hello, World!", "text/plain; charset=utf-8");
  });
  server.Get("/json", [](const httplib::Request&, httplib::Response& res) {
    picojson::object message;
    message["message"] = picojson::value("Hello, World!");
    res.set_content(picojson::value(std::move(message)).serialize(), "application/json");
  });
  server.Get("/sleep", [](const httplib::Request& req, httplib::Response& res) {
    const int ms = req.has_param("ms") ? std::atoi(req.get_param_value("ms").c_str()) : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    res.set_content("ok", "text/plain; charset=utf-8");
  });
  return server.listen("127.0.0.1", port) ? 0 : 1;
}
