// TagResource, UntagResource, ListTagsOfResource, DescribeLimits and DescribeEndpoints on the
// embedded engine: tags live with their table, with DynamoDB's errors for bad ARNs.
#include <gtest/gtest.h>

#include "dynamo/engine/engine.hpp"
#include "dynamo/limits.hpp"

namespace dynamo::engine {
namespace {

using namespace dynamo::api;

class EngineAccount : public ::testing::Test {
 protected:
  EngineAccount() : engine_(EngineOptions{.region = "eu-west-1", .account_id = "123456789012",
                                          .ttl_sweep_interval = std::chrono::milliseconds(0)}) {
    (void)engine_.create_table({.table_name = "Thread",
                                .attribute_definitions = {{"forum", ScalarAttributeType::s}},
                                .key_schema = {{"forum", KeyType::hash}},
                                .billing_mode = BillingMode::pay_per_request,
                                .tags = std::vector<Tag>{{.key = "owner", .value = "forums"}}});
  }
  std::string arn(std::string_view table = "Thread") {
    return "arn:aws:dynamodb:eu-west-1:123456789012:table/" + std::string(table);
  }
  std::string code_of(auto&& call) {
    try {
      call();
    } catch (const Error& e) {
      message_ = std::string(e.message());
      return std::string(e.code());
    }
    return "no error";
  }
  Engine engine_;
  std::string message_;
};

// The ARN the engine gives a table carries the configured region and account.
TEST_F(EngineAccount, ArnCarriesRegionAndAccount) {
  const auto described = engine_.describe_table({.table_name = "Thread"});
  EXPECT_EQ(described.table->table_arn, arn());
}

// CreateTable's tags, then TagResource (overwriting a key) and UntagResource, sorted by key.
TEST_F(EngineAccount, TagsRoundTrip) {
  (void)engine_.tag_resource({.resource_arn = arn(), .tags = {{"team", "db"}, {"owner", "platform"}}});
  auto listed = engine_.list_tags_of_resource({.resource_arn = arn()});
  ASSERT_TRUE(listed.tags);
  EXPECT_EQ(*listed.tags, (std::vector<Tag>{{"owner", "platform"}, {"team", "db"}}));
  (void)engine_.untag_resource({.resource_arn = arn(), .tag_keys = {"owner", "absent"}});
  listed = engine_.list_tags_of_resource({.resource_arn = arn()});
  EXPECT_EQ(*listed.tags, (std::vector<Tag>{{"team", "db"}}));
}

// The service's errors, in its order: no ARN, not an ARN, not a table's ARN, unknown table.
TEST_F(EngineAccount, BadArns) {
  EXPECT_EQ(code_of([&] { (void)engine_.list_tags_of_resource({}); }), "ValidationException");
  EXPECT_EQ(message_, "Invalid TableArn");
  EXPECT_EQ(code_of([&] { (void)engine_.list_tags_of_resource({.resource_arn = "Thread"}); }), "AccessDeniedException");
  EXPECT_EQ(code_of([&] { (void)engine_.list_tags_of_resource({.resource_arn = "arn:aws:s3:eu-west-1:1:bucket/b"}); }),
            "ValidationException");
  EXPECT_EQ(message_, "Invalid TableArn: Invalid ResourceArn provided as input arn:aws:s3:eu-west-1:1:bucket/b");
  EXPECT_EQ(code_of([&] { (void)engine_.list_tags_of_resource({.resource_arn = arn("Missing")}); }),
            "ResourceNotFoundException");
  EXPECT_EQ(message_, "Requested resource not found: ResourcArn: " + arn("Missing") + " not found");
  // Another region's ARN of the same name is another table.
  EXPECT_EQ(code_of([&] {
              (void)engine_.list_tags_of_resource({.resource_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread"});
            }),
            "ResourceNotFoundException");
}

// Empty tag lists, reserved prefixes, long keys and more than 50 tags are refused.
TEST_F(EngineAccount, TagLimits) {
  EXPECT_EQ(code_of([&] { (void)engine_.tag_resource({.resource_arn = arn()}); }), "ValidationException");
  EXPECT_EQ(message_, "Atleast one Tag needs to be provided as Input.");
  EXPECT_EQ(code_of([&] { (void)engine_.untag_resource({.resource_arn = arn()}); }), "ValidationException");
  EXPECT_EQ(code_of([&] { (void)engine_.tag_resource({.resource_arn = arn(), .tags = {{"aws:x", "1"}}}); }),
            "ValidationException");
  EXPECT_EQ(code_of([&] { (void)engine_.tag_resource({.resource_arn = arn(), .tags = {{std::string(129, 'k'), "1"}}}); }),
            "ValidationException");
  EXPECT_NE(message_.find("Member must have length less than or equal to 128"), std::string::npos);
  std::vector<Tag> many;
  for (std::size_t i = 0; i < limits::tags_per_resource; ++i) many.push_back({"k" + std::to_string(i), "v"});
  // 50 new keys plus the table's "owner" is 51.
  EXPECT_EQ(code_of([&] { (void)engine_.tag_resource({.resource_arn = arn(), .tags = many}); }), "LimitExceededException");
  EXPECT_EQ(engine_.list_tags_of_resource({.resource_arn = arn()}).tags->size(), 1u);  // nothing half-applied
}

// Deleting a table drops its tags with it.
TEST_F(EngineAccount, DeletedTableHasNoTags) {
  (void)engine_.delete_table({.table_name = "Thread"});
  EXPECT_EQ(code_of([&] { (void)engine_.list_tags_of_resource({.resource_arn = arn()}); }), "ResourceNotFoundException");
}

// DescribeLimits reports the service's default quotas; DescribeEndpoints the regional host.
TEST_F(EngineAccount, LimitsAndEndpoints) {
  const auto quotas = engine_.describe_limits({});
  EXPECT_EQ(quotas.account_max_read_capacity_units, 80000);
  EXPECT_EQ(quotas.table_max_write_capacity_units, 40000);
  const auto endpoints = engine_.describe_endpoints({});
  ASSERT_EQ(endpoints.endpoints.size(), 1u);
  EXPECT_EQ(endpoints.endpoints[0].address, "dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpoints.endpoints[0].cache_period_in_minutes, 1440);
}

}  // namespace
}  // namespace dynamo::engine
