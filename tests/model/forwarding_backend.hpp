// A Backend that passes every call to another one: the base of the test backends that
// fail or hold back some calls the way DynamoDB does under load.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "dynamo/client/backend.hpp"

namespace model_test {

class ForwardingBackend : public dynamo::Backend {
 public:
  explicit ForwardingBackend(std::shared_ptr<dynamo::Backend> inner) : inner_(std::move(inner)) {}
#define DYNAMO_FORWARD(method, Name, ...) \
  dynamo::api::Name##Response method(const dynamo::api::Name##Request& request) override { return inner_->method(request); }
  DYNAMO_OPERATIONS(DYNAMO_FORWARD)
#undef DYNAMO_FORWARD
  [[nodiscard]] std::string describe() const override { return "forwarding to " + inner_->describe(); }

 protected:
  std::shared_ptr<dynamo::Backend> inner_;
};

}  // namespace model_test
