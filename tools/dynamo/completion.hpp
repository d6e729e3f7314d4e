// `dynamo completion`: a bash completion script generated from the command line's own
// definition, so it lists exactly the commands and options this build has.
//
//   source <(dynamo completion)        # or save it under /etc/bash_completion.d/dynamo
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace dynamo::cli {

[[nodiscard]] std::string bash_completion(const CLI::App& app);

}  // namespace dynamo::cli
