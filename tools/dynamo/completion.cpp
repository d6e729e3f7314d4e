#include "completion.hpp"

#include <CLI/CLI.hpp>

namespace dynamo::cli {
namespace {

std::string option_words(const CLI::App& app) {
  std::string words;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) words += " --" + name;
    for (const std::string& name : option->get_snames()) words += " -" + name;
  }
  return words;
}

// Global options that take a value: the word after them is not a command.
std::string valued_options(const CLI::App& app) {
  std::string words;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_items_expected_min() == 0 || option->get_positional()) continue;
    for (const std::string& name : option->get_lnames()) words += (words.empty() ? "--" : "|--") + name;
    for (const std::string& name : option->get_snames()) words += (words.empty() ? "-" : "|-") + name;
  }
  return words;
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  std::string commands;
  std::string cases;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands += " " + sub->get_name();
    cases += "    " + sub->get_name() + ") words=\"" + option_words(*sub) + "\" ;;\n";
  }
  const std::string valued = valued_options(app);
  std::string script =
      "# bash completion for dynamo: source <(dynamo completion)\n"
      "_dynamo() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} command=\"\" words i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case ${COMP_WORDS[i]} in\n";
  if (!valued.empty()) script += "      " + valued + ") ((i++)) ;;\n";
  script +=
      "      -*) ;;\n"
      "      *) command=${COMP_WORDS[i]}; break ;;\n"
      "    esac\n"
      "  done\n"
      "  case $command in\n" +
      cases +
      "    *) words=\"" + commands + option_words(app) + "\" ;;\n"
      "  esac\n"
      "  if [[ $cur == -* || -z $command ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "  else\n"
      "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "  fi\n"
      "}\n"
      "complete -o default -F _dynamo dynamo\n";
  return script;
}

}  // namespace dynamo::cli
