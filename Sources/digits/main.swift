import DigitsCommands

DigitsCommand.mainDispatchingOnName()
