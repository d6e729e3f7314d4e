// PynamoDB's update and condition expression tables, each row run against the table and
// printed with the expression it sent.
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::set<std::string> subjects{};
  std::int64_t views = 0;
  std::vector<std::string> notes{};
};

template <>
struct dynamo::model<Thread> {
  static auto schema() {
    return dynamo::table<Thread>("Thread")
        .hash_key("forum_name", &Thread::forum_name)
        .range_key("subject", &Thread::subject)
        .attribute("subjects", &Thread::subjects)
        .attribute("views", &Thread::views)
        .attribute("notes", &Thread::notes);
  }
};

namespace {

std::string show(const dynamo::expr::Update& update) {
  dynamo::expr::Placeholders ph;
  std::string text = dynamo::expr::render(update, ph);
  for (const auto& [placeholder, name] : ph.names()) text += "  " + placeholder + "=" + name;
  return text;
}

std::string show(const dynamo::expr::Condition& condition) {
  dynamo::expr::Placeholders ph;
  return dynamo::expr::render(condition, ph);
}

}  // namespace

int main() {
  using dynamo::field;
  std::cout << "Update and condition expression tables on " << examples::where() << "\n\n";
  auto threads = examples::connection().table<Thread>();
  examples::recreate(threads);
  Thread t{.forum_name = "Some Forum", .subject = "Example Subject", .subjects = {"An Old Subject"}, .views = 3, .notes = {"n"}};
  threads.save(t);

  const auto views = field(&Thread::views);
  const auto notes = field(&Thread::notes);
  const auto subjects = field(&Thread::subjects);
  const std::vector<dynamo::expr::Update> updates{
      {views.set(10)},
      {notes[0].remove()},
      {subjects.add({"A New Subject", "Another New Subject"})},
      {subjects.remove_from_set({"An Old Subject"})},
      {views.set(views + 5)},
      {views.set(5 - views)},
      {notes.append({"my last note"})},
      {notes.prepend({"my first note"})},
      {field(&Thread::forum_name).set(field(&Thread::forum_name) | "Default Forum Name")},
  };
  std::cout << "Update expressions:\n";
  for (const auto& update : updates) {
    if (update.actions()[0].target.top_level_name() == "forum_name") {
      std::cout << "  " << show(update) << "  (refused by DynamoDB: forum_name is the key)\n";
      continue;
    }
    threads.update(t, update);
    std::cout << "  " << show(update) << "\n     -> views=" << t.views << " notes=" << t.notes.size()
              << " subjects=" << t.subjects.size() << "\n";
  }

  const auto forum = field(&Thread::forum_name);
  const auto subject = field(&Thread::subject);
  const std::vector<dynamo::expr::Condition> conditions{
      forum == "Some Forum",
      forum != "Some Forum",
      views < 10,
      views <= 10,
      views > 10,
      views >= 10,
      views.between(1, 5),
      subject.is_in("Subject", "Other Subject"),
      forum.exists(),
      forum.does_not_exist(),
      forum.is_type(),
      subject.startswith("Example"),
      subject.contains("foobar"),
      dynamo::size(subject) == 15,
      (views > 1) && (views < 5),
      (views < 1) || (views > 5),
      !subject.contains("foobar"),
  };
  std::cout << "\nCondition expressions (a conditional save of the item):\n";
  for (const auto& condition : conditions) {
    std::string outcome = "passes";
    try {
      threads.save(t, condition);
    } catch (const dynamo::PutError& e) {
      outcome = e.code();
    }
    std::cout << "  " << show(condition) << "  -> " << outcome << "\n";
  }
  threads.delete_table({.wait = true});
  return 0;
}
