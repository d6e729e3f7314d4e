// Indexing an attribute that is not a list does not compile.
#include "misuse_model.hpp"

dynamo::expr::UpdateAction misuse() {
#ifdef DYNAMO_MISUSE
  return dynamo::field(&Misuse::views)[0].remove();
#else
  return dynamo::field(&Misuse::notes)[0].remove();
#endif
}
