// The source of cogi_app_pch (framework/CMakeLists.txt): a target exists to build the
// precompiled header that the programs and tests written on the framework reuse, and
// CMake wants a source for it. Nothing is compiled here but that header.
