// A struct with a constructor (or private members, or virtual functions) cannot be
// reflected: its schema is declared explicitly.
#include <dynamo/model/reflect.hpp>

#include "misuse_model.hpp"

struct Constructed {
  explicit Constructed(std::string id_ = {}) : id(std::move(id_)) {}
  std::string id;
};
struct Plain {
  std::string id{};
};

void misuse() {
#ifdef DYNAMO_MISUSE
  (void)dynamo::reflect_table<Constructed>("T");
#else
  (void)dynamo::reflect_table<Plain>("T");
#endif
}
