// The main example, run by the README's first command: PynamoDB's Thread tutorial, end to
// end, on the embedded engine (or on the server named by DYNAMO_ENDPOINT).
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

// The model: a plain struct...
struct Thread {
  std::string forum_name{};                          // hash key
  std::string subject{};                             // range key
  std::int64_t views = 0;                            // default 0
  std::int64_t replies = 0;
  std::int64_t answered = 0;
  std::set<std::string> tags{};                        // string set; empty = no attribute
  std::optional<dynamo::utc_time> last_post_datetime{};  // nullable
  std::optional<std::string> thread_name{};            // nullable, stored as "tn"
};

// ...and its schema, declared once from member pointers.
template <>
struct dynamo::model<Thread> {
  static auto schema() {
    return dynamo::table<Thread>("Thread")
        .hash_key("forum_name", &Thread::forum_name)
        .range_key("subject", &Thread::subject)
        .attribute("views", &Thread::views)
        .attribute("replies", &Thread::replies)
        .attribute("answered", &Thread::answered)
        .attribute("tags", &Thread::tags)
        .attribute("last_post_datetime", &Thread::last_post_datetime)
        .attribute("tn", &Thread::thread_name);
  }
};

namespace {

void show(const Thread& t) {
  std::cout << "   " << t.forum_name << " / " << t.subject << ": views=" << t.views << " replies=" << t.replies
            << " tags=" << t.tags.size();
  if (t.last_post_datetime) std::cout << " last_post=" << dynamo::format_utc_time(*t.last_post_datetime);
  if (t.thread_name) std::cout << " tn=" << *t.thread_name;
  std::cout << "\n";
}

}  // namespace

int main() {
  using dynamo::field;
  std::cout << "dynamo main example: PynamoDB's Thread tutorial on " << examples::where() << "\n\n";

  auto threads = examples::connection().table<Thread>();

  // Creating the table.
  if (threads.exists()) threads.delete_table({.wait = true});
  threads.create_table({.wait = true, .read_capacity_units = 1, .write_capacity_units = 1});
  std::cout << "1. create_table(read 1, write 1, wait): exists() = " << std::boolalpha << threads.exists() << "\n";

  // Creating items: hash and range key, then other attributes.
  Thread item{.forum_name = "Amazon DynamoDB", .subject = "How do I update multiple items?", .replies = 10};
  item.tags = {"update", "multiple items"};
  item.thread_name = "update-many";
  threads.save(item);
  std::cout << "2. save(): " << dynamo::to_json(item) << "\n";

  threads.save(Thread{.forum_name = "Amazon DynamoDB", .subject = "Maximum item size?"});
  threads.save(Thread{.forum_name = "Amazon DynamoDB", .subject = "Modelling many-to-many"});
  threads.save(Thread{.forum_name = "Amazon S3", .subject = "Multipart uploads"});
  std::cout << "   three more threads saved\n";

  // Getting items.
  Thread got = threads.get("Amazon DynamoDB", "How do I update multiple items?");
  std::cout << "3. get():\n";
  show(got);
  try {
    (void)threads.get("Amazon DynamoDB", "No such subject");
  } catch (const dynamo::DoesNotExist& e) {
    std::cout << "   get() of a missing item -> DoesNotExist: " << e.what() << "\n";
  }

  // Atomic updates: views + 1 and the time of the last post; the object is refreshed from
  // what DynamoDB returns.
  threads.update(got, {field(&Thread::views).set(field(&Thread::views) + 1),
                       field(&Thread::last_post_datetime).set(dynamo::utc_now())});
  std::cout << "4. update(views = views + 1, last_post_datetime = now):\n";
  show(got);

  // A conditional update that fails: views must be above 100.
  try {
    threads.update(got, {field(&Thread::views).add(1)}, field(&Thread::views) > 100);
  } catch (const dynamo::UpdateError& e) {
    std::cout << "5. update() with condition views > 100 -> " << e.code() << "\n";
  }

  // refresh() reloads what another process may have changed.
  threads.update({"Amazon DynamoDB", "How do I update multiple items?"}, {field(&Thread::replies).add(5)});
  threads.refresh(got);
  std::cout << "6. another writer added 5 replies; refresh():\n";
  show(got);

  // Querying: the hash key, a range key condition, and a filter.
  std::cout << "7. query(\"Amazon DynamoDB\", subject begins with \"M\"):\n";
  for (const Thread& t : threads.query("Amazon DynamoDB", field(&Thread::subject).begins_with("M"))) show(t);
  std::cout << "   query with filter views >= 1:\n";
  for (const Thread& t : threads.query("Amazon DynamoDB", {}, field(&Thread::views) >= 1)) show(t);

  // Counting.
  std::cout << "8. count(\"Amazon DynamoDB\") = " << threads.count("Amazon DynamoDB")
            << ", count() of the whole table = " << threads.count() << "\n";

  // Scanning with a filter on a set.
  std::cout << "9. scan(tags contains \"update\"):\n";
  for (const Thread& t : threads.scan(field(&Thread::tags).contains("update"))) show(t);

  // Conditional save and delete.
  try {
    threads.save(Thread{.forum_name = "Amazon S3", .subject = "Multipart uploads"},
                 field(&Thread::forum_name).does_not_exist());
  } catch (const dynamo::PutError& e) {
    std::cout << "10. save() of an existing item with forum_name.does_not_exist() -> " << e.code() << "\n";
  }
  threads.remove(got, field(&Thread::replies) == 15);
  std::cout << "11. remove() with condition replies == 15: done; count() = " << threads.count() << "\n";

  threads.delete_table({.wait = true});
  std::cout << "12. delete_table(): exists() = " << threads.exists() << "\n";
  return 0;
}
