// Links dynamo::spdlog: one dynamo line, routed into an spdlog logger writing to a string.
#include <dynamo/log_spdlog.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <iostream>
#include <sstream>

int main() {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>("app", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_pattern("%l %v");
  logger->set_level(spdlog::level::info);
  dynamo::log_to_spdlog(logger);
  dynamo::log(dynamo::LogLevel::info, "client", "routed");
  std::cout << out.str();
  return out.str() == "info client: routed\n" ? 0 : 1;
}
