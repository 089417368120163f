// The chat example (examples/chat/chat_app.hpp): rooms over WebSocket, shared by every
// loop. Open http://127.0.0.1:8000/ in two browser tabs.

#include "cogi/server/runtime/run.hpp"
#include "examples/chat/chat_app.hpp"

int main(int argc, char** argv) { return cogi::run(cogi::examples::make_chat_app(), argc, argv); }
