// dynamo in one include: values, expressions, the API structs, Connection, and typed models.
//
//   #include <dynamo/dynamo.hpp>
//
//   struct Thread { std::string forum_name; std::string subject; std::int64_t views = 0; };
//   template <> struct dynamo::model<Thread> {
//     static auto schema() {
//       return dynamo::table<Thread>("Thread")
//           .hash_key("forum_name", &Thread::forum_name)
//           .range_key("subject", &Thread::subject)
//           .attribute("views", &Thread::views);
//     }
//   };
//
//   auto threads = dynamo::table_of<Thread>(dynamo::Connection::embedded());
//   threads.create_table({.wait = true});
//   threads.save(Thread{.forum_name = "C++", .subject = "Modules"});
//
// docs/model.md is the guide; each header's top comment shows its part.
#pragma once

#include "dynamo/api.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/client/errors.hpp"
#include "dynamo/client/table_connection.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/expr.hpp"
#include "dynamo/log.hpp"
#include "dynamo/model/batch.hpp"
#include "dynamo/model/errors.hpp"
#include "dynamo/model/field.hpp"
#include "dynamo/model/index.hpp"
#include "dynamo/model/json_text.hpp"
#include "dynamo/model/polymorphic.hpp"
#include "dynamo/model/rate_limiter.hpp"
#include "dynamo/model/reflect.hpp"
#include "dynamo/model/result_iterator.hpp"
#include "dynamo/model/schema.hpp"
#include "dynamo/model/serialize.hpp"
#include "dynamo/model/statement_transaction.hpp"
#include "dynamo/model/stream.hpp"
#include "dynamo/model/table.hpp"
#include "dynamo/model/table_item.hpp"
#include "dynamo/model/time.hpp"
#include "dynamo/model/traits.hpp"
#include "dynamo/model/transaction.hpp"
#include "dynamo/value.hpp"
