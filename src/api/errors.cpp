// Codec of DynamoDB's error bodies.
#include "api/wire.hpp"
#include "dynamo/api/errors_wire.hpp"
#include "dynamo/error_codes.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, CancellationReason& s) {
  v("Item", s.item);
  v("Code", s.code);
  v("Message", s.message);
}

// The members of an error body besides __type and the message, whose key varies.
struct ErrorExtras {
  std::optional<std::vector<CancellationReason>> cancellation_reasons;
  std::optional<Item> item;
  std::optional<std::string> message_lower;
  std::optional<std::string> message_upper;
};

template <class V>
void describe(V& v, ErrorExtras& s) {
  v("CancellationReasons", s.cancellation_reasons);
  v("Item", s.item);
  v("message", s.message_lower);
  v("Message", s.message_upper);
}

}  // namespace wire

std::string_view error_namespace(std::string_view code) noexcept {
  const ErrorCodeInfo* info = find_error_code(code);
  return wire_namespace_text(info == nullptr ? ErrorNamespace::dynamodb : info->wire_namespace);
}

std::string_view error_message_key(std::string_view code) noexcept {
  if (code == error_code::serialization || code == error_code::transaction_canceled) return "Message";
  return "message";
}

int error_http_status(std::string_view code) noexcept {
  const ErrorCodeInfo* info = find_error_code(code);
  return info == nullptr || info->http_status == 0 ? 400 : info->http_status;
}

std::string encode_error(const ErrorBody& body) {
  std::string out;
  wire::Writer writer(out);
  // Built by hand rather than described: the message's key depends on the code.
  std::string type(body.type_namespace.empty() ? error_namespace(body.code) : std::string_view(body.type_namespace));
  type.push_back('#');
  type.append(body.code);
  detail::JsonWriter& json = writer.json();
  json.start_object();
  json.key("__type");
  writer.write("__type", type);
  if (body.cancellation_reasons) {
    json.key("CancellationReasons");
    writer.write("CancellationReasons", *body.cancellation_reasons);
  }
  if (body.item) {
    json.key("Item");
    writer.write("Item", *body.item);
  }
  json.key(error_message_key(body.code));
  writer.write("message", body.message);
  json.end_object();
  return out;
}

ErrorBody error_body(const Error& error) {
  ErrorBody body;
  body.code = error.code();
  body.message = std::string(error.message());
  return body;
}

ErrorBody decode_error(std::string_view text) {
  wire::Reader reader(wire::parse_root(text), /*is_request=*/false);
  ErrorBody body;
  std::optional<std::string> type;
  reader("__type", type);
  wire::ErrorExtras extras;
  wire::describe(reader, extras);
  if (type) {
    const auto hash = type->rfind('#');
    if (hash == std::string::npos) {
      body.code = *type;
    } else {
      body.type_namespace = type->substr(0, hash);
      body.code = type->substr(hash + 1);
    }
  }
  body.message = std::move(extras.message_lower ? extras.message_lower : extras.message_upper).value_or("");
  body.item = std::move(extras.item);
  body.cancellation_reasons = std::move(extras.cancellation_reasons);
  return body;
}

Error to_error(const ErrorBody& body, int http_status, std::string request_id) {
  return Error(body.code, body.message, http_status, std::move(request_id));
}

std::string transaction_canceled_message(const std::vector<CancellationReason>& reasons) {
  std::string message = "Transaction cancelled, please refer cancellation reasons for specific reasons [";
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i > 0) message.append(", ");
    message.append(reasons[i].code.value_or("None"));
  }
  message.push_back(']');
  return message;
}

}  // namespace dynamo::api
