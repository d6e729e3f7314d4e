#include "dynamo/value/item_size.hpp"

#include <type_traits>

namespace dynamo {
namespace {
constexpr std::size_t container_overhead = 3;
constexpr std::size_t element_overhead = 1;
}  // namespace

std::size_t number_size(const Number& number) noexcept {
  return (static_cast<std::size_t>(number.significant_digits()) + 1) / 2 + 1;
}

std::size_t value_size(const AttributeValue& value) noexcept {
  return value.visit([](const auto& v) -> std::size_t {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>) {
      return v.size();
    } else if constexpr (std::is_same_v<T, Number>) {
      return number_size(v);
    } else if constexpr (std::is_same_v<T, Binary>) {
      return v.size();
    } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, Null>) {
      return 1;
    } else if constexpr (std::is_same_v<T, AttributeMap>) {
      std::size_t total = container_overhead;
      for (const auto& [name, member] : v) total += element_overhead + name.size() + value_size(member);
      return total;
    } else if constexpr (std::is_same_v<T, List>) {
      std::size_t total = container_overhead;
      for (const auto& element : v) total += element_overhead + value_size(element);
      return total;
    } else if constexpr (std::is_same_v<T, StringSet> || std::is_same_v<T, BinarySet>) {
      std::size_t total = 0;
      for (const auto& element : v) total += element.size();
      return total;
    } else {
      static_assert(std::is_same_v<T, NumberSet>);
      std::size_t total = 0;
      for (const auto& element : v) total += number_size(element);
      return total;
    }
  });
}

std::size_t item_size(const Item& item) noexcept {
  std::size_t total = 0;
  for (const auto& [name, value] : item) total += name.size() + value_size(value);
  return total;
}

}  // namespace dynamo
