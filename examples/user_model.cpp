// PynamoDB's usage page: UserModel — create, save, count, refresh, save vs update,
// querying with combined conditions, counting rules.
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

struct User {
  std::string last_name{};   // hash key
  std::string first_name{};  // range key
  std::string email{};
};

template <>
struct dynamo::model<User> {
  static auto schema() {
    return dynamo::table<User>("dynamodb-user")
        .hash_key("last_name", &User::last_name)
        .range_key("first_name", &User::first_name)
        .attribute("email", &User::email)
        .settings({.region = "us-west-1", .read_capacity_units = 1, .write_capacity_units = 1});
  }
};

int main() {
  using dynamo::field;
  std::cout << "UserModel example on " << examples::where() << "\n";
  auto users = examples::connection().table<User>();
  examples::recreate(users);
  std::cout << "create_table() with the model's capacity settings: "
            << users.describe_table().provisioned_throughput->read_capacity_units.value_or(0) << " read unit(s)\n";

  User user{.last_name = "Adams", .first_name = "Samuel", .email = "test@example.com"};
  users.save(user);
  std::cout << "saved " << dynamo::to_json(user) << "; count() = " << users.count() << "\n";

  // save() replaces the whole item; update() changes only the named attributes.
  user.email = "samuel@adams.example";
  users.save(user);
  users.update(user, {field(&User::email).set("sam@adams.example")});
  std::cout << "after save() and update(): email = " << user.email << "\n";

  for (const char* first : {"John", "Jane", "Jack", "Bob"})
    users.save(User{.last_name = "Smith", .first_name = first, .email = std::string(first) + "@domain.com"});
  std::cout << "Smiths whose first name starts with J:";
  for (const User& u : users.query("Smith", field(&User::first_name).startswith("J"))) std::cout << " " << u.first_name;
  std::cout << "\nSmiths starting with J, with a filter on email (contains \"Jan\"):";
  for (const User& u : users.query("Smith", field(&User::first_name).startswith("J"), field(&User::email).contains("Jan")))
    std::cout << " " << u.first_name;
  std::cout << "\ncount(\"Smith\", first_name begins with J) = "
            << users.count("Smith", field(&User::first_name).startswith("J")) << "\n";
  try {
    (void)users.count(std::nullopt, {}, field(&User::first_name) == "John");
  } catch (const dynamo::ModelUsageError& e) {
    std::cout << "count() with a filter but no hash key -> " << e.what() << "\n";
  }

  User stale = user;
  users.update({"Adams", "Samuel"}, {field(&User::email).set("changed@elsewhere")});
  users.refresh(stale);
  std::cout << "refresh() sees another writer's change: " << stale.email << "\n";
  users.remove(stale);
  std::cout << "after remove(): count() = " << users.count() << "\n";
  users.delete_table({.wait = true});
  return 0;
}
