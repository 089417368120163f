#pragma once
// The TechEmpower tables as the app reads them, and how their rows become JSON.

#include <string>

namespace cogi::techempower {

struct world {
  int id;
  int randomnumber;
};

struct fortune {
  int id;
  std::string message;
};

// {"id":3217,"randomNumber":2149}, appended to `out`.
void append_world_json(std::string& out, const world& w);

}  // namespace cogi::techempower
