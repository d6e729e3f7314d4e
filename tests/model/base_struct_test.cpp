// Models that share attributes through a base struct: the base's members are declared like
// the model's own (keys, attributes, version, index keys), in a function template every
// model calls, and conditions name them with field<Model>(...).
#include <gtest/gtest.h>

#include "dynamo/model/field.hpp"
#include "dynamo/model/index.hpp"
#include "model/backend_fixture.hpp"

namespace base_struct_test {

// What every record of the application carries.
struct Audited {
  std::string owner{};
  std::int64_t revision = 0;  // optimistic locking
  std::int64_t created = 0;
};

struct Invoice : Audited {
  std::string id{};
  double amount = 0;
};

struct Receipt : Audited {
  std::string id{};
  std::string store{};
};

// The shared part of both schemas.
template <class Schema>
auto with_audit(Schema schema) {
  using T = typename Schema::object_type;
  return std::move(schema)
      .attribute("owner", &T::owner)
      .attribute("created", &T::created, dynamo::default_to(std::int64_t{1000}))
      .version("revision", &T::revision);
}

}  // namespace base_struct_test

template <>
struct dynamo::model<base_struct_test::Invoice> {
  using Invoice = base_struct_test::Invoice;
  static auto by_owner() {
    return dynamo::global_index<Invoice>("by-owner").hash_key(&Invoice::owner).range_key(&Invoice::created);
  }
  static auto schema() {
    return base_struct_test::with_audit(
               dynamo::table<Invoice>("BaseStructInvoices").hash_key("id", &Invoice::id).attribute("amount", &Invoice::amount))
        .index(by_owner());
  }
};

template <>
struct dynamo::model<base_struct_test::Receipt> {
  using Receipt = base_struct_test::Receipt;
  // The key itself comes from the base here.
  static auto schema() {
    return base_struct_test::with_audit(dynamo::table<Receipt>("BaseStructReceipts")
                                            .hash_key("id", &Receipt::id)
                                            .attribute("store", &Receipt::store));
  }
};

namespace {

using base_struct_test::Invoice;
using base_struct_test::Receipt;
using dynamo::field;

class ModelBaseStruct : public model_test::BackendTest {};

TEST_P(ModelBaseStruct, InheritedMembersAreStoredReadAndLocked) {
  auto invoices = fresh<Invoice>();
  Invoice invoice;
  invoice.id = "i1";
  invoice.owner = "ada";
  invoice.amount = 12.5;
  invoices.save(invoice);
  EXPECT_EQ(invoice.revision, 1);
  EXPECT_EQ(invoice.created, 1000);  // the base member's default applied on save

  const dynamo::Item stored = *db_->get_item({.table_name = "BaseStructInvoices", .key = {{"id", "i1"}}, .consistent_read = true}).item;
  EXPECT_EQ(stored.at("owner"), dynamo::AttributeValue("ada"));
  EXPECT_EQ(stored.at("revision"), dynamo::AttributeValue(1));
  EXPECT_EQ(stored.at("created"), dynamo::AttributeValue(1000));

  Invoice read = invoices.get("i1", {.consistent_read = true});
  EXPECT_EQ(read.owner, "ada");
  EXPECT_EQ(read.amount, 12.5);
  EXPECT_EQ(read.revision, 1);

  // Conditions and updates on inherited members name the model.
  invoices.update(read, {field<Invoice>(&Invoice::owner).set("grace")}, field<Invoice>(&Invoice::owner) == "ada");
  EXPECT_EQ(read.owner, "grace");
  EXPECT_EQ(read.revision, 2);
  EXPECT_THROW(invoices.update(read, {field(&Invoice::amount).set(1.0)}, field<Invoice>(&Invoice::owner) == "ada"),
               dynamo::UpdateError);

  // The version in the base locks like a model's own: a stale copy cannot save.
  Invoice stale = invoice;  // revision 1
  EXPECT_THROW(invoices.save(stale), dynamo::PutError);
}

TEST_P(ModelBaseStruct, IndexOnInheritedMembers) {
  auto invoices = fresh<Invoice>();
  for (int i = 0; i < 3; ++i) {
    Invoice invoice;
    invoice.id = "i" + std::to_string(i);
    invoice.owner = i < 2 ? "ada" : "grace";
    invoice.created = 2000 + i;
    invoices.save(invoice);
  }
  auto by_owner = invoices.index(dynamo::model<Invoice>::by_owner());
  std::vector<std::string> ids;
  for (const Invoice& invoice : by_owner.query("ada")) ids.push_back(invoice.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"i0", "i1"}));
}

TEST_P(ModelBaseStruct, TwoModelsShareTheBaseDeclaration) {
  auto receipts = fresh<Receipt>();
  Receipt receipt;
  receipt.id = "r1";
  receipt.owner = "ada";
  receipt.store = "corner";
  receipts.save(receipt);
  const Receipt read = receipts.get("r1", {.consistent_read = true});
  EXPECT_EQ(read.owner, "ada");
  EXPECT_EQ(read.store, "corner");
  EXPECT_EQ(read.revision, 1);
  EXPECT_EQ(read.created, 1000);
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelBaseStruct, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

}  // namespace
