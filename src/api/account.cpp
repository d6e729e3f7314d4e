// Codec of the operations that name a resource or nothing: TagResource, UntagResource,
// ListTagsOfResource, DescribeLimits, DescribeEndpoints.
#include "api/describe_tables.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, TagResourceRequest& s) {
  v("ResourceArn", s.resource_arn, required);
  v("Tags", s.tags, required);
}

template <class V>
void describe(V& /*v*/, TagResourceResponse& /*s*/) {}

template <class V>
void describe(V& v, UntagResourceRequest& s) {
  v("ResourceArn", s.resource_arn, required);
  v("TagKeys", s.tag_keys, required);
}

template <class V>
void describe(V& /*v*/, UntagResourceResponse& /*s*/) {}

template <class V>
void describe(V& v, ListTagsOfResourceRequest& s) {
  v("ResourceArn", s.resource_arn, required);
  v("NextToken", s.next_token);
}

template <class V>
void describe(V& v, ListTagsOfResourceResponse& s) {
  v("Tags", s.tags);
  v("NextToken", s.next_token);
}

template <class V>
void describe(V& /*v*/, DescribeLimitsRequest& /*s*/) {}

template <class V>
void describe(V& v, DescribeLimitsResponse& s) {
  v("AccountMaxReadCapacityUnits", s.account_max_read_capacity_units);
  v("AccountMaxWriteCapacityUnits", s.account_max_write_capacity_units);
  v("TableMaxReadCapacityUnits", s.table_max_read_capacity_units);
  v("TableMaxWriteCapacityUnits", s.table_max_write_capacity_units);
}

template <class V>
void describe(V& /*v*/, DescribeEndpointsRequest& /*s*/) {}

template <class V>
void describe(V& v, Endpoint& s) {
  v("Address", s.address, required);
  v("CachePeriodInMinutes", s.cache_period_in_minutes, required);
}

template <class V>
void describe(V& v, DescribeEndpointsResponse& s) {
  v("Endpoints", s.endpoints, required);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(TagResourceRequest, true)
DYNAMO_API_DEFINE_CODEC(TagResourceResponse, false)
DYNAMO_API_DEFINE_CODEC(UntagResourceRequest, true)
DYNAMO_API_DEFINE_CODEC(UntagResourceResponse, false)
DYNAMO_API_DEFINE_CODEC(ListTagsOfResourceRequest, true)
DYNAMO_API_DEFINE_CODEC(ListTagsOfResourceResponse, false)
DYNAMO_API_DEFINE_CODEC(DescribeLimitsRequest, true)
DYNAMO_API_DEFINE_CODEC(DescribeLimitsResponse, false)
DYNAMO_API_DEFINE_CODEC(DescribeEndpointsRequest, true)
DYNAMO_API_DEFINE_CODEC(DescribeEndpointsResponse, false)

}  // namespace dynamo::api
