// append() on an attribute that is not a list does not compile.
#include "misuse_model.hpp"

dynamo::expr::UpdateAction misuse() {
#ifdef DYNAMO_MISUSE
  return dynamo::field(&Misuse::views).append(std::vector<std::string>{"x"});
#else
  return dynamo::field(&Misuse::notes).append({"x"});
#endif
}
