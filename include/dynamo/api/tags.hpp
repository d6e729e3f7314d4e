// Requests and responses of TagResource, UntagResource and ListTagsOfResource: the
// key-value tags kept with a table, addressed by the table's ARN.
//
//   dynamo::api::TagResourceRequest tag{
//       .resource_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Thread",
//       .tags = {{.key = "team", .value = "forums"}},
//   };
//
// DynamoDB's rules, which the engine enforces: at most 50 tags per resource; keys of 1 to
// 128 characters and values of 0 to 256, of Unicode letters, digits, white space and
// _ . : / = + - @; keys may not start with "aws:" (reserved for AWS).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/table_types.hpp"

namespace dynamo::api {

struct TagResourceRequest {
  std::string resource_arn{};
  std::vector<Tag> tags{};
  friend bool operator==(const TagResourceRequest&, const TagResourceRequest&) = default;
};

struct TagResourceResponse {
  friend bool operator==(const TagResourceResponse&, const TagResourceResponse&) = default;
};

struct UntagResourceRequest {
  std::string resource_arn{};
  std::vector<std::string> tag_keys{};
  friend bool operator==(const UntagResourceRequest&, const UntagResourceRequest&) = default;
};

struct UntagResourceResponse {
  friend bool operator==(const UntagResourceResponse&, const UntagResourceResponse&) = default;
};

struct ListTagsOfResourceRequest {
  std::string resource_arn{};
  std::optional<std::string> next_token{};
  friend bool operator==(const ListTagsOfResourceRequest&, const ListTagsOfResourceRequest&) = default;
};

struct ListTagsOfResourceResponse {
  std::optional<std::vector<Tag>> tags{};
  std::optional<std::string> next_token{};
  friend bool operator==(const ListTagsOfResourceResponse&, const ListTagsOfResourceResponse&) = default;
};

}  // namespace dynamo::api
