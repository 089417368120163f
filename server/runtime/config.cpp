#include "cogi/server/runtime/config.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

#include "cogi/server/http/access_log_format.hpp"
#include "cogi/server/http/forwarded.hpp"
#include "cogi/server/runtime/cpu_quota.hpp"

namespace cogi {
namespace {

// Thrown by a setter; becomes "invalid value for --flag: <why>" and exit status 2.
struct bad_value : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class Integer>
Integer parse_integer(std::string_view text, Integer min, Integer max) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    throw bad_value("expected an integer, got '" + std::string(text) + "'");
  if (value < static_cast<long long>(min) || value > static_cast<long long>(max))
    throw bad_value("must be between " + std::to_string(min) + " and " + std::to_string(max));
  return static_cast<Integer>(value);
}

std::chrono::milliseconds parse_seconds(std::string_view text) {
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || !std::isfinite(seconds) ||
      seconds < 0 || seconds > 86400.0 * 365)
    throw bad_value("expected a number of seconds, got '" + std::string(text) + "'");
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

bool parse_bool(std::string_view text) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  throw bad_value("expected true or false, got '" + std::string(text) + "'");
}

endpoint_spec parse_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) throw bad_value("expected HOST:PORT, got '" + std::string(text) + "'");
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) throw bad_value("missing host in '" + std::string(text) + "'");
  return {std::string(host), parse_integer<std::uint16_t>(text.substr(colon + 1), 0, 65535)};
}

// A path for one of the runner's endpoints: absolute, or "" or "off" (none).
std::string parse_endpoint_path(std::string_view text) {
  if (text == "off") return {};
  if (!text.empty() && (text.front() != '/' || text.find_first_of("?# ") != std::string_view::npos))
    throw bad_value("expected a path starting with '/' (or \"\" for none), got '" + std::string(text) + "'");
  return std::string(text);
}

std::string show_path(const std::string& path) { return path.empty() ? "\"\" (off)" : path; }

std::string show_seconds(std::chrono::milliseconds value) {
  std::ostringstream out;
  out << static_cast<double>(value.count()) / 1000.0;
  return out.str();
}

struct option {
  std::string_view name;  // without "--"
  std::string_view help;
  bool is_switch;         // takes no value on the command line (--reuse-port)
  std::function<void(server_config&, std::string_view)> set;
  std::function<std::string(const server_config&)> show;
};

const std::vector<option>& options() {
  using c = server_config;
  static const std::vector<option> table = {
      {"host", "Bind socket to this host.", false,
       [](c& s, std::string_view v) { s.host = v; }, [](const c& s) { return s.host; }},
      {"port", "Bind socket to this port (0: any free port).", false,
       [](c& s, std::string_view v) { s.port = parse_integer<std::uint16_t>(v, 0, 65535); },
       [](const c& s) { return std::to_string(s.port); }},
      {"bind", "Listen on HOST:PORT; repeat for several (replaces --host/--port).", false,
       [](c& s, std::string_view v) { s.binds.push_back(parse_endpoint(v)); },
       [](const c&) { return std::string("none"); }},
      {"uds", "Also listen on this Unix domain socket path.", false,
       [](c& s, std::string_view v) { s.uds = v; }, [](const c& s) { return s.uds.empty() ? "none" : s.uds; }},
      {"loops", "Event loops (threads), one io_context each (0: one per core).", false,
       [](c& s, std::string_view v) { s.loops = parse_integer<unsigned>(v, 0, 1024); },
       [](const c& s) { return s.loops == 0 ? std::string("0 (cores)") : std::to_string(s.loops); }},
      {"reuse-port", "One SO_REUSEPORT listener per loop instead of one shared acceptor.", true,
       [](c& s, std::string_view v) { s.reuse_port = parse_bool(v); },
       [](const c& s) { return std::string(s.reuse_port ? "true" : "false"); }},
      {"backlog", "Maximum number of pending connections.", false,
       [](c& s, std::string_view v) { s.backlog = parse_integer<int>(v, 1, 1 << 20); },
       [](const c& s) { return std::to_string(s.backlog); }},
      {"root-path", "Mount point of the app behind a proxy (scope root_path).", false,
       [](c& s, std::string_view v) { s.root_path = v; }, [](const c& s) { return '"' + s.root_path + '"'; }},
      {"log-level", "Log level: critical, error, warning, info, debug.", false,
       [](c& s, std::string_view v) {
         if (v != "critical" && v != "error" && v != "warning" && v != "info" && v != "debug" && v != "trace")
           throw bad_value("unknown log level '" + std::string(v) + "'");
         s.log_level = v;
       },
       [](const c& s) { return s.log_level; }},
      {"log-format", "Log lines as text or json (one JSON object per line, for log collectors).", false,
       [](c& s, std::string_view v) {
         if (v != "text" && v != "json") throw bad_value("expected text or json, got '" + std::string(v) + "'");
         s.log_format = v;
       },
       [](const c& s) { return s.log_format; }},
      {"access-log", "Write a line per request to stdout (see --access-log-format).", true,
       [](c& s, std::string_view v) { s.access_log = parse_bool(v); },
       [](const c& s) { return std::string(s.access_log ? "true" : "false"); }},
      {"access-log-format", "common, combined, json, or Apache % directives.", false,
       [](c& s, std::string_view v) {
         try {
           http::access_log_format{v};
         } catch (const std::invalid_argument& error) {
           throw bad_value(error.what());
         }
         s.access_log_format = v;
       },
       [](const c& s) { return s.access_log_format; }},
      {"proxy-headers", "Client address and scheme from X-Forwarded-For/Proto of trusted proxies.", true,
       [](c& s, std::string_view v) { s.proxy_headers = parse_bool(v); },
       [](const c& s) { return std::string(s.proxy_headers ? "true" : "false"); }},
      {"forwarded-allow-ips", "Proxies trusted with --proxy-headers: addresses, networks (10.0.0.0/8), *.",
       false,
       [](c& s, std::string_view v) {
         try {
           http::trusted_proxies::from_list(v);
         } catch (const std::invalid_argument& error) {
           throw bad_value(error.what());
         }
         s.forwarded_allow_ips = v;
       },
       [](const c& s) { return s.forwarded_allow_ips; }},
      {"health-path", "Liveness endpoint: 200 while the process serves (off: none).", false,
       [](c& s, std::string_view v) { s.health_path = parse_endpoint_path(v); },
       [](const c& s) { return show_path(s.health_path); }},
      {"ready-path", "Readiness endpoint: 200 once started, 503 from the start of shutdown (off: none).", false,
       [](c& s, std::string_view v) { s.ready_path = parse_endpoint_path(v); },
       [](const c& s) { return show_path(s.ready_path); }},
      {"metrics-path", "Prometheus metrics endpoint (off: none).", false,
       [](c& s, std::string_view v) { s.metrics_path = parse_endpoint_path(v); },
       [](const c& s) { return show_path(s.metrics_path); }},
      {"healthcheck", "Do not serve: ask the server at --host/--port for --health-path; exit 0 if healthy.", true,
       [](c& s, std::string_view v) { s.healthcheck = parse_bool(v); },
       [](const c& s) { return std::string(s.healthcheck ? "true" : "false"); }},
      {"log-probes", "Access-log requests to the health, readiness and metrics endpoints too.", true,
       [](c& s, std::string_view v) { s.log_probes = parse_bool(v); },
       [](const c& s) { return std::string(s.log_probes ? "true" : "false"); }},
      {"timeout-keep-alive", "Seconds an idle keep-alive connection is kept open.", false,
       [](c& s, std::string_view v) { s.limits.keep_alive_timeout = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.limits.keep_alive_timeout); }},
      {"timeout-header", "Seconds a client has to send a whole request head (slowloris guard).", false,
       [](c& s, std::string_view v) { s.limits.header_timeout = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.limits.header_timeout); }},
      {"timeout-body", "Seconds a request body may stall between reads.", false,
       [](c& s, std::string_view v) { s.limits.body_timeout = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.limits.body_timeout); }},
      {"timeout-graceful-shutdown", "Seconds in-flight requests get to finish on SIGTERM/SIGINT.", false,
       [](c& s, std::string_view v) { s.graceful_shutdown_timeout = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.graceful_shutdown_timeout); }},
      {"stall-threshold", "Seconds a loop may be blocked before a warning names the request (0: off).", false,
       [](c& s, std::string_view v) { s.stall_threshold = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.stall_threshold); }},
      {"blocking-threads", "Threads for run_blocking() calls, shared by all loops (0: min(32, cores + 4)).", false,
       [](c& s, std::string_view v) { s.blocking_threads = parse_integer<unsigned>(v, 0, 4096); },
       [](const c& s) { return s.blocking_threads == 0 ? std::string("0 (min(32, cores + 4))") : std::to_string(s.blocking_threads); }},
      {"limit-target-bytes", "Longest request target; longer gets 414.", false,
       [](c& s, std::string_view v) { s.limits.max_target_bytes = parse_integer<std::size_t>(v, 16, 1 << 20); },
       [](const c& s) { return std::to_string(s.limits.max_target_bytes); }},
      {"limit-header-bytes", "Largest request head; larger gets 431.", false,
       [](c& s, std::string_view v) { s.limits.max_header_bytes = parse_integer<std::size_t>(v, 256, 1 << 24); },
       [](const c& s) { return std::to_string(s.limits.max_header_bytes); }},
      {"limit-header-count", "Most header fields in a request; more gets 431.", false,
       [](c& s, std::string_view v) { s.limits.max_header_count = parse_integer<std::size_t>(v, 1, 100'000); },
       [](const c& s) { return std::to_string(s.limits.max_header_count); }},
      {"limit-body-bytes", "Largest request body; larger gets 413 (0: unlimited).", false,
       [](c& s, std::string_view v) {
         s.limits.max_body_bytes = parse_integer<std::uint64_t>(v, 0, std::uint64_t{1} << 62);
       },
       [](const c& s) { return std::to_string(s.limits.max_body_bytes); }},
      {"limit-requests-per-connection", "Requests served on one connection before closing it (0: no limit).",
       false,
       [](c& s, std::string_view v) {
         s.limits.max_requests_per_connection = parse_integer<std::uint64_t>(v, 0, std::uint64_t{1} << 62);
       },
       [](const c& s) { return std::to_string(s.limits.max_requests_per_connection); }},
      // WebSocket, by uvicorn's names.
      {"ws-max-size", "Largest WebSocket message a client may send, in bytes (1009 beyond).", false,
       [](c& s, std::string_view v) { s.websocket.max_message_bytes = parse_integer<std::uint64_t>(v, 1, std::uint64_t{1} << 40); },
       [](const c& s) { return std::to_string(s.websocket.max_message_bytes); }},
      {"ws-max-queue", "WebSocket messages received and waiting for the app before reading pauses.", false,
       [](c& s, std::string_view v) { s.websocket.max_queued_messages = parse_integer<std::size_t>(v, 1, 1 << 20); },
       [](const c& s) { return std::to_string(s.websocket.max_queued_messages); }},
      {"ws-ping-interval", "Seconds between the server's WebSocket pings (0: none).", false,
       [](c& s, std::string_view v) { s.websocket.ping_interval = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.websocket.ping_interval); }},
      {"ws-ping-timeout", "Seconds a WebSocket client has to answer a ping before it is closed (1011).", false,
       [](c& s, std::string_view v) { s.websocket.ping_timeout = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.websocket.ping_timeout); }},
      {"ws-idle-timeout", "Seconds without a WebSocket message either way before closing (1001; 0: never).", false,
       [](c& s, std::string_view v) { s.websocket.idle_timeout = parse_seconds(v); },
       [](const c& s) { return show_seconds(s.websocket.idle_timeout); }},
      {"ws-per-message-deflate", "Offer permessage-deflate (RFC 7692) to WebSocket clients that ask for it.", true,
       [](c& s, std::string_view v) { s.websocket.deflate.enabled = parse_bool(v); },
       [](const c& s) { return std::string(s.websocket.deflate.enabled ? "true" : "false"); }},
  };
  return table;
}

std::string environment_name(std::string_view flag) {
  std::string name = "COGI_";
  for (char ch : flag) name.push_back(ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return name;
}

const option* find_option(std::string_view name) {
  for (const auto& o : options())
    if (o.name == name) return &o;
  return nullptr;
}

app_option* find_app_option(server_config& config, std::string_view name) {
  for (app_option& o : config.app_options)
    if (o.name == name) return &o;
  return nullptr;
}

void set_app_option(app_option& o, std::string_view value) {
  if (o.check) {
    try {
      o.check(value);
    } catch (const std::invalid_argument& e) {
      throw bad_value(e.what());
    }
  }
  o.value = value;
}

}  // namespace

std::vector<endpoint_spec> server_config::tcp_endpoints() const {
  if (!binds.empty()) return binds;
  // With only --uds given, host/port keep their defaults unless set: uvicorn listens on the
  // socket alone then; so does cogi.
  if (!uds.empty() && host == server_config{}.host && port == server_config{}.port) return {};
  return {{host, port}};
}

unsigned server_config::loop_count() const {
  if (loops != 0) return loops;
  return runtime::usable_cpus();
}

const std::string& server_config::option(std::string_view name) const {
  for (const app_option& o : app_options) {
    if (o.name == name) return o.value;
  }
  throw std::out_of_range("no app option --" + std::string(name));
}

std::string help_text(const char* program, const server_config& defaults) {
  std::ostringstream out;
  out << "Usage: " << program << " [OPTIONS]\n\n"
      << "Every option can also be set by the environment variable COGI_<NAME>\n"
      << "(e.g. --timeout-keep-alive: COGI_TIMEOUT_KEEP_ALIVE); a flag wins over it.\n\nOptions:\n";
  for (const auto& o : options()) {
    std::string flag = "  --" + std::string(o.name) + (o.is_switch ? "" : " VALUE");
    if (o.is_switch) flag += " / --no-" + std::string(o.name);
    out << flag << "\n      " << o.help << " [default: " << o.show(defaults) << "]\n";
  }
  out << "  --help\n      Show this message and exit.\n";
  if (!defaults.app_options.empty()) {
    out << "\nOptions of " << program << ":\n";
    for (const app_option& o : defaults.app_options) {
      out << "  --" << o.name << " VALUE\n      " << o.help << " [default: " << (o.value.empty() ? "none" : o.value)
          << "]\n";
    }
  }
  return out.str();
}

parse_result parse_command_line(int argc, const char* const argv[], const server_config& defaults,
                                environment_lookup environment) {
  if (environment == nullptr) environment = [](const char* name) -> const char* { return std::getenv(name); };
  const char* program = argc > 0 ? argv[0] : "cogi";
  server_config config = defaults;
  std::string current;
  try {
    // The environment first, so that flags override it.
    for (const auto& o : options()) {
      const std::string name = environment_name(o.name);
      if (const char* value = environment(name.c_str()); value != nullptr && *value != '\0') {
        current = name;
        if (o.name == "bind") {  // a list: comma- or space-separated
          std::string_view list = value;
          while (!list.empty()) {
            const auto cut = list.find_first_of(", ");
            if (cut != 0) o.set(config, list.substr(0, cut));
            if (cut == std::string_view::npos) break;
            list.remove_prefix(cut + 1);
          }
        } else {
          o.set(config, value);
        }
      }
    }
    for (app_option& o : config.app_options) {
      const std::string name = environment_name(o.name);
      if (const char* value = environment(name.c_str()); value != nullptr && *value != '\0') {
        current = name;
        set_app_option(o, value);
      }
    }
    bool binds_from_flags = false;
    for (int i = 1; i < argc; ++i) {
      std::string_view arg = argv[i];
      if (arg == "--help" || arg == "-h") return {std::nullopt, help_text(program, defaults), 0};
      if (!arg.starts_with("--")) return {std::nullopt, "unexpected argument '" + std::string(arg) + "' (see --help)", 2};
      arg.remove_prefix(2);
      std::optional<std::string_view> inline_value;
      if (const auto eq = arg.find('='); eq != std::string_view::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
      const option* o = find_option(arg);
      if (app_option* own = find_app_option(config, arg); o == nullptr && own != nullptr) {
        current = "--" + std::string(arg);
        if (!inline_value) {
          if (i + 1 >= argc) return {std::nullopt, "option '" + current + "' needs a value", 2};
          inline_value = argv[++i];
        }
        set_app_option(*own, *inline_value);
        continue;
      }
      if (o == nullptr && arg.starts_with("no-")) {
        if (const option* negated = find_option(arg.substr(3)); negated && negated->is_switch && !inline_value) {
          current = "--" + std::string(arg);
          negated->set(config, "false");
          continue;
        }
      }
      if (o == nullptr) return {std::nullopt, "unknown option '--" + std::string(arg) + "' (see --help)", 2};
      current = "--" + std::string(arg);
      if (o->name == "bind" && !std::exchange(binds_from_flags, true)) config.binds.clear();
      if (o->is_switch) {
        o->set(config, inline_value.value_or("true"));
        continue;
      }
      if (!inline_value) {
        if (i + 1 >= argc) return {std::nullopt, "option '" + current + "' needs a value", 2};
        inline_value = argv[++i];
      }
      o->set(config, *inline_value);
    }
  } catch (const bad_value& error) {
    return {std::nullopt, "invalid value for " + current + ": " + error.what(), 2};
  }
  return {std::move(config), {}, 0};
}

}  // namespace cogi
