// add() on a string attribute does not compile (ADD takes numbers and sets).
#include "misuse_model.hpp"

dynamo::expr::UpdateAction misuse() {
#ifdef DYNAMO_MISUSE
  return dynamo::field(&Misuse::nickname).add("x");
#else
  return dynamo::field(&Misuse::views).add(1);
#endif
}
