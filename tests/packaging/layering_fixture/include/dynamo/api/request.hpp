// Fixture for scripts/check-layering: a public header that reaches into src/.
#pragma once
#include "engine/state.hpp"
