// The README's code, compiled and run: if the README's example stops compiling or working,
// this test fails. Keep the block between the markers identical to README.md's "A taste"
// (readme_matches_test checks that it is).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

// README-BEGIN
#include <dynamo/dynamo.hpp>

struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::int64_t views = 0;
  std::set<std::string> tags{};
  std::optional<dynamo::utc_time> last_post_datetime{};
};

template <>
struct dynamo::model<Thread> {  // every member is an attribute, under its own name
  static auto schema() {
    return dynamo::reflect_table<Thread>("Thread").hash_key(&Thread::forum_name).range_key(&Thread::subject);
  }
};
// README-END

namespace {

// The README's calls work on the embedded engine and do what the comments say.
TEST(Readme, TasteRuns) {
  int seen = 0;
  {
    auto db = dynamo::Connection::embedded();      // or Connection::connect({.endpoint = ...})
    auto threads = db.table<Thread>();
    threads.create_table({.wait = true});
    threads.save(Thread{.forum_name = "C++", .subject = "Modules"});

    using dynamo::field;
    threads.update({"C++", "Modules"}, {field(&Thread::views).set(field(&Thread::views) + 1)},
                   field(&Thread::views) < 100);   // comparing views with "x" does not compile
    for (const Thread& t : threads.query("C++", field(&Thread::subject).begins_with("M"))) {
      EXPECT_EQ(t.views, 1);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 1);
}

// The struct and schema above are the README's, character for character.
TEST(Readme, ReadmeShowsThisCode) {
  std::ifstream readme_file(DYNAMO_SOURCE_DIR "/README.md");
  std::ifstream this_file(DYNAMO_SOURCE_DIR "/tests/docs/readme_test.cpp");
  ASSERT_TRUE(readme_file && this_file);
  std::stringstream readme, self;
  readme << readme_file.rdbuf();
  self << this_file.rdbuf();
  const std::string text = self.str();
  const auto begin = text.find("// README-BEGIN\n") + 16;
  const auto end = text.find("// README-END");
  EXPECT_NE(readme.str().find(text.substr(begin, end - begin)), std::string::npos)
      << "README.md's example no longer matches tests/docs/readme_test.cpp";
}

}  // namespace
