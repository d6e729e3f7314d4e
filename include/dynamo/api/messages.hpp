// Every request and response struct of the operations in dynamo/api/operation_list.hpp.
// Code generated from that list (the Backend seam, the engine, the codec) includes this
// header, so that an operation's structs, once their header is listed here, are visible
// wherever the list is expanded.
#pragma once

#include "dynamo/api/account.hpp"
#include "dynamo/api/batch.hpp"
#include "dynamo/api/item_operations.hpp"
#include "dynamo/api/partiql.hpp"
#include "dynamo/api/query_scan.hpp"
#include "dynamo/api/streams.hpp"
#include "dynamo/api/table_operations.hpp"
#include "dynamo/api/tags.hpp"
#include "dynamo/api/transactions.hpp"
#include "dynamo/api/ttl.hpp"
