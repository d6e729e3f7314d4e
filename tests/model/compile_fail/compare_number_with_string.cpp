// Comparing a number attribute with a string does not compile.
#include "misuse_model.hpp"

dynamo::expr::Condition misuse() {
#ifdef DYNAMO_MISUSE
  return dynamo::field(&Misuse::views) == "many";
#else
  return dynamo::field(&Misuse::views) == 10;
#endif
}
