// The operations that address a resource by ARN or no resource at all: TagResource,
// UntagResource, ListTagsOfResource, DescribeLimits and DescribeEndpoints.
//
// Messages follow the service's, as projects tested against AWS record them (including the
// service's own spelling, "ResourcArn"). Tags are kept with their table, persisted with its
// description, and dropped with it.
#include <algorithm>
#include <string>
#include <string_view>

#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

// The characters DynamoDB allows in tag keys and values: letters, digits and white space in
// any script, and _ . : / = + - @. Bytes of multi-byte UTF-8 sequences are let through here
// (non-ASCII letters); the text is checked to be UTF-8 by the codec already.
bool valid_tag_text(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return true;
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) return true;
    return std::string_view(" \t\n\r_.:/=+-@").find(c) != std::string_view::npos;
  });
}

// Length in characters (code points) of UTF-8 text: bytes that do not continue a sequence.
std::size_t characters(std::string_view text) noexcept {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

// The table an ARN names, after the checks DynamoDB makes in its order: a missing ARN, a
// string that is no ARN at all (refused as an authorization failure, since IAM evaluates it
// before DynamoDB does), then an ARN that is not a DynamoDB table's.
std::shared_ptr<Table> table_of_arn(const Engine::State& state, const std::string& arn, std::string_view action) {
  if (arn.empty()) throw_validation("Invalid TableArn");
  // arn:partition:service:region:account:resource — six colon-separated parts at least.
  const auto colons = std::count(arn.begin(), arn.end(), ':');
  if (colons < 5 || arn.find('/') == std::string::npos) {
    throw Error(std::string(error_code::access_denied), "User: arn:aws:iam::" + state.options.account_id +
                                             ":root is not authorized to perform: dynamodb:" + std::string(action) +
                                             " on resource: " + arn);
  }
  const std::string prefix = "arn:aws:dynamodb:";
  const std::size_t region_end = arn.find(':', prefix.size());
  const std::size_t account_end = region_end == std::string::npos ? region_end : arn.find(':', region_end + 1);
  const bool shaped = arn.starts_with(prefix) && account_end != std::string::npos &&
                      std::string_view(arn).substr(account_end + 1).starts_with("table/") &&
                      arn.find('/', account_end + 7) == std::string::npos && arn.size() > account_end + 7;
  if (!shaped) throw_validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);

  const std::string_view region = std::string_view(arn).substr(prefix.size(), region_end - prefix.size());
  const std::string_view account = std::string_view(arn).substr(region_end + 1, account_end - region_end - 1);
  const std::string_view name = std::string_view(arn).substr(account_end + 7);
  const std::string not_found = "Requested resource not found: ResourcArn: " + arn + " not found";
  if (region != state.options.region || account != state.options.account_id) throw_not_found(not_found);
  auto table = state.table(name, not_found);
  return table;
}

void check_tag_key(const std::string& key, ConstraintErrors& errors, std::string_view member) {
  const std::size_t length = characters(key);
  if (length < 1) errors.add(key, member, "Member must have length greater than or equal to 1");
  if (length > limits::tag_key_max) errors.add(key, member, "Member must have length less than or equal to 128");
}

// Installs `tags` as the table's tags and persists the table; on a store failure the old
// tags are put back, so memory never holds what the store refused. Caller holds the lock.
void replace_tags(const Engine::State& state, Table& table, std::map<std::string, std::string, std::less<>> tags) {
  std::swap(table.tags, tags);
  try {
    state.persist_table(table);
  } catch (...) {
    std::swap(table.tags, tags);
    throw;
  }
}

}  // namespace

api::TagResourceResponse Engine::tag_resource(const api::TagResourceRequest& request) {
  auto table = table_of_arn(*state_, request.resource_arn, "TagResource");
  if (request.tags.empty()) throw_validation("Atleast one Tag needs to be provided as Input.");
  ConstraintErrors errors;
  for (std::size_t i = 0; i < request.tags.size(); ++i) {
    const api::Tag& tag = request.tags[i];
    const std::string at = "tags." + std::to_string(i + 1) + ".member.";
    check_tag_key(tag.key, errors, at + "key");
    if (characters(tag.value) > limits::tag_value_max) {
      errors.add(tag.value, at + "value", "Member must have length less than or equal to 256");
    }
    if (!valid_tag_text(tag.key)) {
      errors.add(tag.key, at + "key", "Member must satisfy regular expression pattern: ^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$");
    }
    if (!valid_tag_text(tag.value)) {
      errors.add(tag.value, at + "value",
                 "Member must satisfy regular expression pattern: ^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$");
    }
  }
  errors.throw_if_any();
  for (const api::Tag& tag : request.tags) {
    if (tag.key.starts_with("aws:")) {
      throw_validation("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for "
                       "system use: " + tag.key);
    }
  }

  std::unique_lock lock(table->mutex);
  if (table->deleted) throw_not_found("Requested resource not found: ResourcArn: " + request.resource_arn + " not found");
  auto tags = table->tags;
  for (const api::Tag& tag : request.tags) tags[tag.key] = tag.value;
  if (tags.size() > limits::tags_per_resource) {
    throw Error(std::string(error_code::limit_exceeded), "The number of tags of table " + table->name + " would be " +
                                              std::to_string(tags.size()) + ", over the limit of " +
                                              std::to_string(limits::tags_per_resource));
  }
  replace_tags(*state_, *table, std::move(tags));
  return {};
}

api::UntagResourceResponse Engine::untag_resource(const api::UntagResourceRequest& request) {
  auto table = table_of_arn(*state_, request.resource_arn, "UntagResource");
  if (request.tag_keys.empty()) throw_validation("Atleast one Tag Key needs to be provided as Input.");
  ConstraintErrors errors;
  for (std::size_t i = 0; i < request.tag_keys.size(); ++i) {
    check_tag_key(request.tag_keys[i], errors, "tagKeys." + std::to_string(i + 1) + ".member");
  }
  errors.throw_if_any();

  std::unique_lock lock(table->mutex);
  if (table->deleted) throw_not_found("Requested resource not found: ResourcArn: " + request.resource_arn + " not found");
  auto tags = table->tags;
  for (const std::string& key : request.tag_keys) tags.erase(key);
  if (tags.size() == table->tags.size()) return {};  // nothing to remove: nothing to write
  replace_tags(*state_, *table, std::move(tags));
  return {};
}

api::ListTagsOfResourceResponse Engine::list_tags_of_resource(const api::ListTagsOfResourceRequest& request) {
  auto table = table_of_arn(*state_, request.resource_arn, "ListTagsOfResource");
  std::shared_lock lock(table->mutex);
  if (table->deleted) throw_not_found("Requested resource not found: ResourcArn: " + request.resource_arn + " not found");
  // At most 50 tags exist, so one page always holds them all and NextToken is never set.
  api::ListTagsOfResourceResponse response;
  response.tags.emplace();
  for (const auto& [key, value] : table->tags) response.tags->push_back({.key = key, .value = value});
  return response;
}

api::DescribeLimitsResponse Engine::describe_limits(const api::DescribeLimitsRequest& /*request*/) {
  return {.account_max_read_capacity_units = limits::account_max_read_capacity_units,
          .account_max_write_capacity_units = limits::account_max_write_capacity_units,
          .table_max_read_capacity_units = limits::table_max_read_capacity_units,
          .table_max_write_capacity_units = limits::table_max_write_capacity_units};
}

api::DescribeEndpointsResponse Engine::describe_endpoints(const api::DescribeEndpointsRequest& /*request*/) {
  // What the service answers: its regional host, cacheable for a day.
  return {.endpoints = {{.address = "dynamodb." + state_->options.region + ".amazonaws.com",
                         .cache_period_in_minutes = 1440}}};
}

}  // namespace dynamo::engine
