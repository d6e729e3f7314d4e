#include "dynamo/api/operations.hpp"

namespace dynamo::api {

std::optional<Operation> operation_from_name(std::string_view name, Protocol protocol) noexcept {
  for (std::size_t i = 0; i < operation_count; ++i) {
    const auto& facts = detail::operation_facts[i];
    if (facts.name == name && facts.protocol == protocol) return static_cast<Operation>(i);
  }
  return std::nullopt;
}

std::optional<Operation> operation_from_target(std::string_view target) noexcept {
  for (const Protocol protocol : {Protocol::dynamodb, Protocol::streams}) {
    const std::string_view prefix = target_prefix_of(protocol);
    if (target.starts_with(prefix)) return operation_from_name(target.substr(prefix.size()), protocol);
  }
  return std::nullopt;
}

std::string target_of(Operation operation) {
  std::string target(target_prefix_of(protocol_of(operation)));
  target.append(operation_name(operation));
  return target;
}

}  // namespace dynamo::api
