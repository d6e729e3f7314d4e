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
//   ├── WrongModel                an item read as a model whose discriminator it does not
//   │                             carry (a Bar read as a Foo: PynamoDB's ValueError)
//   └── ValidationError           an object or document that breaks its schema's rules
//                                 (dynamo/model/validation.hpp): every problem at once,
//                                 and nothing was written
#pragma once

#include <string>
#include <vector>

#include "dynamo/error.hpp"

namespace dynamo {

class DoesNotExist : public Error {
 public:
  // `what` describes the item, e.g. `Thread item {"forum_name": "C++", ...}`.
  explicit DoesNotExist(const std::string& what);
};

class ModelUsageError : public Error {
 public:
  explicit ModelUsageError(std::string message) : Error(std::string(error_code::model_usage), std::move(message), 400) {}
};

class WrongModel : public Error {
 public:
  explicit WrongModel(std::string message) : Error(std::string(error_code::wrong_model), std::move(message), 400) {}
};

// One broken rule: where (the stored attribute name, with `.member` and `[index]` steps into
// maps and lists; empty for the whole item) and what is wrong, e.g. {"color", "\"orange\" is
// not one of \"purple\", \"red\""}.
struct Violation {
  std::string field{};
  std::string message{};
  friend bool operator==(const Violation&, const Violation&) = default;
};

// Every rule an object or document breaks, collected before anything is sent. what() lists
// them all: `invalid Thing item: color: "orange" is not one of ...; id: is required`.
class ValidationError : public Error {
 public:
  // `subject` names what was checked, e.g. "Thing item".
  ValidationError(const std::string& subject, std::vector<Violation> violations);

  [[nodiscard]] const std::vector<Violation>& violations() const noexcept { return violations_; }

 private:
  std::vector<Violation> violations_;
};

}  // namespace dynamo
