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

// "Typed transactions"
struct Play {
  std::string id{};
  std::string artist{};
  std::string title{};
};

template <>
struct dynamo::model<Play> {
  static auto schema() {
    return dynamo::table<Play>("Plays")
        .hash_key("PlayId", &Play::id)
        .attribute("Artist", &Play::artist)
        .attribute("SongTitle", &Play::title);
  }
};

// Logs a play and counts it, both or neither: the UPDATE fails when the song is not there.
bool record_play(const dynamo::Connection& db, const Play& play) {
  dynamo::StatementTransaction tx(db, {.client_request_token = play.id});
  tx.insert(play);
  tx.update<Song>("SET Plays = Plays + 1 WHERE Artist = ? AND SongTitle = ?", play.artist, play.title);
  try {
    tx.commit();
    return true;
  } catch (const dynamo::TransactWriteError& e) {
    // One reason per statement, in the order they were added.
    if (e.cancellation_reasons().at(1).code == "ConditionalCheckFailed") return false;
    throw;
  }
}

// Moves a play to another song of the artist, if that song exists.
void move_play(const dynamo::Connection& db, const Play& play, const std::string& title) {
  dynamo::statement_transaction(db, [&](dynamo::StatementTransaction& tx) {
    tx.exists<Song>("WHERE Artist = ? AND SongTitle = ?", play.artist, title);
    tx.update<Play>("SET SongTitle = ? WHERE PlayId = ?", title, play.id);
  });
}

// Reads a play and its song as one snapshot.
void print_play(const dynamo::Connection& db, const Play& play) {
  dynamo::SelectTransaction reads(db);
  auto logged = reads.select<Play>("WHERE PlayId = ?", play.id);
  auto song = reads.select<Song>("WHERE Artist = ? AND SongTitle = ?", play.artist, play.title);
  reads.commit();
  std::cout << (logged.find() ? "logged" : "not logged") << ", " << song.get().plays << " plays\n";
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

// The Music table, and the Plays table of the typed transactions.
dynamo::Connection music_and_plays_database() {
  auto db = music_database();
  db.create_table({.table_name = "Plays",
                   .attribute_definitions = {{"PlayId", ScalarAttributeType::s}},
                   .key_schema = {{"PlayId", KeyType::hash}},
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

// A play of a song is logged and counted once, even when recorded twice with its token; a
// play of a missing song is neither; a move checks the other song exists; the read sees
// both tables at once. An unknown name is refused before anything is sent.
TEST(PartiqlDocs, TypedTransactions) {
  auto db = music_and_plays_database();
  db.table<Song>().save(Song{.artist = "Acme Band", .title = "Encore"});
  db.table<Song>().save(Song{.artist = "Acme Band", .title = "Intro"});
  const Play play{.id = "play-1", .artist = "Acme Band", .title = "Encore"};
  EXPECT_TRUE(record_play(db, play));
  EXPECT_TRUE(record_play(db, play));
  EXPECT_EQ(db.table<Song>().get("Acme Band", "Encore").plays, 1);
  EXPECT_FALSE(record_play(db, Play{.id = "play-2", .artist = "Acme Band", .title = "Gone"}));
  EXPECT_FALSE(db.table<Play>().find("play-2"));

  testing::internal::CaptureStdout();
  print_play(db, play);
  print_play(db, Play{.id = "play-3", .artist = "Acme Band", .title = "Intro"});
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "logged, 1 plays\nnot logged, 0 plays\n");

  move_play(db, play, "Intro");
  EXPECT_EQ(db.table<Play>().get("play-1").title, "Intro");
  EXPECT_THROW(move_play(db, play, "Gone"), dynamo::TransactWriteError);
  EXPECT_EQ(db.table<Play>().get("play-1").title, "Intro");

  dynamo::StatementTransaction tx(db);
  EXPECT_THROW(tx.update<Play>("SET Title = ? WHERE PlayId = ?", "x", "play-1"), dynamo::ModelUsageError);
  EXPECT_THROW(tx.commit(), dynamo::ModelUsageError);
}

// Every ```cpp block of docs/partiql.md is in this file.
TEST(PartiqlDocs, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/partiql.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/partiql_test.cpp"),
            "");
}

}  // namespace
