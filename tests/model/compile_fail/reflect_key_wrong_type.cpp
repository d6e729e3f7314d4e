// A reflected key is checked as an explicit one: a set cannot be a key.
#include <set>

#include <dynamo/model/reflect.hpp>

#include "misuse_model.hpp"

struct Tagged {
  std::string id{};
  std::set<std::string> tags{};
};

void misuse() {
#ifdef DYNAMO_MISUSE
  (void)dynamo::reflect_table<Tagged>("T").hash_key(&Tagged::tags);
#else
  (void)dynamo::reflect_table<Tagged>("T").hash_key(&Tagged::id);
#endif
}
