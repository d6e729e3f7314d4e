// libFuzzer target for the api codec: decodes arbitrary bytes as one of the request and
// response types (picked by the first byte) or as an error body.
//
// Any input must decode or throw dynamo::Error (JsonError included) — never crash, hang or
// throw anything else. When it decodes, encoding the struct and decoding that again must give
// an equal struct and the same text (the codec is its own inverse on what it accepts).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dynamo/api.hpp"

namespace {

using namespace dynamo::api;

template <class T>
void check(std::string_view text) {
  T message;
  try {
    message = decode<T>(text);
  } catch (const dynamo::Error&) {
    return;
  }
  const std::string encoded = encode(message);
  const T again = decode<T>(encoded);
  if (!(again == message) || encode(again) != encoded) std::abort();
}

void check_error_body(std::string_view text) {
  ErrorBody body;
  try {
    body = decode_error(text);
  } catch (const dynamo::Error&) {
    return;
  }
  const ErrorBody again = decode_error(encode_error(body));
  // The namespace is filled in on encoding when it was absent, so compare the rest.
  if (again.code != body.code || again.message != body.message || again.item != body.item ||
      again.cancellation_reasons != body.cancellation_reasons) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 35) {
    case 0: check<CreateTableRequest>(text); break;
    case 1: check<CreateTableResponse>(text); break;
    case 2: check<DeleteTableRequest>(text); break;
    case 3: check<DeleteTableResponse>(text); break;
    case 4: check<DescribeTableRequest>(text); break;
    case 5: check<DescribeTableResponse>(text); break;
    case 6: check<ListTablesRequest>(text); break;
    case 7: check<ListTablesResponse>(text); break;
    case 8: check<UpdateTableRequest>(text); break;
    case 9: check<UpdateTableResponse>(text); break;
    case 10: check<UpdateTimeToLiveRequest>(text); break;
    case 11: check<UpdateTimeToLiveResponse>(text); break;
    case 12: check<DescribeTimeToLiveRequest>(text); break;
    case 13: check<DescribeTimeToLiveResponse>(text); break;
    case 14: check<GetItemRequest>(text); break;
    case 15: check<GetItemResponse>(text); break;
    case 16: check<PutItemRequest>(text); break;
    case 17: check<PutItemResponse>(text); break;
    case 18: check<UpdateItemRequest>(text); break;
    case 19: check<UpdateItemResponse>(text); break;
    case 20: check<DeleteItemRequest>(text); break;
    case 21: check<DeleteItemResponse>(text); break;
    case 22: check<QueryRequest>(text); break;
    case 23: check<QueryResponse>(text); break;
    case 24: check<ScanRequest>(text); break;
    case 25: check<ScanResponse>(text); break;
    case 26: check<BatchGetItemRequest>(text); break;
    case 27: check<BatchGetItemResponse>(text); break;
    case 28: check<BatchWriteItemRequest>(text); break;
    case 29: check<BatchWriteItemResponse>(text); break;
    case 30: check<TransactGetItemsRequest>(text); break;
    case 31: check<TransactGetItemsResponse>(text); break;
    case 32: check<TransactWriteItemsRequest>(text); break;
    case 33: check<TransactWriteItemsResponse>(text); break;
    default: check_error_body(text); break;
  }
  return 0;
}
