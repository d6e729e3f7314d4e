// Compile-time reference: the one-include umbrella and nothing else. bench/compile/measure
// times it against another revision's headers (docs/performance.md, "Compile time").
#include <dynamo/dynamo.hpp>

int main() {}
