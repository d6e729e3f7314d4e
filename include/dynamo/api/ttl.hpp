// Requests and responses of UpdateTimeToLive and DescribeTimeToLive.
//
//   dynamo::api::UpdateTimeToLiveRequest ttl{
//       .table_name = "Sessions",
//       .time_to_live_specification = {.enabled = true, .attribute_name = "expires_at"},
//   };
#pragma once

#include <optional>
#include <string>

#include "dynamo/api/enums.hpp"

namespace dynamo::api {

struct TimeToLiveSpecification {
  bool enabled{};
  std::string attribute_name{};
  friend bool operator==(const TimeToLiveSpecification&, const TimeToLiveSpecification&) = default;
};

struct TimeToLiveDescription {
  std::optional<TimeToLiveStatus> time_to_live_status{};
  std::optional<std::string> attribute_name{};
  friend bool operator==(const TimeToLiveDescription&, const TimeToLiveDescription&) = default;
};

struct UpdateTimeToLiveRequest {
  std::string table_name{};
  TimeToLiveSpecification time_to_live_specification{};
  friend bool operator==(const UpdateTimeToLiveRequest&, const UpdateTimeToLiveRequest&) = default;
};

struct UpdateTimeToLiveResponse {
  std::optional<TimeToLiveSpecification> time_to_live_specification{};
  friend bool operator==(const UpdateTimeToLiveResponse&, const UpdateTimeToLiveResponse&) = default;
};

struct DescribeTimeToLiveRequest {
  std::string table_name{};
  friend bool operator==(const DescribeTimeToLiveRequest&, const DescribeTimeToLiveRequest&) = default;
};

struct DescribeTimeToLiveResponse {
  std::optional<TimeToLiveDescription> time_to_live_description{};
  friend bool operator==(const DescribeTimeToLiveResponse&, const DescribeTimeToLiveResponse&) = default;
};

}  // namespace dynamo::api
