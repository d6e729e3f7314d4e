// Assigning a string to a number attribute does not compile.
#include "misuse_model.hpp"

dynamo::expr::UpdateAction misuse() {
#ifdef DYNAMO_MISUSE
  return dynamo::field(&Misuse::views).set(std::string("ten"));
#else
  return dynamo::field(&Misuse::views).set(dynamo::field(&Misuse::views) + 10);
#endif
}
