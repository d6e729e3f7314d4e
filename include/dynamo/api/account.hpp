// Requests and responses of the account-level operations that name no table:
// DescribeLimits (the provisioned-capacity quotas of the account in a region) and
// DescribeEndpoints (the endpoint to send requests to, for clients that discover it).
//
//   auto limits = db.describe_limits({});
//   std::int64_t per_table = limits.table_max_read_capacity_units.value_or(0);  // 40000 on AWS
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dynamo::api {

struct DescribeLimitsRequest {
  friend bool operator==(const DescribeLimitsRequest&, const DescribeLimitsRequest&) = default;
};

struct DescribeLimitsResponse {
  std::optional<std::int64_t> account_max_read_capacity_units{};
  std::optional<std::int64_t> account_max_write_capacity_units{};
  std::optional<std::int64_t> table_max_read_capacity_units{};
  std::optional<std::int64_t> table_max_write_capacity_units{};
  friend bool operator==(const DescribeLimitsResponse&, const DescribeLimitsResponse&) = default;
};

struct DescribeEndpointsRequest {
  friend bool operator==(const DescribeEndpointsRequest&, const DescribeEndpointsRequest&) = default;
};

struct Endpoint {
  std::string address{};                   // a host name, without scheme
  std::int64_t cache_period_in_minutes{};  // how long a client may keep using it
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct DescribeEndpointsResponse {
  std::vector<Endpoint> endpoints{};
  friend bool operator==(const DescribeEndpointsResponse&, const DescribeEndpointsResponse&) = default;
};

}  // namespace dynamo::api
