// The model layer's own exceptions. Everything a call to DynamoDB can raise keeps the
// client's types (PutError, QueryError, TableDoesNotExist, ...: dynamo/client/errors.hpp);
// these add what only the model knows.
//
//   try { Thread t = threads.get("C++", "Modules"); }
//   catch (const dynamo::DoesNotExist& e) { std::cerr << e.what(); }  // PynamoDB's Model.DoesNotExist
//
//   dynamo::Error                 (code(), message())
//   ├── DoesNotExist              get()/refresh()/update() of an item that is not there
//   ├── ModelUsageError           a call the model rejects before sending anything, e.g.
//                                 count() with a filter but no hash key (PynamoDB's ValueError)
//   └── WrongModel                an item read as a model whose discriminator it does not
//                                 carry (a Bar read as a Foo: PynamoDB's ValueError)
#pragma once

#include <string>

#include "dynamo/error.hpp"

namespace dynamo {

class DoesNotExist : public Error {
 public:
  // `what` describes the item, e.g. `Thread item {"forum_name": "C++", ...}`.
  explicit DoesNotExist(const std::string& what)
      : Error("DoesNotExist", what + " does not exist", 404) {}
};

class ModelUsageError : public Error {
 public:
  explicit ModelUsageError(std::string message) : Error("ValidationException", std::move(message), 400) {}
};

class WrongModel : public Error {
 public:
  explicit WrongModel(std::string message) : Error("WrongModel", std::move(message), 400) {}
};

}  // namespace dynamo
