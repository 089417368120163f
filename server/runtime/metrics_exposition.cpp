#include "cogi/server/runtime/metrics_exposition.hpp"

#include <charconv>

#include "cogi/server/async/blocking_pool.hpp"
#include "cogi/server/runtime/event_loop.hpp"
#include "cogi/server/runtime/process_stats.hpp"

namespace cogi::runtime {
namespace {

// The shortest text that reads back as the same double ("0.005", not 0.0050000000000000001).
void append_number(std::string& out, double value) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  out.append(text, ec == std::errc{} ? static_cast<std::size_t>(end - text) : 0);
}

void append_number(std::string& out, std::uint64_t value) { out += std::to_string(value); }

// "# HELP" and "# TYPE" for a metric family.
void describe(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

template <class Number>
void sample(std::string& out, std::string_view name, Number value) {
  out.append(name).append(" ");
  append_number(out, value);
  out.append("\n");
}

// A family with a single unlabelled sample.
template <class Number>
void single(std::string& out, std::string_view name, std::string_view type, std::string_view help, Number value) {
  describe(out, name, type, help);
  sample(out, name, value);
}

void append_route_labels(std::string& out, std::string_view method, std::string_view route) {
  out.append("method=\"").append(method).append("\",route=");
  // No route: the request matched none (a 404), or the app names no routes.
  append_label_value(out, route.empty() ? "unmatched" : route);
}

// What every loop counts, summed.
struct loop_totals {
  std::uint64_t in_flight = 0, open = 0, parked = 0, accepted = 0, timed_out = 0, aborted = 0;
  std::uint64_t received = 0, sent = 0, stalls = 0;
  std::uint64_t websockets = 0, websocket_in = 0, websocket_out = 0;
  std::array<std::uint64_t, rejection_statuses.size() + 1> rejections{};
  request_totals requests;
};

loop_totals sum_loops(const server_view& server) {
  loop_totals total;
  for (const event_loop* loop : server.loops) {
    const loop_counters& counters = loop->counters();
    total.in_flight += counters.requests_in_flight.get();
    total.open += loop->connections().size();
    total.parked += loop->parking().size();
    total.accepted += counters.connections_accepted.get();
    total.timed_out += counters.connections_timed_out.get();
    total.aborted += counters.connections_aborted.get();
    total.received += counters.bytes_received.get();
    total.sent += counters.bytes_sent.get();
    total.stalls += loop->stalls().stalls();
    total.websockets += counters.websockets_open.get();
    total.websocket_in += counters.websocket_messages_received.get();
    total.websocket_out += counters.websocket_messages_sent.get();
    for (std::size_t i = 0; i < total.rejections.size(); ++i) total.rejections[i] += counters.rejections[i].get();
    loop->metrics().collect(total.requests);
  }
  return total;
}

void append_request_metrics(std::string& out, const request_totals& requests) {
  describe(out, "http_requests_total", "counter",
           "Requests the app answered, by method, route template and status.");
  for (const auto& [key, series] : requests.series_by_route) {
    for (const auto& [status, count] : series.by_status) {
      out.append("http_requests_total{");
      append_route_labels(out, key.second, key.first);
      out.append(",status=\"").append(std::to_string(status)).append("\"} ");
      append_number(out, count);
      out.append("\n");
    }
  }
  describe(out, "http_request_duration_seconds", "histogram",
           "Time from a request's head to the end of its response, by method and route template.");
  for (const auto& [key, series] : requests.series_by_route) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < series.buckets.size(); ++i) {
      cumulative += series.buckets[i];
      out.append("http_request_duration_seconds_bucket{");
      append_route_labels(out, key.second, key.first);
      out.append(",le=\"");
      if (i < duration_buckets.size()) {
        append_number(out, duration_buckets[i]);
      } else {
        out.append("+Inf");
      }
      out.append("\"} ");
      append_number(out, cumulative);
      out.append("\n");
    }
    out.append("http_request_duration_seconds_sum{");
    append_route_labels(out, key.second, key.first);
    out.append("} ");
    append_number(out, static_cast<double>(series.duration_ns) / 1e9);
    out.append("\nhttp_request_duration_seconds_count{");
    append_route_labels(out, key.second, key.first);
    out.append("} ");
    append_number(out, series.count);
    out.append("\n");
  }
}

void append_process_metrics(std::string& out) {
  const auto stats = read_process_stats();
  if (!stats) return;
  single(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.", stats->cpu_seconds);
  single(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", stats->resident_bytes);
  single(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", stats->virtual_bytes);
  single(out, "process_open_fds", "gauge", "Open file descriptors.", stats->open_fds);
  single(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.", stats->max_fds);
  single(out, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.",
         stats->start_time_seconds);
}

}  // namespace

void append_label_value(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '"') {
      out.append("\\\"");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void append_metrics(std::string& out, const server_view& server) {
  const loop_totals total = sum_loops(server);
  append_request_metrics(out, total.requests);
  single(out, "http_requests_in_flight", "gauge", "Requests handed to the app and not yet answered.", total.in_flight);
  describe(out, "cogi_requests_rejected_total", "counter",
           "Requests the server refused itself (bad framing, limits, timeouts), by status.");
  for (std::size_t i = 0; i < total.rejections.size(); ++i) {
    out.append("cogi_requests_rejected_total{status=\"")
        .append(i < rejection_statuses.size() ? std::to_string(rejection_statuses[i]) : "other")
        .append("\"} ");
    append_number(out, total.rejections[i]);
    out.append("\n");
  }
  single(out, "cogi_connections_open", "gauge", "Client connections open now, parked ones included.", total.open);
  single(out, "cogi_connections_parked", "gauge", "Idle keep-alive connections parked without a coroutine.",
         total.parked);
  single(out, "cogi_connections_accepted_total", "counter", "Client connections accepted.", total.accepted);
  single(out, "cogi_connections_timed_out_total", "counter",
         "Connections closed by the header, body or keep-alive timeout.", total.timed_out);
  single(out, "cogi_connections_aborted_total", "counter",
         "Connections closed when a graceful shutdown ran out of time.", total.aborted);
  single(out, "cogi_websockets_open", "gauge", "WebSocket connections open now (past the 101).", total.websockets);
  single(out, "cogi_websocket_messages_received_total", "counter", "WebSocket messages received from clients.",
         total.websocket_in);
  single(out, "cogi_websocket_messages_sent_total", "counter", "WebSocket messages the apps sent.",
         total.websocket_out);
  single(out, "cogi_received_bytes_total", "counter", "Bytes read from clients.", total.received);
  single(out, "cogi_sent_bytes_total", "counter", "Bytes written to clients.", total.sent);
  single(out, "cogi_loop_stalls_total", "counter", "Times a loop was blocked longer than --stall-threshold.",
         total.stalls);
  single(out, "cogi_loops", "gauge", "Event loops (threads) serving requests.",
         static_cast<std::uint64_t>(server.loops.size()));
  single(out, "cogi_ready", "gauge", "1 while the server is ready for traffic (what the readiness endpoint says).",
         static_cast<std::uint64_t>(server.ready.load(std::memory_order_relaxed) ? 1 : 0));
  const async::blocking_pool* pool = async::blocking_pool::shared_if_started();
  single(out, "cogi_blocking_pool_threads", "gauge", "Threads of the pool run_blocking() calls run on.",
         static_cast<std::uint64_t>(pool ? pool->size() : 0));
  single(out, "cogi_blocking_pool_queued", "gauge", "run_blocking() calls waiting for a thread.",
         static_cast<std::uint64_t>(pool ? pool->queued() : 0));
  single(out, "cogi_blocking_pool_running", "gauge", "run_blocking() calls running now.",
         static_cast<std::uint64_t>(pool ? pool->running() : 0));
  append_process_metrics(out);
}

}  // namespace cogi::runtime
