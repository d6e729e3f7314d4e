// Internal: wire descriptions of the structs shared by several operations (see wire.hpp).
#pragma once

#include "api/wire.hpp"
#include "dynamo/api/common.hpp"

namespace dynamo::api::wire {

template <class V>
void describe(V& v, Capacity& s) {
  v("ReadCapacityUnits", s.read_capacity_units);
  v("WriteCapacityUnits", s.write_capacity_units);
  v("CapacityUnits", s.capacity_units);
}

template <class V>
void describe(V& v, ConsumedCapacity& s) {
  v("TableName", s.table_name);
  v("CapacityUnits", s.capacity_units);
  v("ReadCapacityUnits", s.read_capacity_units);
  v("WriteCapacityUnits", s.write_capacity_units);
  v("Table", s.table);
  v("LocalSecondaryIndexes", s.local_secondary_indexes);
  v("GlobalSecondaryIndexes", s.global_secondary_indexes);
}

template <class V>
void describe(V& v, ItemCollectionMetrics& s) {
  v("ItemCollectionKey", s.item_collection_key);
  v("SizeEstimateRangeGB", s.size_estimate_range_gb);
}

}  // namespace dynamo::api::wire
