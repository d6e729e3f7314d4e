// Everything of the embedded engine: dynamo::engine::Engine, its errors, and the
// DurableStore persistence seam.
//
//   #include <dynamo/engine.hpp>
//   dynamo::engine::Engine engine;   // an in-memory DynamoDB
//   auto tables = engine.list_tables({});
#pragma once

#include "dynamo/engine/durable_store.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/engine/errors.hpp"
