import DigitsServeCommand

await DigitsCommand.mainDispatchingOnName()
