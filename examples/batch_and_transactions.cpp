// PynamoDB's manual, "Batch Operations" and "Transaction Operations": a hundred users
// written, read and deleted in batches, then money moved between two bank statements in a
// transaction that either applies both updates or neither.
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

struct User {
  std::string email{};  // hash key
  std::string first_name{};
  std::string last_name{};
};

template <>
struct dynamo::model<User> {
  static auto schema() {
    return dynamo::table<User>("BatchUser")
        .hash_key("email", &User::email)
        .attribute("first_name", &User::first_name)
        .attribute("last_name", &User::last_name);
  }
};

struct BankStatement {
  std::string user_id{};  // hash key
  std::int64_t account_balance = 0;
  bool is_active = false;
};

template <>
struct dynamo::model<BankStatement> {
  static auto schema() {
    return dynamo::table<BankStatement>("BankStatement")
        .hash_key("user_id", &BankStatement::user_id)
        .attribute("account_balance", &BankStatement::account_balance)
        .attribute("is_active", &BankStatement::is_active);
  }
};

namespace {

std::string email_of(int i) { return "user-" + std::to_string(i) + "@example.com"; }

void check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    std::exit(1);
  }
}

// Moves `amount` from user1 to user2, if user1 has it and both accounts are active.
void transfer(const dynamo::Connection& db, std::int64_t amount, const std::string& token) {
  using dynamo::field;
  const auto balance = field(&BankStatement::account_balance);
  const auto active = field(&BankStatement::is_active);
  dynamo::TransactWrite transaction(db, {.client_request_token = token});
  transaction.update<BankStatement>("user1", {balance.add(-amount)}, balance >= amount && active == true);
  transaction.update<BankStatement>("user2", {balance.add(amount)}, active == true);
  transaction.commit();
}

}  // namespace

int main() {
  std::cout << "Batch and transaction example on " << examples::where() << "\n";
  const dynamo::Connection db = examples::connection();

  // ---- batches: DynamoDB takes 25 writes and 100 keys per request; the library splits ----
  auto users = db.table<User>();
  examples::recreate(users);
  users.batch_write([](dynamo::BatchWriter<User>& batch) {
    for (int i = 0; i < 100; ++i) batch.save(User{.email = email_of(i), .first_name = "Samuel", .last_name = "Adams"});
  });
  std::vector<dynamo::ModelTable<User>::Key> keys;
  for (int i = 0; i < 100; ++i) keys.emplace_back(email_of(i));
  const std::vector<User> found = users.batch_get(keys);
  std::cout << "batch_write() saved 100 users; batch_get() read back " << found.size() << "\n";
  check(found.size() == 100, "every user read back");

  users.batch_write([&](dynamo::BatchWriter<User>& batch) {
    for (const User& user : found) batch.remove(user);
  });
  std::cout << "batch_write() deleted them; count() = " << users.count() << "\n";
  check(users.count() == 0, "every user deleted");

  // ---- transactions ----
  auto statements = db.table<BankStatement>();
  examples::recreate(statements);
  BankStatement user1{.user_id = "user1", .account_balance = 2000, .is_active = true};
  BankStatement user2{.user_id = "user2", .account_balance = 0, .is_active = true};
  statements.save(user1);
  statements.save(user2);

  transfer(db, 1000, "super-unique-key");
  statements.refresh(user1, true);
  statements.refresh(user2, true);
  std::cout << "after moving 1000: user1 has " << user1.account_balance << ", user2 has " << user2.account_balance
            << "\n";
  check(user1.account_balance == 1000 && user2.account_balance == 1000, "the transfer applied");

  try {
    transfer(db, 2000, "another-super-unique-key");
    check(false, "a transfer of more than the balance must fail");
  } catch (const dynamo::TransactWriteError& e) {
    // The first update's condition failed; the second was cancelled with it.
    std::cout << "moving 2000 was cancelled (" << e.code() << "): reasons " << e.cancellation_reasons()[0].code.value_or("")
              << ", " << e.cancellation_reasons()[1].code.value_or("(none)") << "\n";
    check(e.cancellation_reasons()[0].code == "ConditionalCheckFailed", "the first action is the reason");
    check(!e.cancellation_reasons()[1].code, "the second action was not a reason");
  }
  statements.refresh(user1, true);
  statements.refresh(user2, true);
  check(user1.account_balance == 1000 && user2.account_balance == 1000, "nothing changed");

  // A condition check on one item guards writes to others; a transactional get reads a
  // consistent snapshot of several.
  {
    using dynamo::field;
    dynamo::TransactWrite transaction(db);
    transaction.condition_check<BankStatement>("user1", field(&BankStatement::is_active) == true);
    transaction.save(BankStatement{.user_id = "user3", .account_balance = 20, .is_active = true},
                     field(&BankStatement::user_id).does_not_exist());
    transaction.commit();
  }
  dynamo::TransactGet reads(db);
  auto first = reads.get<BankStatement>("user1");
  auto third = reads.get<BankStatement>("user3");
  reads.commit();
  std::cout << "TransactGet: user1 has " << first.get().account_balance << ", user3 has "
            << third.get().account_balance << "\n";
  check(third.get().account_balance == 20, "user3 was created");
  return 0;
}
