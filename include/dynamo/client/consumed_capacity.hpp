// What a Connection's calls have consumed, in capacity units, per table and index: the
// running totals behind PynamoDB's total_consumed_capacity, kept for every call whose
// response carried ConsumedCapacity (all of them once the connection asks for it with
// ConnectionOptions::return_consumed_capacity).
//
//   auto db = dynamo::Connection::embedded({.return_consumed_capacity = dynamo::api::ReturnConsumedCapacity::indexes});
//   ... calls ...
//   const dynamo::CapacityTotals used = db.consumed_capacity();
//   std::cout << used.read_units << " RCU, " << used.tables.at("Thread").write_units << " WCU on Thread\n";
#pragma once

#include <map>
#include <string>

namespace dynamo {

struct TableCapacityTotals {
  double read_units = 0;
  double write_units = 0;
  // Per secondary index (local and global), by name: the units spent on it, which are
  // included in read_units/write_units above. Filled when the calls asked for INDEXES.
  std::map<std::string, double> indexes{};
  friend bool operator==(const TableCapacityTotals&, const TableCapacityTotals&) = default;
};

struct CapacityTotals {
  double read_units = 0;   // all tables
  double write_units = 0;  // all tables
  std::map<std::string, TableCapacityTotals> tables{};
  [[nodiscard]] double total_units() const noexcept { return read_units + write_units; }
  friend bool operator==(const CapacityTotals&, const CapacityTotals&) = default;
};

}  // namespace dynamo
