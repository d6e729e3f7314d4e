// libFuzzer target for the `dynamo` command's input parsers (tools/dynamo/item_input.hpp).
//
// The first byte picks the parser: an item (automatic, plain or DynamoDB JSON), an import
// line, `name=value` key pairs (one per line of the rest, against a key of S, N and B
// attributes), a --names map, or the --parameters of a PartiQL statement. Any input must
// parse or throw InputError — never crash, hang or throw anything else. An item read from
// plain JSON, printed as plain JSON and read again, is the same item.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "item_input.hpp"
#include "output.hpp"

namespace {

using namespace dynamo::cli;

const std::vector<KeyAttribute>& schema() {
  static const std::vector<KeyAttribute> keys{{.name = "s", .type = dynamo::api::ScalarAttributeType::s},
                                              {.name = "n", .type = dynamo::api::ScalarAttributeType::n},
                                              {.name = "b", .type = dynamo::api::ScalarAttributeType::b}};
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 7) {
      case 0: (void)parse_item(text, JsonFlavor::automatic); break;
      case 1: {
        // Plain JSON holds no sets or binaries, so printing and reading back is exact.
        const dynamo::Item item = parse_item(text, JsonFlavor::plain);
        if (parse_item(plain_json(item), JsonFlavor::plain) != item) std::abort();
        break;
      }
      case 2: (void)parse_item(text, JsonFlavor::dynamodb); break;
      case 3: (void)parse_import_line(text); break;
      case 4: {
        std::vector<std::string> pairs;
        std::size_t start = 0;
        while (start <= text.size()) {
          const auto end = text.find('\n', start);
          pairs.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
          if (end == std::string_view::npos) break;
          start = end + 1;
        }
        const dynamo::Item key = parse_key(pairs, schema(), "T");
        if (key.size() != schema().size()) std::abort();  // a key names every attribute once
        break;
      }
      case 5: (void)parse_names(text); break;
      default: (void)parse_parameters(text); break;
    }
  } catch (const InputError&) {
  }
  return 0;
}
