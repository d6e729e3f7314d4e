// Compile-time reference: one model and six operations, the shape of a typical model file.
// bench/compile/measure times it against another revision's headers (docs/performance.md,
// "Compile time"). The test command builds it too, so it always compiles.
#include <dynamo/dynamo.hpp>

struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::int64_t views = 0;
  std::set<std::string> tags{};
  std::optional<dynamo::utc_time> last_post_datetime{};
};

template <>
struct dynamo::model<Thread> {
  static auto schema() {
    return dynamo::table<Thread>("Thread")
        .hash_key("forum_name", &Thread::forum_name)
        .range_key("subject", &Thread::subject)
        .attribute("views", &Thread::views)
        .attribute("tags", &Thread::tags)
        .attribute("last_post_datetime", &Thread::last_post_datetime);
  }
};

int main() {
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true});
  threads.save(Thread{.forum_name = "C++", .subject = "Modules"});
  auto thread = threads.get("C++", "Modules");
  threads.update(thread, {dynamo::field(&Thread::views).set(dynamo::field(&Thread::views) + 1)});
  for (const auto& found : threads.query("C++")) (void)found;
  threads.remove(thread);
}
