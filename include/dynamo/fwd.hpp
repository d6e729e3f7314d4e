// Declarations of dynamo's main types, for headers that only name them (a parameter passed
// by reference, a pointer member, a return type declared but not used) and so need none of
// their definitions:
//
//   #include <dynamo/fwd.hpp>
//   void record_views(const dynamo::Connection& db, const dynamo::Item& key);
//
// The translation unit that calls or defines such a function includes the full header.
#pragma once

#include "dynamo/api/operation_list.hpp"

namespace dynamo {

class Error;

// Values (dynamo/value.hpp).
class Number;
class Binary;
struct Null;
template <class T>
class Set;
class AttributeValue;
class AttributeMap;
using Item = AttributeMap;

// Connections (dynamo/client/connection.hpp, table_connection.hpp).
class Backend;
class Connection;
class TableConnection;
struct ConnectionOptions;
struct EmbeddedOptions;

// Models (dynamo/model/*.hpp).
template <class T>
struct model;
template <class T>
class ModelTable;
template <class T>
class ResultIterator;
template <class T>
class BatchWriter;
class TransactWrite;
class TransactGet;
class TableItem;

// Expressions (dynamo/expr.hpp).
namespace expr {
class Path;
class Operand;
class Condition;
class Update;
struct UpdateAction;
}  // namespace expr

// The request and response of every operation (dynamo/api/messages.hpp).
namespace api {
#define DYNAMO_DECLARE_MESSAGES(method, Name, ...) \
  struct Name##Request;                            \
  struct Name##Response;
DYNAMO_OPERATIONS(DYNAMO_DECLARE_MESSAGES)
#undef DYNAMO_DECLARE_MESSAGES
}  // namespace api

}  // namespace dynamo
