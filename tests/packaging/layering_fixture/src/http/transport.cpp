// Fixture for scripts/check-layering: the transport using the engine's internals.
#include "engine/state.hpp"
