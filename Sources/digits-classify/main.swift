import DigitsCommands

// `digits-classify FILE…` runs before (and without) the parser when there is nothing to parse.
if !ClassifyCommand.runIfSimple(CommandLine.arguments.dropFirst()) { ClassifyCommand.main() }
