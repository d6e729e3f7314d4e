// Printing a model: the part of operator<< (dynamo/model/serialize.hpp) that needs <ostream>.
#include <ostream>

#include "dynamo/model/serialize.hpp"

namespace dynamo::detail {

std::ostream& print_model(std::ostream& out, std::string_view name, std::string_view text, bool printable) {
  if (printable) return out << name << text;
  return out << (name.empty() ? std::string_view("map") : name) << "<unprintable: " << text << ">";
}

}  // namespace dynamo::detail
