// Connection and TableConnection over a scripted backend: error mapping to PynamoDB's
// exception hierarchy, hooks, asynchronous calls, table binding.
#include "dynamo/client/connection.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dynamo/client/table_connection.hpp"
#include "dynamo/log.hpp"

namespace dynamo {
namespace {

// A backend whose answers the test scripts: every call records the request's table name and
// either returns a default response or throws the scripted error.
class ScriptedBackend : public Backend {
 public:
  std::optional<api::ServiceError> next_error;
  std::vector<std::string> tables_seen;

#define SCRIPTED_METHOD(method, Name, ...)                                          \
  api::Name##Response method(const api::Name##Request& request) override {         \
    record(request);                                                                \
    if (next_error) {                                                               \
      auto e = *next_error;                                                         \
      next_error.reset();                                                           \
      throw e;                                                                      \
    }                                                                               \
    return answer<api::Name##Response>(request);                                    \
  }
  DYNAMO_OPERATIONS(SCRIPTED_METHOD)
#undef SCRIPTED_METHOD

  std::string describe() const override { return "scripted"; }

 private:
  // GetItem echoes its key as the item; everything else answers an empty response.
  template <class Response, class Request>
  static Response answer(const Request& request) {
    if constexpr (std::is_same_v<Request, api::GetItemRequest>) {
      return Response{.item = request.key};
    } else {
      return Response{};
    }
  }
  template <class Request>
  void record(const Request& request) {
    if constexpr (requires { request.table_name; }) {
      if constexpr (std::is_same_v<decltype(request.table_name), std::string>) tables_seen.push_back(request.table_name);
    }
  }
};

api::ServiceError service_error(std::string code, std::string message) {
  return api::ServiceError(api::ErrorBody{.code = std::move(code), .message = std::move(message)}, 400, "req-1");
}

// A failed PutItem raises PutError carrying the service's code, message and request id.
TEST(Connection, PutFailureBecomesPutError) {
  auto backend = std::make_shared<ScriptedBackend>();
  Connection db(backend);
  backend->next_error = service_error("ConditionalCheckFailedException", "The conditional request failed");
  try {
    db.put_item({.table_name = "Thread", .item = {{"forum", "C++"}}});
    ADD_FAILURE() << "no exception";
  } catch (const PutError& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
    EXPECT_EQ(e.cause_message(), "The conditional request failed");
    EXPECT_EQ(e.request_id(), "req-1");
    EXPECT_EQ(e.operation(), "PutItem");
    EXPECT_EQ(e.table_name(), "Thread");
    EXPECT_EQ(std::string(e.what()),
              "PutItem on table \"Thread\" failed: ConditionalCheckFailedException: The conditional request failed");
    EXPECT_FALSE(e.is_connection_failure());
  }
}

// Each operation raises its own exception type, all catchable as OperationError and Error.
TEST(Connection, EachOperationHasItsExceptionType) {
  auto backend = std::make_shared<ScriptedBackend>();
  Connection db(backend);
  auto fail_next = [&] { backend->next_error = service_error("ValidationException", "bad"); };
  fail_next();
  EXPECT_THROW(db.get_item({.table_name = "T"}), GetError);
  fail_next();
  EXPECT_THROW(db.update_item({.table_name = "T"}), UpdateError);
  fail_next();
  EXPECT_THROW(db.delete_item({.table_name = "T"}), DeleteError);
  fail_next();
  EXPECT_THROW(db.query({.table_name = "T"}), QueryError);
  fail_next();
  EXPECT_THROW(db.scan({.table_name = "T"}), ScanError);
  fail_next();
  EXPECT_THROW(db.create_table({.table_name = "T"}), TableError);
  fail_next();
  EXPECT_THROW(db.batch_write_item({}), PutError);
  fail_next();
  EXPECT_THROW(db.batch_get_item({}), GetError);
  fail_next();
  EXPECT_THROW(db.transact_get_items({}), TransactGetError);
  fail_next();
  EXPECT_THROW(db.transact_write_items({}), TransactWriteError);
  fail_next();
  EXPECT_THROW(db.list_tables({}), OperationError);
  fail_next();
  EXPECT_THROW(db.scan({.table_name = "T"}), Error);
}

// A table operation on a missing table raises TableDoesNotExist (a TableError).
TEST(Connection, MissingTableIsTableDoesNotExist) {
  auto backend = std::make_shared<ScriptedBackend>();
  Connection db(backend);
  backend->next_error = service_error("ResourceNotFoundException", "Requested resource not found");
  EXPECT_THROW(db.describe_table({.table_name = "Nope"}), TableDoesNotExist);
  backend->next_error = service_error("ResourceNotFoundException", "Requested resource not found");
  EXPECT_THROW(db.delete_table({.table_name = "Nope"}), TableError);
}

// A cancelled transaction's reasons reach the TransactWriteError.
TEST(Connection, TransactWriteErrorCarriesReasons) {
  auto backend = std::make_shared<ScriptedBackend>();
  Connection db(backend);
  backend->next_error = api::ServiceError::transaction_canceled(
      {api::CancellationReason{.code = "None"},
       api::CancellationReason{.code = "ConditionalCheckFailed", .message = "The conditional request failed",
                               .item = Item{{"id", "1"}}}});
  try {
    db.transact_write_items({});
    ADD_FAILURE();
  } catch (const TransactWriteError& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    ASSERT_EQ(e.cancellation_reasons().size(), 2u);
    // The wire's "None" becomes no code: the first action did not cause the cancellation.
    EXPECT_EQ(e.cancellation_reasons()[0].code, std::nullopt);
    EXPECT_EQ(e.cancellation_reasons()[1].code, "ConditionalCheckFailed");
    EXPECT_EQ(e.cancellation_reasons()[1].item, (Item{{"id", "1"}}));
  }
}

// Every operation on a missing table raises its own error type that is also a
// TableDoesNotExist carrying the service's code and the table (PynamoDB raises
// TableDoesNotExist from any call on a missing table).
TEST(Connection, EveryOperationOnAMissingTableIsTableDoesNotExist) {
  auto db = Connection::embedded();
  const auto expect_missing = [](auto&& call, std::string_view operation, std::string_view table) {
    try {
      call();
      ADD_FAILURE() << operation << " succeeded on a missing table";
    } catch (const TableDoesNotExist& e) {
      EXPECT_EQ(e.code(), "ResourceNotFoundException") << operation;
      EXPECT_EQ(e.operation(), operation);
      EXPECT_EQ(e.table_name(), table);
      EXPECT_NE(std::string_view(e.what()).find(operation), std::string_view::npos) << e.what();
      EXPECT_EQ(&e.error(), dynamic_cast<const OperationError*>(&e));
    }
  };
  const Item key{{"id", "1"}};
  expect_missing([&] { (void)db.get_item({.table_name = "Nope", .key = key}); }, "GetItem", "Nope");
  expect_missing([&] { (void)db.put_item({.table_name = "Nope", .item = key}); }, "PutItem", "Nope");
  expect_missing([&] { (void)db.update_item({.table_name = "Nope", .key = key, .update_expression = "SET a = :a",
                                             .expression_attribute_values = api::ExpressionAttributeValues{{":a", 1}}}); },
                 "UpdateItem", "Nope");
  expect_missing([&] { (void)db.delete_item({.table_name = "Nope", .key = key}); }, "DeleteItem", "Nope");
  expect_missing([&] { (void)db.scan({.table_name = "Nope"}); }, "Scan", "Nope");
  expect_missing([&] { (void)db.describe_table({.table_name = "Nope"}); }, "DescribeTable", "Nope");
  expect_missing([&] { (void)db.query_async({.table_name = "Nope", .key_condition_expression = "id = :v",
                                             .expression_attribute_values = api::ExpressionAttributeValues{{":v", "1"}}}).get(); },
                 "Query", "Nope");
  expect_missing([&] { (void)db.batch_get_item({.request_items = {{"Nope", {.keys = {key}}}}}); }, "BatchGetItem", "");

  // The same exception is the operation's own type, and a dynamo::Error.
  EXPECT_THROW((void)db.put_item({.table_name = "Nope", .item = key}), PutError);
  EXPECT_THROW((void)db.put_item({.table_name = "Nope", .item = key}), Error);
  EXPECT_THROW((void)db.describe_table({.table_name = "Nope"}), TableError);
  // Other errors are not.
  try {
    (void)db.create_table({.table_name = "T"});
  } catch (const TableDoesNotExist&) {
    ADD_FAILURE() << "a validation error is not TableDoesNotExist";
  } catch (const TableError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

// Hooks see each call before and after with the same client id, and the outcome's code.
TEST(Connection, HooksCorrelateBeforeAndAfter) {
  auto backend = std::make_shared<ScriptedBackend>();
  std::vector<std::string> events;
  std::vector<std::string> ids;
  Connection db(backend, CallHooks{
                             .before =
                                 [&](const CallInfo& c) {
                                   events.push_back("before " + std::string(c.operation) + " " + std::string(c.table_name));
                                   ids.emplace_back(c.request_id);
                                 },
                             .after =
                                 [&](const CallInfo& c, const CallOutcome& o) {
                                   events.push_back("after " + std::string(c.operation) + " " + std::string(o.error_code));
                                   ids.emplace_back(c.request_id);
                                 },
                         });
  db.put_item({.table_name = "Thread"});
  backend->next_error = service_error("ValidationException", "bad");
  EXPECT_THROW(db.get_item({.table_name = "Thread"}), GetError);
  EXPECT_EQ(events, (std::vector<std::string>{"before PutItem Thread", "after PutItem ", "before GetItem Thread",
                                              "after GetItem ValidationException"}));
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[2], ids[3]);
  EXPECT_NE(ids[0], ids[2]);
}

// A hook that throws does not break the call.
TEST(Connection, ThrowingHookIsContained) {
  auto backend = std::make_shared<ScriptedBackend>();
  Connection db(backend, CallHooks{.before = [](const CallInfo&) { throw std::runtime_error("hook"); }});
  EXPECT_NO_THROW(db.put_item({.table_name = "T"}));
}

// Asynchronous calls deliver the response, or the mapped exception, through the future.
TEST(Connection, AsyncCalls) {
  auto backend = std::make_shared<ScriptedBackend>();
  Connection db(backend);
  auto got = db.get_item_async({.table_name = "T", .key = {{"id", 7}}}).get();
  EXPECT_EQ(got.item, (Item{{"id", 7}}));
  backend->next_error = service_error("ValidationException", "bad");
  auto failing = db.update_item_async({.table_name = "T"});
  EXPECT_THROW(failing.get(), UpdateError);
}

// The completion-handler forms: the handler gets the response, or an Outcome whose get()
// throws the operation's own exception type, as the blocking form would. The scripted
// backend completes at once, so the handler has run when the call returns.
TEST(Connection, AsyncCallsWithHandlers) {
  auto backend = std::make_shared<ScriptedBackend>();
  Connection db(backend);
  std::optional<Item> got;
  db.get_item_async({.table_name = "T", .key = {{"id", 7}}},
                    [&](Outcome<api::GetItemResponse> outcome) { got = std::move(outcome).get().item; });
  EXPECT_EQ(got, (Item{{"id", 7}}));

  backend->next_error = service_error("ValidationException", "bad");
  bool failed = false;
  db.update_item_async({.table_name = "T"}, [&](Outcome<api::UpdateItemResponse> outcome) {
    failed = !outcome;
    EXPECT_NE(outcome.error(), nullptr);
    EXPECT_THROW(outcome.get(), UpdateError);
    try {
      (void)outcome.get();
    } catch (const UpdateError& e) {
      EXPECT_EQ(e.code(), "ValidationException");
      EXPECT_EQ(e.message(), "UpdateItem on table \"T\" failed: ValidationException: bad");
    }
  });
  EXPECT_TRUE(failed);

  // A TableConnection binds its table name here too.
  auto thread = db.table("Thread");
  bool put = false;
  thread.put_item_async({.item = {{"forum", "C++"}}}, [&](Outcome<api::PutItemResponse> outcome) { put = outcome.ok(); });
  EXPECT_TRUE(put);
  EXPECT_EQ(backend->tables_seen.back(), "Thread");

  EXPECT_THROW(db.get_item_async({.table_name = "T", .key = {{"id", 7}}}, {}), Error);  // no handler to call
}

// An exception escaping a completion handler has nowhere to go on the thread that
// completes the call: it is logged, and the caller and the backend carry on.
TEST(Connection, ThrowingHandlerIsLogged) {
  std::vector<std::string> lines;
  set_log_sink([&](const LogRecord& record) { lines.emplace_back(record.message); });
  set_log_level(LogLevel::error);
  Connection db(std::make_shared<ScriptedBackend>());
  EXPECT_NO_THROW(db.get_item_async({.table_name = "T", .key = {{"id", 1}}},
                                    [](Outcome<api::GetItemResponse>) { throw std::runtime_error("handler broke"); }));
  set_log_level(LogLevel::off);
  set_log_sink({});
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], "the completion handler of GetItem threw, and its exception was dropped: handler broke");
  EXPECT_EQ(db.get_item({.table_name = "T", .key = {{"id", 2}}}).item, (Item{{"id", 2}}));
}

// A TableConnection fills in its table name and refuses requests naming another table.
TEST(TableConnection, BindsTheTableName) {
  auto backend = std::make_shared<ScriptedBackend>();
  auto thread = Connection(backend).table("Thread");
  thread.put({{"forum", "C++"}});
  EXPECT_EQ(thread.get({{"forum", "C++"}}), (Item{{"forum", "C++"}}));
  (void)thread.query({});
  EXPECT_EQ(backend->tables_seen, (std::vector<std::string>{"Thread", "Thread", "Thread"}));
  EXPECT_THROW(thread.scan({.table_name = "Other"}), Error);
}

}  // namespace
}  // namespace dynamo
