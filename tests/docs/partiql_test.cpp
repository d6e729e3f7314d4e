// docs/partiql.md's code, compiled and run on the embedded engine.
// PartiqlDocs.PageShowsOnlyCodeFromHere checks that every C++ block of the page appears
// below, so a snippet cannot change in the page without this file changing with it.
#include <gtest/gtest.h>

#include "docs/snippets.hpp"

#include <dynamo/dynamo.hpp>

#include <iostream>

using namespace dynamo::api;

namespace partiql_docs {


void music_tour(const dynamo::Connection& db) {
  // INSERT takes one item; `?` binds Parameters in order.
  db.execute_statement({.statement = R"(INSERT INTO "Music" VALUE {'Artist': ?, 'SongTitle': 'PartiQL Rocks',
                                        'Released': 2021, 'Tags': <<'rock', 'live'>>})",
                        .parameters = std::vector<dynamo::AttributeValue>{"Acme Band"}});

  // A WHERE with an equality on the partition key is a Query; ORDER BY the sort key.
  ExecuteStatementResponse songs = db.execute_statement(
      {.statement = R"(SELECT SongTitle, Released FROM "Music" WHERE Artist = ? ORDER BY SongTitle DESC)",
       .parameters = std::vector<dynamo::AttributeValue>{"Acme Band"}});
  for (const dynamo::Item& song : *songs.items) std::cout << song << "\n";

  // UPDATE and DELETE name the full primary key; other WHERE terms are a condition.
  ExecuteStatementResponse updated = db.execute_statement(
      {.statement = R"(UPDATE "Music" SET Plays = 1, Tags = set_add(Tags, <<'new'>>)
                       WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' AND Plays IS MISSING
                       RETURNING ALL NEW *)"});
  std::cout << updated.items->front() << "\n";
}

// "Paging"
std::size_t count_songs(const dynamo::Connection& db, const std::string& artist) {
  ExecuteStatementRequest request{.statement = R"(SELECT * FROM "Music" WHERE Artist = ?)",
                                  .parameters = std::vector<dynamo::AttributeValue>{artist},
                                  .limit = 25};
  std::size_t count = 0;
  do {
    ExecuteStatementResponse page = db.execute_statement(request);
    count += page.items->size();
    request.next_token = page.next_token;
  } while (request.next_token);
  return count;
}

// "Batches and transactions"
void batch_and_transaction(const dynamo::Connection& db) {
  BatchExecuteStatementResponse batch = db.batch_execute_statement(
      {.statements = {{.statement = R"(INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'Encore', 'Plays': 0})"},
                      {.statement = R"(INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'Encore'})"}}});
  for (const BatchStatementResponse& r : *batch.responses) {
    if (r.error) std::cout << *r.error->code << ": " << *r.error->message << "\n";  // DuplicateItem: ...
  }

  // A transaction applies every statement or none. EXISTS(SELECT ...) is a condition check.
  try {
    db.execute_transaction(
        {.transact_statements =
             {{.statement = R"(UPDATE "Music" SET Plays = Plays + 1 WHERE Artist = 'Acme Band' AND SongTitle = 'Encore')"},
              {.statement = R"(EXISTS(SELECT * FROM "Music" WHERE Artist = 'Acme Band' AND SongTitle = 'Gone'))"}},
         .client_request_token = "encore-play-1"});
  } catch (const dynamo::TransactWriteError& e) {
    for (const CancellationReason& reason : e.cancellation_reasons()) std::cout << reason.code.value_or("None") << "\n";
  }
}

}  // namespace partiql_docs

// "Typed statements"
struct Song {
  std::string artist{};
  std::string title{};
  std::int64_t plays = 0;
};

template <>
struct dynamo::model<Song> {
  static auto schema() {
    return dynamo::table<Song>("Music")
        .hash_key("Artist", &Song::artist)
        .range_key("SongTitle", &Song::title)
        .attribute("Plays", &Song::plays);
  }
};

void popular_songs(const dynamo::Connection& db) {
  auto songs = db.table<Song>();
  for (const Song& song : songs.select("WHERE Artist = ? AND Plays >= ? ORDER BY SongTitle DESC", "Acme Band", 100)) {
    std::cout << song.title << ": " << song.plays << "\n";
  }
}

namespace {

dynamo::Connection music_database() {
  auto db = dynamo::Connection::embedded();
  db.create_table({.table_name = "Music",
                   .attribute_definitions = {{"Artist", ScalarAttributeType::s}, {"SongTitle", ScalarAttributeType::s}},
                   .key_schema = {{"Artist", KeyType::hash}, {"SongTitle", KeyType::range}},
                   .billing_mode = BillingMode::pay_per_request});
  return db;
}

// The tour inserts, selects and updates one song; the update returns the new item.
TEST(PartiqlDocs, TourRuns) {
  auto db = music_database();
  testing::internal::CaptureStdout();
  partiql_docs::music_tour(db);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("PartiQL Rocks"), std::string::npos) << out;
  auto item = db.get_item({.table_name = "Music", .key = {{"Artist", "Acme Band"}, {"SongTitle", "PartiQL Rocks"}}});
  ASSERT_TRUE(item.item);
  EXPECT_EQ(item.item->find("Plays")->as_number().to<int>(), 1);
  EXPECT_EQ(*item.item->find("Tags"), dynamo::AttributeValue(dynamo::StringSet{"live", "new", "rock"}));
}

// Paging with a small limit still counts every song once.
TEST(PartiqlDocs, PagingCountsEverySong) {
  auto db = music_database();
  for (int i = 0; i < 60; ++i) {
    db.execute_statement({.statement = R"(INSERT INTO "Music" VALUE {'Artist': 'Many', 'SongTitle': ?})",
                          .parameters = std::vector<dynamo::AttributeValue>{"song " + std::to_string(i)}});
  }
  EXPECT_EQ(partiql_docs::count_songs(db, "Many"), 60U);
  EXPECT_EQ(partiql_docs::count_songs(db, "Nobody"), 0U);
}

// The batch reports the duplicate INSERT; the transaction is cancelled by its EXISTS and
// leaves Plays unchanged.
TEST(PartiqlDocs, BatchAndTransaction) {
  auto db = music_database();
  testing::internal::CaptureStdout();
  partiql_docs::batch_and_transaction(db);
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            "DuplicateItem: Duplicate primary key exists in table\nNone\nConditionalCheckFailed\n");
  auto item = db.get_item({.table_name = "Music", .key = {{"Artist", "Acme Band"}, {"SongTitle", "Encore"}}});
  EXPECT_EQ(item.item->find("Plays")->as_number().to<int>(), 0);
}

// The typed SELECT yields the songs with enough plays, last title first.
TEST(PartiqlDocs, TypedSelect) {
  auto db = music_database();
  db.execute_statement({.statement = R"(INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'A', 'Plays': 150})"});
  db.execute_statement({.statement = R"(INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'B', 'Plays': 5})"});
  db.execute_statement({.statement = R"(INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'C', 'Plays': 100})"});
  testing::internal::CaptureStdout();
  popular_songs(db);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "C: 100\nA: 150\n");
  EXPECT_THROW((void)db.table<Song>().select("WHERE Plyas > 1"), dynamo::ModelUsageError);
}

// Every ```cpp block of docs/partiql.md is in this file.
TEST(PartiqlDocs, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/partiql.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/partiql_test.cpp"),
            "");
}

}  // namespace
