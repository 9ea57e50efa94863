import DigitsServeCommand

// `digits classify FILE…` runs before (and without) the parser when there is nothing to parse.
if !DigitsCommand.runSimpleClassify() { await DigitsCommand.mainDispatchingOnName() }
