// The model layer's exceptions whose constructors are out of line (dynamo/model/errors.hpp).
#include "dynamo/model/errors.hpp"

namespace dynamo {

DoesNotExist::DoesNotExist(const std::string& what)
    : Error(std::string(error_code::does_not_exist), what + " does not exist", 404) {}

}  // namespace dynamo
