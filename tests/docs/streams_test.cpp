// docs/streams.md's code, compiled and run on the embedded engine.
// StreamsDocs.PageShowsOnlyCodeFromHere checks that every C++ block of the page appears
// below, so a snippet cannot change in the page without this file changing with it.
#include <gtest/gtest.h>

#include "docs/snippets.hpp"

#include <dynamo/dynamo.hpp>

#include <chrono>
#include <iostream>

struct Order {
  std::string id{};
  std::string customer{};
  int amount = 0;
};

template <>
struct dynamo::model<Order> {
  static auto schema() {
    return dynamo::table<Order>("Orders")
        .hash_key("id", &Order::id)
        .attribute("customer", &Order::customer)
        .attribute("amount", &Order::amount);
  }
};

namespace streams_docs {

// "Enabling a stream"
void create_orders(const dynamo::Connection& db) {
  auto orders = db.table<Order>();
  orders.create_table({.wait = true, .stream_view_type = dynamo::api::StreamViewType::new_and_old_images});
}

std::string create_events(const dynamo::Connection& db) {
  auto created = db.create_table(
      {.table_name = "Events",
       .attribute_definitions = {{"id", dynamo::api::ScalarAttributeType::s}},
       .key_schema = {{"id", dynamo::api::KeyType::hash}},
       .billing_mode = dynamo::api::BillingMode::pay_per_request,
       .stream_specification = dynamo::api::StreamSpecification{
           .stream_enabled = true, .stream_view_type = dynamo::api::StreamViewType::keys_only}});
  std::string stream_arn = *created.table_description->latest_stream_arn;
  return stream_arn;
}

// "Reading changes as models"
void print_changes(const dynamo::Connection& db) {
  dynamo::ChangeStream<Order> changes(db);
  for (const dynamo::Change<Order>& change : changes.next(std::chrono::seconds(1))) {
    if (change.kind == dynamo::api::OperationType::remove) {
      std::cout << "removed " << change.keys << "\n";
    } else {
      std::cout << change.new_image->customer << " ordered " << change.new_image->amount << "\n";
    }
  }
}

dynamo::StreamPosition read_some(const dynamo::Connection& db, const dynamo::StreamPosition& saved) {
  dynamo::ChangeStream<Order> changes(db, {.position = saved});
  for (const auto& change : changes.next()) std::cout << change.sequence_number << "\n";
  return changes.position();  // store it; pass it back next time
}

// "The Streams API"
void dump_stream(const dynamo::Connection& db, const std::string& table) {
  using namespace dynamo::api;
  auto streams = db.list_streams({.table_name = table});
  for (const StreamSummary& stream : *streams.streams) {
    auto description = db.describe_stream({.stream_arn = *stream.stream_arn});
    for (const Shard& shard : *description.stream_description->shards) {
      std::optional<std::string> iterator =
          db.get_shard_iterator({.stream_arn = *stream.stream_arn,
                                 .shard_id = *shard.shard_id,
                                 .shard_iterator_type = ShardIteratorType::trim_horizon})
              .shard_iterator;
      while (iterator) {
        GetRecordsResponse page = db.get_records({.shard_iterator = *iterator, .limit = 100});
        if (page.records->empty()) break;  // an open shard: nothing more yet
        for (const StreamRecord& record : *page.records) {
          std::cout << to_string(*record.event_name) << " " << *record.dynamodb->keys << "\n";
        }
        iterator = page.next_shard_iterator;  // absent once a closed shard is read to its end
      }
    }
  }
}

}  // namespace streams_docs

namespace {

TEST(StreamsDocs, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/streams.md", DYNAMO_SOURCE_DIR "/tests/docs/streams_test.cpp"),
            "");
}

TEST(StreamsDocs, ChangesPrintAsModelsAndPositionsResume) {
  auto db = dynamo::Connection::embedded();
  streams_docs::create_orders(db);
  auto orders = db.table<Order>();
  orders.save(Order{.id = "o1", .customer = "ada", .amount = 30});
  orders.remove_key("o1");

  testing::internal::CaptureStdout();
  streams_docs::print_changes(db);
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("ada ordered 30"), std::string::npos) << out;
  EXPECT_NE(out.find("removed"), std::string::npos) << out;

  testing::internal::CaptureStdout();
  const auto position = streams_docs::read_some(db, {});
  out = testing::internal::GetCapturedStdout();
  ASSERT_EQ(position.size(), 1u);
  orders.save(Order{.id = "o2", .customer = "grace", .amount = 5});
  testing::internal::CaptureStdout();
  const auto later = streams_docs::read_some(db, position);
  out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;  // only the new change
  EXPECT_NE(later, position);
}

TEST(StreamsDocs, TheApiDumpsEveryRecord) {
  auto db = dynamo::Connection::embedded();
  const std::string arn = streams_docs::create_events(db);
  EXPECT_NE(arn.find(":table/Events/stream/"), std::string::npos) << arn;
  db.put_item({.table_name = "Events", .item = {{"id", "e1"}}});
  db.delete_item({.table_name = "Events", .key = {{"id", "e1"}}});
  testing::internal::CaptureStdout();
  streams_docs::dump_stream(db, "Events");
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("INSERT"), std::string::npos) << out;
  EXPECT_NE(out.find("REMOVE"), std::string::npos) << out;
}

}  // namespace
