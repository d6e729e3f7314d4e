// A struct with a base class cannot be reflected (structured bindings cannot bind it): its
// schema is declared explicitly.
#include <dynamo/model/reflect.hpp>

#include "misuse_model.hpp"

struct Audited {
  std::string owner{};
};
struct Invoice : Audited {
  std::string id{};
};
struct Flat {
  std::string owner{};
  std::string id{};
};

void misuse() {
#ifdef DYNAMO_MISUSE
  (void)dynamo::reflect_table<Invoice>("T");
#else
  (void)dynamo::reflect_table<Flat>("T");
#endif
}
