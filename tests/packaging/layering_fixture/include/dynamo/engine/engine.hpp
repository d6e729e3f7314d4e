// Fixture for scripts/check-layering: a lower layer (engine) including a higher one (client).
#pragma once
#include <string>
#include "dynamo/api/request.hpp"
#include "dynamo/client/connection.hpp"
