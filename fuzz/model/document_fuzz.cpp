// libFuzzer target for raw documents read through a model's schema (put_document's reader).
//
// Any input, read as plain JSON and (when it decodes) as a DynamoDB JSON item, must give a
// list of violations or an object — never crash, hang, leak or throw. A document read
// without violations gives an object that from_document() returns too, that breaks no rule,
// and whose item survives the DynamoDB JSON codec unchanged.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/codec/json.hpp"
#include "dynamo/model/serialize.hpp"
#include "dynamo/model/validation.hpp"

namespace fuzz {

struct Part {
  std::string sku{};
  std::int32_t quantity = 0;
};

struct Order {
  std::string id{};
  std::string status{};
  std::optional<std::string> note{};
  std::int64_t total = 0;
  double weight = 0;
  bool paid = false;
  std::set<std::string> tags{};
  std::set<std::int64_t> codes{};
  std::vector<Part> parts{};
  std::map<std::string, std::int64_t> counts{};
  dynamo::Binary blob{};
  std::set<dynamo::Binary> blobs{};
  std::optional<Part> main_part{};
  dynamo::AttributeValue anything{};
};

}  // namespace fuzz

template <>
struct dynamo::model<fuzz::Part> {
  static auto schema() {
    return dynamo::map_schema<fuzz::Part>()
        .attribute("sku", &fuzz::Part::sku, dynamo::required(), dynamo::pattern("[A-Z]{2}[0-9]*"))
        .attribute("quantity", &fuzz::Part::quantity, dynamo::range(1, 1000));
  }
};

template <>
struct dynamo::model<fuzz::Order> {
  static auto schema() {
    using fuzz::Order;
    return dynamo::table<Order>("Orders")
        .hash_key("id", &Order::id, dynamo::length(1, 16))
        .attribute("status", &Order::status, dynamo::default_to("new"), dynamo::one_of({"new", "paid", "sent"}))
        .attribute("note", &Order::note, dynamo::max_length(20))
        .attribute("total", &Order::total, dynamo::at_least(0))
        .attribute("weight", &Order::weight, dynamo::at_most(1e6))
        .attribute("paid", &Order::paid)
        .attribute("tags", &Order::tags, dynamo::max_length(4))
        .attribute("codes", &Order::codes)
        .attribute("parts", &Order::parts)
        .attribute("counts", &Order::counts)
        .attribute("blob", &Order::blob)
        .attribute("blobs", &Order::blobs)
        .attribute("main_part", &Order::main_part)
        .attribute("anything", &Order::anything);
  }
};

namespace {

void check_accepted(const fuzz::Order& order) {
  if (!dynamo::validate(order).empty()) std::abort();
  const dynamo::Item item = dynamo::serialize(order);
  if (!(dynamo::json::decode_item(dynamo::json::encode(item)) == item)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    if (dynamo::validate_document<fuzz::Order>(text).empty()) check_accepted(dynamo::from_document<fuzz::Order>(text));
  } catch (...) {
    std::abort();  // reading a document reports problems as violations, never by throwing
  }
  dynamo::Item item;
  try {
    item = dynamo::json::decode_item(text);
  } catch (const dynamo::JsonError&) {
    return 0;
  }
  try {
    if (dynamo::validate_document<fuzz::Order>(item).empty()) check_accepted(dynamo::from_document<fuzz::Order>(item));
  } catch (...) {
    std::abort();
  }
  return 0;
}
