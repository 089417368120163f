#pragma once
// The exceptions the contract raises into apps.

#include <stdexcept>

namespace cogi {

// send() after the client has gone (or the server closed the connection). Expected in
// normal operation: the server does not log it as a fault.
class client_disconnected : public std::runtime_error {
 public:
  client_disconnected() : std::runtime_error("client disconnected") {}
};

// The app broke the message order: a body before response.start, two starts, an event
// after the final body, an event type that does not belong to the scope.
class protocol_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace cogi
