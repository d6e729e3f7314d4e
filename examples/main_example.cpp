// The main example, run by the README's first command.
//
// The embedded engine is not built yet, so this is a tour of the layers that exist: the
// exact decimal Number, AttributeValue and Item, DynamoDB's size accounting, and the
// DynamoDB JSON codec with its located errors. When the engine lands, this example
// becomes PynamoDB's Thread tutorial running on it.
#include <dynamo/codec/json.hpp>
#include <dynamo/value.hpp>

#include <iostream>

int main() {
  std::cout << "dynamo main example: the value model and the DynamoDB JSON codec\n"
            << "(the embedded engine is not built yet; this tour runs without one)\n\n";

  // Numbers are exact decimals with DynamoDB's limits: no binary double on the way.
  const auto price = dynamo::Number::parse("19.990");
  const auto total = price + dynamo::Number::parse("0.01") + dynamo::Number(100);
  std::cout << "1. Number: 19.990 + 0.01 + 100 = " << total << " (canonical text, exact)\n";
  std::cout << "   0.1 + 0.2 = " << dynamo::Number::parse("0.1") + dynamo::Number::parse("0.2") << "\n";
  try {
    (void)(dynamo::Number::parse("1e100") + dynamo::Number(1));
  } catch (const dynamo::Error& e) {
    std::cout << "   1e100 + 1 -> " << e.code() << ": " << e.what() << "\n";
  }

  // An item mixing DynamoDB's types.
  dynamo::Item thread{
      {"forum_name", "Amazon DynamoDB"},
      {"subject", "How do I update multiple items?"},
      {"views", 42},
      {"tags", dynamo::StringSet{"update", "batch", "update"}},  // a set: duplicates collapse
      {"answered", false},
      {"last_post", dynamo::AttributeMap{{"by", "User A"}, {"at", "2026-11-21T12:34:56.000000+0000"}}},
      {"scores", dynamo::List{5, dynamo::Number::parse("4.5"), 3}},
  };
  std::cout << "\n2. An item of " << thread.size() << " attributes, " << dynamo::item_size(thread)
            << " bytes by DynamoDB's accounting (limit " << dynamo::max_item_size << ")\n";

  // Its wire form, and back.
  const std::string wire = dynamo::json::encode(thread);
  std::cout << "\n3. DynamoDB JSON (" << wire.size() << " bytes):\n   " << wire << "\n";
  const dynamo::Item back = dynamo::json::decode_item(wire);
  std::cout << "   decoded again, equal to the original: " << (back == thread ? "yes" : "NO") << "\n";

  // Malformed input is refused with the location of the problem.
  std::cout << "\n4. Malformed input is refused, with where and why:\n";
  for (const char* bad : {R"({"tags": {"NS": ["1", "2", "1e"]}})", R"({"tags": {"SS": ["a", "a"]}})",
                          R"({"data": {"B": "not base64!"}})", R"({"n": {"N": "1e126"}})"}) {
    try {
      (void)dynamo::json::decode_item(bad);
    } catch (const dynamo::JsonError& e) {
      std::cout << "   " << bad << "\n     -> " << e.code() << ": " << e.what() << "\n";
    }
  }
  return 0;
}
