// A reflected schema declares members of its own struct, not of another one.
#include <dynamo/model/reflect.hpp>

#include "misuse_model.hpp"

struct Mine {
  std::string id{};
  std::int64_t views = 0;
};
struct Other {
  std::int64_t views = 0;
};

void misuse() {
#ifdef DYNAMO_MISUSE
  (void)dynamo::reflect_table<Mine>("T").hash_key(&Mine::id).attribute(&Other::views, dynamo::default_to(1));
#else
  (void)dynamo::reflect_table<Mine>("T").hash_key(&Mine::id).attribute(&Mine::views, dynamo::default_to(1));
#endif
}
