// Internal: wire descriptions of the legacy parameters' shapes (dynamo/api/legacy.hpp),
// shared by the item and query/scan codecs (see wire.hpp).
#pragma once

#include "api/wire.hpp"
#include "dynamo/api/legacy.hpp"

namespace dynamo::api::wire {

template <class V>
void describe(V& v, Condition& s) {
  v("AttributeValueList", s.attribute_value_list);
  v("ComparisonOperator", s.comparison_operator, required);
}

template <class V>
void describe(V& v, ExpectedAttributeValue& s) {
  v("Value", s.value);
  v("Exists", s.exists);
  v("ComparisonOperator", s.comparison_operator);
  v("AttributeValueList", s.attribute_value_list);
}

template <class V>
void describe(V& v, AttributeValueUpdate& s) {
  v("Value", s.value);
  v("Action", s.action);
}

}  // namespace dynamo::api::wire
