// A 20-route typed app for bench/compile_time.sh: four resources, each with its models
// and five CRUD routes on typed handlers (body, path, query and header parameters, a
// dependency, results as models), the way an application's API looks. Built as one
// translation unit (this file) and as one per resource (split/, twenty_routes_split),
// as a larger app would be.
#include "bench/compile/split/users.cpp"
#include "bench/compile/split/notes.cpp"
#include "bench/compile/split/orders.cpp"
#include "bench/compile/split/products.cpp"
#include "bench/compile/split/main.cpp"
