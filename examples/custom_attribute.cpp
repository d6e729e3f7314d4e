// PynamoDB's custom attribute: the manual pickles a Color object into a binary attribute;
// here a converter (dynamo::attribute_traits) stores a user struct as binary.
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

struct Color {
  std::string name{};
  std::uint8_t red = 0, green = 0, blue = 0;
};

// The converter: stored as B, three bytes of RGB followed by the name.
template <>
struct dynamo::attribute_traits<Color> {
  static constexpr dynamo::StoredAs stored_as = dynamo::StoredAs::binary;
  static dynamo::AttributeValue to_attribute(const Color& c) {
    std::string bytes{static_cast<char>(c.red), static_cast<char>(c.green), static_cast<char>(c.blue)};
    return dynamo::Binary(bytes + c.name);
  }
  static Color from_attribute(const dynamo::AttributeValue& v) {
    const std::string& bytes = v.as_binary().bytes();
    if (bytes.size() < 3) throw dynamo::Error::validation("a stored Color has at least three bytes");
    return Color{bytes.substr(3), static_cast<std::uint8_t>(bytes[0]), static_cast<std::uint8_t>(bytes[1]),
                 static_cast<std::uint8_t>(bytes[2])};
  }
};

struct CustomAttributeModel {
  std::string id{};
  Color obj{};
};

template <>
struct dynamo::model<CustomAttributeModel> {
  static auto schema() {
    return dynamo::table<CustomAttributeModel>("custom_attr")
        .hash_key("id", &CustomAttributeModel::id)
        .attribute("obj", &CustomAttributeModel::obj);
  }
};

int main() {
  std::cout << "Custom attribute on " << examples::where() << "\n";
  auto table = examples::connection().table<CustomAttributeModel>();
  examples::recreate(table, {.wait = true, .read_capacity_units = 1, .write_capacity_units = 1});
  table.save(CustomAttributeModel{.id = "red", .obj = Color{"red", 255, 0, 0}});
  std::cout << "stored item: " << dynamo::to_json(table.get("red")) << "\n";
  const CustomAttributeModel instance = table.get("red");
  std::cout << "read back: <Color: " << instance.obj.name << "> rgb(" << int(instance.obj.red) << ", "
            << int(instance.obj.green) << ", " << int(instance.obj.blue) << ")\n";
  // Conditions on a custom attribute use the same converter.
  const auto same = table.count("red", {}, dynamo::field(&CustomAttributeModel::obj) == Color{"red", 255, 0, 0});
  std::cout << "count with condition obj == Color{red}: " << same << "\n";
  table.delete_table({.wait = true});
  return 0;
}
