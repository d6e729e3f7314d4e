#include "engine_test_support.hpp"
