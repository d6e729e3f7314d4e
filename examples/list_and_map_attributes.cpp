// PynamoDB's list and map attributes: GroceryList (untyped list), Office (typed list of
// maps), CarInfo (a declared map) and a dynamic map (declared fields plus free ones).
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

// GroceryList: ListAttribute() holds values of any type.
struct GroceryList {
  std::string store_name{};
  dynamo::List groceries{};
};
template <>
struct dynamo::model<GroceryList> {
  static auto schema() {
    return dynamo::table<GroceryList>("GroceryListModel")
        .hash_key("store_name", &GroceryList::store_name)
        .attribute("groceries", &GroceryList::groceries);
  }
};

// Office: ListAttribute(of=OfficeEmployeeMap): every element is a typed map.
struct OfficeEmployeeMap {
  std::int64_t office_employee_id = 0;
  std::string person{};
};
template <>
struct dynamo::model<OfficeEmployeeMap> {
  static auto schema() {
    return dynamo::map_schema<OfficeEmployeeMap>()
        .attribute("office_employee_id", &OfficeEmployeeMap::office_employee_id)
        .attribute("person", &OfficeEmployeeMap::person);
  }
};
struct Office {
  std::int64_t office_id = 0;
  std::vector<OfficeEmployeeMap> employees{};
};
template <>
struct dynamo::model<Office> {
  static auto schema() {
    return dynamo::table<Office>("OfficeModel")
        .hash_key("office_id", &Office::office_id)
        .attribute("employees", &Office::employees);
  }
};

// CarInfoMap: a MapAttribute with declared members; CarInfo: a DynamicMapAttribute.
struct CarInfoMap {
  std::string make{};
  std::optional<std::string> model{};
};
template <>
struct dynamo::model<CarInfoMap> {
  static auto schema() {
    return dynamo::map_schema<CarInfoMap>().attribute("make", &CarInfoMap::make).attribute("model", &CarInfoMap::model);
  }
};
struct CarInfo {
  std::string make{};
  std::optional<std::string> model{};
  dynamo::AttributeMap others{};  // year, seats, ...: whatever else the map holds
};
template <>
struct dynamo::model<CarInfo> {
  static auto schema() {
    return dynamo::map_schema<CarInfo>()
        .attribute("make", &CarInfo::make)
        .attribute("model", &CarInfo::model)
        .unknown_attributes(&CarInfo::others);
  }
};
struct Car {
  std::string id{};
  CarInfoMap info{};
  CarInfo dynamic_info{};
};
template <>
struct dynamo::model<Car> {
  static auto schema() {
    return dynamo::table<Car>("Car")
        .hash_key("id", &Car::id)
        .attribute("info", &Car::info)
        .attribute("dynamic_info", &Car::dynamic_info);
  }
};

int main() {
  using dynamo::field;
  std::cout << "List and map attributes on " << examples::where() << "\n";
  const auto db = examples::connection();

  auto groceries = db.table<GroceryList>();
  examples::recreate(groceries);
  groceries.save(GroceryList{.store_name = "Haight Street Market",
                             .groceries = dynamo::List{"bread", 1, "butter", 6, "milk", 1}});
  std::cout << "GroceryList: " << dynamo::to_json(groceries.get("Haight Street Market")) << "\n";

  auto offices = db.table<Office>();
  examples::recreate(offices);
  Office office{.office_id = 3,
                .employees = {{.office_employee_id = 123, .person = "justin"},
                              {.office_employee_id = 125, .person = "lita"},
                              {.office_employee_id = 126, .person = "garrett"}}};
  offices.save(office);
  std::cout << "Office 3 employees:";
  for (const auto& e : offices.get(3).employees) std::cout << " " << e.person << "#" << e.office_employee_id;
  // A condition and an update on a member of a list element.
  offices.update(office, {field(&Office::employees)[1].field(&OfficeEmployeeMap::person).set("lita (manager)")},
                 field(&Office::employees)[1].field(&OfficeEmployeeMap::office_employee_id) == 125);
  std::cout << "\n  after employees[1].person = ...: " << office.employees[1].person << "\n";
  // Office{employees = {"justin", ...}} would not compile: the list is typed.

  auto cars = db.table<Car>();
  examples::recreate(cars);
  Car car{.id = "c1", .info = {.make = "Make-A", .model = "Model-A"}, .dynamic_info = {.make = "Make-A", .model = "Model-A"}};
  car.dynamic_info.others.insert_or_assign("year", 1975);
  car.dynamic_info.others.insert_or_assign("seats", 3);
  cars.save(car);
  std::cout << "Car: " << dynamo::to_json(car) << "\n";
  std::cout << "cars with info.make == Make-A: "
            << cars.scan(field(&Car::info).field(&CarInfoMap::make) == "Make-A").to_vector().size() << "\n";
  cars.update(car, {field(&Car::dynamic_info)["year"].remove()});
  std::cout << "after REMOVE dynamic_info.year: " << car.dynamic_info.others.size() << " free member(s) left\n";

  groceries.delete_table({.wait = true});
  offices.delete_table({.wait = true});
  cars.delete_table({.wait = true});
  return 0;
}
