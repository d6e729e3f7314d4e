// A std::optional member cannot be a key.
#include "misuse_model.hpp"

struct OptionalKey {
  std::optional<std::string> id{};
  std::string name{};
};

void misuse() {
#ifdef DYNAMO_MISUSE
  (void)dynamo::table<OptionalKey>("T").hash_key("id", &OptionalKey::id);
#else
  (void)dynamo::table<OptionalKey>("T").hash_key("name", &OptionalKey::name).attribute("id", &OptionalKey::id);
#endif
}
