// A member type without attribute_traits (or a model schema) cannot be an attribute.
#include "misuse_model.hpp"

struct Opaque {
  int secret = 0;
};
struct HasOpaque {
  std::string id{};
  Opaque opaque{};
  int plain = 0;
};

void misuse() {
#ifdef DYNAMO_MISUSE
  (void)dynamo::table<HasOpaque>("T").hash_key("id", &HasOpaque::id).attribute("opaque", &HasOpaque::opaque);
#else
  (void)dynamo::table<HasOpaque>("T").hash_key("id", &HasOpaque::id).attribute("plain", &HasOpaque::plain);
#endif
}
