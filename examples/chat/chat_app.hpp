#pragma once
// A chat room server (examples/chat/): a page at GET /, and rooms at the WebSocket
// /ws/{room}?name=NAME. Every text message a member sends goes, as JSON
// {"name": ..., "text": ...}, to every member of the room, whichever loop serves them;
// joins and departures come as {"notice": ...}. examples/chat/hub.hpp says how the
// loops share the rooms.

#include "cogi/framework/app.hpp"

namespace cogi::examples {

cogi::app make_chat_app();

}  // namespace cogi::examples
