// begins_with() on a number attribute does not compile.
#include "misuse_model.hpp"

dynamo::expr::Condition misuse() {
#ifdef DYNAMO_MISUSE
  return dynamo::field(&Misuse::views).begins_with(1);
#else
  return dynamo::field(&Misuse::nickname).begins_with("J");
#endif
}
