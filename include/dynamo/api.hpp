// The api layer: one request and one response struct per DynamoDB operation, the operation
// registry, the JSON codec of every struct in both directions, and DynamoDB's error bodies.
// Shared by the HTTP client, the embedded engine and the server. docs/api.md describes it.
//
//   #include <dynamo/api.hpp>
//   using namespace dynamo::api;
//   GetItemRequest get{.table_name = "Thread", .key = {{"forum", "C++"}, {"subject", "Modules"}},
//                      .consistent_read = true};
//   std::string body = encode(get);   // POST with X-Amz-Target: target_of(Operation::get_item)
//   GetItemResponse got = decode<GetItemResponse>(response_body);
#pragma once

#include "dynamo/api/batch.hpp"
#include "dynamo/api/codec.hpp"
#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"
#include "dynamo/api/errors_wire.hpp"
#include "dynamo/api/service_error.hpp"
#include "dynamo/api/item_operations.hpp"
#include "dynamo/api/operations.hpp"
#include "dynamo/api/query_scan.hpp"
#include "dynamo/api/table_operations.hpp"
#include "dynamo/api/table_types.hpp"
#include "dynamo/api/transactions.hpp"
#include "dynamo/api/ttl.hpp"
#include "dynamo/api/tags.hpp"
#include "dynamo/api/account.hpp"
#include "dynamo/api/messages.hpp"
