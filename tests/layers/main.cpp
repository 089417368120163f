// Linked with one layer's whole archive and only the layers below it (CMakeLists.txt
// beside this file): if any object of that layer used a layer it may not, the link
// fails with an undefined reference. Nothing runs.
int main() { return 0; }
