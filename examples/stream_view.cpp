// A derived view kept up to date from a table's stream: orders are written to one table,
// and a reader of its DynamoDB Stream maintains each customer's order count and total in
// another, the way a Lambda trigger or a replication worker would. At the end the view is
// checked against the orders themselves.
#include <cstdlib>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>

#include "example_connection.hpp"

struct Order {
  std::string id{};  // hash key
  std::string customer{};
  int amount = 0;
};

struct CustomerTotals {
  std::string customer{};  // hash key
  int orders = 0;
  int total = 0;
};

template <>
struct dynamo::model<Order> {
  static auto schema() {
    return dynamo::table<Order>("stream-example-orders")
        .hash_key("id", &Order::id)
        .attribute("customer", &Order::customer)
        .attribute("amount", &Order::amount);
  }
};

template <>
struct dynamo::model<CustomerTotals> {
  static auto schema() {
    return dynamo::table<CustomerTotals>("stream-example-totals")
        .hash_key("customer", &CustomerTotals::customer)
        .attribute("orders", &CustomerTotals::orders)
        .attribute("total", &CustomerTotals::total);
  }
};

// Applies one change of an order to the view: the old image is taken out, the new one put in.
void apply(const dynamo::ModelTable<CustomerTotals>& totals, const dynamo::Change<Order>& change) {
  auto add = [&](const Order& order, int sign) {
    CustomerTotals row{.customer = order.customer};
    totals.update(row, {dynamo::field(&CustomerTotals::orders).add(sign),
                        dynamo::field(&CustomerTotals::total).add(sign * order.amount)});
  };
  if (change.old_image) add(*change.old_image, -1);
  if (change.new_image) add(*change.new_image, +1);
}

int main() {
  auto db = examples::connection();
  auto orders = db.table<Order>();
  auto totals = db.table<CustomerTotals>();
  examples::recreate(orders, {.wait = true, .stream_view_type = dynamo::api::StreamViewType::new_and_old_images});
  examples::recreate(totals);
  std::cout << "orders and their stream on " << examples::where() << "\n";

  // Start reading before the writes: the reader sees every change from the stream's start.
  dynamo::ChangeStream<Order> changes(db);

  orders.save(Order{.id = "o1", .customer = "ada", .amount = 30});
  orders.save(Order{.id = "o2", .customer = "ada", .amount = 12});
  orders.save(Order{.id = "o3", .customer = "grace", .amount = 7});
  orders.save(Order{.id = "o2", .customer = "ada", .amount = 15});  // amended
  orders.remove_key("o1");                                          // cancelled

  int applied = 0;
  while (applied < 5) {
    auto batch = changes.next(std::chrono::seconds(5));
    if (batch.empty()) throw std::runtime_error("the stream delivered only " + std::to_string(applied) + " changes");
    for (const auto& change : batch) {
      std::cout << "  " << dynamo::api::to_string(change.kind) << " " << change.keys << "\n";
      apply(totals, change);
      ++applied;
    }
  }

  // The view agrees with the orders.
  std::map<std::string, CustomerTotals> expected;
  for (const Order& order : orders.scan()) {
    auto& row = expected[order.customer];
    row.customer = order.customer;
    row.orders += 1;
    row.total += order.amount;
  }
  for (const CustomerTotals& row : totals.scan()) {
    std::cout << row.customer << ": " << row.orders << " orders, total " << row.total << "\n";
    const auto& want = expected[row.customer];
    if (row.orders != want.orders || row.total != want.total) {
      throw std::runtime_error("the view of " + row.customer + " disagrees with the orders");
    }
  }
  std::cout << "resume position: " << changes.position().size() << " shard(s) read\n";
  return EXIT_SUCCESS;
}
