// The value layer in one include: Number, AttributeValue, Item, sizes, UTF-8 checks.
#pragma once

#include "dynamo/error.hpp"
#include "dynamo/value/attribute_value.hpp"
#include "dynamo/value/item_size.hpp"
#include "dynamo/value/number.hpp"
#include "dynamo/value/utf8.hpp"
