import DigitsCommands

EvaluateCommand.main()
