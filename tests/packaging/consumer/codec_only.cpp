// Links only dynamo::codec: a value to DynamoDB JSON and back.
#include <dynamo/codec/json.hpp>

#include <iostream>
#include <string>

int main() {
  const dynamo::AttributeValue value(std::string("hello"));
  const std::string text = dynamo::json::encode(value);
  std::cout << text << '\n';
  return text == R"({"S":"hello"})" && dynamo::json::decode_value(text) == value ? 0 : 1;
}
