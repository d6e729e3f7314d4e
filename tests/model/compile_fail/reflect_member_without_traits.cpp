// A reflected member whose type has no attribute_traits must be excluded.
#include <dynamo/model/reflect.hpp>

#include "misuse_model.hpp"

struct Opaque {
  int secret = 0;
};
struct HasOpaque {
  std::string id{};
  Opaque opaque{};
};

void misuse() {
#ifdef DYNAMO_MISUSE
  (void)dynamo::reflect_table<HasOpaque>("T").hash_key(&HasOpaque::id).build();
#else
  (void)dynamo::reflect_table<HasOpaque>("T").hash_key(&HasOpaque::id).exclude<&HasOpaque::opaque>().build();
#endif
}
