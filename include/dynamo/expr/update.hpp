// dynamo::expr::Update — the actions of one UpdateExpression (SET, REMOVE, ADD, DELETE).
//
//   using namespace dynamo::expr;
//   Update u{
//       path("views").set(path("views") + 1),              // SET views = views + :v
//       path("notes").append(dynamo::List{"my last note"}),  // SET notes = list_append(notes, :v)
//       path("notes")[0].remove(),                          // REMOVE notes[0]
//       path("subjects").add(dynamo::StringSet{"new"}),      // ADD subjects :v
//       path("subjects").remove_from_set(dynamo::StringSet{"old"}),  // DELETE subjects :v
//   };
//
// Actions are kept grouped by clause (SET, REMOVE, ADD, DELETE, in that order; insertion
// order within a clause), which is the order they are rendered and parsed back in.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "dynamo/expr/operand.hpp"
#include "dynamo/expr/path.hpp"

namespace dynamo::expr {

struct UpdateAction {
  enum class Kind : std::uint8_t { set, remove, add, delete_elements };

  Kind kind = Kind::set;
  Path target;
  Operand operand;  // the value of SET, ADD and DELETE; unused by REMOVE

  friend bool operator==(const UpdateAction& a, const UpdateAction& b);
};

// "SET", "REMOVE", "ADD", "DELETE".
[[nodiscard]] std::string_view clause_name(UpdateAction::Kind kind) noexcept;

class Update {
 public:
  Update() = default;
  Update(std::initializer_list<UpdateAction> actions);

  // Adds an action after the others of its clause.
  Update& push_back(UpdateAction action);

  [[nodiscard]] const std::vector<UpdateAction>& actions() const noexcept { return actions_; }
  [[nodiscard]] bool empty() const noexcept { return actions_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return actions_.size(); }

  friend bool operator==(const Update& a, const Update& b) = default;

 private:
  std::vector<UpdateAction> actions_;
};

}  // namespace dynamo::expr
