// Fixture for scripts/check-layering: an internal header of the engine.
#pragma once
