// The JSON codec of every request and response struct, in both directions: the client
// encodes requests and decodes responses, the server decodes requests and encodes
// responses, with the same code.
//
//   using namespace dynamo::api;
//   std::string body = encode(PutItemRequest{.table_name = "Thread", .item = {{"forum", "C++"}}});
//   // body == R"({"TableName":"Thread","Item":{"forum":{"S":"C++"}}})"
//   auto request = decode<PutItemRequest>(body);          // server side
//   auto response = decode<PutItemResponse>(http_body);   // client side
//
// Encoding writes members in one fixed order (TableName first, then the members as the
// structs list them), omits every unset optional, and
// throws JsonError when a value cannot be sent (invalid UTF-8, a non-finite number, RawJson
// that is not JSON).
//
// Decoding follows the service:
//   * unknown members are ignored, and a member whose value is JSON null counts as absent;
//   * a member of the wrong JSON type is a JsonError with code SerializationException,
//     naming the spot ("TransactItems[0].Put.Item: expected an object ..."); attribute values
//     are decoded by the value codec, so their errors are located the same way
//     ("Item.tags.NS[2]: ...");
//   * for requests, an enum spelled wrong or a missing required member is a
//     ValidationException worded as the service words it, all problems in one message:
//     "1 validation error detected: Value 'X' at 'returnValues' failed to satisfy constraint:
//     Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
//   * for responses, an enum value this version does not know is dropped (left unset), so
//     that a client keeps working when the service adds one.
// Other constraints (lengths, ranges, expression syntax, key shapes) are the engine's job.
#pragma once

#include <string>
#include <string_view>

#include "dynamo/api/messages.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/api/operations.hpp"

namespace dynamo::api {

#define DYNAMO_API_MESSAGE(Type)                                            \
  void encode_to(std::string& out, const Type& message);                    \
  void decode_into(std::string_view json, Type& out);

#define DYNAMO_API_OPERATION(Op, Request, Response) \
  DYNAMO_API_MESSAGE(Request)                       \
  DYNAMO_API_MESSAGE(Response)                      \
  template <>                                       \
  struct OperationOf<Request> {                     \
    static constexpr Operation operation = Op;      \
    using request = Request;                        \
    using response = Response;                      \
  };

// OperationOf<PutItemRequest>::operation == Operation::put_item, ::response is PutItemResponse.
template <class Request>
struct OperationOf;

#define DYNAMO_API_CODEC_OF(method, Name, protocol, access, scope, error) \
  DYNAMO_API_OPERATION(Operation::method, Name##Request, Name##Response)
DYNAMO_OPERATIONS(DYNAMO_API_CODEC_OF)
#undef DYNAMO_API_CODEC_OF

#undef DYNAMO_API_OPERATION
#undef DYNAMO_API_MESSAGE

// A request or response struct of this header.
template <class T>
concept Message = requires(std::string& out, const T& message, T& target) {
  encode_to(out, message);
  decode_into(std::string_view{}, target);
};

// The JSON body of `message`.
template <Message T>
[[nodiscard]] std::string encode(const T& message) {
  std::string out;
  encode_to(out, message);
  return out;
}

// The struct a JSON body describes. Throws JsonError or dynamo::Error (see the top).
template <Message T>
[[nodiscard]] T decode(std::string_view json) {
  T out;
  decode_into(json, out);
  return out;
}

}  // namespace dynamo::api
